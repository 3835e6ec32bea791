//! The command line: clap structures (raw strings and numbers) turned into library settings.
//!
//! clap parses; this module picks each dataset's defaults, builds a [`TrainConfig`] (whose
//! `validate` has the last word on ranges), runs, prints, and writes the report. Every user
//! mistake comes back as a [`scratchnet::Error`], which `main` prints with its hint.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand};
use scratchnet::data::{self, Dataset, Task};
use scratchnet::lessons::{Lesson, LessonOptions};
use scratchnet::network::validate_sizes;
use scratchnet::train::{EpochStats, Evaluation};
use scratchnet::{Activation, Error, Init, Loss, Method, Network, Observer, Rng, Schedule, TrainConfig};

#[derive(Parser, Debug)]
#[command(
    name = "scratchnet",
    version,
    about = "Neural networks from scratch: train MLPs, and replay the tutorials' lessons"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Train a network on a dataset and report how it did
    Train(TrainArgs),
    /// Run one of the tutorials' experiments (see `scratchnet lesson --help` for the list)
    Lesson(LessonArgs),
}

#[derive(Args, Debug)]
struct LessonArgs {
    /// perceptron, neuron, forward, mse, chain-rule, gender, descent, surface or hidden-layer
    /// (leave out to list them)
    #[arg(value_parser = parse_lesson)]
    name: Option<Lesson>,
    /// Seed for the lessons that draw random numbers (gender, descent, surface, hidden-layer)
    #[arg(long, default_value_t = scratchnet::lessons::DEFAULT_SEED)]
    seed: u64,
    /// Write the lesson's pictures (PNG, GIF) into this folder (descent, surface, hidden-layer)
    #[arg(long)]
    out: Option<PathBuf>,
    /// Training epochs for hidden-layer (default: the tutorial's 5000)
    #[arg(long)]
    epochs: Option<usize>,
}

#[derive(Args, Debug)]
struct TrainArgs {
    /// gender, beans-line or beans-hill
    #[arg(long, default_value = "gender")]
    dataset: String,
    /// Layer sizes, input first, e.g. 2,2,1 (default: the dataset's)
    #[arg(long, value_parser = parse_layers)]
    layers: Option<LayerSizes>,
    /// Hidden-layer activation: identity, sigmoid, tanh, relu, softmax (default: the dataset's)
    #[arg(long, value_parser = parse_from_str::<Activation>)]
    activation: Option<Activation>,
    /// Output activation (default: follows the loss: softmax for cross-entropy, sigmoid for
    /// binary targets, identity for regression)
    #[arg(long, value_parser = parse_from_str::<Activation>)]
    output: Option<Activation>,
    /// mse, binary-cross-entropy or cross-entropy (default: follows the task)
    #[arg(long, value_parser = parse_from_str::<Loss>)]
    loss: Option<Loss>,
    /// sgd, momentum, nesterov, adam or sign (fixed-step) (default: the dataset's)
    #[arg(long, value_parser = parse_from_str::<Method>)]
    optimizer: Option<Method>,
    /// Momentum coefficient for momentum/nesterov
    #[arg(long, default_value_t = 0.9, allow_negative_numbers = true)]
    momentum: f32,
    /// Learning rate, a positive number (default: the dataset's)
    #[arg(long, value_parser = parse_positive, allow_negative_numbers = true)]
    lr: Option<f32>,
    /// constant, step, cosine or one-cycle
    #[arg(long, default_value = "constant")]
    schedule: String,
    /// Step schedule: multiply the rate by --step-gamma every this many epochs
    #[arg(long, default_value_t = 10)]
    step_every: usize,
    /// Step schedule: the factor applied every --step-every epochs
    #[arg(long, default_value_t = 0.1, allow_negative_numbers = true)]
    step_gamma: f32,
    /// One-cycle schedule: fraction of the steps spent warming up
    #[arg(long, default_value_t = 0.3, allow_negative_numbers = true)]
    warmup: f32,
    /// Weight decay (L2 for sgd/momentum, decoupled for adam)
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
    weight_decay: f32,
    /// Weight initialisation: tutorial, standard-normal, uniform, xavier, he (default: he for relu, else xavier)
    #[arg(long, value_parser = parse_from_str::<Init>)]
    init: Option<Init>,
    /// Samples per update: 1 = stochastic, larger than the data = full batch (default: the dataset's)
    #[arg(long)]
    batch_size: Option<usize>,
    /// Passes over the training data (default: the dataset's)
    #[arg(long)]
    epochs: Option<usize>,
    /// Feed the raw inputs (default: standardise each feature with the training set's mean and
    /// standard deviation, so sigmoid/tanh units start in their steep range)
    #[arg(long)]
    no_standardize: bool,
    /// Seed for data generation, initial weights and shuffling
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Write a JSON summary of the run to this file
    #[arg(long)]
    report: Option<PathBuf>,
    /// Write pictures of the run into this folder: loss (and accuracy) per epoch, and for
    /// one input feature the learned curve over the data
    #[arg(long)]
    plots: Option<PathBuf>,
}

/// Parses and runs the command line.
///
/// # Errors
/// Any user mistake or failed write, as an [`Error`] with a hint.
pub fn run() -> Result<(), Error> {
    let cli = Cli::parse();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let io_err = |source| Error::Io { path: "standard output".into(), source };
    let result = match cli.command {
        Command::Lesson(LessonArgs { name: Some(lesson), seed, out: dir, epochs }) => {
            run_lesson(lesson, LessonOptions { seed, out: dir, epochs }, &mut out)
        }
        Command::Lesson(LessonArgs { name: None, .. }) => list_lessons(&mut out).map_err(io_err),
        Command::Train(args) => train(&args, &mut out),
    };
    match result {
        // The reader went away (`scratchnet ... | head`): stop quietly, as Unix tools do.
        Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

fn run_lesson(lesson: Lesson, options: LessonOptions, out: &mut dyn Write) -> Result<(), Error> {
    if options.epochs == Some(0) {
        return Err(Error::Config("--epochs must be at least 1".into()));
    }
    if options.out.is_some() && !lesson.draws() {
        return Err(Error::Config(format!(
            "lesson {} prints only; --out is for the lessons that draw: descent, surface, hidden-layer",
            lesson.name()
        )));
    }
    if options.epochs.is_some() && lesson != Lesson::HiddenLayer {
        return Err(Error::Config(format!(
            "lesson {} has no --epochs; it is for hidden-layer",
            lesson.name()
        )));
    }
    lesson.run(&options, out)
}

fn list_lessons(out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "The lessons, in the tutorials' order (run one with `scratchnet lesson NAME`):")?;
    for lesson in Lesson::ALL {
        writeln!(out, "  {:<11} {}", lesson.name(), lesson.summary())?;
    }
    Ok(())
}

fn parse_lesson(s: &str) -> Result<Lesson, String> {
    s.parse::<Lesson>().map_err(|e| e.to_string())
}

fn parse_from_str<T: std::str::FromStr<Err = Error>>(s: &str) -> Result<T, String> {
    s.parse::<T>().map_err(|e| e.to_string())
}

fn parse_positive(s: &str) -> Result<f32, String> {
    match s.trim().parse::<f32>() {
        Ok(v) if v > 0.0 && v.is_finite() => Ok(v),
        _ => Err(format!("`{s}` is not a positive number (for example 0.1 or 1e-3)")),
    }
}

/// `--layers 784,128,64,10` (one value; a bare `Vec` would make clap expect several).
#[derive(Clone, Debug)]
struct LayerSizes(Vec<usize>);

fn parse_layers(s: &str) -> Result<LayerSizes, String> {
    let sizes = s
        .split(',')
        .map(|part| {
            part.trim().parse::<usize>().map_err(|_| {
                format!("`{part}` in `{s}` is not a whole number; give sizes like 784,128,64,10")
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    validate_sizes(&sizes).map_err(|e| e.to_string())?;
    Ok(LayerSizes(sizes))
}

/// What a dataset brings besides its samples: the tutorial-sized defaults for its flags.
struct Defaults {
    layers: Vec<usize>,
    hidden: Activation,
    method: Method,
    lr: f32,
    epochs: usize,
    batch_size: usize,
}

/// Training data, optional test data, and the dataset's defaults.
fn load_dataset(name: &str, seed: u64) -> Result<(Dataset, Option<Dataset>, Defaults), Error> {
    // A stream of its own, so the data does not change when the network's flags do.
    let mut data_rng = Rng::new(seed ^ 0x5eed_da7a);
    let defaults = |layers: &[usize], hidden, method, lr, epochs, batch_size| Defaults {
        layers: layers.to_vec(),
        hidden,
        method,
        lr,
        epochs,
        batch_size,
    };
    match name {
        "gender" => Ok((
            data::gender::gender(),
            None,
            defaults(&[2, 2, 1], Activation::Sigmoid, Method::Sgd, 0.1, 1000, 1),
        )),
        "beans-line" => {
            let train = data::beans::line(100, &mut data_rng);
            let test = data::beans::line(100, &mut data_rng);
            Ok((train, Some(test), defaults(&[1, 1], Activation::Identity, Method::Sgd, 0.5, 200, 10)))
        }
        "beans-hill" => {
            let train = data::beans::hill(100, &mut data_rng);
            let test = data::beans::hill(100, &mut data_rng);
            // tanh and SGD 0.5 found the hill for 18 of 20 seeds (sigmoid: 16); 2 units can get stuck
            Ok((train, Some(test), defaults(&[1, 2, 1], Activation::Tanh, Method::Sgd, 0.5, 1000, 10)))
        }
        other => Err(Error::UnknownName {
            kind: "dataset",
            found: other.to_string(),
            expected: "gender, beans-line, beans-hill".into(),
        }),
    }
}

/// The loss that suits a task when `--loss` is not given.
fn default_loss(task: Task) -> Loss {
    match task {
        Task::Classes(_) => Loss::CrossEntropy,
        Task::Binary => Loss::BinaryCrossEntropy,
        Task::Regression => Loss::Mse,
    }
}

/// The output activation that suits a loss and task when `--output` is not given.
fn default_output(loss: Loss, task: Task) -> Activation {
    match (loss, task) {
        (Loss::CrossEntropy, _) | (_, Task::Classes(_)) => Activation::Softmax,
        (Loss::BinaryCrossEntropy, _) | (_, Task::Binary) => Activation::Sigmoid,
        (Loss::Mse, Task::Regression) => Activation::Identity,
    }
}

fn parse_schedule(args: &TrainArgs) -> Result<Schedule, Error> {
    let schedule = match args.schedule.trim() {
        "constant" => Schedule::Constant,
        "step" => Schedule::Step { every: args.step_every, gamma: args.step_gamma },
        "cosine" => Schedule::Cosine,
        "one-cycle" => Schedule::OneCycle { warmup: args.warmup },
        other => {
            return Err(Error::UnknownName {
                kind: "schedule",
                found: other.to_string(),
                expected: "constant, step, cosine, one-cycle".into(),
            });
        }
    };
    schedule.validate()?;
    Ok(schedule)
}

/// Prints one line per epoch, thinned to about 20 lines for long runs (plus the last).
struct EpochPrinter<'a> {
    out: &'a mut dyn Write,
    epochs: usize,
}

impl Observer for EpochPrinter<'_> {
    fn on_epoch(&mut self, stats: &EpochStats, _net: &Network) {
        let every = self.epochs.div_ceil(20).max(1);
        if !stats.epoch.is_multiple_of(every) && stats.epoch != self.epochs && stats.epoch != 1 {
            return;
        }
        let mut line = format!(
            "epoch {:>width$}/{}  train loss {:.5}",
            stats.epoch,
            self.epochs,
            stats.train_loss,
            width = self.epochs.to_string().len()
        );
        if let Some(acc) = stats.train_accuracy {
            line += &format!("  train acc {:5.1}%", 100.0 * acc);
        }
        if let Some(acc) = stats.val_accuracy {
            line += &format!("  val acc {:5.1}%", 100.0 * acc);
        }
        line += &format!("  lr {:.3e}  {:.3}s", stats.lr, stats.train_seconds);
        // A closed stdout (e.g. `| head`) must not stop training; the report still gets written.
        let _ = writeln!(self.out, "{line}");
    }
}

fn train(args: &TrainArgs, out: &mut dyn Write) -> Result<(), Error> {
    let (raw_train, raw_test, defaults) = load_dataset(&args.dataset, args.seed)?;
    let (mut train_set, mut test_set) = (raw_train.clone(), raw_test.clone());
    let standardizer = (!args.no_standardize).then(|| data::Standardizer::fit(&train_set.inputs.to_matrix()));
    if let Some(standardizer) = &standardizer {
        train_set.standardize(standardizer);
        if let Some(test) = &mut test_set {
            test.standardize(standardizer);
        }
    }
    let layers = args.layers.clone().map_or(defaults.layers, |l| l.0);
    let loss = args.loss.unwrap_or(default_loss(train_set.task));
    let hidden = args.activation.unwrap_or(defaults.hidden);
    let output = args.output.unwrap_or(default_output(loss, train_set.task));
    let init = args.init.unwrap_or(if hidden == Activation::Relu { Init::He } else { Init::Xavier });
    let method = match args.optimizer.unwrap_or(defaults.method) {
        Method::Momentum { nesterov, .. } => Method::Momentum { momentum: args.momentum, nesterov },
        other => other,
    };
    let config = TrainConfig {
        loss,
        method,
        lr: args.lr.unwrap_or(defaults.lr),
        schedule: parse_schedule(args)?,
        weight_decay: args.weight_decay,
        epochs: args.epochs.unwrap_or(defaults.epochs),
        batch_size: args.batch_size.unwrap_or(defaults.batch_size),
        order: scratchnet::Order::Shuffled,
    };
    config.validate()?;

    if output == Activation::Softmax && layers.last() == Some(&1) {
        return Err(Error::Config(
            "a softmax over a single output is always 1, so nothing can be learned; for one yes/no \
             output use --loss binary-cross-entropy (sigmoid output), or give the last layer one unit per class"
                .into(),
        ));
    }
    let mut rng = Rng::new(args.seed);
    let mut net = Network::new(&layers, hidden, output, init, &mut rng)?;
    scratchnet::train::check_fit(&net, &train_set)?;
    let print_err = |source| Error::Io { path: "standard output".into(), source };
    writeln!(
        out,
        "dataset {} ({} training samples{}), layers {:?} ({} parameters)",
        train_set.name,
        train_set.len(),
        test_set.as_ref().map_or(String::new(), |t| format!(", {} test samples", t.len())),
        layers,
        net.param_count()
    )
    .map_err(print_err)?;
    let inputs = if args.no_standardize { "raw" } else { "standardised (training-set mean and std)" };
    writeln!(out, "inputs {inputs}").map_err(print_err)?;
    writeln!(
        out,
        "hidden {hidden}, output {output}, loss {loss}, init {init}, optimizer {}, lr {}, schedule {}, batch {}, epochs {}, seed {}",
        method.name(),
        config.lr,
        config.schedule.name(),
        config.batch_size,
        config.epochs,
        args.seed
    )
    .map_err(print_err)?;

    let mut printer = EpochPrinter { out: &mut *out, epochs: config.epochs };
    let history = scratchnet::fit(&mut net, &train_set, None, &config, &mut rng, &mut printer)?;
    let train_eval = scratchnet::evaluate(&net, &train_set, loss)?;
    let test_eval = test_set.as_ref().map(|t| scratchnet::evaluate(&net, t, loss)).transpose()?;
    print_evaluation(out, "train", &train_eval).map_err(print_err)?;
    if let Some(test_eval) = &test_eval {
        print_evaluation(out, "test", test_eval).map_err(print_err)?;
    }
    writeln!(
        out,
        "trained in {:.3}s ({:.0} samples/s)",
        history.train_seconds_total, history.samples_per_second
    )
    .map_err(print_err)?;

    if let Some(dir) = &args.plots {
        let data = (&raw_train, raw_test.as_ref());
        for path in scratchnet::plot::write_training_plots(dir, &history, &net, data, standardizer.as_ref())?
        {
            writeln!(out, "wrote {}", path.display()).map_err(print_err)?;
        }
    }
    if let Some(path) = &args.report {
        let report = Report {
            dataset: &train_set.name,
            layers: &layers,
            hidden_activation: hidden,
            output_activation: output,
            loss,
            config: &config,
            seed: args.seed,
            epochs: &history.epochs,
            train_loss: train_eval.loss,
            train_accuracy: train_eval.accuracy,
            test_loss: test_eval.map(|e| e.loss),
            test_accuracy: test_eval.and_then(|e| e.accuracy),
            train_seconds_total: history.train_seconds_total,
            samples_per_second: history.samples_per_second,
        };
        write_report(path, &report)?;
        writeln!(out, "report written to {}", path.display()).map_err(print_err)?;
    }
    Ok(())
}

fn print_evaluation(out: &mut dyn Write, name: &str, eval: &Evaluation) -> std::io::Result<()> {
    match eval.accuracy {
        Some(acc) => {
            writeln!(out, "{name}: loss {:.5}, accuracy {:.2}% of {}", eval.loss, 100.0 * acc, eval.samples)
        }
        None => writeln!(out, "{name}: loss {:.5} on {} samples", eval.loss, eval.samples),
    }
}

/// The `--report` JSON: DESIGN.md's fields, plus the settings that produced them.
#[derive(serde::Serialize)]
struct Report<'a> {
    dataset: &'a str,
    layers: &'a [usize],
    hidden_activation: Activation,
    output_activation: Activation,
    loss: Loss,
    config: &'a TrainConfig,
    seed: u64,
    epochs: &'a [EpochStats],
    train_loss: f32,
    train_accuracy: Option<f32>,
    test_loss: Option<f32>,
    test_accuracy: Option<f32>,
    train_seconds_total: f64,
    samples_per_second: f64,
}

/// Writes the report atomically: an old report is never half-overwritten.
fn write_report(path: &Path, report: &Report) -> Result<(), Error> {
    let json = serde_json::to_string_pretty(report).expect("plain data serialises");
    scratchnet::io::write_atomically(path, (json + "\n").as_bytes())
}

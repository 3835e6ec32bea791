//! `scratchnet train`: flags → a network and a [`TrainConfig`], a run with progress, and its
//! results (printed, `--report` JSON, `--plots` pictures, `--save` model file).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use scratchnet::dashboard::Dashboard;
use scratchnet::dashboard::views::{RunFacts, Watch};
use scratchnet::io::{Model, Preprocessing};
use scratchnet::train::{
    BatchInfo, Control, EpochStats, Evaluation, Order, Outcome, RunState, fit_resumable,
};
use scratchnet::{
    Activation, Error, Init, Loss, Method, Network, Observer, Rng, Schedule, Task, TrainConfig,
};

use super::datasets::{self, DataOptions, Prepared};
use super::{LayerSizes, out_err, parse_from_str, parse_layers, parse_positive};

/// A named recipe: its settings replace the dataset's defaults (flags still override them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Preset {
    /// The dataset's own defaults (MNIST-like: ReLU, He init, SGD with Nesterov momentum, a
    /// one-cycle learning rate, weight decay, mini-batches of 128, 20 epochs)
    Default,
    /// Tutorial 001's recipe: sigmoid hidden layers, softmax output, randn·√(1/n_out) init, no
    /// biases, per-sample SGD (lr 0.1, better than its 0.001), 85/15 train/validation split
    Tutorial,
}

#[derive(Args, Clone, Debug)]
pub struct TrainArgs {
    /// mnist, fashion-mnist, gender, beans-line, beans-hill or csv:PATH
    #[arg(long, default_value = "mnist")]
    dataset: String,
    /// Folder holding the MNIST-style files (default: $SCRATCHNET_DATA/<name>, then ~/.cache/scratchnet/<name>)
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// A named recipe whose settings replace the dataset's defaults
    #[arg(long, value_enum, default_value_t = Preset::Default)]
    preset: Preset,
    /// Layer sizes, input first, e.g. 784,128,64,10 (default: the dataset's)
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
    /// Learning rate, a positive number (default: the dataset's; the peak rate for one-cycle)
    #[arg(long, value_parser = parse_positive, allow_negative_numbers = true)]
    lr: Option<f32>,
    /// constant, step, cosine or one-cycle (default: the dataset's)
    #[arg(long)]
    schedule: Option<String>,
    /// Step schedule: multiply the rate by --step-gamma every this many epochs
    #[arg(long, default_value_t = 10)]
    step_every: usize,
    /// Step schedule: the factor applied every --step-every epochs
    #[arg(long, default_value_t = 0.1, allow_negative_numbers = true)]
    step_gamma: f32,
    /// One-cycle schedule: fraction of the steps spent warming up
    #[arg(long, default_value_t = 0.25, allow_negative_numbers = true)]
    warmup: f32,
    /// Weight decay (L2 for sgd/momentum, decoupled for adam) (default: the dataset's)
    #[arg(long, allow_negative_numbers = true)]
    weight_decay: Option<f32>,
    /// Weight initialisation: tutorial, standard-normal, uniform, xavier, he (default: he for relu, else xavier)
    #[arg(long, value_parser = parse_from_str::<Init>)]
    init: Option<Init>,
    /// Samples per update: 1 = stochastic, larger than the data = full batch (default: the dataset's)
    #[arg(long)]
    batch_size: Option<usize>,
    /// Passes over the training data (default: the dataset's)
    #[arg(long)]
    epochs: Option<usize>,
    /// Fraction of the training data held out for validation, 0 to 0.9 (default: the dataset's)
    #[arg(long, allow_negative_numbers = true)]
    validation: Option<f64>,
    /// Seed for data splits and generation, initial weights and shuffling
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Threads for matrix products and optimizer steps (default: 2 for batches of 16 or more,
    /// 1 for smaller batches or on a one-core machine: what was faster when measured). The same
    /// seed and thread count give the same result
    #[arg(long)]
    threads: Option<usize>,
    /// Feed the raw inputs of the small generated sets (default: standardise each feature with
    /// the training set's mean and standard deviation)
    #[arg(long)]
    no_standardize: bool,
    /// CSV: the column to predict (default: the last one)
    #[arg(long)]
    target: Option<String>,
    /// CSV: the feature columns, comma-separated (default: every other column)
    #[arg(long, value_delimiter = ',')]
    features: Option<Vec<String>>,
    /// CSV: auto, classification or regression (default auto: text or whole-number targets
    /// are classes, other numbers regression)
    #[arg(long)]
    task: Option<String>,
    /// CSV: skip rows with a missing value ("", NA, NaN, ...) instead of stopping at the first
    #[arg(long)]
    drop_missing: bool,
    /// Save the trained model (safetensors; loads in PyTorch) to this file
    #[arg(long)]
    save: Option<PathBuf>,
    /// Write a JSON summary of the run to this file
    #[arg(long)]
    report: Option<PathBuf>,
    /// Write pictures of the run into this folder: loss (and accuracy) per epoch, and for
    /// one input feature the learned curve over the data
    #[arg(long)]
    plots: Option<PathBuf>,
    /// Write a checkpoint every N epochs (to --checkpoint FILE), to continue later with
    /// --resume; Ctrl-C also writes one after the current batch
    #[arg(long, value_name = "N")]
    checkpoint_every: Option<usize>,
    /// Where checkpoints go (default: scratchnet-checkpoint.safetensors in this folder)
    #[arg(long, value_name = "FILE")]
    checkpoint: Option<PathBuf>,
    /// Continue the run saved in this checkpoint, exactly as it would have gone on (its settings
    /// come from the checkpoint: give no other flags, except --dashboard)
    #[arg(long, value_name = "FILE")]
    resume: Option<PathBuf>,
    /// Clip the gradient: if the norm of all parameters' gradients together exceeds X, scale
    /// it down to X before each step (guards against exploding updates)
    #[arg(long, value_name = "X", allow_negative_numbers = true)]
    clip_grad: Option<f32>,
    /// Watch the run live in the browser: serves a page on 127.0.0.1 (port 7878, or a free one
    /// if that is busy) and keeps it after training until Ctrl-C
    #[arg(long)]
    dashboard: bool,
    /// Where the dashboard listens, e.g. 127.0.0.1:9000 (another machine can connect only if
    /// you give an address it can reach, such as 0.0.0.0:9000)
    #[arg(long, value_name = "ADDR")]
    dashboard_addr: Option<std::net::SocketAddr>,
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

fn parse_schedule(name: &str, args: &TrainArgs) -> Result<Schedule, Error> {
    let schedule = match name.trim() {
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

/// Shows a progress bar during each epoch (on a terminal) and prints one line per epoch,
/// thinned to about 20 lines for runs of many short epochs.
struct Progress<'a> {
    out: &'a mut (dyn Write + Send),
    epochs: usize,
    bar: Option<ProgressBar>,
    samples: usize,
    loss_sum: f64,
    correct: Option<usize>,
}

impl Progress<'_> {
    /// Whether to draw bars: on a terminal, for epochs of many batches.
    fn wants_bar(batches_per_epoch: usize) -> bool {
        batches_per_epoch >= 50 && std::io::stderr().is_terminal()
    }
}

impl Observer for Progress<'_> {
    fn on_batch(&mut self, info: &BatchInfo, _net: &Network) {
        if info.batch == 0 {
            (self.samples, self.loss_sum, self.correct) = (0, 0.0, None);
            if Progress::wants_bar(info.batches_per_epoch) {
                let bar = ProgressBar::new(info.batches_per_epoch as u64);
                let style = ProgressStyle::with_template("{prefix} [{bar:28}] {pos}/{len} {msg}")
                    .expect("a valid template")
                    .progress_chars("=> ");
                bar.set_style(style);
                bar.set_prefix(format!("epoch {}/{}", info.epoch, self.epochs));
                bar.enable_steady_tick(Duration::from_millis(200));
                self.bar = Some(bar);
            }
        }
        self.samples += info.samples;
        self.loss_sum += f64::from(info.loss) * info.samples as f64;
        if let Some(c) = info.correct {
            self.correct = Some(self.correct.unwrap_or(0) + c);
        }
        if let Some(bar) = &self.bar {
            bar.inc(1);
            if info.batch.is_multiple_of(20) || info.batch + 1 == info.batches_per_epoch {
                let rate = self.samples as f64 / bar.elapsed().as_secs_f64().max(1e-9);
                let mut msg = format!("loss {:.4}", self.loss_sum / self.samples as f64);
                if let Some(c) = self.correct {
                    msg += &format!("  acc {:.2}%", 100.0 * c as f64 / self.samples as f64);
                }
                bar.set_message(msg + &format!("  {rate:.0} samples/s"));
            }
        }
    }

    fn on_epoch(&mut self, stats: &EpochStats, _net: &Network) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
        let every = self.epochs.div_ceil(20).max(1);
        if !stats.epoch.is_multiple_of(every) && stats.epoch != self.epochs && stats.epoch != 1 {
            return;
        }
        let width = self.epochs.to_string().len();
        let mut line =
            format!("epoch {:>width$}/{}  train loss {:.4}", stats.epoch, self.epochs, stats.train_loss);
        if let Some(acc) = stats.train_accuracy {
            line += &format!("  acc {:6.2}%", 100.0 * acc);
        }
        if let Some(loss) = stats.val_loss {
            line += &format!("  val loss {loss:.4}");
        }
        if let Some(acc) = stats.val_accuracy {
            line += &format!("  val acc {:6.2}%", 100.0 * acc);
        }
        line += &format!("  lr {:.2e}  {:.2}s", stats.lr, stats.train_seconds);
        // standard output never fails here (see `Tolerant` in cli/mod.rs)
        let _ = writeln!(self.out, "{line}");
    }
}

/// Runs `scratchnet train`.
/// Where checkpoints go unless `--checkpoint` says otherwise.
const DEFAULT_CHECKPOINT: &str = "scratchnet-checkpoint.safetensors";

pub fn run(args: &TrainArgs, out: &mut (dyn Write + Send)) -> Result<(), Error> {
    super::catch_ctrl_c()?;
    let Some(path) = &args.resume else {
        let command: Vec<String> = std::env::args().skip(1).collect();
        return run_from(args, out, None, command);
    };
    // only the dashboard may be chosen anew: everything else is the checkpoint's
    let mut given = std::env::args().skip(2); // after `scratchnet train`
    while let Some(flag) = given.next() {
        match flag.as_str() {
            "--resume" | "--dashboard-addr" => {
                given.next(); // their value
            }
            "--dashboard" => {}
            f if f.starts_with("--resume=") || f.starts_with("--dashboard-addr=") || !f.starts_with("--") => {
            }
            _ => {
                return Err(Error::Config(format!(
                    "--resume continues the run exactly as it was started, with the settings stored in the checkpoint; \
                     remove {flag} (only --dashboard and --dashboard-addr may be added)"
                )));
            }
        }
    }
    let checkpoint = scratchnet::checkpoint::load(path)?;
    let mut original = super::parse_train_args(&checkpoint.run.args)?;
    (original.dashboard, original.dashboard_addr) = (args.dashboard, args.dashboard_addr);
    original.checkpoint = Some(path.clone());
    original.threads = Some(checkpoint.run.threads);
    original.resume = None;
    let command = checkpoint.run.args.clone();
    run_from(&original, out, Some(checkpoint), command)
}

fn run_from(
    args: &TrainArgs,
    out: &mut (dyn Write + Send),
    resume: Option<scratchnet::checkpoint::Checkpoint>,
    command: Vec<String>,
) -> Result<(), Error> {
    if let Some(v) = args.validation
        && !(0.0..=0.9).contains(&v)
    {
        return Err(Error::Config(format!("--validation must be a fraction from 0 to 0.9, got {v}")));
    }
    // Flags that are wrong whatever the data: say so before loading anything.
    if args.threads == Some(0) {
        return Err(Error::Config("--threads must be at least 1".into()));
    }
    if args.epochs == Some(0) {
        return Err(Error::Config("epochs must be at least 1".into()));
    }
    if args.batch_size == Some(0) {
        return Err(Error::Config("the batch size must be at least 1".into()));
    }
    if let Some(name) = &args.schedule {
        parse_schedule(name, args)?;
    }
    if let Some(Method::Momentum { nesterov, .. }) = args.optimizer {
        Method::Momentum { momentum: args.momentum, nesterov }.validate()?;
    }
    if args.checkpoint_every == Some(0) {
        return Err(Error::Config("--checkpoint-every must be at least 1 (epochs)".into()));
    }
    for path in [&args.save, &args.report, &args.checkpoint].into_iter().flatten() {
        check_folder_exists(path)?;
    }
    let data_options = DataOptions {
        data_dir: args.data_dir.clone(),
        csv_target: args.target.clone(),
        csv_features: args.features.clone(),
        task: args.task.clone(),
        drop_missing: args.drop_missing,
        standardize: !args.no_standardize,
        validation: args.validation.or((args.preset == Preset::Tutorial).then_some(0.15)),
    };
    let data = datasets::prepare(&args.dataset, &data_options, args.seed)?;
    let mut defaults = data.defaults.clone();
    let tutorial = args.preset == Preset::Tutorial;
    if tutorial {
        defaults.hidden = Activation::Sigmoid;
        defaults.method = Method::Sgd;
        (defaults.lr, defaults.schedule, defaults.weight_decay) = (0.1, Schedule::Constant, 0.0);
        (defaults.epochs, defaults.batch_size) = (10, 1);
    }

    let layers = args.layers.clone().map_or(defaults.layers.clone(), |l| l.0);
    let task = data.train.task;
    let loss = args.loss.unwrap_or(default_loss(task));
    let hidden = args.activation.unwrap_or(defaults.hidden);
    let output = args.output.unwrap_or(default_output(loss, task));
    let init = args.init.unwrap_or(if tutorial {
        Init::Tutorial
    } else if hidden == Activation::Relu {
        Init::He
    } else {
        Init::Xavier
    });
    let method = match args.optimizer.unwrap_or(defaults.method) {
        Method::Momentum { nesterov, .. } => Method::Momentum { momentum: args.momentum, nesterov },
        other => other,
    };
    let schedule = match &args.schedule {
        Some(name) => parse_schedule(name, args)?,
        None => defaults.schedule,
    };
    let mut config = TrainConfig {
        loss,
        method,
        lr: args.lr.unwrap_or(defaults.lr),
        schedule,
        weight_decay: args.weight_decay.unwrap_or(defaults.weight_decay),
        epochs: args.epochs.unwrap_or(defaults.epochs),
        batch_size: args.batch_size.unwrap_or(defaults.batch_size),
        order: Order::Shuffled,
        clip_grad: args.clip_grad,
        engine: scratchnet::Engine::Fast { threads: 1 },
    };
    config.validate()?;
    if output == Activation::Softmax && layers.last() == Some(&1) {
        return Err(Error::Config(
            "a softmax over a single output is always 1, so nothing can be learned; for one yes/no \
             output use --loss binary-cross-entropy (sigmoid output), or give the last layer one unit per class"
                .into(),
        ));
    }

    // Two threads were faster at batch 64 and up (docs/performance.md); at batch 1 the work of
    // a step is too small to share and the hand-over costs more than it saves.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = args.threads.unwrap_or(if config.batch_size >= 16 { cores.min(2) } else { 1 });
    config.engine = scratchnet::Engine::Fast { threads };
    let mut rng = Rng::new(args.seed);
    let mut net = Network::new(&layers, hidden, output, init, &mut rng)?;
    if tutorial {
        net = net.without_biases();
    }
    let resume_data = resume.as_ref().map(|c| c.run.data.clone());
    let resume_state = match resume {
        Some(checkpoint) => {
            if checkpoint.model.net.sizes() != net.sizes() {
                return Err(Error::Config("the checkpoint's network does not match its own settings".into()));
            }
            writeln!(
                out,
                "resuming at epoch {}, batch {} (from {})",
                checkpoint.state.epoch,
                checkpoint.state.batch,
                args.checkpoint.as_deref().unwrap_or(Path::new(DEFAULT_CHECKPOINT)).display()
            )
            .map_err(out_err)?;
            net = checkpoint.model.net;
            Some(checkpoint.state)
        }
        None => None,
    };
    scratchnet::train::check_fit(&net, &data.train)?;
    print_header(out, args, &data, &net, &config, (hidden, output, init), threads).map_err(out_err)?;

    let mut watch = match args.dashboard || args.dashboard_addr.is_some() {
        true => Some(start_dashboard(out, args, &data, &net, &config, (hidden, output))?),
        false => None,
    };
    let mut progress = Progress {
        out: &mut *out,
        epochs: config.epochs,
        bar: None,
        samples: 0,
        loss_sum: 0.0,
        correct: None,
    };
    let validation = data.validation.as_ref();
    let model_of = |net: &Network| {
        let mut model = Model::new(
            net.clone(),
            loss,
            task,
            &args.dataset,
            data.input.clone(),
            data.preprocessing.clone(),
            data.train.class_names.clone(),
        );
        (model.info.data_seed, model.info.validation, model.info.drop_missing) =
            (args.seed, data_options.validation, args.drop_missing);
        model
    };
    let checkpoint_path = args.checkpoint.clone().unwrap_or_else(|| PathBuf::from(DEFAULT_CHECKPOINT));
    // The fingerprint reads every byte of the training data (about 50 ms for MNIST): only
    // when resuming, or when the first checkpoint is written.
    let mut run_info = scratchnet::checkpoint::RunInfo { args: command, threads, data: String::new() };
    if let Some(expected) = &resume_data {
        run_info.data = scratchnet::checkpoint::fingerprint(&data.train);
        if *expected != run_info.data {
            return Err(Error::Checkpoint {
                path: checkpoint_path.display().to_string(),
                message:
                    "the training data is not the data this run started on (a data file was replaced or \
                          changed); resuming would continue on other samples"
                        .into(),
            });
        }
    }
    let mut written = None;
    let mut write_checkpoint = |net: &Network, state: &RunState| -> Result<(), Error> {
        if run_info.data.is_empty() {
            run_info.data = scratchnet::checkpoint::fingerprint(&data.train);
        }
        scratchnet::checkpoint::save(&checkpoint_path, &model_of(net), state, &run_info)?;
        written = Some(state.epoch - usize::from(state.batch == 0));
        Ok(())
    };
    let mut control = Control {
        resume: resume_state,
        checkpoint_every: args.checkpoint_every,
        checkpoint: Some(&mut write_checkpoint),
        stop: Some(&super::STOP),
    };
    super::TRAINING.store(true, std::sync::atomic::Ordering::SeqCst);
    let fitted = match watch.as_mut() {
        Some(watch) => fit_resumable(
            &mut net,
            &data.train,
            validation,
            &config,
            &mut rng,
            &mut (&mut progress, watch),
            &mut control,
        ),
        None => {
            fit_resumable(&mut net, &data.train, validation, &config, &mut rng, &mut progress, &mut control)
        }
    };
    super::TRAINING.store(false, std::sync::atomic::Ordering::SeqCst);
    drop(control);
    let fitted = match fitted {
        Ok(Outcome::Finished(history)) => Ok(history),
        Ok(Outcome::Stopped(state)) => {
            let (epoch, batch) =
                if state.batch == 0 { (state.epoch - 1, 0) } else { (state.epoch, state.batch) };
            return Err(Error::Interrupted { epoch, batch, path: checkpoint_path.display().to_string() });
        }
        Err(e) => Err(e),
    };
    if let Some(epoch) = written {
        writeln!(out, "checkpoint: {} (after epoch {epoch})", checkpoint_path.display()).map_err(out_err)?;
    }
    let history = match (fitted, watch.as_mut()) {
        (Ok(history), _) => history,
        (Err(Error::Diverged { epoch, batch, loss }), Some(watch)) => {
            watch.diverged(epoch, batch, loss);
            let error = Error::Diverged { epoch, batch, loss };
            writeln!(out, "error: {error}").map_err(out_err)?;
            super::wait_for_ctrl_c(out, &watch.url())?;
            return Err(error);
        }
        (Err(e), _) => return Err(e),
    };

    let test_eval = data.test.as_ref().map(|t| scratchnet::evaluate(&net, t, loss)).transpose()?;
    let val_eval = data.validation.as_ref().map(|v| scratchnet::evaluate(&net, v, loss)).transpose()?;
    if let Some(eval) = &val_eval {
        print_evaluation(out, "validation", eval).map_err(out_err)?;
    }
    match &test_eval {
        Some(eval) => print_evaluation(out, "test", eval).map_err(out_err)?,
        None => print_evaluation(out, "train", &scratchnet::evaluate(&net, &data.train, loss)?)
            .map_err(out_err)?,
    }
    writeln!(
        out,
        "trained {} epochs in {:.1}s ({:.0} samples/s)",
        config.epochs, history.train_seconds_total, history.samples_per_second
    )
    .map_err(out_err)?;

    if let Some(dir) = &args.plots {
        let (train, test, scaler) = match (&data.raw, &data.preprocessing) {
            (Some((train, test)), Preprocessing::Standardize(s)) => (train, test.as_ref(), Some(s)),
            (Some((train, test)), _) => (train, test.as_ref(), None),
            (None, _) => (&data.train, data.test.as_ref(), None),
        };
        for path in scratchnet::plot::write_training_plots(dir, &history, &net, (train, test), scaler)? {
            writeln!(out, "wrote {}", path.display()).map_err(out_err)?;
        }
    }
    if let Some(path) = &args.save {
        scratchnet::io::save(&model_of(&net), path)?;
        writeln!(out, "model saved to {}", path.display()).map_err(out_err)?;
    }
    if let Some(path) = &args.report {
        let train_eval = scratchnet::evaluate(&net, &data.train, loss)?;
        let report = Report {
            dataset: &args.dataset,
            layers: &layers,
            hidden_activation: hidden,
            output_activation: output,
            loss,
            config: &config,
            seed: args.seed,
            epochs: &history.epochs,
            train_loss: train_eval.loss,
            train_accuracy: train_eval.accuracy,
            val_accuracy: val_eval.and_then(|e| e.accuracy),
            test_loss: test_eval.map(|e| e.loss),
            test_accuracy: test_eval.and_then(|e| e.accuracy),
            train_seconds_total: history.train_seconds_total,
            samples_per_second: history.samples_per_second,
        };
        write_report(path, &report)?;
        writeln!(out, "report written to {}", path.display()).map_err(out_err)?;
    }
    if let Some(watch) = watch.as_mut() {
        let accuracy = test_eval.or(val_eval).and_then(|e| e.accuracy);
        let message = match accuracy {
            Some(a) => format!("training finished: {:.2}% accuracy on held-out data", 100.0 * a),
            None => "training finished".to_string(),
        };
        watch.finish(&net, &message);
        super::wait_for_ctrl_c(out, &watch.url())?;
    }
    Ok(())
}

/// Starts the dashboard server, prints its address, and sends the run's facts.
fn start_dashboard(
    out: &mut dyn Write,
    args: &TrainArgs,
    data: &Prepared,
    net: &Network,
    config: &TrainConfig,
    (hidden, output): (Activation, Activation),
) -> Result<Watch, Error> {
    let dashboard = Dashboard::start(args.dashboard_addr)?;
    writeln!(out, "dashboard: {} (open it in a browser)", dashboard.url()).map_err(out_err)?;
    out.flush().map_err(out_err)?;
    let facts = RunFacts {
        dataset: args.dataset.clone(),
        layers: net.sizes(),
        hidden: hidden.name().into(),
        output: output.name().into(),
        loss: config.loss.name().into(),
        optimizer: config.method.name().into(),
        lr: config.lr,
        schedule: config.schedule.name().into(),
        batch_size: config.batch_size,
        epochs: config.epochs,
        train_samples: data.train.len(),
    };
    let shown = data.test.as_ref().or(data.validation.as_ref());
    Ok(Watch::new(dashboard, facts, &data.train, shown))
}

/// Fails early if `path`'s folder does not exist (so a long run does not end in an error).
fn check_folder_exists(path: &Path) -> Result<(), Error> {
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if folder.is_dir() {
        return Ok(());
    }
    Err(Error::Io {
        path: path.display().to_string(),
        source: std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("the folder {} does not exist; create it first", folder.display()),
        ),
    })
}

fn print_header(
    out: &mut dyn Write,
    args: &TrainArgs,
    data: &Prepared,
    net: &Network,
    config: &TrainConfig,
    (hidden, output, init): (Activation, Activation, Init),
    threads: usize,
) -> std::io::Result<()> {
    let count = |d: &Option<scratchnet::Dataset>, what: &str| {
        d.as_ref().map_or(String::new(), |d| format!(", {} {what}", d.len()))
    };
    writeln!(
        out,
        "dataset {}: {} training{}{} samples",
        args.dataset,
        data.train.len(),
        count(&data.validation, "validation"),
        count(&data.test, "test")
    )?;
    for note in &data.notes {
        writeln!(out, "  {note}")?;
    }
    let biases = if net.layers().iter().all(|l| l.bias_mode() == scratchnet::Bias::Learned) {
        ""
    } else {
        ", no biases"
    };
    writeln!(
        out,
        "network {:?} ({} parameters{biases}), hidden {hidden}, output {output}, init {init}",
        net.sizes(),
        net.param_count()
    )?;
    let wd = if config.weight_decay > 0.0 {
        format!(", weight decay {}", config.weight_decay)
    } else {
        String::new()
    };
    writeln!(
        out,
        "loss {}, optimizer {}, lr {} ({} schedule){wd}, batch {}, {} epochs, seed {}, {} thread(s)",
        config.loss,
        config.method.name(),
        config.lr,
        config.schedule.name(),
        config.batch_size,
        config.epochs,
        args.seed,
        threads
    )
}

fn print_evaluation(out: &mut dyn Write, name: &str, eval: &Evaluation) -> std::io::Result<()> {
    match eval.accuracy {
        Some(acc) => {
            writeln!(out, "{name}: accuracy {:.2}% of {} (loss {:.4})", 100.0 * acc, eval.samples, eval.loss)
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
    val_accuracy: Option<f32>,
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

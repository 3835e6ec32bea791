//! `scratchnet train`, in three stages that read top to bottom in [`run_from`]:
//!
//! 1. **resolve** ([`plan`]): the flags (or a checkpoint's) become a checked [`plan::Plan`]:
//!    the data loaded and prepared, the network built or resumed, the [`TrainConfig`], where
//!    results go. Every mistake is found here, before any training.
//! 2. **run** ([`run`]): the training loop with its observers (the progress lines of
//!    [`progress`], the dashboard), checkpoints and Ctrl-C.
//! 3. **report** ([`report`]): evaluation printed, model saved, `--report` JSON, `--plots`.
//!
//! Before them, a config file (`scratchnet train run.toml`) becomes flags
//! ([`config`](super::config)), and `settings.rs` names every effective setting by its flag for
//! the header, the report and the model file. This file holds the flags and the entry point;
//! read `plan.rs` next.
//!
//! [`TrainConfig`]: scratchnet::TrainConfig

mod plan;
mod progress;
mod report;
mod run;
mod settings;

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use scratchnet::checkpoint::Checkpoint;
use scratchnet::{Activation, Error, Init, Loss, Method, t};

use super::{LayerSizes, parse_from_str, parse_layers, parse_positive};

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

/// `--engine`: which code trains the network (see [`scratchnet::Engine`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum EngineChoice {
    /// The plain code of the concept files (layer.rs, network.rs, optim.rs), on one thread
    Reference,
    /// The fast engine, on --threads threads
    Fast,
}

#[derive(Args, Clone, Debug)]
pub struct TrainArgs {
    /// A TOML file of settings: the keys are the long flag names below (`batch-size = 64`,
    /// `layers = [784, 128, 10]`, `drop-missing = true`); flags given here override it
    #[arg(value_name = "CONFIG.toml")]
    pub(crate) config: Option<PathBuf>,
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
    /// Threads for the fast engine's matrix products and optimizer steps (default: 2 for batches
    /// of 16 or more, 1 for smaller batches or on a one-core machine: what was faster when
    /// measured). The same seed and thread count give the same result
    #[arg(long)]
    threads: Option<usize>,
    /// Which code trains: reference (the plain code of the concept files, one thread) or fast
    #[arg(long, value_enum, default_value_t = EngineChoice::Fast)]
    engine: EngineChoice,
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
    /// CSV: the field separator, one character or `tab` (default: guessed from the first lines
    /// among , tab ; and |)
    #[arg(long, value_name = "CHAR", value_parser = scratchnet::data::csv::delimiter::from_flag)]
    delimiter: Option<u8>,
    /// CSV: the decimal separator of every numeric column, . or , (default: each column's own,
    /// detected: 3,5 is read as 3.5 in a column whose values all parse that way)
    #[arg(long, value_name = "SEP", value_parser = scratchnet::data::csv::Decimal::from_flag)]
    decimal: Option<scratchnet::data::csv::Decimal>,
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

/// Runs `scratchnet train`: a new run, or with `--resume` the checkpoint's run.
///
/// # Errors
/// Any mistake in the flags or the data, a failed write, divergence, or Ctrl-C (after a
/// checkpoint is written).
pub fn run(args: &TrainArgs, out: &mut (dyn Write + Send)) -> Result<(), Error> {
    super::catch_ctrl_c()?;
    let Some(path) = &args.resume else {
        // from `train` on: the options before it (--lang, --offline) are this invocation's, not the run's
        let command: Vec<String> = std::env::args().skip(1).skip_while(|a| a != "train").collect();
        let Some(file) = &args.config else {
            return run_from(args, out, None, command);
        };
        let mut expanded = super::config::expand(file, &command)?;
        expanded.args.config = Some(file.clone()); // for the header
        return run_from(&expanded.args, out, None, expanded.command);
    };
    if let Some(file) = &args.config {
        return Err(Error::Config(t!("cli.resume.config-file", file = file.display())));
    }
    refuse_flags_beside_resume()?;
    let checkpoint = scratchnet::checkpoint::load(path)?;
    let mut original = super::parse_train_args(&checkpoint.run.args)?;
    (original.dashboard, original.dashboard_addr) = (args.dashboard, args.dashboard_addr);
    original.checkpoint = Some(path.clone());
    // the thread count is part of the result (and `--engine` comes back with the command line)
    original.threads = Some(checkpoint.run.threads);
    original.resume = None;
    let command = checkpoint.run.args.clone();
    run_from(&original, out, Some(checkpoint), command)
}

/// The three stages; `command` is what a checkpoint records to resume the run.
fn run_from(
    args: &TrainArgs,
    out: &mut (dyn Write + Send),
    resume: Option<Checkpoint>,
    command: Vec<String>,
) -> Result<(), Error> {
    let mut plan = plan::resolve(args, resume, command)?;
    let (history, watch) = run::train(&mut plan, out)?;
    report::report(&plan, &history, watch, out)
}

/// With `--resume`, only the dashboard and the language may be chosen anew: everything else is
/// the checkpoint's. (The language is this command's, not the one its command line stored.)
fn refuse_flags_beside_resume() -> Result<(), Error> {
    let mut given = std::env::args().skip(1).skip_while(|a| a != "train").skip(1);
    while let Some(flag) = given.next() {
        match flag.as_str() {
            "--resume" | "--dashboard-addr" | "--lang" => {
                given.next(); // their value
            }
            "--dashboard" => {}
            f if ["--resume=", "--dashboard-addr=", "--lang="].iter().any(|p| f.starts_with(p))
                || !f.starts_with("--") => {}
            _ => return Err(Error::Config(t!("cli.resume.flag", flag = flag))),
        }
    }
    Ok(())
}

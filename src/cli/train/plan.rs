//! Stage 1 of `train`, **resolve**: the flags (and a resumed checkpoint) become a [`Plan`],
//! everything the run needs, checked.
//!
//! Each check is written once. The settings of a [`TrainConfig`] are judged by
//! [`TrainConfig::validate`] (which also asks `Method::validate` and `Schedule::validate`); the
//! CLI adds only what the library cannot know: the `--validation` range, `--checkpoint-every`,
//! that output folders exist, and that the reference engine runs on one thread. Flags that are
//! wrong whatever the data are refused before the data is loaded (see [`check_flags`]). Next:
//! `run.rs`.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use scratchnet::checkpoint::{Checkpoint, RunInfo};
use scratchnet::io::{Model, ModelInfo};
use scratchnet::train::{Order, RunState};
use scratchnet::{
    Activation, Engine, Error, Init, Loss, Method, Network, Rng, Schedule, Task, TrainConfig, t,
};

use super::settings::RunSettings;
use super::{EngineChoice, Preset, TrainArgs};
use crate::cli::datasets::{self, DataOptions, Defaults, Prepared};

/// Where checkpoints go unless `--checkpoint` says otherwise.
const DEFAULT_CHECKPOINT: &str = "scratchnet-checkpoint.safetensors";

/// A `train` run, ready to go: nothing in it needs checking again.
pub struct Plan {
    /// The `--dataset` name as given (the header, the model file and the report show it).
    pub dataset: String,
    pub seed: u64,
    pub data: Prepared,
    /// The network to train: new, or the checkpoint's when resuming.
    pub net: Network,
    pub settings: NetworkSettings,
    /// Every setting of the run by its flag's name (printed, reported, kept in the model).
    pub run_settings: RunSettings,
    /// The config file the settings came from, if any (the flags given went over it).
    pub config_file: Option<PathBuf>,
    /// Validated, including `engine` (and with it the thread count).
    pub config: TrainConfig,
    /// Seeded with `seed` and already used to draw the initial weights.
    pub rng: Rng,
    /// What model files and checkpoints record besides the weights.
    pub model_info: ModelInfo,
    /// Where a resumed run continues; `None` for a new run.
    pub resume: Option<RunState>,
    /// What checkpoints record about the run. Its data fingerprint reads every byte of the
    /// training data (about 50 ms for MNIST), so it is filled in only when resuming (to
    /// compare) or when the first checkpoint is written.
    pub run_info: RunInfo,
    pub outputs: Outputs,
    /// `Some` to serve the dashboard, at this address or (`None`) the default one.
    pub dashboard: Option<Option<SocketAddr>>,
}

/// Where the run's results go.
pub struct Outputs {
    pub save: Option<PathBuf>,
    pub report: Option<PathBuf>,
    pub plots: Option<PathBuf>,
    pub checkpoint: PathBuf,
    pub checkpoint_every: Option<usize>,
}

/// The network's design: sizes, activations and initial weights.
#[derive(Clone, Debug)]
pub struct NetworkSettings {
    pub layers: Vec<usize>,
    pub hidden: Activation,
    pub output: Activation,
    pub init: Init,
}

impl Plan {
    /// Threads the run uses: the reference engine always runs on one.
    pub fn threads(&self) -> usize {
        match self.config.engine {
            Engine::Reference => 1,
            Engine::Fast { threads } => threads,
        }
    }
}

/// Flags (+ the checkpoint to resume) → a checked [`Plan`]; `command` is what checkpoints
/// record to rebuild the run.
///
/// # Errors
/// The first mistake in the flags, the data, or the checkpoint.
pub fn resolve(args: &TrainArgs, resumed: Option<Checkpoint>, command: Vec<String>) -> Result<Plan, Error> {
    check_flags(args)?;
    let data_options = data_options(args);
    let data = datasets::prepare(&args.dataset, &data_options, args.seed)?;
    let defaults = with_preset(args.preset, data.defaults.clone());
    let task = data.train.task;
    let loss = args.loss.unwrap_or(default_loss(task));
    let config = train_config(args, &defaults, loss)?;
    config.validate()?;
    let settings = network_settings(args, &defaults, loss, task)?;
    let mut rng = Rng::new(args.seed);
    let mut net = settings.build(args.preset, &mut rng)?;
    let outputs = outputs(args);
    let mut run_info = RunInfo { args: command, threads: 1, data: String::new() };
    let resume = match resumed {
        Some(checkpoint) => Some(resume(checkpoint, &mut net, &data, &outputs, &mut run_info)?),
        None => None,
    };
    scratchnet::train::check_fit(&net, &data.train)?;
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
    let held_out = data_options.validation.unwrap_or(data.defaults.validation);
    let run_settings = RunSettings::new(args, &data, &settings, &config, held_out);
    model.info.settings = Some(run_settings.to_map());
    let mut plan = Plan {
        dataset: args.dataset.clone(),
        seed: args.seed,
        data,
        net,
        settings,
        run_settings,
        config_file: args.config.clone(),
        config,
        rng,
        model_info: model.info,
        resume,
        run_info,
        outputs,
        dashboard: (args.dashboard || args.dashboard_addr.is_some()).then_some(args.dashboard_addr),
    };
    plan.run_info.threads = plan.threads();
    Ok(plan)
}

/// Refuses the flags that are wrong whatever the data, before loading it (MNIST takes a
/// moment, and a missing data set should not hide a typo).
///
/// The library's own checks run on a provisional config: [`train_config`], the one place flags
/// become a [`TrainConfig`], is given stand-in defaults ([`STAND_IN`]) for what the data will
/// decide. The stand-ins are valid and switch nothing on (plain SGD, constant rate), so any
/// error comes from a flag. After loading, [`resolve`] builds the real config with the same
/// function and validates it again (the dataset's defaults then meet the flags).
fn check_flags(args: &TrainArgs) -> Result<(), Error> {
    if let Some(v) = args.validation
        && !(0.0..=0.9).contains(&v)
    {
        return Err(Error::Config(t!("train.check.validation", value = v)));
    }
    train_config(args, &STAND_IN, args.loss.unwrap_or(Loss::Mse))?.validate()?;
    if args.checkpoint_every == Some(0) {
        return Err(Error::Config(t!("train.check.checkpoint-every").into()));
    }
    for path in [&args.save, &args.report, &args.checkpoint].into_iter().flatten() {
        check_folder_exists(path)?;
    }
    Ok(())
}

/// Valid defaults that enable nothing a flag could then make invalid, for [`check_flags`].
const STAND_IN: Defaults = Defaults {
    layers: Vec::new(),
    hidden: Activation::Relu,
    method: Method::Sgd,
    lr: 0.1,
    schedule: Schedule::Constant,
    weight_decay: 0.0,
    epochs: 1,
    batch_size: 1,
    validation: 0.0,
};

/// The run's settings: each flag, or where it is left out the default (the dataset's, after
/// the preset). Not validated here: see [`check_flags`] and [`resolve`].
fn train_config(args: &TrainArgs, defaults: &Defaults, loss: Loss) -> Result<TrainConfig, Error> {
    let method = match args.optimizer.unwrap_or(defaults.method) {
        Method::Momentum { nesterov, .. } => Method::Momentum { momentum: args.momentum, nesterov },
        other => other,
    };
    let schedule = match &args.schedule {
        Some(name) => parse_schedule(name, args)?,
        None => defaults.schedule,
    };
    let batch_size = args.batch_size.unwrap_or(defaults.batch_size);
    Ok(TrainConfig {
        loss,
        method,
        lr: args.lr.unwrap_or(defaults.lr),
        schedule,
        weight_decay: args.weight_decay.unwrap_or(defaults.weight_decay),
        epochs: args.epochs.unwrap_or(defaults.epochs),
        batch_size,
        order: Order::Shuffled,
        clip_grad: args.clip_grad,
        engine: engine(args, batch_size)?,
    })
}

/// `--engine` and `--threads`. Two threads were faster at batch 64 and up
/// (docs/performance.md); at batch 1 the work of a step is too small to share and the
/// hand-over costs more than it saves.
fn engine(args: &TrainArgs, batch_size: usize) -> Result<Engine, Error> {
    match (args.engine, args.threads) {
        (EngineChoice::Reference, None | Some(1)) => Ok(Engine::Reference),
        (EngineChoice::Reference, Some(n)) => {
            Err(Error::Config(t!("train.check.reference-threads", threads = n)))
        }
        (EngineChoice::Fast, Some(threads)) => Ok(Engine::Fast { threads }),
        (EngineChoice::Fast, None) => {
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
            Ok(Engine::Fast { threads: if batch_size >= 16 { cores.min(2) } else { 1 } })
        }
    }
}

/// `--schedule NAME` with its own flags (checked with the rest by [`TrainConfig::validate`]).
fn parse_schedule(name: &str, args: &TrainArgs) -> Result<Schedule, Error> {
    match name.trim() {
        "constant" => Ok(Schedule::Constant),
        "step" => Ok(Schedule::Step { every: args.step_every, gamma: args.step_gamma }),
        "cosine" => Ok(Schedule::Cosine),
        "one-cycle" => Ok(Schedule::OneCycle { warmup: args.warmup }),
        other => Err(Error::UnknownName {
            kind: "schedule",
            found: other.to_string(),
            expected: "constant, step, cosine, one-cycle".into(),
        }),
    }
}

/// The dataset's defaults, with a preset's recipe over them.
fn with_preset(preset: Preset, mut defaults: Defaults) -> Defaults {
    if preset == Preset::Tutorial {
        defaults.hidden = Activation::Sigmoid;
        defaults.method = Method::Sgd;
        (defaults.lr, defaults.schedule, defaults.weight_decay) = (0.1, Schedule::Constant, 0.0);
        (defaults.epochs, defaults.batch_size) = (10, 1);
    }
    defaults
}

fn data_options(args: &TrainArgs) -> DataOptions {
    DataOptions {
        data_dir: args.data_dir.clone(),
        csv_target: args.target.clone(),
        csv_features: args.features.clone(),
        task: args.task.clone(),
        drop_missing: args.drop_missing,
        standardize: !args.no_standardize,
        validation: args.validation.or((args.preset == Preset::Tutorial).then_some(0.15)),
        csv_read: scratchnet::data::csv::ReadFlags { delimiter: args.delimiter, decimal: args.decimal },
    }
}

fn outputs(args: &TrainArgs) -> Outputs {
    Outputs {
        save: args.save.clone(),
        report: args.report.clone(),
        plots: args.plots.clone(),
        checkpoint: args.checkpoint.clone().unwrap_or_else(|| PathBuf::from(DEFAULT_CHECKPOINT)),
        checkpoint_every: args.checkpoint_every,
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

/// The network's flags, or the defaults (the initialisation follows the activation).
fn network_settings(
    args: &TrainArgs,
    defaults: &Defaults,
    loss: Loss,
    task: Task,
) -> Result<NetworkSettings, Error> {
    let layers = args.layers.clone().map_or(defaults.layers.clone(), |l| l.0);
    let hidden = args.activation.unwrap_or(defaults.hidden);
    let output = args.output.unwrap_or(default_output(loss, task));
    let init = args.init.unwrap_or(if args.preset == Preset::Tutorial {
        Init::Tutorial
    } else if hidden == Activation::Relu {
        Init::He
    } else {
        Init::Xavier
    });
    if output == Activation::Softmax && layers.last() == Some(&1) {
        return Err(Error::Config(t!("train.check.softmax-one").into()));
    }
    Ok(NetworkSettings { layers, hidden, output, init })
}

impl NetworkSettings {
    /// A new network with weights drawn from `rng` (no biases in the tutorial's recipe).
    fn build(&self, preset: Preset, rng: &mut Rng) -> Result<Network, Error> {
        let net = Network::new(&self.layers, self.hidden, self.output, self.init, rng)?;
        Ok(if preset == Preset::Tutorial { net.without_biases() } else { net })
    }
}

/// Puts the checkpoint's network in `net` and returns where its run stopped, after checking
/// that it is the run these settings and this data describe.
fn resume(
    checkpoint: Checkpoint,
    net: &mut Network,
    data: &Prepared,
    outputs: &Outputs,
    run_info: &mut RunInfo,
) -> Result<RunState, Error> {
    if checkpoint.model.net.sizes() != net.sizes() {
        return Err(Error::Config(t!("train.check.checkpoint-network").into()));
    }
    run_info.data = scratchnet::checkpoint::fingerprint(&data.train);
    if checkpoint.run.data != run_info.data {
        return Err(Error::Checkpoint {
            path: outputs.checkpoint.display().to_string(),
            message: t!("train.check.checkpoint-data").into(),
        });
    }
    *net = checkpoint.model.net;
    Ok(checkpoint.state)
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
            t!("train.check.no-folder", folder = folder.display()),
        ),
    })
}

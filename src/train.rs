//! Training: the loop over epochs and batches, and evaluation.
//!
//! The heart of it reads like the tutorials: for every epoch, (shuffle,) for every batch,
//! zero the gradients, forward, loss, backward, step ([`reference_step`]). A batch of 1 is the
//! tutorials' stochastic gradient descent, a batch of the whole set is batch gradient descent,
//! anything between is mini-batch. Around that loop, not inside it: an [`Observer`] sees every
//! batch and epoch (progress lines, plots, lessons' printouts), checkpoints, a stop request
//! (Ctrl-C) and the divergence check. [`TrainConfig::engine`] may hand each step to the fast
//! engine instead (`fast/`), which computes the same step, faster.
//!
//! Read next: `lessons/` (the tutorials' experiments built on all of the above), then `fast/`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use crate::data::{Dataset, Task};
use crate::loss::Loss;
use crate::network::Network;
use crate::optim::{Method, Optimizer};
use crate::rng::Rng;
use crate::schedule::Schedule;
use crate::tensor::Matrix;
use crate::{Error, t};

/// The order in which an epoch visits the samples.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Order {
    /// A fresh random order every epoch (the default: batches differ from epoch to epoch).
    Shuffled,
    /// The dataset's own order every epoch (tutorials 003 and 000 do this).
    AsGiven,
}

/// Which code trains the network: the one visible seam between the two engines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Engine {
    /// The plain passes of the concept files (`layer.rs`, `network.rs`, `optim.rs`): one
    /// thread, one screen per idea; what the lessons and gradient checks run.
    Reference,
    /// `fast/`: the same algorithm on `threads` threads with fused and overlapped steps; the
    /// same numbers up to rounding (`tests/engines.rs` proves it), several times quicker.
    Fast { threads: usize },
}

impl Engine {
    /// The name used by the CLI: `reference` or `fast`.
    pub fn name(self) -> &'static str {
        match self {
            Engine::Reference => "reference",
            Engine::Fast { .. } => "fast",
        }
    }
}

/// Everything about a training run except the network and the data.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct TrainConfig {
    pub loss: Loss,
    pub method: Method,
    /// The base learning rate; the schedule multiplies it.
    pub lr: f32,
    pub schedule: Schedule,
    /// Weight decay λ (0 = none); see [`Optimizer::with_weight_decay`].
    pub weight_decay: f32,
    pub epochs: usize,
    /// Samples per update: 1 = stochastic, ≥ the data size = full batch.
    pub batch_size: usize,
    pub order: Order,
    /// Largest gradient norm allowed: a larger gradient (all parameters together, as one
    /// vector) is scaled down to this length before the step. `None`: no clipping.
    pub clip_grad: Option<f32>,
    /// Which code runs the steps (same numbers up to rounding).
    pub engine: Engine,
}

impl TrainConfig {
    /// Plain SGD with `lr`, constant rate, shuffled mini-batches of 32, 10 epochs.
    pub fn new(loss: Loss, lr: f32) -> TrainConfig {
        TrainConfig {
            loss,
            method: Method::Sgd,
            lr,
            schedule: Schedule::Constant,
            weight_decay: 0.0,
            epochs: 10,
            batch_size: 32,
            order: Order::Shuffled,
            clip_grad: None,
            engine: Engine::Reference,
        }
    }

    /// Checks every setting is in range.
    ///
    /// # Errors
    /// [`Error::Config`] naming the first bad setting and its value.
    pub fn validate(&self) -> Result<(), Error> {
        if !(self.lr > 0.0 && self.lr.is_finite()) {
            return Err(Error::Config(t!("error.train.lr", value = self.lr)));
        }
        if self.epochs == 0 {
            return Err(Error::Config(t!("error.train.epochs").into()));
        }
        if self.batch_size == 0 {
            return Err(Error::Config(t!("error.train.batch-size").into()));
        }
        if !(self.weight_decay >= 0.0 && self.weight_decay.is_finite()) {
            return Err(Error::Config(t!("error.train.weight-decay", value = self.weight_decay)));
        }
        if let Some(clip) = self.clip_grad
            && !(clip > 0.0 && clip.is_finite())
        {
            return Err(Error::Config(t!("error.train.clip-grad", value = clip)));
        }
        if self.engine == (Engine::Fast { threads: 0 }) {
            return Err(Error::Config(t!("error.train.threads").into()));
        }
        self.method.validate()?;
        self.schedule.validate()
    }
}

/// What one epoch did.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EpochStats {
    /// 1-based.
    pub epoch: usize,
    /// Mean of the batch losses over the epoch, weighted by batch size (measured while the
    /// weights were still changing, as every framework reports it).
    pub train_loss: f32,
    /// Accuracy on the training batches as they went by (classification only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub train_accuracy: Option<f32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub val_loss: Option<f32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub val_accuracy: Option<f32>,
    /// The learning rate of the epoch's last step.
    pub lr: f32,
    pub train_seconds: f64,
}

/// A whole run: the epochs and the speed.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct History {
    pub epochs: Vec<EpochStats>,
    pub train_seconds_total: f64,
    pub samples_per_second: f64,
}

/// A batch just trained on, for observers.
#[derive(Clone, Copy, Debug)]
pub struct BatchInfo {
    pub epoch: usize,
    /// 0-based within the epoch.
    pub batch: usize,
    pub batches_per_epoch: usize,
    pub samples: usize,
    pub loss: f32,
    /// Correctly classified samples of the batch (classification tasks only).
    pub correct: Option<usize>,
    pub lr: f32,
}

/// Watches a run: progress output, plots, a lesson's printouts. Both methods default to nothing.
pub trait Observer {
    fn on_batch(&mut self, _info: &BatchInfo, _net: &Network) {}
    fn on_epoch(&mut self, _stats: &EpochStats, _net: &Network) {}
}

/// An observer that ignores everything.
impl Observer for () {}

/// Two observers, called in order (progress output and a dashboard, say).
impl<A: Observer + ?Sized, B: Observer + ?Sized> Observer for (&mut A, &mut B) {
    fn on_batch(&mut self, info: &BatchInfo, net: &Network) {
        self.0.on_batch(info, net);
        self.1.on_batch(info, net);
    }
    fn on_epoch(&mut self, stats: &EpochStats, net: &Network) {
        self.0.on_epoch(stats, net);
        self.1.on_epoch(stats, net);
    }
}

/// Loss and, for classification, accuracy of a network on a dataset.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Evaluation {
    pub loss: f32,
    pub accuracy: Option<f32>,
    pub samples: usize,
}

/// Number of correct rows: the largest output for classes, each output on the right side of
/// 0.5 for binary labels. `None` for regression.
pub fn count_correct(task: Task, y: &Matrix, t: &Matrix) -> Option<usize> {
    match task {
        Task::Regression => None,
        Task::Classes(_) => Some((0..y.rows()).filter(|&r| y.argmax_row(r) == t.argmax_row(r)).count()),
        Task::Binary => {
            let row_ok = |r: usize| y.row(r).iter().zip(t.row(r)).all(|(&y, &t)| (y > 0.5) == (t > 0.5));
            Some((0..y.rows()).filter(|&r| row_ok(r)).count())
        }
    }
}

/// Checks that `data` fits `net`: input width and target width.
///
/// # Errors
/// [`Error::DataMismatch`] naming the widths.
pub fn check_fit(net: &Network, data: &Dataset) -> Result<(), Error> {
    net.check_width(data.n_features())?;
    if data.n_outputs() != net.n_out() {
        let (name, targets, outputs) = (&data.name, data.n_outputs(), net.n_out());
        return Err(Error::DataMismatch(t!(
            "error.train.targets",
            name = name,
            targets = targets,
            outputs = outputs
        )));
    }
    Ok(())
}

/// Rows per evaluation chunk: bounds memory on big sets without changing any result.
const EVAL_CHUNK: usize = 1024;

/// The loss and accuracy of `net` on `data`.
///
/// # Errors
/// [`Error::DataMismatch`] if the data does not fit the network.
pub fn evaluate(net: &Network, data: &Dataset, loss: Loss) -> Result<Evaluation, Error> {
    check_fit(net, data)?;
    let (mut loss_sum, mut correct) = (0.0f64, None::<usize>);
    let indices: Vec<usize> = (0..data.len()).collect();
    for chunk in indices.chunks(EVAL_CHUNK) {
        let (x, t) = (data.inputs.gather(chunk), data.targets.gather_rows(chunk));
        let y = net.predict(&x);
        loss_sum += f64::from(loss.value(&y, &t)) * chunk.len() as f64;
        if let Some(c) = count_correct(data.task, &y, &t) {
            correct = Some(correct.unwrap_or(0) + c);
        }
    }
    let samples = data.len().max(1);
    Ok(Evaluation {
        loss: (loss_sum / samples as f64) as f32,
        accuracy: correct.map(|c| c as f32 / samples as f32),
        samples: data.len(),
    })
}

/// Trains `net` on `train` as `config` says, evaluating on `val` after each epoch if given.
///
/// ```
/// use scratchnet::{Activation, Init, Loss, Network, Rng, TrainConfig, data};
/// let mut rng = Rng::new(1);
/// let people = data::gender::gender();
/// let mut net = Network::new(&[2, 2, 1], Activation::Sigmoid, Activation::Sigmoid, Init::StandardNormal, &mut rng)?;
/// let mut config = TrainConfig::new(Loss::Mse, 0.1);
/// (config.epochs, config.batch_size) = (1000, 1);
/// let history = scratchnet::fit(&mut net, &people, None, &config, &mut rng, &mut ())?;
/// assert!(history.epochs.last().unwrap().train_loss < 0.01);
/// # Ok::<(), scratchnet::Error>(())
/// ```
///
/// # Errors
/// [`Error::Config`] for a bad setting, [`Error::DataMismatch`] if the data does not fit the
/// network, [`Error::Diverged`] as soon as a batch's loss is NaN or infinite.
pub fn fit(
    net: &mut Network,
    train: &Dataset,
    val: Option<&Dataset>,
    config: &TrainConfig,
    rng: &mut Rng,
    observer: &mut dyn Observer,
) -> Result<History, Error> {
    match fit_resumable(net, train, val, config, rng, observer, &mut Control::default())? {
        Outcome::Finished(history) => Ok(history),
        Outcome::Stopped(_) => unreachable!("nothing can stop a run without a stop flag"),
    }
}

/// Where a run is, exactly: with the network's weights, enough to continue it and end with
/// the same weights, bit for bit, as a run that was never interrupted (same thread count).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RunState {
    /// The epoch under way (1-based), and the next batch of it (0: not started, not shuffled).
    pub epoch: usize,
    pub batch: usize,
    /// The order of the training samples (shuffled in place every epoch).
    pub order: Vec<u32>,
    /// This epoch's sums so far: loss × samples, correct answers.
    pub loss_sum: f64,
    pub correct: Option<usize>,
    /// The epochs finished.
    pub history: History,
    pub optimizer: crate::optim::OptimizerState,
    pub rng: crate::rng::RngState,
}

/// Writes a checkpoint of the network and the run's state.
pub type SaveCheckpoint<'a> = dyn FnMut(&Network, &RunState) -> Result<(), Error> + 'a;

/// How a resumable run is steered from outside (all optional).
#[derive(Default)]
pub struct Control<'a> {
    /// Continue from this state (and the network as it was then) instead of starting afresh.
    pub resume: Option<RunState>,
    /// Call `checkpoint` after every N-th epoch.
    pub checkpoint_every: Option<usize>,
    pub checkpoint: Option<&'a mut SaveCheckpoint<'a>>,
    /// When set (by Ctrl-C, say), the run finishes its batch, calls `checkpoint` and returns
    /// [`Outcome::Stopped`].
    pub stop: Option<&'a AtomicBool>,
}

/// How a resumable run ended.
#[derive(Debug)]
pub enum Outcome {
    Finished(History),
    /// Stopped on request; the state continues it.
    Stopped(Box<RunState>),
}

/// [`fit`] that can be checkpointed, stopped between batches and resumed exactly.
///
/// # Errors
/// As [`fit`], also [`Error::Diverged`] if a parameter becomes NaN or infinite (checked at the
/// end of each epoch and before each checkpoint, so a checkpoint never holds one), and any
/// error of the checkpoint callback.
pub fn fit_resumable(
    net: &mut Network,
    train: &Dataset,
    val: Option<&Dataset>,
    config: &TrainConfig,
    rng: &mut Rng,
    observer: &mut dyn Observer,
    control: &mut Control<'_>,
) -> Result<Outcome, Error> {
    let mut run = Run::start(net, train, val, config, rng, control.resume.take())?;
    let run_start = now();
    let seconds_before = run.state.history.train_seconds_total;
    while run.state.epoch <= config.epochs {
        let epoch = run.state.epoch;
        let epoch_start = now();
        let lr = run.train_batches(net, train, rng, observer, control.stop)?;
        if run.state.batch < run.batches_per_epoch {
            // stopped inside the epoch
            run.state.history.train_seconds_total = seconds_before + seconds_since(run_start);
            return run.stop(net, rng, control).map(Outcome::Stopped);
        }
        check_parameters(net, epoch, run.batches_per_epoch)?;
        let stats = run.epoch_stats(net, train, val, lr, seconds_since(epoch_start))?;
        observer.on_epoch(&stats, net);
        run.state.history.epochs.push(stats);
        (run.state.epoch, run.state.batch) = (epoch + 1, 0);
        run.state.history.train_seconds_total = seconds_before + seconds_since(run_start);
        let due = control.checkpoint_every.is_some_and(|n| epoch.is_multiple_of(n) && epoch < config.epochs);
        let stopping = control.stop.is_some_and(|s| s.load(Ordering::Relaxed));
        if stopping && epoch < config.epochs {
            return run.stop(net, rng, control).map(Outcome::Stopped);
        }
        if due && let Some(save) = control.checkpoint.as_mut() {
            save(net, &run.snapshot(rng))?;
        }
    }
    let mut history = run.state.history;
    let trained: f64 = history.epochs.iter().map(|e| e.train_seconds).sum();
    history.samples_per_second = (train.len() * history.epochs.len()) as f64 / trained.max(1e-9);
    Ok(Outcome::Finished(history))
}

/// One training step of the reference engine, the tutorials' loop body: forward, loss,
/// backward, step. Returns the batch's loss; if it is not finite (the run diverged), no
/// parameter is touched. `fast::Trainer::step` replaces it when the engine is fast.
pub fn reference_step(
    net: &mut Network,
    optimizer: &mut Optimizer,
    config: &TrainConfig,
    lr: f32,
    (x, t): (&Matrix, &Matrix),
) -> f32 {
    net.zero_grad();
    let output = net.output_activation();
    let y = net.forward(x);
    let loss = config.loss.value(y, t);
    if !loss.is_finite() {
        return loss;
    }
    let dz = config.loss.gradient_wrt_logits(output, y, t); // ∂L/∂z of the last layer
    net.backward(&dz);
    if let Some(max) = config.clip_grad {
        clip_gradient(net, max);
    }
    optimizer.step(net.params_mut(), lr);
    loss
}

/// A run under way: its settings, its state, the optimizer and the engine's buffers.
struct Run<'c> {
    config: &'c TrainConfig,
    state: RunState,
    optimizer: Optimizer,
    order: Vec<usize>,
    batch_size: usize,
    batches_per_epoch: usize,
    /// The fast engine, if the config asks for it.
    fast: Option<crate::fast::Trainer>,
    /// The batch's inputs (reference engine) and targets.
    x: Matrix,
    t: Matrix,
}

impl<'c> Run<'c> {
    /// Checks the settings and the data, and starts afresh or from `resume`.
    fn start(
        net: &Network,
        train: &Dataset,
        val: Option<&Dataset>,
        config: &'c TrainConfig,
        rng: &mut Rng,
        resume: Option<RunState>,
    ) -> Result<Run<'c>, Error> {
        config.validate()?;
        check_fit(net, train)?;
        if let Some(val) = val {
            check_fit(net, val)?;
        }
        if train.is_empty() {
            return Err(Error::Config(t!("error.train.no-samples", name = train.name)));
        }
        let mut optimizer = Optimizer::new(config.method).with_weight_decay(config.weight_decay);
        let state = match resume {
            Some(state) => {
                check_resume(&state, train, config)?;
                optimizer.restore(&state.optimizer, net)?;
                *rng = Rng::from_state(&state.rng);
                state
            }
            None => RunState::new(train.len(), optimizer.state(), rng.state()),
        };
        let batch_size = config.batch_size.min(train.len());
        let fast = match config.engine {
            Engine::Fast { threads } => Some(crate::fast::Trainer::new(threads)),
            Engine::Reference => None,
        };
        Ok(Run {
            config,
            order: state.order.iter().map(|&i| i as usize).collect(),
            state,
            optimizer,
            batch_size,
            batches_per_epoch: train.len().div_ceil(batch_size),
            fast,
            x: Matrix::default(),
            t: Matrix::default(),
        })
    }

    /// The rest of the current epoch's batches, or fewer if `stop` is set (the state then says
    /// where to go on). Returns the learning rate of the last step.
    fn train_batches(
        &mut self,
        net: &mut Network,
        train: &Dataset,
        rng: &mut Rng,
        observer: &mut dyn Observer,
        stop: Option<&AtomicBool>,
    ) -> Result<f32, Error> {
        let (config, epoch) = (self.config, self.state.epoch);
        if self.state.batch == 0 {
            if config.order == Order::Shuffled {
                rng.shuffle(&mut self.order);
            }
            (self.state.loss_sum, self.state.correct) = (0.0, None);
        }
        let mut lr = config.lr;
        let total_steps = self.batches_per_epoch * config.epochs;
        for batch in self.state.batch..self.batches_per_epoch {
            let step = (epoch - 1) * self.batches_per_epoch + batch;
            lr = config.lr * config.schedule.factor(step, total_steps, self.batches_per_epoch);
            let (loss, samples, correct) = self.step(net, train, batch, lr);
            if let Some(c) = correct {
                self.state.correct = Some(self.state.correct.unwrap_or(0) + c);
            }
            if !loss.is_finite() {
                return Err(Error::Diverged { epoch, batch: batch + 1, loss });
            }
            self.state.loss_sum += f64::from(loss) * samples as f64;
            let per_epoch = self.batches_per_epoch;
            let info = BatchInfo { epoch, batch, batches_per_epoch: per_epoch, samples, loss, correct, lr };
            observer.on_batch(&info, net);
            self.state.batch = batch + 1;
            if stop.is_some_and(|s| s.load(Ordering::Relaxed)) && self.state.batch < per_epoch {
                check_parameters(net, epoch, batch + 1)?;
                break;
            }
        }
        Ok(lr)
    }

    /// Trains on batch number `batch` of the epoch with the configured engine. Returns the
    /// loss, the number of samples and how many of them were classified right.
    fn step(
        &mut self,
        net: &mut Network,
        train: &Dataset,
        batch: usize,
        lr: f32,
    ) -> (f32, usize, Option<usize>) {
        let mut batches = self.order.chunks(self.batch_size);
        let (indices, next) = (batches.nth(batch).expect("batch < batches_per_epoch"), batches.next());
        train.targets.gather_rows_into(indices, &mut self.t);
        let (loss, output) = match &mut self.fast {
            None => {
                train.inputs.gather_into(indices, &mut self.x);
                let loss = reference_step(net, &mut self.optimizer, self.config, lr, (&self.x, &self.t));
                (loss, net.output())
            }
            Some(fast) => {
                let batch = crate::fast::Batch { inputs: &train.inputs, indices, next, targets: &self.t };
                (fast.step(net, &mut self.optimizer, self.config, lr, batch), fast.output())
            }
        };
        (loss, indices.len(), count_correct(train.task, output, &self.t))
    }

    /// The statistics of the epoch just trained, with the validation set's scores.
    fn epoch_stats(
        &self,
        net: &Network,
        train: &Dataset,
        val: Option<&Dataset>,
        lr: f32,
        train_seconds: f64,
    ) -> Result<EpochStats, Error> {
        let val_eval = val.map(|v| evaluate(net, v, self.config.loss)).transpose()?;
        Ok(EpochStats {
            epoch: self.state.epoch,
            train_loss: (self.state.loss_sum / train.len() as f64) as f32,
            train_accuracy: self.state.correct.map(|c| c as f32 / train.len() as f32),
            val_loss: val_eval.map(|e| e.loss),
            val_accuracy: val_eval.and_then(|e| e.accuracy),
            lr,
            train_seconds,
        })
    }

    /// The state with the current order, optimizer and random stream.
    fn snapshot(&self, rng: &Rng) -> RunState {
        let mut state = self.state.clone();
        state.order = self.order.iter().map(|&i| i as u32).collect();
        state.optimizer = self.optimizer.state();
        state.rng = rng.state();
        state
    }

    /// Ends a run on request: writes the checkpoint and returns the state that continues it.
    fn stop(&self, net: &Network, rng: &Rng, control: &mut Control<'_>) -> Result<Box<RunState>, Error> {
        let snap = self.snapshot(rng);
        if let Some(save) = control.checkpoint.as_mut() {
            save(net, &snap)?;
        }
        Ok(Box::new(snap))
    }
}

impl RunState {
    /// The state before the first epoch of a run on `samples` samples.
    fn new(samples: usize, optimizer: crate::optim::OptimizerState, rng: crate::rng::RngState) -> RunState {
        RunState {
            epoch: 1,
            batch: 0,
            order: (0..samples as u32).collect(),
            loss_sum: 0.0,
            correct: None,
            history: History::default(),
            optimizer,
            rng,
        }
    }
}

/// Checks that a saved state can continue a run of `config` on `train`.
fn check_resume(state: &RunState, train: &Dataset, config: &TrainConfig) -> Result<(), Error> {
    if state.order.len() != train.len() || state.epoch == 0 || state.epoch > config.epochs + 1 {
        let (samples, epoch, epochs, data) = (state.order.len(), state.epoch, config.epochs, train.len());
        return Err(Error::Config(t!(
            "error.train.resume",
            samples = samples,
            epoch = epoch,
            epochs = epochs,
            data = data
        )));
    }
    Ok(())
}

/// [`Error::Diverged`] if any parameter is NaN or infinite.
fn check_parameters(net: &Network, epoch: usize, batch: usize) -> Result<(), Error> {
    if net.params().iter().all(|p| p.value.is_finite()) {
        return Ok(());
    }
    Err(Error::Diverged { epoch, batch, loss: f32::NAN })
}

/// Scales every gradient by max/‖g‖ if the norm of all of them together, ‖g‖, exceeds `max`
/// (PyTorch's `clip_grad_norm_`). The norm is summed in `f64`.
pub fn clip_gradient(net: &mut Network, max: f32) -> f32 {
    let norm = net
        .params()
        .iter()
        .flat_map(|p| p.grad.as_slice())
        .map(|&g| f64::from(g) * f64::from(g))
        .sum::<f64>()
        .sqrt();
    if norm > f64::from(max) {
        let scale = (f64::from(max) / norm) as f32;
        for p in net.params_mut() {
            p.grad.as_mut_slice().iter_mut().for_each(|g| *g *= scale);
        }
    }
    norm as f32
}

/// The time now, or `None` on WebAssembly in a browser, whose std has no clock
/// (`Instant::now` panics there): a run in the browser reports 0 seconds.
fn now() -> Option<Instant> {
    #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
    return None;
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    Some(Instant::now())
}

/// Seconds since `start` (0 without a clock).
fn seconds_since(start: Option<Instant>) -> f64 {
    start.map_or(0.0, |t| t.elapsed().as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activation::Activation;
    use crate::data::beans;
    use crate::layer::Init;

    #[test]
    fn clipping_scales_the_whole_gradient_to_the_limit_and_keeps_its_direction() {
        let mut rng = Rng::new(2);
        let mut net =
            Network::new(&[3, 4, 2], Activation::Tanh, Activation::Identity, Init::Xavier, &mut rng).unwrap();
        for p in net.params_mut() {
            p.grad.as_mut_slice().iter_mut().enumerate().for_each(|(i, g)| *g = i as f32 - 2.0);
        }
        let before: Vec<f32> = net.params().iter().flat_map(|p| p.grad.as_slice().to_vec()).collect();
        let norm = clip_gradient(&mut net, 1.5);
        let after: Vec<f32> = net.params().iter().flat_map(|p| p.grad.as_slice().to_vec()).collect();
        let new_norm = after.iter().map(|g| g * g).sum::<f32>().sqrt();
        assert!(norm > 1.5 && (new_norm - 1.5).abs() < 1e-4, "{norm} → {new_norm}");
        for (a, b) in after.iter().zip(&before) {
            assert!((a - b * 1.5 / norm).abs() < 1e-5);
        }
        assert!((clip_gradient(&mut net, 10.0) - 1.5).abs() < 1e-4, "a small gradient is left alone");
    }

    struct CountBatches(Vec<usize>);
    impl Observer for CountBatches {
        fn on_batch(&mut self, info: &BatchInfo, _net: &Network) {
            self.0.push(info.samples);
        }
    }

    fn line_fit(batch_size: usize, epochs: usize) -> (Network, Vec<usize>, History) {
        let mut rng = Rng::new(5);
        let data = beans::line(20, &mut rng);
        let mut net =
            Network::new(&[1, 1], Activation::Identity, Activation::Identity, Init::Xavier, &mut rng)
                .unwrap();
        let mut config = TrainConfig::new(Loss::Mse, 0.2);
        (config.batch_size, config.epochs) = (batch_size, epochs);
        let mut counter = CountBatches(Vec::new());
        let history = fit(&mut net, &data, None, &config, &mut rng, &mut counter).unwrap();
        (net, counter.0, history)
    }

    #[test]
    fn batch_size_decides_the_number_of_updates() {
        assert_eq!(line_fit(1, 1).1, vec![1; 20], "stochastic: one update per sample");
        assert_eq!(line_fit(20, 1).1, vec![20], "full batch: one update per epoch");
        assert_eq!(line_fit(1000, 1).1, vec![20], "larger than the data: full batch");
        assert_eq!(line_fit(8, 1).1, vec![8, 8, 4], "mini-batches, the last one short");
    }

    #[test]
    fn every_batch_size_finds_the_beans_line() {
        for batch_size in [1, 5, 20] {
            let (net, _, history) = line_fit(batch_size, 400);
            let (w, b) = (net.layers()[0].weight.value.get(0, 0), net.layers()[0].bias.value.get(0, 0));
            assert!((w - 0.7).abs() < 0.15 && (b - 0.5).abs() < 0.1, "batch {batch_size}: w {w}, b {b}");
            assert!(history.epochs.last().unwrap().train_loss < 0.01);
        }
    }

    #[test]
    fn a_huge_learning_rate_stops_with_a_divergence_error() {
        let mut rng = Rng::new(5);
        let data = beans::line(20, &mut rng);
        let mut net =
            Network::new(&[1, 1], Activation::Identity, Activation::Identity, Init::Xavier, &mut rng)
                .unwrap();
        let mut config = TrainConfig::new(Loss::Mse, 1e6);
        config.epochs = 50;
        let err = fit(&mut net, &data, None, &config, &mut rng, &mut ()).unwrap_err();
        assert!(matches!(err, Error::Diverged { .. }), "{err}");
        assert!(err.hint().contains("lower the learning rate"));
    }

    #[test]
    fn data_that_does_not_fit_the_network_is_an_error() {
        let mut rng = Rng::new(5);
        let data = beans::line(20, &mut rng);
        let mut net =
            Network::new(&[2, 1], Activation::Identity, Activation::Identity, Init::Xavier, &mut rng)
                .unwrap();
        let config = TrainConfig::new(Loss::Mse, 0.1);
        let err = fit(&mut net, &data, None, &config, &mut rng, &mut ()).unwrap_err();
        assert!(
            err.to_string().contains("1 input features but the network's first layer expects 2"),
            "{err}"
        );
        assert!(evaluate(&net, &data, Loss::Mse).is_err());
    }

    #[test]
    fn bad_settings_are_refused() {
        let mut config = TrainConfig::new(Loss::Mse, f32::NAN);
        assert!(
            config.validate().unwrap_err().to_string().contains("learning rate must be a positive number")
        );
        config.lr = 0.1;
        config.weight_decay = -1.0;
        assert!(config.validate().is_err());
    }

    #[test]
    fn validation_data_is_scored_each_epoch() {
        let mut rng = Rng::new(8);
        let data = beans::hill(100, &mut rng);
        let (train, val) = data.split(0.8, &mut rng);
        let mut net =
            Network::new(&[1, 6, 1], Activation::Tanh, Activation::Sigmoid, Init::Xavier, &mut rng).unwrap();
        let mut config = TrainConfig::new(Loss::BinaryCrossEntropy, 0.02);
        (config.method, config.epochs, config.batch_size) = (Method::ADAM, 5, 10);
        let history = fit(&mut net, &train, Some(&val), &config, &mut rng, &mut ()).unwrap();
        assert!(history.epochs.iter().all(|e| e.val_accuracy.is_some() && e.val_loss.is_some()));
    }
}

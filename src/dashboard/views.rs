//! What the dashboard shows, computed on the training thread at a bounded rate.
//!
//! [`Watch`] is an [`Observer`]: after each batch it may send a "batch" event (at most
//! [`BATCH_EVERY`] apart), after each epoch an "epoch" event, and at most every
//! [`VIEW_EVERY`] (and after the last epoch) a "view" event with the heavier pictures:
//! - images (28×28 inputs): predictions for a grid of test digits, the confusion matrix on up
//!   to [`PROBE`] test samples, the first layer's weights as images, and for each grid digit
//!   the last hidden layer's values with the output layer's weights, so the page can write out
//!   z = Σ h·w + b and the softmax for any digit and class;
//! - one input, one output (the beans): the predicted curve and each first-layer unit's curve;
//! - a single linear unit (the line beans): w and b, for the cost contour.
//!
//! Every view carries a small drawing of the network: a few units per layer and the weights
//! between them.
//!
//! The diagnosis rules ([`Diagnosis`]) watch the losses and send "hint" events in plain words:
//! each part (title, text, fix) as a catalog key with its arguments, which the page fills in the
//! reader's language, and as text in the run's language for `/api/state`:
//! `{"rule", "level", "title", "text", "fix", "messages": {"title": {"key", "args"}, …}}`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::Dashboard;
use super::message::{Message, msg, rendered};
use crate::activation::Activation;
use crate::data::{Dataset, Features, Task};
use crate::network::Network;
use crate::tensor::Matrix;
use crate::train::{BatchInfo, EpochStats, Observer};

/// Least time between two "batch" events.
pub const BATCH_EVERY: Duration = Duration::from_millis(400);
/// Least time between two "view" events.
pub const VIEW_EVERY: Duration = Duration::from_millis(2000);
/// Test samples used for the confusion matrix and the dead-unit check.
pub const PROBE: usize = 1000;
/// Digits in the grid.
pub const GRID: usize = 24;
/// First-layer units drawn as weight images.
pub const WEIGHT_IMAGES: usize = 16;
/// Units per layer in the network drawing.
pub const DRAWN_UNITS: usize = 12;

/// The facts of a run shown at the top of the page.
#[derive(Clone, Debug, serde::Serialize)]
pub struct RunFacts {
    pub dataset: String,
    pub layers: Vec<usize>,
    pub hidden: String,
    pub output: String,
    pub loss: String,
    pub optimizer: String,
    pub lr: f32,
    pub schedule: String,
    pub batch_size: usize,
    pub epochs: usize,
    pub train_samples: usize,
}

/// Which pictures suit the data.
enum Kind {
    /// 28×28 inputs and classes: `probe` holds test samples, the first [`GRID`] are the grid.
    Images { probe: Matrix, labels: Vec<usize>, classes: usize },
    /// One input, one output: the curve over `xs`.
    Curve { xs: Matrix },
    /// One linear unit from one input: the line y = w·x + b.
    Line,
    /// Anything else: curves, facts and hints only.
    Plain,
}

/// The observer that feeds a [`Dashboard`].
pub struct Watch {
    dashboard: Dashboard,
    kind: Kind,
    facts: RunFacts,
    pixel_scale: f32,
    started: Instant,
    last_batch: Option<Instant>,
    last_view: Option<Instant>,
    /// Losses and correct counts since the last "batch" event.
    pending: (f64, usize, usize, usize),
    samples_seen: usize,
    step: usize,
    diagnosis: Diagnosis,
    /// Slows a run down so a person can watch it (lessons finish in a second otherwise).
    pace: Option<Duration>,
    view_every: Duration,
}

impl Watch {
    /// Starts watching a run of `facts` on `train`, with `shown` (test or validation data) for
    /// the pictures; sends the "setup" event.
    pub fn new(dashboard: Dashboard, facts: RunFacts, train: &Dataset, shown: Option<&Dataset>) -> Watch {
        let pixel_scale = match &train.inputs {
            Features::U8 { scale, .. } => *scale,
            Features::F32(_) => 1.0,
        };
        let shown = shown.unwrap_or(train);
        let (n_in, n_out) = (facts.layers[0], facts.layers[facts.layers.len() - 1]);
        let mut setup = json!({
            "facts": facts,
            "class_names": train.class_names,
            "accuracy": train.task != Task::Regression,
        });
        let kind = if let (784, Task::Classes(classes)) = (n_in, shown.task) {
            let count = shown.len().min(PROBE);
            let indices: Vec<usize> = (0..count).collect();
            let probe = shown.inputs.gather(&indices);
            let labels: Vec<usize> = (0..count).map(|r| shown.targets.argmax_row(r)).collect();
            let grid: Vec<Vec<u8>> =
                (0..count.min(GRID)).map(|r| to_bytes(probe.row(r), pixel_scale)).collect();
            setup["kind"] = json!("images");
            setup["grid"] = json!({ "images": grid, "labels": &labels[..grid.len()] });
            Kind::Images { probe, labels, classes }
        } else if n_in == 1 && n_out == 1 {
            let inputs = shown.inputs.to_matrix();
            let points: Vec<[f32; 2]> =
                (0..shown.len()).map(|r| [inputs.get(r, 0), shown.targets.get(r, 0)]).collect();
            let (lo, hi) =
                points.iter().fold((f32::MAX, f32::MIN), |(lo, hi), p| (lo.min(p[0]), hi.max(p[0])));
            let xs: Vec<f32> = (0..=100).map(|i| lo + (hi - lo) * i as f32 / 100.0).collect();
            setup["points"] = json!(points);
            if facts.layers.len() == 2 && facts.output == "identity" {
                setup["kind"] = json!("line");
                setup["contour"] = cost_grid(&points);
                Kind::Line
            } else {
                setup["kind"] = json!("curve");
                Kind::Curve { xs: Matrix::from_vec(xs.len(), 1, xs).expect("101 values") }
            }
        } else {
            setup["kind"] = json!("plain");
            Kind::Plain
        };
        dashboard.publish("setup", setup);
        let diagnosis = Diagnosis::new(facts.lr, facts.hidden == "relu", facts.epochs);
        Watch {
            dashboard,
            kind,
            facts,
            pixel_scale,
            started: Instant::now(),
            last_batch: None,
            last_view: None,
            pending: (0.0, 0, 0, 0),
            samples_seen: 0,
            step: 0,
            diagnosis,
            pace: None,
            view_every: VIEW_EVERY,
        }
    }

    /// Sends views at most every `every` (default [`VIEW_EVERY`]; a lesson's line is cheap).
    pub fn with_view_every(mut self, every: Duration) -> Watch {
        self.view_every = every;
        self
    }

    /// Waits `pause` after every epoch, so that a fast run (a lesson) can be watched.
    pub fn with_pace(mut self, pause: Duration) -> Watch {
        self.pace = Some(pause);
        self
    }

    /// Sends the latest pictures now (also called at the end of the run).
    pub fn send_view(&mut self, net: &Network) {
        self.last_view = Some(Instant::now());
        let mut view = json!({ "network": drawing(net) });
        match &self.kind {
            Kind::Images { probe, labels, classes } => {
                let (view_images, dead) = images_view(net, probe, labels, *classes);
                view["images"] = view_images;
                for (layer, fraction) in dead {
                    self.diagnosis.dead_units(layer, fraction, &self.dashboard);
                }
                self.dashboard.set_network(Arc::new(net.clone()), self.pixel_scale);
            }
            Kind::Curve { xs } => view["curve"] = curve_view(net, xs),
            Kind::Line => {
                let layer = &net.layers()[0];
                view["line"] = json!({ "w": layer.weight.value.get(0, 0), "b": layer.bias.value.get(0, 0) });
            }
            Kind::Plain => {}
        }
        self.dashboard.publish("view", view);
    }

    /// The page's address.
    pub fn url(&self) -> String {
        self.dashboard.url()
    }

    /// Tells the page the run is over (`message` says how: a `dash.done.*` message, which the
    /// page shows in the reader's language), with the final pictures.
    pub fn finish(&mut self, net: &Network, message: &Message) {
        self.send_view(net);
        let mut done = rendered(self.dashboard.lang(), &[("message", message)]);
        done.insert("failed".into(), json!(false));
        done.insert("seconds".into(), json!(self.started.elapsed().as_secs_f64()));
        self.dashboard.publish("done", Value::Object(done));
    }

    /// Tells the page a `train` run is over, with its held-out accuracy if it has one.
    pub fn finish_training(&mut self, net: &Network, accuracy: Option<f32>) {
        let message = match accuracy {
            Some(a) => msg!("dash.done.accuracy", accuracy = format!("{:.2}", 100.0 * a)),
            None => msg!("dash.done.finished"),
        };
        self.finish(net, &message);
    }

    /// Tells the page the loss became NaN or infinite, and what to do.
    pub fn diverged(&mut self, epoch: usize, batch: usize, loss: f32) {
        let lr = self.facts.lr / 10.0;
        let parts = [
            ("title", &msg!("dash.hint.diverged.title", loss = loss, epoch = epoch, batch = batch)),
            ("text", &msg!("dash.hint.diverged.text")),
            ("fix", &msg!("dash.hint.diverged.fix", lr = lr)),
        ];
        publish_hint(&self.dashboard, "diverged", "error", &parts);
        let mut done = rendered(self.dashboard.lang(), &[("message", &msg!("dash.done.diverged"))]);
        done.insert("failed".into(), json!(true));
        done.insert("seconds".into(), json!(self.started.elapsed().as_secs_f64()));
        self.dashboard.publish("done", Value::Object(done));
    }
}

impl Observer for Watch {
    fn on_batch(&mut self, info: &BatchInfo, net: &Network) {
        self.step += 1;
        self.samples_seen += info.samples;
        let (loss_sum, correct, samples, batches) = &mut self.pending;
        *loss_sum += f64::from(info.loss) * info.samples as f64;
        *correct += info.correct.unwrap_or(0);
        *samples += info.samples;
        *batches += 1;
        self.diagnosis.batch(info.loss, info.batches_per_epoch, &self.dashboard);
        let now = Instant::now();
        let last = info.batch + 1 == info.batches_per_epoch;
        if self.last_batch.is_none_or(|t| now - t >= BATCH_EVERY) || last {
            self.last_batch = Some(now);
            let elapsed = self.started.elapsed().as_secs_f64();
            let total = self.facts.train_samples * self.facts.epochs;
            let rate = self.samples_seen as f64 / elapsed.max(1e-9);
            let (loss_sum, correct, samples, _) = std::mem::take(&mut self.pending);
            self.dashboard.publish(
                "batch",
                json!({
                    "step": self.step,
                    "epoch": info.epoch,
                    "progress": info.epoch as f64 - 1.0 + (info.batch + 1) as f64 / info.batches_per_epoch as f64,
                    "loss": loss_sum / samples as f64,
                    "accuracy": info.correct.map(|_| correct as f64 / samples as f64),
                    "lr": info.lr,
                    "samples_per_second": rate,
                    "eta_seconds": (total.saturating_sub(self.samples_seen)) as f64 / rate.max(1e-9),
                }),
            );
        }
        if self.last_view.is_none_or(|t| now - t >= self.view_every) {
            self.send_view(net);
        }
    }

    fn on_epoch(&mut self, stats: &EpochStats, net: &Network) {
        // at most about 200 points per curve: a lesson of 5000 epochs sends every 25th
        let every = self.facts.epochs.div_ceil(200).max(1);
        if stats.epoch.is_multiple_of(every) || stats.epoch == self.facts.epochs {
            self.dashboard.publish("epoch", json!(stats));
        }
        self.diagnosis.epoch(stats, &self.dashboard);
        if stats.epoch == self.facts.epochs || self.last_view.is_none_or(|t| t.elapsed() >= self.view_every) {
            self.send_view(net);
        }
        if let Some(pause) = self.pace {
            std::thread::sleep(pause);
        }
    }
}

/// Floats back to the bytes they were scaled from (for drawing).
fn to_bytes(row: &[f32], scale: f32) -> Vec<u8> {
    row.iter().map(|&v| (v / scale).round().clamp(0.0, 255.0) as u8).collect()
}

/// Rounds to 4 significant decimals for the page (smaller JSON, same picture).
fn r4(v: f32) -> f64 {
    (f64::from(v) * 1e4).round() / 1e4
}

/// Predictions for the grid, the confusion matrix on the probe, the first layer's weights as
/// images, and for the explanation the last hidden layer of each grid digit. Also returns, for
/// each ReLU layer, the fraction of units that never fired on the probe.
fn images_view(
    net: &Network,
    probe: &Matrix,
    labels: &[usize],
    classes: usize,
) -> (Value, Vec<(usize, f32)>) {
    let layers = net.layers();
    let mut h = probe.clone();
    let mut last_hidden = Matrix::zeros(0, 0);
    let mut dead = Vec::new();
    for (i, (layer, activation)) in layers.iter().zip(net.activations()).enumerate() {
        if i + 1 == layers.len() {
            last_hidden = h.clone();
        }
        h = layer.apply(&h);
        activation.forward(&mut h);
        if *activation == Activation::Relu && i + 1 < layers.len() {
            let silent = (0..h.cols()).filter(|&c| (0..h.rows()).all(|r| h.get(r, c) <= 0.0)).count();
            dead.push((i + 1, silent as f32 / h.cols() as f32));
        }
    }
    let mut confusion = vec![vec![0usize; classes]; classes];
    for (r, &label) in labels.iter().enumerate() {
        confusion[label][h.argmax_row(r).min(classes - 1)] += 1;
    }
    let correct: usize = (0..classes).map(|c| confusion[c][c]).sum();
    let grid = labels.len().min(GRID);
    let predictions: Vec<Value> = (0..grid)
        .map(|r| json!({ "class": h.argmax_row(r), "probs": h.row(r).iter().map(|&p| r4(p)).collect::<Vec<_>>() }))
        .collect();
    let first = &layers[0].weight.value; // 784 × n_out
    let shown = first.cols().min(WEIGHT_IMAGES);
    let weights: Vec<Vec<f64>> =
        (0..shown).map(|u| (0..first.rows()).map(|i| r4(first.get(i, u))).collect()).collect();
    let out = &layers[layers.len() - 1];
    let explain = json!({
        "hidden": (0..grid).map(|r| last_hidden.row(r).iter().map(|&v| r4(v)).collect::<Vec<_>>()).collect::<Vec<_>>(),
        "weight": (0..out.weight.value.rows()).map(|i| out.weight.value.row(i).iter().map(|&v| r4(v)).collect::<Vec<_>>()).collect::<Vec<_>>(),
        "bias": out.bias.value.as_slice().iter().map(|&v| r4(v)).collect::<Vec<_>>(),
        "output": net.output_activation().name(),
    });
    let view = json!({
        "predictions": predictions,
        "confusion": confusion,
        "probe_accuracy": correct as f64 / labels.len().max(1) as f64,
        "probe_size": labels.len(),
        "first_weights": weights,
        "explain": explain,
    });
    (view, dead)
}

/// The output over `xs`, and each first-layer unit's output.
fn curve_view(net: &Network, xs: &Matrix) -> Value {
    let y = net.predict(xs);
    let layers = net.layers();
    let mut first = layers[0].apply(xs);
    net.activations()[0].forward(&mut first);
    let units = first.cols().min(8);
    json!({
        "xs": xs.as_slice().iter().map(|&v| r4(v)).collect::<Vec<_>>(),
        "output": y.as_slice().iter().map(|&v| r4(v)).collect::<Vec<_>>(),
        "hidden": if layers.len() > 1 {
            (0..units).map(|u| (0..xs.rows()).map(|r| r4(first.get(r, u))).collect::<Vec<_>>()).collect::<Vec<_>>()
        } else {
            Vec::new()
        },
    })
}

/// The mean squared error of the line y = w·x + b over a grid of (w, b), for the contour.
fn cost_grid(points: &[[f32; 2]]) -> Value {
    // centred on the least-squares line, so the valley is in view whatever the data's scale
    let count = points.len().max(1) as f64;
    let mean = |k: usize| points.iter().map(|p| f64::from(p[k])).sum::<f64>() / count;
    let (mx, my) = (mean(0), mean(1));
    let sxx: f64 = points.iter().map(|p| (f64::from(p[0]) - mx).powi(2)).sum();
    let sxy: f64 = points.iter().map(|p| (f64::from(p[0]) - mx) * (f64::from(p[1]) - my)).sum();
    let w_best = if sxx > 0.0 { sxy / sxx } else { 0.0 };
    let b_best = my - w_best * mx;
    let (n, w_range, b_range) = (40, (w_best - 1.5, w_best + 1.5), (b_best - 1.25, b_best + 1.25));
    let at = |range: (f64, f64), i: usize| range.0 + (range.1 - range.0) * i as f64 / (n - 1) as f64;
    let values: Vec<Vec<f64>> = (0..n)
        .map(|j| {
            (0..n)
                .map(|i| {
                    let (w, b) = (at(w_range, i), at(b_range, j));
                    let sum: f64 =
                        points.iter().map(|p| (f64::from(p[1]) - (w * f64::from(p[0]) + b)).powi(2)).sum();
                    sum / points.len() as f64
                })
                .collect()
        })
        .collect();
    json!({ "w": w_range, "b": b_range, "n": n, "values": values })
}

/// A few units of each layer (evenly spread) and the weights between them.
fn drawing(net: &Network) -> Value {
    let sizes = net.sizes();
    let pick = |size: usize| -> Vec<usize> {
        if size <= DRAWN_UNITS {
            (0..size).collect()
        } else {
            (0..DRAWN_UNITS).map(|k| k * (size - 1) / (DRAWN_UNITS - 1)).collect()
        }
    };
    let mut units: Vec<Vec<usize>> = sizes.iter().map(|&s| pick(s)).collect();
    if sizes[0] == 28 * 28 {
        // pixels down the middle column of the image, where the digits are, not the blank border
        units[0] = (0..DRAWN_UNITS).map(|k| (4 + k * 20 / (DRAWN_UNITS - 1)) * 28 + 14).collect();
    }
    let weights: Vec<Vec<Vec<f64>>> = net
        .layers()
        .iter()
        .enumerate()
        .map(|(l, layer)| {
            units[l]
                .iter()
                .map(|&i| units[l + 1].iter().map(|&j| r4(layer.weight.value.get(i, j))).collect())
                .collect()
        })
        .collect();
    let biases: Vec<Vec<f64>> = net
        .layers()
        .iter()
        .enumerate()
        .map(|(l, layer)| units[l + 1].iter().map(|&j| r4(layer.bias.value.get(0, j))).collect())
        .collect();
    json!({ "sizes": sizes, "units": units, "weights": weights, "biases": biases })
}

/// The answer to a drawn digit: the 28×28 input after MNIST-style preparation (inverted if
/// light, cropped, fitted into 20×20 and centred, as `predict` does), the class probabilities
/// and every layer's activations.
///
/// # Errors
/// A message if the drawing is empty.
pub fn answer_digit(net: &Network, grey: &[u8], side: usize, pixel_scale: f32) -> Result<Value, String> {
    let image = crate::data::image::Grey { width: side, height: side, pixels: grey.to_vec() };
    let digit = crate::data::image::to_mnist(&image)?;
    let x = Matrix::from_vec(1, digit.len(), digit.iter().map(|&b| f32::from(b) * pixel_scale).collect())
        .expect("784 values");
    let mut h = x;
    let mut activations = Vec::new();
    for (layer, activation) in net.layers().iter().zip(net.activations()) {
        h = layer.apply(&h);
        activation.forward(&mut h);
        activations.push(h.as_slice().iter().map(|&v| r4(v)).collect::<Vec<_>>());
    }
    Ok(
        json!({ "input": digit, "probs": activations.last().cloned().unwrap_or_default(), "activations": activations }),
    )
}

/// Rules that watch a run and say in plain words what looks wrong, with the fix. Each rule
/// speaks once (until its condition has cleared for a while).
pub struct Diagnosis {
    lr: f32,
    relu: bool,
    /// Epochs the run will have: "no progress" is judged over a twentieth of them (at least 2).
    epochs_planned: usize,
    /// Sum and count of the batch losses in the current window, and each full window's mean.
    window: (f64, usize),
    means: Vec<f64>,
    epochs: Vec<EpochStats>,
    said: Vec<&'static str>,
}

impl Diagnosis {
    pub fn new(lr: f32, relu: bool, epochs_planned: usize) -> Diagnosis {
        Diagnosis {
            lr,
            relu,
            epochs_planned,
            window: (0.0, 0),
            means: Vec::new(),
            epochs: Vec::new(),
            said: Vec::new(),
        }
    }

    /// Sends a hint for `rule`, unless the rule has spoken already.
    fn say(
        &mut self,
        dashboard: &Dashboard,
        rule: &'static str,
        level: &str,
        [title, text, fix]: [Message; 3],
    ) {
        if self.said.contains(&rule) {
            return;
        }
        self.said.push(rule);
        publish_hint(dashboard, rule, level, &[("title", &title), ("text", &text), ("fix", &fix)]);
    }

    /// After each batch: is the loss rising? Batch losses are noisy (each batch is different
    /// data), so they are averaged over windows of an epoch's batches (20 to 200): the rule
    /// speaks when three window means in a row went up, to 1.5 times the lowest.
    pub fn batch(&mut self, loss: f32, batches_per_epoch: usize, dashboard: &Dashboard) {
        let (sum, count) = &mut self.window;
        *sum += f64::from(loss);
        *count += 1;
        if *count < batches_per_epoch.clamp(20, 200) {
            return;
        }
        let mean = *sum / *count as f64;
        self.window = (0.0, 0);
        self.means.push(mean);
        let m = &self.means;
        let lowest = m.iter().copied().fold(f64::MAX, f64::min);
        // a change matters if it is large next to what training has achieved so far (near the
        // end, tiny losses wobble by large factors without anything being wrong)
        let progress = m[0] - lowest;
        let rising = m.len() >= 4 && m[m.len() - 4..].windows(2).all(|w| w[1] > w[0]);
        let recent = &m[m.len().saturating_sub(7)..];
        let turns = recent.windows(3).filter(|w| (w[1] - w[0]) * (w[2] - w[1]) < 0.0).count();
        let (lo, hi) = recent.iter().fold((f64::MAX, f64::MIN), |(lo, hi), &v| (lo.min(v), hi.max(v)));
        let trend_down =
            recent.len() == 7 && recent[4..].iter().sum::<f64>() < 0.8 * recent[..3].iter().sum::<f64>();
        if recent.len() == 7 && turns >= 4 && hi - lo > 0.3 * hi && hi - lo > 0.1 * progress && !trend_down {
            let lr = self.lr;
            self.say(
                dashboard,
                "oscillating",
                "warning",
                [
                    msg!("dash.hint.oscillating.title", lo = format!("{lo:.3}"), hi = format!("{hi:.3}")),
                    msg!("dash.hint.oscillating.text"),
                    msg!("dash.hint.oscillating.fix", lr = lr / 3.0, current = lr),
                ],
            );
        }
        if rising && mean > 1.5 * lowest && mean - lowest > 0.1 * progress {
            let lr = self.lr;
            self.say(
                dashboard,
                "rising",
                "warning",
                [
                    msg!(
                        "dash.hint.rising.title",
                        now = format!("{mean:.3}"),
                        lowest = format!("{lowest:.3}")
                    ),
                    msg!("dash.hint.rising.text"),
                    msg!("dash.hint.rising.fix", lr = lr / 3.0, current = lr),
                ],
            );
        }
    }

    /// After each epoch: over-fitting, or no progress at all.
    pub fn epoch(&mut self, stats: &EpochStats, dashboard: &Dashboard) {
        self.epochs.push(stats.clone());
        let n = self.epochs.len();
        if n >= 4 {
            let last = &self.epochs[n - 4..];
            let val_up = last
                .windows(2)
                .all(|w| matches!((w[0].val_loss, w[1].val_loss), (Some(a), Some(b)) if b > a));
            let train_down = last.windows(2).all(|w| w[1].train_loss < w[0].train_loss);
            let since = last[0].epoch;
            if val_up && train_down {
                self.say(
                    dashboard,
                    "overfitting",
                    "warning",
                    [
                        msg!("dash.hint.overfitting.title", epoch = since),
                        msg!("dash.hint.overfitting.text"),
                        msg!("dash.hint.overfitting.fix", epoch = since),
                    ],
                );
            }
        }
        let span = (self.epochs_planned / 20).max(2);
        if n > span {
            let (before, now) = (self.epochs[n - 1 - span].train_loss, self.epochs[n - 1].train_loss);
            let best = self.epochs.iter().map(|e| e.train_loss).fold(f32::MAX, f32::min);
            let rose = n >= 4
                && self.epochs[n - 4..].windows(2).all(|w| w[1].train_loss > w[0].train_loss)
                && now > 1.5 * best
                && now - best > 0.1 * (self.epochs[0].train_loss - best);
            if rose {
                let lr = self.lr;
                self.say(
                    dashboard,
                    "rising",
                    "warning",
                    [
                        msg!(
                            "dash.hint.rising.epochs-title",
                            now = format!("{now:.4}"),
                            lowest = format!("{best:.4}")
                        ),
                        msg!("dash.hint.rising.text"),
                        msg!("dash.hint.rising.fix", lr = lr / 3.0, current = lr),
                    ],
                );
            }
            // stuck, not finished: classes still mostly wrong, or (no accuracy) the loss still
            // above half of the first epoch's
            let stuck = match stats.train_accuracy {
                Some(accuracy) => accuracy < 0.9,
                None => now > 0.5 * self.epochs[0].train_loss,
            };
            if before.is_finite() && (before - now).abs() < 0.01 * before.abs() && stuck {
                let fix = if self.relu {
                    msg!("dash.hint.plateau.fix-relu", lr = self.lr)
                } else {
                    msg!("dash.hint.plateau.fix", lr = self.lr)
                };
                let (before, now) = (format!("{before:.4}"), format!("{now:.4}"));
                self.say(
                    dashboard,
                    "plateau",
                    "info",
                    [
                        msg!("dash.hint.plateau.title", span = span, before = before, now = now),
                        msg!("dash.hint.plateau.text"),
                        fix,
                    ],
                );
            }
        }
    }

    /// From a view: the share of a ReLU layer's units that never fired on the probe samples.
    pub fn dead_units(&mut self, layer: usize, fraction: f32, dashboard: &Dashboard) {
        if fraction > 0.5 {
            self.say(
                dashboard,
                "dead-relu",
                "warning",
                [
                    msg!(
                        "dash.hint.dead-relu.title",
                        percent = format!("{:.0}", 100.0 * fraction),
                        layer = layer
                    ),
                    msg!("dash.hint.dead-relu.text"),
                    msg!("dash.hint.dead-relu.fix", lr = self.lr / 10.0),
                ],
            );
        }
    }
}

/// Sends a "hint" event: `parts` (title, text, fix) in the run's language and as keys.
fn publish_hint(dashboard: &Dashboard, rule: &str, level: &str, parts: &[(&str, &Message)]) {
    let mut hint = rendered(dashboard.lang(), parts);
    hint.insert("rule".into(), json!(rule));
    hint.insert("level".into(), json!(level));
    dashboard.publish("hint", Value::Object(hint));
}

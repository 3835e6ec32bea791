//! Lesson `hidden-layer` (tutorial 000): two sigmoid edges make a hill.
//!
//! "Hill" beans are toxic only in a middle band of sizes. One sigmoid neuron can only say
//! "bigger is more toxic" (or less): one edge. A hidden layer of two gives two edges, one
//! rising and one falling, and the output neuron combines them into a bump. The tutorial's
//! recipe: 1-2-1 network, sigmoid everywhere, weights and biases ~ U(0, 1), squared error,
//! per-sample SGD in the beans' (sorted) order, lr 0.03, 5000 epochs, redrawing every 100.
//! The tutorial writes out all seven derivatives by hand; here the library's general backward
//! pass computes them, and `fit` runs the same loop.

use std::io::{self, Write};

use super::{LessonOptions, out_err, write_lines};
use crate::activation::{Activation, sigmoid};
use crate::data::{Dataset, beans};
use crate::i18n::list_and;
use crate::layer::Init;
use crate::loss::Loss;
use crate::network::Network;
use crate::rng::Rng;
use crate::tensor::Matrix;
use crate::train::{self, EpochStats, Observer, Order, TrainConfig};
use crate::{Error, t};

/// The training watched in the browser (feature `dashboard`).
#[cfg(feature = "dashboard")]
mod live;
/// The animation, the final fit and the loss curve (feature `plot`).
#[cfg(feature = "plot")]
mod pictures;
#[cfg(feature = "dashboard")]
pub use live::train_watched;

/// The tutorial's number of epochs.
pub const EPOCHS: usize = 5000;
/// A snapshot of the curve every this many epochs (the tutorial redraws every 100).
pub const SNAPSHOT_EVERY: usize = 100;
/// The number of beans.
pub const BEANS: usize = 100;
/// The tutorial's learning rate.
pub const LR: f32 = 0.03;
/// Points across x ∈ [0, 2] where curves are drawn.
const CURVE_POINTS: usize = 201;

/// The network's curves at one moment.
#[derive(Clone, Debug)]
pub struct Snapshot {
    pub epoch: usize,
    pub loss: f32,
    /// (x, prediction) across [0, 2].
    pub output: Vec<(f64, f64)>,
    /// (x, h_j) across [0, 2] for each hidden neuron j.
    pub hidden: [Vec<(f64, f64)>; 2],
}

/// A trained run: the network, the loss after every epoch, and the snapshots.
pub struct Outcome {
    pub net: Network,
    pub data: Dataset,
    pub losses: Vec<f32>,
    pub snapshots: Vec<Snapshot>,
}

/// What one hidden neuron learned: h = σ(w·x + b), which switches at x = −b/w.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Edge {
    pub w: f64,
    pub b: f64,
}

impl Edge {
    /// Where σ(w·x + b) = 0.5.
    pub fn switch_at(self) -> f64 {
        -self.b / self.w
    }

    /// Half the width over which the neuron goes from 12% to 88% (z from −2 to 2): 2/|w|.
    pub fn half_width(self) -> f64 {
        2.0 / self.w.abs()
    }

    pub fn rising(self) -> bool {
        self.w > 0.0
    }
}

/// The tutorial's network: 1-2-1, sigmoid, weights and biases ~ U(0, 1).
pub fn network(rng: &mut Rng) -> Network {
    let mut net = Network::new(&[1, 2, 1], Activation::Sigmoid, Activation::Sigmoid, Init::Uniform, rng)
        .expect("valid sizes");
    for layer in net.layers_mut() {
        layer.bias.value.as_mut_slice().iter_mut().for_each(|b| *b = rng.uniform() as f32);
    }
    net
}

/// The two hidden neurons' (w, b).
pub fn edges(net: &Network) -> [Edge; 2] {
    let hidden = &net.layers()[0];
    let edge =
        |j| Edge { w: f64::from(hidden.weight.value.get(0, j)), b: f64::from(hidden.bias.value.get(0, j)) };
    [edge(0), edge(1)]
}

/// The network's curves across x ∈ [0, 2] (the web page's hand mode draws them too).
pub fn snapshot(net: &Network, epoch: usize, loss: f32) -> Snapshot {
    let xs: Vec<f32> = (0..CURVE_POINTS).map(|i| 2.0 * i as f32 / (CURVE_POINTS - 1) as f32).collect();
    let x = Matrix::from_vec(CURVE_POINTS, 1, xs.clone()).expect("one column");
    let output = net.predict(&x);
    let [e0, e1] = edges(net);
    let curve = |e: Edge| {
        xs.iter().map(|&x| (f64::from(x), f64::from(sigmoid((e.w * f64::from(x) + e.b) as f32)))).collect()
    };
    Snapshot {
        epoch,
        loss,
        output: xs.iter().enumerate().map(|(i, &x)| (f64::from(x), f64::from(output.get(i, 0)))).collect(),
        hidden: [curve(e0), curve(e1)],
    }
}

struct Watcher<'a> {
    data: &'a Dataset,
    losses: Vec<f32>,
    snapshots: Vec<Snapshot>,
}

impl Observer for Watcher<'_> {
    fn on_epoch(&mut self, stats: &EpochStats, net: &Network) {
        let loss = train::evaluate(net, self.data, Loss::Mse).expect("the network fits the data").loss;
        self.losses.push(loss);
        if stats.epoch.is_multiple_of(SNAPSHOT_EVERY) {
            self.snapshots.push(snapshot(net, stats.epoch, loss));
        }
    }
}

/// The tutorial's starting point: the beans, the untrained network, the settings, and the
/// random stream that made them (it goes on to order nothing: the beans stay sorted).
struct Start {
    rng: Rng,
    data: Dataset,
    net: Network,
    config: TrainConfig,
}

fn start(seed: u64, epochs: usize) -> Start {
    let mut rng = Rng::new(seed);
    let data = beans::hill(BEANS, &mut rng);
    let net = network(&mut rng);
    let mut config = TrainConfig::new(Loss::Mse, LR);
    (config.batch_size, config.epochs, config.order) = (1, epochs, Order::AsGiven);
    Start { rng, data, net, config }
}

/// Trains from `start`, recording the losses and snapshots, with `also` watching too.
fn train_from(start: Start, also: &mut dyn Observer) -> Result<Outcome, Error> {
    let Start { mut rng, data, mut net, config } = start;
    let loss = train::evaluate(&net, &data, Loss::Mse)?.loss;
    let mut watcher = Watcher { data: &data, losses: Vec::new(), snapshots: vec![snapshot(&net, 0, loss)] };
    train::fit(&mut net, &data, None, &config, &mut rng, &mut (&mut watcher, also))?;
    let Watcher { losses, snapshots, .. } = watcher;
    Ok(Outcome { net, data, losses, snapshots })
}

/// Trains the tutorial's network for `epochs` on 100 hill beans made with `seed`.
///
/// # Errors
/// [`Error::Config`] if `epochs` is 0.
pub fn train(seed: u64, epochs: usize) -> Result<Outcome, Error> {
    train_from(start(seed, epochs), &mut ())
}

/// Trains as `options` ask: watched in the browser when they carry a dashboard.
fn train_as_asked(options: &LessonOptions, epochs: usize) -> Result<Outcome, Error> {
    #[cfg(feature = "dashboard")]
    if let Some(dashboard) = &options.dashboard {
        return train_watched(options.seed, epochs, dashboard);
    }
    train(options.seed, epochs)
}

/// The x intervals of [0, 2] where the final prediction is above 0.5.
fn toxic_intervals(snapshot: &Snapshot) -> Vec<(f64, f64)> {
    let mut intervals = Vec::new();
    let mut start = None;
    for &(x, y) in &snapshot.output {
        match (y > 0.5, start) {
            (true, None) => start = Some(x),
            (false, Some(s)) => {
                intervals.push((s, x));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        intervals.push((s, 2.0));
    }
    intervals
}

/// Trains, prints the loss every 500 epochs, the accuracy and what each neuron learned.
pub fn run(options: &LessonOptions, out: &mut dyn Write) -> Result<(), Error> {
    let epochs = options.epochs.unwrap_or(EPOCHS);
    introduce(options.seed, epochs, out).map_err(out_err)?;
    let outcome = train_as_asked(options, epochs)?;
    let accuracy = train::evaluate(&outcome.net, &outcome.data, Loss::Mse)?.accuracy.unwrap_or(0.0);
    progress(&outcome, epochs, accuracy, out).map_err(out_err)?;
    explain(&outcome, out).map_err(out_err)?;
    #[cfg(feature = "plot")]
    super::pictures(options, out, "hidden-layer", |dir| pictures::write(&outcome, dir))?;
    Ok(())
}

/// The beans and the tutorial's recipe.
fn introduce(seed: u64, epochs: usize, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}", t!("lesson.hidden-layer.title", seed = seed))?;
    writeln!(out, "  {}", t!("lesson.hidden-layer.beans", n = BEANS))?;
    writeln!(out, "  {}", t!("lesson.hidden-layer.network", lr = LR, epochs = epochs))?;
    writeln!(out)
}

/// The loss every 500 epochs (or a tenth of a shorter run), then the accuracy, and a note when
/// the run did not find the hill.
fn progress(outcome: &Outcome, epochs: usize, accuracy: f32, out: &mut dyn Write) -> io::Result<()> {
    let print_every = (epochs / 10).clamp(1, 500);
    for (i, loss) in outcome.losses.iter().enumerate() {
        let epoch = i + 1;
        if epoch.is_multiple_of(print_every) || epoch == epochs {
            let (epoch, loss) = (format!("{epoch:>5}"), format!("{loss:.5}"));
            writeln!(out, "{}", t!("lesson.hidden-layer.epoch", epoch = epoch, loss = loss))?;
        }
    }
    writeln!(out)?;
    let percent = format!("{:.1}", 100.0 * accuracy);
    writeln!(out, "{}", t!("lesson.hidden-layer.accuracy", percent = percent))?;
    if accuracy < 0.95 {
        write_lines(out, "", t!("lesson.hidden-layer.stuck"))?;
    }
    Ok(())
}

/// What each hidden neuron learned (an edge: where it switches, and which way), how the
/// output combines them, and where the network now says "toxic".
fn explain(outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out)?;
    writeln!(out, "{}", t!("lesson.hidden-layer.learned"))?;
    for (j, edge) in edges(&outcome.net).into_iter().enumerate() {
        let direction =
            if edge.rising() { t!("lesson.hidden-layer.rising") } else { t!("lesson.hidden-layer.falling") };
        let line = t!(
            "lesson.hidden-layer.edge",
            j = j + 1,
            sum = format!("{}·x {}", first(edge.w), signed(edge.b)),
            at = format!("{:.3}", edge.switch_at()),
            direction = direction,
            half = format!("{:.3}", edge.half_width())
        );
        writeln!(out, "  {line}")?;
    }
    let output = &outcome.net.layers()[1];
    let (v1, v2, c) =
        (output.weight.value.get(0, 0), output.weight.value.get(1, 0), output.bias.value.get(0, 0));
    let sum = format!("{}·h1 {}·h2 {}", first(f64::from(v1)), signed(f64::from(v2)), signed(f64::from(c)));
    writeln!(out, "  {}", t!("lesson.hidden-layer.output", sum = sum))?;
    let last = outcome.snapshots.last().expect("at least the start");
    let intervals: Vec<String> =
        toxic_intervals(last).iter().map(|(a, b)| format!("{a:.2} < x < {b:.2}")).collect();
    let said = if intervals.is_empty() {
        t!("lesson.hidden-layer.nowhere").to_string()
    } else {
        list_and(&intervals)
    };
    writeln!(out, "  {}", t!("lesson.hidden-layer.toxic", intervals = said))
}

/// `v` as the first term of a sum: "1.234" or "−1.234".
fn first(v: f64) -> String {
    signed(v).replacen("+ ", "", 1).replacen("− ", "−", 1)
}

/// `v` as "+ 1.234" or "− 1.234", for writing sums.
fn signed(v: f64) -> String {
    if v < 0.0 { format!("− {:.3}", -v) } else { format!("+ {v:.3}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edges_switch_where_the_sum_is_zero() {
        let e = Edge { w: 4.0, b: -2.0 };
        assert_eq!(e.switch_at(), 0.5);
        assert!(e.rising() && e.half_width() == 0.5);
    }

    #[test]
    fn intervals_of_a_bump() {
        let snap = Snapshot {
            epoch: 0,
            loss: 0.0,
            output: (0..=20)
                .map(|i| (f64::from(i) / 10.0, if (5..13).contains(&i) { 0.9 } else { 0.1 }))
                .collect(),
            hidden: [vec![], vec![]],
        };
        assert_eq!(toxic_intervals(&snap), vec![(0.5, 1.3)]);
    }
}

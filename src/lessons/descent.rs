//! Lesson `descent` (tutorial 004): four ways down the same hill.
//!
//! 100 "beans" (size x, toxicity y) lie near a line. Fitting y = w·x + b means finding the
//! (w, b) with the smallest cost e = (1/n) Σ (y − (w·x + b))². Gradient descent moves
//! against the slope ∂e/∂w = −(2/n) Σ x(y − ŷ), ∂e/∂b = −(2/n) Σ (y − ŷ); the four methods
//! differ in how many beans each step looks at, and in how far it moves:
//!
//! - stochastic: one bean per step (noisy, cheap steps);
//! - batch: all 100 beans per step (smooth, costly steps);
//! - mini-batch: 10 beans per step (between the two);
//! - fixed-step: all beans, but each parameter moves by a fixed ±step against the sign of its
//!   slope, whatever the slope's size.
//!
//! All four run on the library: a 1 → 1 `Dense` layer is exactly y = w·x + b, the loss is
//! [`Loss::Mse`], batch size picks the method, and fixed-step is [`Method::Sign`]. The
//! tutorial's own "batch" code still takes one bean per step (it sums over a single x); here
//! batch means the whole set.

use std::io::{self, Write};

use super::{LessonOptions, out_err, write_lines};
use crate::activation::Activation;
use crate::data::{Dataset, beans};
use crate::i18n::{self, pad_left, pad_right, width};
use crate::layer::Dense;
use crate::loss::Loss;
use crate::network::Network;
use crate::optim::Method;
use crate::rng::Rng;
use crate::tensor::Matrix;
use crate::train::{self, BatchInfo, Observer, Order, TrainConfig};
use crate::{Error, Schedule, t};

/// The same runs, replayed in the browser (feature `dashboard`).
#[cfg(feature = "dashboard")]
mod live;
/// The lines, the cost curves and the animations (feature `plot`).
#[cfg(feature = "plot")]
mod pictures;
#[cfg(feature = "dashboard")]
pub use live::show_all;
#[cfg(feature = "plot")]
pub use pictures::{bean_dots, frame_updates};

/// Where every method starts: the tutorial's w = 0.1, and b = 0.
pub const START: (f32, f32) = (0.1, 0.0);

/// One descent method's settings.
#[derive(Clone, Copy, Debug)]
pub struct Recipe {
    pub name: &'static str,
    pub batch_size: usize,
    pub method: Method,
    /// Learning rate, or the step for fixed-step descent.
    pub lr: f32,
    pub epochs: usize,
}

/// The four methods, tuned so that each ends within 1e-2 of the least-squares line.
pub const RECIPES: [Recipe; 4] = [
    Recipe { name: "stochastic", batch_size: 1, method: Method::Sgd, lr: 0.02, epochs: 40 },
    Recipe { name: "batch", batch_size: 100, method: Method::Sgd, lr: 0.5, epochs: 300 },
    Recipe { name: "mini-batch", batch_size: 10, method: Method::Sgd, lr: 0.1, epochs: 60 },
    Recipe { name: "fixed-step", batch_size: 100, method: Method::Sign, lr: 0.001, epochs: 800 },
];

/// What a run went through: (w, b) and the whole-set cost after every update (index 0 = start).
#[derive(Clone, Debug)]
pub struct Run {
    pub recipe: Recipe,
    pub path: Vec<(f64, f64)>,
    pub costs: Vec<f64>,
}

impl Run {
    /// Number of updates made.
    pub fn updates(&self) -> usize {
        self.path.len() - 1
    }

    /// The final (w, b).
    pub fn last(&self) -> (f64, f64) {
        self.path[self.path.len() - 1]
    }
}

/// The beans of the lesson for `seed`.
pub fn beans(seed: u64) -> Dataset {
    beans::line(100, &mut Rng::new(seed))
}

/// The exact least-squares line: w = cov(x, y) / var(x), b = ȳ − w·x̄ (in `f64`).
pub fn least_squares(data: &Dataset) -> (f64, f64) {
    let n = data.len() as f64;
    let inputs = data.inputs.to_matrix();
    let xs: Vec<f64> = inputs.as_slice().iter().map(|&v| f64::from(v)).collect();
    let ys: Vec<f64> = data.targets.as_slice().iter().map(|&v| f64::from(v)).collect();
    let (mx, my) = (xs.iter().sum::<f64>() / n, ys.iter().sum::<f64>() / n);
    let cov: f64 = xs.iter().zip(&ys).map(|(x, y)| (x - mx) * (y - my)).sum();
    let var: f64 = xs.iter().map(|x| (x - mx) * (x - mx)).sum();
    let w = cov / var;
    (w, my - w * mx)
}

/// The cost e(w, b) = (1/n) Σ (y − (w·x + b))² in `f64`.
pub fn cost(data: &Dataset, w: f64, b: f64) -> f64 {
    let inputs = data.inputs.to_matrix();
    let pairs = inputs.as_slice().iter().zip(data.targets.as_slice());
    pairs.map(|(&x, &y)| (f64::from(y) - (w * f64::from(x) + b)).powi(2)).sum::<f64>() / data.len() as f64
}

/// The line y = w·x + b as a library network: one `Dense` layer from 1 input to 1 output.
pub fn line_network(w: f32, b: f32) -> Network {
    let dense =
        Dense::from_params(Matrix::filled(1, 1, w), Matrix::filled(1, 1, b)).expect("1×1 weight and bias");
    Network::from_layers(vec![(dense, Activation::Identity)]).expect("one layer")
}

/// (w, b) of a [`line_network`].
pub fn line_params(net: &Network) -> (f64, f64) {
    let layer = &net.layers()[0];
    (f64::from(layer.weight.value.get(0, 0)), f64::from(layer.bias.value.get(0, 0)))
}

/// Records (w, b) and the cost after every update.
struct Recorder<'a> {
    data: &'a Dataset,
    path: Vec<(f64, f64)>,
    costs: Vec<f64>,
}

impl Observer for Recorder<'_> {
    fn on_batch(&mut self, _info: &BatchInfo, net: &Network) {
        let (w, b) = line_params(net);
        self.path.push((w, b));
        self.costs.push(cost(self.data, w, b));
    }
}

/// Runs one recipe from `start` on `data`, with `seed` for the shuffled order.
pub fn run_recipe(recipe: Recipe, data: &Dataset, start: (f32, f32), seed: u64) -> Run {
    run_recipe_watched(recipe, data, start, seed, &mut ())
}

fn run_recipe_watched(
    recipe: Recipe,
    data: &Dataset,
    start: (f32, f32),
    seed: u64,
    watch: &mut dyn Observer,
) -> Run {
    let mut net = line_network(start.0, start.1);
    let mut config = TrainConfig::new(Loss::Mse, recipe.lr);
    config.method = recipe.method;
    config.schedule = Schedule::Constant;
    config.batch_size = recipe.batch_size;
    config.epochs = recipe.epochs;
    config.order = Order::Shuffled;
    let (w0, b0) = (f64::from(start.0), f64::from(start.1));
    let mut recorder = Recorder { data, path: vec![(w0, b0)], costs: vec![cost(data, w0, b0)] };
    train::fit(&mut net, data, None, &config, &mut Rng::new(seed), &mut (&mut recorder, watch))
        .expect("fixed, valid settings on 1-D data");
    Run { recipe, path: recorder.path, costs: recorder.costs }
}

/// All four recipes on the lesson's beans.
pub fn run_all(data: &Dataset, seed: u64) -> Vec<Run> {
    RECIPES.iter().map(|&r| run_recipe(r, data, START, seed)).collect()
}

/// Prints the table and, with `--out`, writes the pictures.
pub fn run(options: &LessonOptions, out: &mut dyn Write) -> Result<(), Error> {
    let data = beans(options.seed);
    let runs = run_all(&data, options.seed);
    let exact = least_squares(&data);
    report(options.seed, &data, &runs, exact, out).map_err(out_err)?;
    #[cfg(feature = "dashboard")]
    if let Some(dashboard) = &options.dashboard {
        out.flush().map_err(out_err)?;
        show_all(&data, options.seed, dashboard); // the same four runs, replayed in the browser
    }
    #[cfg(feature = "plot")]
    super::pictures(options, out, "descent", |dir| pictures::write(&data, &runs, exact, dir))?;
    Ok(())
}

impl Recipe {
    /// The method's name in the current language (`name` stays the id, used in file names).
    pub fn label(&self) -> &'static str {
        i18n::text(&format!("lesson.descent.method.{}", self.name))
    }
}

/// The lesson's text: the beans, the four runs against the exact answer, and what they show.
fn report(seed: u64, data: &Dataset, runs: &[Run], exact: (f64, f64), out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}", t!("lesson.descent.title", seed = seed))?;
    writeln!(out, "  {}", t!("lesson.descent.beans", n = data.len()))?;
    writeln!(out, "  {}", t!("lesson.descent.fit", w = START.0, b = START.1))?;
    writeln!(out)?;
    table(data, runs, exact, out)?;
    writeln!(out)?;
    write_lines(out, "", t!("lesson.descent.moral"))
}

/// One row per method (beans per step, rate, updates, where it ended), then the exact line.
fn table(data: &Dataset, runs: &[Run], (w_ls, b_ls): (f64, f64), out: &mut dyn Write) -> io::Result<()> {
    let labels = [
        t!("lesson.descent.col.method"),
        t!("lesson.descent.col.beans"),
        t!("lesson.descent.col.lr"),
        t!("lesson.descent.col.updates"),
        t!("lesson.descent.col.cost"),
    ];
    // Each column as wide as its label, and at least as wide as the English one.
    let [method, beans, lr, updates] =
        [(0, 12), (1, 10), (2, 10), (3, 7)].map(|(i, min)| width(labels[i]).max(min));
    writeln!(
        out,
        "  {} {}  {}  {}        w         b{}",
        pad_right(labels[0], method),
        pad_left(labels[1], beans),
        pad_left(labels[2], lr),
        pad_left(labels[3], updates),
        pad_left(labels[4], 12)
    )?;
    for run in runs {
        let (w, b) = run.last();
        let r = run.recipe;
        writeln!(
            out,
            "  {} {:>beans$}  {:>lr$}  {:>updates$}  {w:>8.5}  {b:>8.5}  {:>10.7}",
            pad_right(r.label(), method),
            r.batch_size,
            r.lr,
            run.updates(),
            run.costs[run.costs.len() - 1]
        )?;
    }
    writeln!(
        out,
        "  {} {}  {:>lr$}  {:>updates$}  {w_ls:>8.5}  {b_ls:>8.5}  {:>10.7}",
        pad_right(t!("lesson.descent.least-squares"), method),
        pad_left(t!("lesson.descent.exact"), beans),
        "",
        "",
        cost(data, w_ls, b_ls)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_method_ends_near_the_least_squares_line() {
        let data = beans(42);
        let (w_ls, b_ls) = least_squares(&data);
        for run in run_all(&data, 42) {
            let (w, b) = run.last();
            assert!(
                (w - w_ls).abs() < 1e-2 && (b - b_ls).abs() < 1e-2,
                "{}: ({w}, {b}) vs ({w_ls}, {b_ls})",
                run.recipe.name
            );
            assert_eq!(run.costs.len(), run.path.len());
        }
    }

    #[test]
    fn every_method_has_a_label_in_every_language() {
        for lang in i18n::Lang::ALL {
            let labels = i18n::with_lang(lang, || RECIPES.map(|r| r.label()));
            assert!(labels.iter().all(|l| !l.is_empty()), "{lang}: {labels:?}");
        }
        assert_eq!(RECIPES.map(|r| r.label()), ["stochastic", "batch", "mini-batch", "fixed-step"]);
    }

    #[test]
    fn update_counts_follow_the_batch_size() {
        let data = beans(1);
        let runs = run_all(&data, 1);
        let updates: Vec<usize> = runs.iter().map(Run::updates).collect();
        assert_eq!(updates, [100 * 40, 300, 10 * 60, 800]);
    }
}

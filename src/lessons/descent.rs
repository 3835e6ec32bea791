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

use std::io::Write;

use super::{LessonOptions, out_err};
use crate::activation::Activation;
use crate::data::{Dataset, beans};
use crate::layer::Dense;
use crate::loss::Loss;
use crate::network::Network;
use crate::optim::Method;
use crate::rng::Rng;
use crate::tensor::Matrix;
use crate::train::{self, BatchInfo, Observer, Order, TrainConfig};
use crate::{Error, Schedule};

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
    let (w_ls, b_ls) = least_squares(&data);
    let p = |out: &mut dyn Write, text: String| writeln!(out, "{text}").map_err(out_err);

    p(out, format!("Gradient descent four ways (tutorial 004), seed {}", options.seed))?;
    p(out, "  100 beans: size x ~ U(0, 1), toxicity y = 0.7x + (0.5 − U(0, 1))/5 + 0.5".into())?;
    p(out, "  fit y = w·x + b by minimising e(w, b) = (1/n) Σ (y − (w·x + b))², from w = 0.1, b = 0".into())?;
    p(out, String::new())?;
    p(out, "  method       beans/step  lr or step  updates        w         b      cost e".into())?;
    for run in &runs {
        let (w, b) = run.last();
        let r = run.recipe;
        p(
            out,
            format!(
                "  {:<12} {:>10}  {:>10}  {:>7}  {w:>8.5}  {b:>8.5}  {:>10.7}",
                r.name,
                r.batch_size,
                r.lr,
                run.updates(),
                run.costs[run.costs.len() - 1]
            ),
        )?;
    }
    p(
        out,
        format!(
            "  {:<12} {:>10}  {:>10}  {:>7}  {w_ls:>8.5}  {b_ls:>8.5}  {:>10.7}",
            "least squares",
            "exact",
            "",
            "",
            cost(&data, w_ls, b_ls)
        ),
    )?;
    p(out, String::new())?;
    p(out, "Stochastic steps are cheap but noisy; batch steps are smooth but each reads every bean;".into())?;
    p(
        out,
        "mini-batch sits between. Fixed-step moves the same distance however steep the slope, so it".into(),
    )?;
    p(out, "crawls far from the minimum and ends zig-zagging a few steps away from it.".into())?;
    #[cfg(feature = "dashboard")]
    if let Some(dashboard) = &options.dashboard {
        out.flush().map_err(out_err)?;
        show_all(&data, options.seed, dashboard); // the same four runs, replayed in the browser
    }
    #[cfg(feature = "plot")]
    super::pictures(options, out, "descent", |dir| pictures::write(&data, &runs, (w_ls, b_ls), dir))?;
    Ok(())
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
    fn update_counts_follow_the_batch_size() {
        let data = beans(1);
        let runs = run_all(&data, 1);
        let updates: Vec<usize> = runs.iter().map(Run::updates).collect();
        assert_eq!(updates, [100 * 40, 300, 10 * 60, 800]);
    }
}

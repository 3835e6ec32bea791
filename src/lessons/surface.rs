//! Lesson `surface` (tutorial 004): the cost as a landscape over (w, b).
//!
//! For fixed beans, the cost e(w, b) = (1/n) Σ (y − (w·x + b))² is a quadratic in w and b:
//! a bowl. Gradient descent is a walk downhill on it. The cut at b = 0 is the parabola
//! e(w) = a·w² − 2c·w + d with a = mean(x²), c = mean(x·y), d = mean(y²), whose lowest point
//! is w = c / a: the curve of the tutorial's first fit, y = w·x.

use std::io::Write;

use super::descent::{self, Recipe, Run};
use super::{LessonOptions, out_err};
use crate::Error;
use crate::data::Dataset;
use crate::optim::Method;

/// The bowl in 3-D, its contours with the descent path, and the cut (feature `plot`).
#[cfg(feature = "plot")]
mod pictures;

/// Where the drawn descent starts: far from the bottom, across the valley.
pub const START: (f32, f32) = (1.8, -0.4);
/// The drawn descent: batch gradient descent, lr 0.5.
pub const PATH_RECIPE: Recipe =
    Recipe { name: "batch", batch_size: 100, method: Method::Sgd, lr: 0.5, epochs: 300 };
/// a = mean(x²), c = mean(x·y), d = mean(y²): the cut at b = 0 is e(w) = a·w² − 2c·w + d.
pub fn cut_coefficients(data: &Dataset) -> (f64, f64, f64) {
    let n = data.len() as f64;
    let inputs = data.inputs.to_matrix();
    let pairs =
        || inputs.as_slice().iter().zip(data.targets.as_slice()).map(|(&x, &y)| (f64::from(x), f64::from(y)));
    let a = pairs().map(|(x, _)| x * x).sum::<f64>() / n;
    let c = pairs().map(|(x, y)| x * y).sum::<f64>() / n;
    let d = pairs().map(|(_, y)| y * y).sum::<f64>() / n;
    (a, c, d)
}

/// Batch gradient descent from [`START`], recorded step by step.
pub fn descent_path(data: &Dataset, seed: u64) -> Run {
    descent::run_recipe(PATH_RECIPE, data, START, seed)
}

/// Prints the bowl's numbers and, with `--out`, writes the pictures.
pub fn run(options: &LessonOptions, out: &mut dyn Write) -> Result<(), Error> {
    let data = descent::beans(options.seed);
    let (w_ls, b_ls) = descent::least_squares(&data);
    let (a, c, d) = cut_coefficients(&data);
    let path = descent_path(&data, options.seed);
    let (w_end, b_end) = path.last();
    let p = |out: &mut dyn Write, text: String| writeln!(out, "{text}").map_err(out_err);

    p(out, format!("The cost surface e(w, b) of the line fit (tutorial 004), seed {}", options.seed))?;
    p(out, "  e(w, b) = (1/n) Σ (y − (w·x + b))² over the same 100 beans as `lesson descent`".into())?;
    p(out, String::new())?;
    p(
        out,
        format!(
            "  the bottom of the bowl (least squares): w = {w_ls:.5}, b = {b_ls:.5}, e = {:.7}",
            descent::cost(&data, w_ls, b_ls)
        ),
    )?;
    p(
        out,
        format!("  at the start (w, b) = ({}, {}): e = {:.5}", START.0, START.1, path.costs[0])
            .replace('-', "−"),
    )?;
    p(
        out,
        format!(
            "  batch descent, lr {}: after {} steps w = {w_end:.5}, b = {b_end:.5}, e = {:.7}",
            PATH_RECIPE.lr,
            path.updates(),
            path.costs[path.costs.len() - 1]
        ),
    )?;
    for step in [1, 10, 50] {
        let (w, b) = path.path[step];
        p(out, format!("    step {step:>3}: w = {w:.4}, b = {b:.4}, e = {:.5}", path.costs[step]))?;
    }
    p(out, String::new())?;
    p(out, "  the cut at b = 0 (fit y = w·x, the tutorial's first model):".into())?;
    p(
        out,
        format!(
            "    e(w) = {a:.5}·w² − {:.5}·w + {d:.5}, lowest at w = c/a = {:.5}, e = {:.5}",
            2.0 * c,
            c / a,
            d - c * c / a
        ),
    )?;
    p(out, String::new())?;
    p(
        out,
        "The bowl is long and narrow: b and w can trade off (raise b, lower w) at little cost, so".into(),
    )?;
    p(out, "descent drops quickly into the valley, then slides slowly along it to the bottom.".into())?;

    #[cfg(feature = "plot")]
    super::pictures(options, out, "surface", |dir| {
        pictures::write(&data, &path, (w_ls, b_ls), (a, c, d), dir)
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cut_is_the_cost_at_b_zero() {
        let data = descent::beans(3);
        let (a, c, d) = cut_coefficients(&data);
        for w in [-0.5, 0.3, 1.7] {
            assert!((a * w * w - 2.0 * c * w + d - descent::cost(&data, w, 0.0)).abs() < 1e-9);
        }
    }

    #[test]
    fn the_drawn_descent_reaches_the_bottom_and_only_goes_down() {
        let data = descent::beans(42);
        let (w_ls, b_ls) = descent::least_squares(&data);
        let path = descent_path(&data, 42);
        let (w, b) = path.last();
        assert!((w - w_ls).abs() < 1e-2 && (b - b_ls).abs() < 1e-2, "({w}, {b}) vs ({w_ls}, {b_ls})");
        assert!(
            path.costs.windows(2).all(|c| c[1] <= c[0] + 1e-6),
            "batch descent with a small rate never climbs"
        );
    }
}

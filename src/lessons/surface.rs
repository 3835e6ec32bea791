//! Lesson `surface` (tutorial 004): the cost as a landscape over (w, b).
//!
//! For fixed beans, the cost e(w, b) = (1/n) Σ (y − (w·x + b))² is a quadratic in w and b:
//! a bowl. Gradient descent is a walk downhill on it. The cut at b = 0 is the parabola
//! e(w) = a·w² − 2c·w + d with a = mean(x²), c = mean(x·y), d = mean(y²), whose lowest point
//! is w = c / a: the curve of the tutorial's first fit, y = w·x.

use std::io::{self, Write};

use super::descent::{self, Recipe, Run};
use super::{LessonOptions, out_err, write_lines};
use crate::data::Dataset;
use crate::optim::Method;
use crate::{Error, t};

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
    let exact = descent::least_squares(&data);
    let cut = cut_coefficients(&data);
    let path = descent_path(&data, options.seed);
    report(options.seed, &data, &path, exact, cut, out).map_err(out_err)?;
    #[cfg(feature = "plot")]
    super::pictures(options, out, "surface", |dir| pictures::write(&data, &path, exact, cut, dir))?;
    Ok(())
}

/// A formatted number with a true minus sign: −0.4 rather than -0.4.
fn minus(formatted: String) -> String {
    formatted.replace('-', "−")
}

/// The lesson's text: the bottom of the bowl, the walk down to it, and the cut at b = 0.
fn report(
    seed: u64,
    data: &Dataset,
    path: &Run,
    (w_ls, b_ls): (f64, f64),
    (a, c, d): (f64, f64, f64),
    out: &mut dyn Write,
) -> io::Result<()> {
    let (w_end, b_end) = path.last();
    writeln!(out, "{}", t!("lesson.surface.title", seed = seed))?;
    writeln!(out, "  {}", t!("lesson.surface.cost", n = data.len()))?;
    writeln!(out)?;
    let e_ls = format!("{:.7}", descent::cost(data, w_ls, b_ls));
    let (w, b) = (format!("{w_ls:.5}"), format!("{b_ls:.5}"));
    writeln!(out, "  {}", t!("lesson.surface.bottom", w = w, b = b, e = e_ls))?;
    let (w, b, e) =
        (minus(START.0.to_string()), minus(START.1.to_string()), minus(format!("{:.5}", path.costs[0])));
    writeln!(out, "  {}", t!("lesson.surface.start", w = w, b = b, e = e))?;
    let e_end = format!("{:.7}", path.costs[path.costs.len() - 1]);
    let (w, b) = (format!("{w_end:.5}"), format!("{b_end:.5}"));
    let (lr, steps) = (PATH_RECIPE.lr, path.updates());
    writeln!(out, "  {}", t!("lesson.surface.descent", lr = lr, steps = steps, w = w, b = b, e = e_end))?;
    for step in [1, 10, 50] {
        let (w, b) = path.path[step];
        let (w, b, e) = (format!("{w:.4}"), format!("{b:.4}"), format!("{:.5}", path.costs[step]));
        writeln!(out, "    {}", t!("lesson.surface.step", step = format!("{step:>3}"), w = w, b = b, e = e))?;
    }
    writeln!(out)?;
    writeln!(out, "  {}", t!("lesson.surface.cut"))?;
    let parabola = format!("e(w) = {a:.5}·w² − {:.5}·w + {d:.5}", 2.0 * c);
    let (w, e) = (format!("{:.5}", c / a), format!("{:.5}", d - c * c / a));
    writeln!(out, "    {}", t!("lesson.surface.lowest", parabola = parabola, w = w, e = e))?;
    writeln!(out)?;
    write_lines(out, "", t!("lesson.surface.moral"))
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

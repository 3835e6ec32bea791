//! Lesson `descent`'s pictures: the four fitted lines, the cost after each update, and one
//! animation per method of the line moving through the beans.

use std::path::Path;

use super::{Run, cost};
use crate::Error;
use crate::data::Dataset;
use crate::plot::{self, Chart, Corner, Scale, Series, Style, palette};
use crate::t;

/// Most frames in an animation.
const MAX_FRAMES: usize = 100;

/// The beans as a scatter series.
pub fn bean_dots(data: &Dataset) -> Series {
    let inputs = data.inputs.to_matrix();
    let points = inputs.as_slice().iter().zip(data.targets.as_slice());
    Series::new(
        t!("lesson.descent.pic.beans"),
        points.map(|(&x, &y)| (f64::from(x), f64::from(y))).collect(),
        Style::Dots,
        palette::GRAY,
    )
}

/// The line y = w·x + b across x in [0, 1].
fn line(label: &str, (w, b): (f64, f64), style: Style, color: plot::RGBColor) -> Series {
    Series::new(label, vec![(0.0, b), (1.0, w + b)], style, color)
}

/// The updates at which to draw animation frames: 0, then about `MAX_FRAMES` more spaced
/// evenly on a log scale (the line moves fastest early on), always ending at the last update.
pub fn frame_updates(updates: usize) -> Vec<usize> {
    let mut frames = vec![0];
    for k in 1..MAX_FRAMES {
        let u = (updates as f64).powf(k as f64 / (MAX_FRAMES - 1) as f64).round() as usize;
        if u > *frames.last().unwrap() {
            frames.push(u.min(updates));
        }
    }
    if *frames.last().unwrap() != updates {
        frames.push(updates);
    }
    frames
}

/// Draws the pictures into `dir`; returns the names of the files written.
pub(super) fn write(
    data: &Dataset,
    runs: &[Run],
    exact: (f64, f64),
    dir: &Path,
) -> Result<Vec<String>, Error> {
    plot::create_dir(dir)?;
    let mut written = Vec::new();
    let (x_label, y_label) = (t!("lesson.descent.pic.x"), t!("lesson.descent.pic.y"));
    let least_squares = t!("lesson.descent.pic.least-squares");

    let mut fits = Chart::new(t!("lesson.descent.pic.fits"), x_label, y_label).with(bean_dots(data));
    for (run, color) in runs.iter().zip(palette::CYCLE) {
        fits = fits.with(line(run.recipe.label(), run.last(), Style::Line, color));
    }
    fits = fits.with(line(least_squares, exact, Style::Dashed, palette::BLACK));
    fits.legend = Corner::LowerRight;
    plot::save(&fits, &dir.join("descent-fits.png"))?;
    written.push("descent-fits.png".to_string());

    let mut costs = Chart::new(
        t!("lesson.descent.pic.cost"),
        t!("lesson.descent.pic.cost.x"),
        t!("lesson.descent.pic.cost.y"),
    );
    costs.x_scale = Scale::Log;
    for (run, color) in runs.iter().zip(palette::CYCLE) {
        let points = run.costs.iter().enumerate().skip(1).map(|(i, &c)| (i as f64, c)).collect();
        costs = costs.with(Series::new(run.recipe.label(), points, Style::Line, color));
    }
    let longest = runs.iter().map(Run::updates).max().unwrap_or(1) as f64;
    let best = cost(data, exact.0, exact.1);
    costs = costs.with(Series::new(
        least_squares,
        vec![(1.0, best), (longest, best)],
        Style::Dashed,
        palette::BLACK,
    ));
    let worst = runs.iter().map(|r| r.costs[1]).fold(0.0f64, f64::max);
    costs.y_range = Some(0.0..worst * 1.05);
    plot::save(&costs, &dir.join("descent-cost.png"))?;
    written.push("descent-cost.png".to_string());

    for (run, color) in runs.iter().zip(palette::CYCLE) {
        let frames: Vec<Chart> = frame_updates(run.updates())
            .into_iter()
            .map(|u| {
                let (w, b) = run.path[u];
                let title = t!(
                    "lesson.descent.pic.frame",
                    method = run.recipe.label(),
                    update = u,
                    w = format!("{w:.3}"),
                    b = format!("{b:.3}"),
                    e = format!("{:.4}", run.costs[u])
                );
                let mut chart = Chart::new(&title, x_label, y_label)
                    .with(bean_dots(data))
                    .with(line(least_squares, exact, Style::Dashed, palette::BLACK))
                    .with(line(t!("lesson.descent.pic.current"), (w, b), Style::Line, color));
                (chart.x_range, chart.y_range) = (Some(0.0..1.0), Some(0.0..1.4));
                chart.legend = Corner::LowerRight;
                chart
            })
            .collect();
        let name = format!("descent-{}.gif", run.recipe.name);
        plot::save_gif(&frames, &dir.join(&name), 8)?;
        written.push(name);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_start_at_zero_end_at_the_last_update_and_stay_few() {
        for updates in [1, 7, 300, 4000] {
            let f = frame_updates(updates);
            assert_eq!((f[0], *f.last().unwrap()), (0, updates));
            assert!(f.len() <= MAX_FRAMES + 1 && f.windows(2).all(|w| w[0] < w[1]), "{f:?}");
        }
    }
}

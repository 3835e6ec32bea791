//! Lesson `surface`'s pictures: the cost bowl in 3-D, its contour map with the path of batch
//! descent, and the parabola of the cut at b = 0.

use std::ops::Range;
use std::path::Path;

use super::descent::{self, Run};
use crate::Error;
use crate::data::Dataset;
use crate::plot::{self, Chart, Grid, Series, Style, palette};
use crate::t;

/// The (w, b) window of the pictures: centred on the bottom of the bowl, wide enough for
/// the start of the drawn descent.
fn window((w, b): (f64, f64)) -> (Range<f64>, Range<f64>) {
    (w - 1.3..w + 1.3, b - 1.0..b + 1.0)
}

/// Draws the pictures into `dir`; returns the names of the files written.
pub(super) fn write(
    data: &Dataset,
    path: &Run,
    exact: (f64, f64),
    (a, c, d): (f64, f64, f64),
    dir: &Path,
) -> Result<Vec<&'static str>, Error> {
    plot::create_dir(dir)?;
    let cost = |w: f64, b: f64| descent::cost(data, w, b);
    let (w_range, b_range) = window(exact);

    let coarse = Grid::sample(w_range.clone(), b_range.clone(), 41, cost);
    let labels = (t!("lesson.surface.pic.bowl"), "w", "b", t!("lesson.surface.pic.cost"));
    plot::save_surface(&coarse, labels, &dir.join("surface-3d.png"))?;

    let fine = Grid::sample(w_range.clone(), b_range, 121, cost);
    let levels = plot::contour_levels(&fine, 14);
    let overlay = [
        Series::new(t!("lesson.surface.pic.path"), path.path.clone(), Style::Line, palette::ORANGE),
        Series::new(t!("lesson.surface.pic.start"), vec![path.path[0]], Style::Marker, palette::RED),
        Series::new(t!("lesson.surface.pic.least-squares"), vec![exact], Style::Marker, palette::BLACK),
    ];
    plot::save_contour(
        &fine,
        &levels,
        &overlay,
        (t!("lesson.surface.pic.contour"), "w", "b"),
        &dir.join("surface-contour.png"),
    )?;

    let (lo, hi) = (w_range.start.min(0.0), w_range.end.max(2.0 * c / a));
    let ws: Vec<f64> = (0..=200).map(|i| lo + (hi - lo) * f64::from(i) / 200.0).collect();
    let parabola = ws.iter().map(|&w| (w, a * w * w - 2.0 * c * w + d)).collect();
    let bottom = (c / a, d - c * c / a);
    let lowest = t!("lesson.surface.pic.lowest", w = format!("{:.3}", bottom.0));
    let cut = Chart::new(t!("lesson.surface.pic.cut"), "w", t!("lesson.surface.pic.cut.y"))
        .with(Series::new("e(w, 0)", parabola, Style::Line, palette::BLUE))
        .with(Series::new(&lowest, vec![bottom], Style::Marker, palette::RED));
    plot::save(&cut, &dir.join("surface-cut.png"))?;
    Ok(vec!["surface-3d.png", "surface-contour.png", "surface-cut.png"])
}

//! Lesson `hidden-layer`'s pictures: the curves every 100 epochs as an animation, the final
//! fit, and the loss curve.

use std::path::Path;

use super::{Outcome, Snapshot};
use crate::Error;
use crate::data::Dataset;
use crate::lessons::descent::bean_dots;
use crate::plot::{self, Chart, Series, Style, palette};
use crate::t;

/// The beans and the curves of one snapshot.
fn snapshot_chart(data: &Dataset, snap: &Snapshot, title: &str) -> Chart {
    let mut chart = Chart::new(title, t!("lesson.hidden-layer.pic.x"), t!("lesson.hidden-layer.pic.y"))
        .with(bean_dots(data))
        .with(Series::new(
            t!("lesson.hidden-layer.pic.h1"),
            snap.hidden[0].clone(),
            Style::ThinLine,
            palette::GREEN,
        ))
        .with(Series::new(
            t!("lesson.hidden-layer.pic.h2"),
            snap.hidden[1].clone(),
            Style::ThinLine,
            palette::PURPLE,
        ))
        .with(Series::new(
            t!("lesson.hidden-layer.pic.prediction"),
            snap.output.clone(),
            Style::Line,
            palette::BLUE,
        ));
    (chart.x_range, chart.y_range) = (Some(0.0..2.0), Some(-0.05..1.15));
    chart
}

/// Draws the pictures into `dir`; returns the names of the files written.
pub(super) fn write(outcome: &Outcome, dir: &Path) -> Result<Vec<&'static str>, Error> {
    plot::create_dir(dir)?;
    let frames: Vec<Chart> = outcome
        .snapshots
        .iter()
        .map(|s| {
            let title = t!("lesson.hidden-layer.pic.frame", epoch = s.epoch, loss = format!("{:.4}", s.loss));
            snapshot_chart(&outcome.data, s, &title)
        })
        .collect();
    plot::save_gif(&frames, &dir.join("hidden-layer.gif"), 10)?;
    let last = outcome.snapshots.last().expect("at least the start");
    let title = t!("lesson.hidden-layer.pic.fit", epochs = last.epoch);
    plot::save(&snapshot_chart(&outcome.data, last, &title), &dir.join("hidden-layer-fit.png"))?;
    let losses = outcome.losses.iter().enumerate().map(|(i, &l)| ((i + 1) as f64, f64::from(l))).collect();
    let chart = Chart::new(
        &t!("lesson.hidden-layer.pic.loss", n = outcome.data.len()),
        t!("lesson.hidden-layer.pic.loss.x"),
        t!("lesson.hidden-layer.pic.loss.y"),
    )
    .with(Series::new(t!("lesson.hidden-layer.pic.loss.legend"), losses, Style::Line, palette::BLUE));
    plot::save(&chart, &dir.join("hidden-layer-loss.png"))?;
    Ok(vec!["hidden-layer.gif", "hidden-layer-fit.png", "hidden-layer-loss.png"])
}

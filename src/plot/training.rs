//! Pictures of any training run (`scratchnet train --plots DIR`): the loss and accuracy per
//! epoch, and for data with one input feature, the learned curve over the data.

use std::path::{Path, PathBuf};

use super::{Chart, Corner, Series, Style, palette, save};
use crate::data::{Dataset, Standardizer, Task};
use crate::network::Network;
use crate::tensor::Matrix;
use crate::train::History;
use crate::{Error, t};

/// Points across the input range where the learned curve is drawn.
const CURVE_POINTS: usize = 301;

/// Train (and validation) loss after each epoch.
pub fn loss_chart(history: &History) -> Chart {
    let epochs = || history.epochs.iter();
    let train = epochs().map(|e| (e.epoch as f64, f64::from(e.train_loss))).collect();
    let mut chart = Chart::new(t!("plot.loss.title"), t!("plot.epoch"), t!("plot.loss.axis"))
        .with(Series::new(t!("plot.train"), train, Style::Line, palette::BLUE));
    let val: Vec<(f64, f64)> =
        epochs().filter_map(|e| e.val_loss.map(|l| (e.epoch as f64, f64::from(l)))).collect();
    if !val.is_empty() {
        chart = chart.with(Series::new(t!("plot.validation"), val, Style::Line, palette::ORANGE));
    }
    let top = chart.series.iter().flat_map(|s| s.points.iter().map(|p| p.1)).fold(0.0f64, f64::max);
    chart.y_range = Some(0.0..top * 1.05);
    chart
}

/// Train (and validation) accuracy after each epoch, if the task has one.
pub fn accuracy_chart(history: &History) -> Option<Chart> {
    let epochs = || history.epochs.iter();
    let train: Vec<(f64, f64)> =
        epochs().filter_map(|e| e.train_accuracy.map(|a| (e.epoch as f64, 100.0 * f64::from(a)))).collect();
    if train.is_empty() {
        return None;
    }
    let mut chart = Chart::new(t!("plot.accuracy.title"), t!("plot.epoch"), t!("plot.accuracy.axis"))
        .with(Series::new(t!("plot.accuracy.train"), train, Style::Line, palette::BLUE));
    let val: Vec<(f64, f64)> =
        epochs().filter_map(|e| e.val_accuracy.map(|a| (e.epoch as f64, 100.0 * f64::from(a)))).collect();
    if !val.is_empty() {
        chart = chart.with(Series::new(t!("plot.validation"), val, Style::Line, palette::ORANGE));
    }
    chart.legend = Corner::LowerRight;
    Some(chart)
}

/// For one input feature: the data as dots and the network's output as a curve, in the data's
/// own units (`scaler` is what the network's inputs went through, if anything).
pub fn curve_chart(
    net: &Network,
    train: &Dataset,
    test: Option<&Dataset>,
    scaler: Option<&Standardizer>,
) -> Chart {
    let dots = |d: &Dataset| -> Vec<(f64, f64)> {
        let inputs = d.inputs.to_matrix();
        let pairs = inputs.as_slice().iter().zip(d.targets.as_slice());
        pairs.map(|(&x, &y)| (f64::from(x), f64::from(y))).collect()
    };
    let (train_x, test_x) = (train.inputs.to_matrix(), test.map(|t| t.inputs.to_matrix()));
    let xs = train_x.as_slice().iter().chain(test_x.as_ref().map_or(&[][..], |t| t.as_slice()));
    let (lo, hi) = xs.fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), &x| (lo.min(x), hi.max(x)));
    let grid: Vec<f32> =
        (0..CURVE_POINTS).map(|i| lo + (hi - lo) * i as f32 / (CURVE_POINTS - 1) as f32).collect();
    let mut x = Matrix::from_vec(CURVE_POINTS, 1, grid.clone()).expect("one column");
    if let Some(scaler) = scaler {
        scaler.apply(&mut x);
    }
    let y = net.predict(&x);
    let curve = grid.iter().enumerate().map(|(i, &x)| (f64::from(x), f64::from(y.get(i, 0)))).collect();
    let y_label = match train.task {
        Task::Binary => t!("plot.fit.y-binary"),
        _ => t!("plot.fit.y"),
    };
    let title = t!("plot.fit.title", name = train.name);
    let mut chart = Chart::new(&title, t!("plot.fit.x"), y_label).with(Series::new(
        t!("plot.fit.train"),
        dots(train),
        Style::Dots,
        palette::GRAY,
    ));
    if let Some(test) = test {
        chart = chart.with(Series::new(t!("plot.fit.test"), dots(test), Style::Dots, palette::ORANGE));
    }
    chart.with(Series::new(t!("plot.fit.network"), curve, Style::Line, palette::BLUE))
}

/// Writes `loss.png`, `accuracy.png` (classification) and `fit.png` (one input feature) into
/// `dir`; returns the paths written.
///
/// # Errors
/// [`Error::Io`] if the folder or a file cannot be written.
pub fn write_training_plots(
    dir: &Path,
    history: &History,
    net: &Network,
    data: (&Dataset, Option<&Dataset>),
    scaler: Option<&Standardizer>,
) -> Result<Vec<PathBuf>, Error> {
    super::create_dir(dir)?;
    let mut written = vec![dir.join("loss.png")];
    save(&loss_chart(history), &written[0])?;
    if let Some(chart) = accuracy_chart(history) {
        written.push(dir.join("accuracy.png"));
        save(&chart, &written[written.len() - 1])?;
    }
    let (train, test) = data;
    if train.n_features() == 1 && net.n_out() == 1 {
        written.push(dir.join("fit.png"));
        save(&curve_chart(net, train, test, scaler), &written[written.len() - 1])?;
    }
    Ok(written)
}

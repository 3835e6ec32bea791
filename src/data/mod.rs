//! Datasets: inputs and targets as matrices, and where they come from.
//!
//! A [`Dataset`] is two matrices with one row per sample: `inputs` (n × features) and
//! `targets` (n × outputs: a value for regression, a 0/1 label for a yes/no question, a
//! one-hot row for classes). The generators of the tutorials live in submodules.
//!
//! Read next: `train.rs` (how batches are drawn from a dataset).

pub mod beans;
pub mod gender;

use crate::Error;
use crate::rng::Rng;
use crate::tensor::Matrix;

/// What the targets mean, which decides the default output activation, loss and metrics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Task {
    /// Real-valued targets; scored by the loss alone.
    Regression,
    /// One 0/1 label per output; scored by accuracy with a 0.5 threshold.
    Binary,
    /// One-hot rows over this many classes; scored by accuracy of the largest output.
    Classes(usize),
}

/// Samples as rows: `inputs` n × features, `targets` n × outputs.
#[derive(Clone, Debug)]
pub struct Dataset {
    /// A short name for reports (`gender`, `beans-hill`, ...).
    pub name: String,
    pub inputs: Matrix,
    pub targets: Matrix,
    pub task: Task,
}

impl Dataset {
    /// A dataset from inputs and targets with the same number of rows.
    ///
    /// # Errors
    /// [`Error::Shape`] if the row counts differ, or a `Classes(k)` target is not k wide.
    pub fn new(name: &str, inputs: Matrix, targets: Matrix, task: Task) -> Result<Dataset, Error> {
        if inputs.rows() != targets.rows() {
            return Err(Error::Shape(format!(
                "{name}: {} input rows but {} target rows",
                inputs.rows(),
                targets.rows()
            )));
        }
        if let Task::Classes(k) = task
            && targets.cols() != k
        {
            return Err(Error::Shape(format!(
                "{name}: {k} classes need one-hot targets {k} wide, got {}",
                targets.cols()
            )));
        }
        Ok(Dataset { name: name.to_string(), inputs, targets, task })
    }

    /// Number of samples.
    pub fn len(&self) -> usize {
        self.inputs.rows()
    }

    pub fn is_empty(&self) -> bool {
        self.inputs.rows() == 0
    }

    /// Number of input features.
    pub fn n_features(&self) -> usize {
        self.inputs.cols()
    }

    /// Number of target columns (the network's output size).
    pub fn n_outputs(&self) -> usize {
        self.targets.cols()
    }

    /// The samples with the given indices, in that order.
    pub fn subset(&self, indices: &[usize]) -> Dataset {
        Dataset {
            name: self.name.clone(),
            inputs: self.inputs.gather_rows(indices),
            targets: self.targets.gather_rows(indices),
            task: self.task,
        }
    }

    /// Shuffles the samples with `rng` and cuts them in two: the first `fraction` and the rest
    /// (e.g. 0.85 for the tutorial's 85/15 train/validation split).
    pub fn split(&self, fraction: f64, rng: &mut Rng) -> (Dataset, Dataset) {
        let mut order: Vec<usize> = (0..self.len()).collect();
        rng.shuffle(&mut order);
        let cut = ((self.len() as f64 * fraction).round() as usize).min(self.len());
        (self.subset(&order[..cut]), self.subset(&order[cut..]))
    }
}

/// One-hot rows: label `c` of `classes` becomes a row with 1 in column `c`, 0 elsewhere.
///
/// # Panics
/// If a label is not below `classes` (labels are checked where data is read).
pub fn one_hot(labels: &[usize], classes: usize) -> Matrix {
    let mut m = Matrix::zeros(labels.len(), classes);
    for (r, &c) in labels.iter().enumerate() {
        m.set(r, c, 1.0);
    }
    m
}

/// Per-feature standardisation, x′ = (x − mean) / std, with statistics from training data.
///
/// Sigmoid and tanh units are steep only near 0: inputs like tutorial 003's weights (−23 to 30)
/// saturate them at the start and training stalls. Standardised inputs avoid that. The
/// statistics come from the training split only and must be applied unchanged to any other data.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Standardizer {
    pub mean: Vec<f32>,
    pub std: Vec<f32>,
}

impl Standardizer {
    /// Column means and standard deviations of `x`; a constant column gets std 1 (left as is).
    pub fn fit(x: &Matrix) -> Standardizer {
        let (n, k) = (x.rows().max(1) as f64, x.cols());
        let mut sum = vec![0.0f64; k];
        let mut sum_sq = vec![0.0f64; k];
        for r in 0..x.rows() {
            for (c, &v) in x.row(r).iter().enumerate() {
                sum[c] += f64::from(v);
                sum_sq[c] += f64::from(v) * f64::from(v);
            }
        }
        let mean: Vec<f64> = sum.iter().map(|s| s / n).collect();
        let std = sum_sq
            .iter()
            .zip(&mean)
            .map(|(sq, m)| {
                let sd = (sq / n - m * m).max(0.0).sqrt();
                if sd > 1e-12 { sd as f32 } else { 1.0 }
            })
            .collect();
        Standardizer { mean: mean.iter().map(|&m| m as f32).collect(), std }
    }

    /// x ← (x − mean) / std, column by column.
    ///
    /// # Panics
    /// If `x` has a different number of columns than the data the statistics came from.
    pub fn apply(&self, x: &mut Matrix) {
        assert_eq!(x.cols(), self.mean.len(), "standardise: column count differs from the fitted data");
        let cols = x.cols();
        for row in x.as_mut_slice().chunks_exact_mut(cols) {
            for ((v, m), s) in row.iter_mut().zip(&self.mean).zip(&self.std) {
                *v = (*v - m) / s;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standardised_columns_have_mean_0_and_std_1() {
        let mut x =
            Matrix::from_rows(&[[-2.0, 5.0, 7.0], [-5.0, -2.0, 7.0], [-23.0, -11.0, 7.0], [30.0, 8.0, 7.0]]);
        let s = Standardizer::fit(&x);
        s.apply(&mut x);
        for c in 0..2 {
            let col: Vec<f32> = (0..4).map(|r| x.get(r, c)).collect();
            let mean = col.iter().sum::<f32>() / 4.0;
            let var = col.iter().map(|v| (v - mean).powi(2)).sum::<f32>() / 4.0;
            assert!(mean.abs() < 1e-6 && (var - 1.0).abs() < 1e-5, "{col:?}");
        }
        assert_eq!(s.std[2], 1.0, "a constant column is only shifted");
        assert_eq!(x.get(0, 2), 0.0);
    }

    #[test]
    fn split_keeps_every_sample_once() {
        let data = gender::gender();
        let (a, b) = data.split(0.75, &mut Rng::new(1));
        assert_eq!((a.len(), b.len()), (3, 1));
        let mut all: Vec<f32> = a.inputs.as_slice().iter().chain(b.inputs.as_slice()).copied().collect();
        all.sort_by(f32::total_cmp);
        let mut expected = data.inputs.as_slice().to_vec();
        expected.sort_by(f32::total_cmp);
        assert_eq!(all, expected);
    }
}

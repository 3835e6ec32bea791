//! Datasets: inputs and targets as matrices, and where they come from.
//!
//! A [`Dataset`] is two matrices with one row per sample: `inputs` (n × features) and
//! `targets` (n × outputs: a value for regression, a 0/1 label for a yes/no question, a
//! one-hot row for classes). The generators of the tutorials live in submodules.
//!
//! Read next: `train.rs` (how batches are drawn from a dataset).

pub mod beans;
pub mod csv;
#[cfg(feature = "download")]
pub mod download;
pub mod gender;
pub mod idx;
pub mod image;
pub mod mnist;

use crate::Error;
use crate::rng::Rng;
use crate::t;
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

/// Input features, one sample per row: `f32` values, or bytes scaled as they are read.
///
/// Images stay one byte per pixel (MNIST's 60,000 training images: 47 MB as bytes, 188 MB as
/// `f32`) and become `f32` only a batch at a time, in [`Features::gather_into`].
#[derive(Clone, Debug)]
pub enum Features {
    F32(Matrix),
    /// Value (r, c) is `bytes[r * cols + c] as f32 * scale` (scale 1/255 maps pixels to [0, 1]).
    U8 {
        rows: usize,
        cols: usize,
        bytes: Vec<u8>,
        scale: f32,
    },
}

impl Features {
    pub fn rows(&self) -> usize {
        match self {
            Features::F32(m) => m.rows(),
            Features::U8 { rows, .. } => *rows,
        }
    }

    pub fn cols(&self) -> usize {
        match self {
            Features::F32(m) => m.cols(),
            Features::U8 { cols, .. } => *cols,
        }
    }

    /// The rows with the given indices, as `f32`, into a reused buffer (the batch of a step).
    pub fn gather_into(&self, indices: &[usize], out: &mut Matrix) {
        match self {
            Features::F32(m) => m.gather_rows_into(indices, out),
            Features::U8 { cols, bytes, scale, .. } => {
                out.reshape_for(indices.len(), *cols);
                for (dst, &i) in out.as_mut_slice().chunks_exact_mut((*cols).max(1)).zip(indices) {
                    for (d, &b) in dst.iter_mut().zip(&bytes[i * cols..(i + 1) * cols]) {
                        *d = f32::from(b) * scale;
                    }
                }
            }
        }
    }

    /// The rows with the given indices, as `f32`.
    pub fn gather(&self, indices: &[usize]) -> Matrix {
        let mut out = Matrix::zeros(0, self.cols());
        self.gather_into(indices, &mut out);
        out
    }

    /// The rows with the given indices, keeping the storage type.
    pub fn subset(&self, indices: &[usize]) -> Features {
        match self {
            Features::F32(m) => Features::F32(m.gather_rows(indices)),
            Features::U8 { cols, bytes, scale, .. } => {
                let mut picked = Vec::with_capacity(indices.len() * cols);
                for &i in indices {
                    picked.extend_from_slice(&bytes[i * cols..(i + 1) * cols]);
                }
                Features::U8 { rows: indices.len(), cols: *cols, bytes: picked, scale: *scale }
            }
        }
    }

    /// Every row as `f32`: the matrix itself when stored as one, else a converted copy (meant
    /// for small data and plots).
    pub fn to_matrix(&self) -> std::borrow::Cow<'_, Matrix> {
        match self {
            Features::F32(m) => std::borrow::Cow::Borrowed(m),
            Features::U8 { rows, .. } => {
                std::borrow::Cow::Owned(self.gather(&(0..*rows).collect::<Vec<_>>()))
            }
        }
    }
}

/// Samples as rows: `inputs` n × features, `targets` n × outputs.
#[derive(Clone, Debug)]
pub struct Dataset {
    /// A short name for reports (`gender`, `beans-hill`, ...).
    pub name: String,
    pub inputs: Features,
    pub targets: Matrix,
    pub task: Task,
    /// Names of the classes by index (empty when the classes have no names, or no classes).
    pub class_names: Vec<String>,
}

impl Dataset {
    /// A dataset from inputs and targets with the same number of rows.
    ///
    /// # Errors
    /// [`Error::Shape`] if the row counts differ, or a `Classes(k)` target is not k wide.
    pub fn new(name: &str, inputs: Matrix, targets: Matrix, task: Task) -> Result<Dataset, Error> {
        Dataset::from_features(name, Features::F32(inputs), targets, task)
    }

    /// Like [`new`](Self::new), with features in either storage.
    ///
    /// # Errors
    /// As [`new`](Self::new).
    pub fn from_features(
        name: &str,
        inputs: Features,
        targets: Matrix,
        task: Task,
    ) -> Result<Dataset, Error> {
        if inputs.rows() != targets.rows() {
            return Err(Error::Shape(t!(
                "error.shape.rows",
                name = name,
                inputs = inputs.rows(),
                targets = targets.rows()
            )));
        }
        if let Task::Classes(k) = task
            && targets.cols() != k
        {
            return Err(Error::Shape(t!("error.shape.one-hot", name = name, k = k, width = targets.cols())));
        }
        Ok(Dataset { name: name.to_string(), inputs, targets, task, class_names: Vec::new() })
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
            inputs: self.inputs.subset(indices),
            targets: self.targets.gather_rows(indices),
            task: self.task,
            class_names: self.class_names.clone(),
        }
    }

    /// Standardises the inputs with `scaler` (converting byte storage to `f32`).
    pub fn standardize(&mut self, scaler: &Standardizer) {
        let mut x = self.inputs.to_matrix().into_owned();
        scaler.apply(&mut x);
        self.inputs = Features::F32(x);
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
    fn byte_features_are_scaled_per_batch() {
        let f = Features::U8 { rows: 3, cols: 2, bytes: vec![0, 255, 51, 102, 7, 8], scale: 1.0 / 255.0 };
        let batch = f.gather(&[1, 0]);
        assert_eq!(batch.shape(), (2, 2));
        assert!((batch.get(0, 0) - 0.2).abs() < 1e-6 && (batch.get(1, 1) - 1.0).abs() < 1e-6);
        let last = f.subset(&[2]).gather(&[0]);
        assert!((last.get(0, 0) - 7.0 / 255.0).abs() < 1e-7 && (last.get(0, 1) - 8.0 / 255.0).abs() < 1e-7);
    }

    #[test]
    fn split_keeps_every_sample_once() {
        let data = gender::gender();
        let (a, b) = data.split(0.75, &mut Rng::new(1));
        assert_eq!((a.len(), b.len()), (3, 1));
        let (a, b) = (a.inputs.to_matrix(), b.inputs.to_matrix());
        let mut all: Vec<f32> = a.as_slice().iter().chain(b.as_slice()).copied().collect();
        all.sort_by(f32::total_cmp);
        let mut expected = data.inputs.to_matrix().into_owned().into_vec();
        expected.sort_by(f32::total_cmp);
        assert_eq!(all, expected);
    }
}

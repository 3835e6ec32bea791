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
        Ok(Dataset {
            name: name.to_string(),
            inputs,
            targets,
            task,
        })
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

//! How good a model is beyond its loss: a classifier class by class (the confusion matrix,
//! precision and recall), a regression in the target's own units (RMSE and mean absolute error).
//!
//! Accuracy alone hides which classes are confused with which. Row `t`, column `p` of the
//! confusion matrix counts the samples of true class `t` predicted as `p`; precision of class
//! `c` is the share of predictions `c` that were right, recall the share of true `c` found.
//!
//! A regression's loss is measured on the standardised target the network learns; its errors
//! in the target's units (euros, degrees) are what a user can judge. `train` and `eval` both
//! print them with [`regression_errors`].

use crate::data::{Dataset, Task};
use crate::network::Network;

/// Rows per prediction chunk: bounds memory on big sets.
const CHUNK: usize = 1024;

/// The confusion matrix of `net` on `data`: `counts[true][predicted]`. Classes are the outputs
/// (argmax) for `Classes(k)`, and no/yes (threshold 0.5) for a single binary output.
///
/// # Panics
/// For regression data (no classes) or data the network does not fit (check first).
pub fn confusion_matrix(net: &Network, data: &Dataset) -> Vec<Vec<usize>> {
    let k = match data.task {
        Task::Classes(k) => k,
        Task::Binary => 2,
        Task::Regression => panic!("a confusion matrix needs classes"),
    };
    let mut counts = vec![vec![0usize; k]; k];
    let indices: Vec<usize> = (0..data.len()).collect();
    for chunk in indices.chunks(CHUNK) {
        let y = net.predict(&data.inputs.gather(chunk));
        let t = data.targets.gather_rows(chunk);
        for r in 0..chunk.len() {
            let (truth, predicted) = match data.task {
                Task::Binary => (usize::from(t.get(r, 0) > 0.5), usize::from(y.get(r, 0) > 0.5)),
                _ => (t.argmax_row(r), y.argmax_row(r)),
            };
            counts[truth][predicted] += 1;
        }
    }
    counts
}

/// Precision, recall, F1 and support of one class.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ClassScores {
    pub class: String,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Samples of this class.
    pub support: usize,
}

/// Per-class scores from a confusion matrix; `names` label the classes (indices if empty).
/// A class never predicted has precision 0; a class absent from the data has recall 0.
pub fn class_scores(confusion: &[Vec<usize>], names: &[String]) -> Vec<ClassScores> {
    (0..confusion.len())
        .map(|c| {
            let tp = confusion[c][c] as f64;
            let predicted: usize = confusion.iter().map(|row| row[c]).sum();
            let support: usize = confusion[c].iter().sum();
            let precision = if predicted > 0 { tp / predicted as f64 } else { 0.0 };
            let recall = if support > 0 { tp / support as f64 } else { 0.0 };
            let f1 =
                if precision + recall > 0.0 { 2.0 * precision * recall / (precision + recall) } else { 0.0 };
            let class = names.get(c).cloned().unwrap_or_else(|| c.to_string());
            ClassScores { class, precision, recall, f1, support }
        })
        .collect()
}

/// A regression's errors in the target's own units.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct RegressionErrors {
    /// Root mean squared error: √(Σ (y − t)² / n).
    pub rmse: f64,
    /// Mean absolute error: Σ |y − t| / n.
    pub mae: f64,
}

/// RMSE and mean absolute error of `net` on `data`, over every output value, after `decode`
/// turns outputs and targets back into the target's units (the model's
/// [`Preprocessing::decode_target`](crate::io::Preprocessing::decode_target)).
///
/// # Panics
/// For data the network does not fit (check first).
pub fn regression_errors(net: &Network, data: &Dataset, decode: impl Fn(f32) -> f64) -> RegressionErrors {
    let (mut squared, mut absolute, mut n) = (0.0f64, 0.0f64, 0usize);
    let indices: Vec<usize> = (0..data.len()).collect();
    for chunk in indices.chunks(CHUNK) {
        let y = net.predict(&data.inputs.gather(chunk));
        let t = data.targets.gather_rows(chunk);
        for (&y, &t) in y.as_slice().iter().zip(t.as_slice()) {
            let error = decode(y) - decode(t);
            (squared, absolute, n) = (squared + error * error, absolute + error.abs(), n + 1);
        }
    }
    let n = n.max(1) as f64;
    RegressionErrors { rmse: (squared / n).sqrt(), mae: absolute / n }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regression_errors_by_hand() {
        use crate::{Activation, Init, Matrix, Rng};
        // y = 2x (weight 2, bias 0) on x = 1, 2, 3 with targets 2, 5, 3: errors 0, −1, 3
        let mut net =
            Network::new(&[1, 1], Activation::Identity, Activation::Identity, Init::He, &mut Rng::new(1))
                .unwrap();
        net.layers_mut()[0].weight.value = Matrix::from_rows(&[[2.0]]);
        net.layers_mut()[0].bias.value = Matrix::zeros(1, 1);
        let x = Matrix::from_rows(&[[1.0], [2.0], [3.0]]);
        let t = Matrix::from_rows(&[[2.0], [5.0], [3.0]]);
        let data = Dataset::new("hand", x, t, Task::Regression).unwrap();
        let e = regression_errors(&net, &data, f64::from);
        // RMSE = √((0 + 1 + 9) / 3), MAE = (0 + 1 + 3) / 3
        assert!(
            (e.rmse - (10.0f64 / 3.0).sqrt()).abs() < 1e-12 && (e.mae - 4.0 / 3.0).abs() < 1e-12,
            "{e:?}"
        );
        // in units ten times larger, both errors are ten times larger
        let scaled = regression_errors(&net, &data, |v| 10.0 * f64::from(v));
        assert!((scaled.rmse - 10.0 * e.rmse).abs() < 1e-9 && (scaled.mae - 10.0 * e.mae).abs() < 1e-9);
    }

    #[test]
    fn scores_by_hand() {
        // true 0: 8 right, 2 called 1; true 1: 1 called 0, 9 right
        let confusion = vec![vec![8, 2], vec![1, 9]];
        let s = class_scores(&confusion, &["cat".into(), "dog".into()]);
        assert_eq!(s[0].class, "cat");
        assert!((s[0].precision - 8.0 / 9.0).abs() < 1e-12 && (s[0].recall - 0.8).abs() < 1e-12);
        assert!((s[1].precision - 9.0 / 11.0).abs() < 1e-12 && (s[1].recall - 0.9).abs() < 1e-12);
        assert_eq!((s[0].support, s[1].support), (10, 10));
        let never = class_scores(&[vec![5, 0], vec![3, 0]], &[]);
        assert_eq!((never[1].precision, never[1].recall, never[1].class.as_str()), (0.0, 0.0, "1"));
    }
}

//! Lesson `mse` (tutorial 002): the mean squared error, MSE = (1/n) Σ (y_true − y_pred)².

use std::io::{self, Write};

use crate::loss::Loss;
use crate::t;
use crate::tensor::Matrix;

/// The squared errors (y_true − y_pred)² and their mean, in `f64`.
pub fn mse(y_true: &[f64], y_pred: &[f64]) -> (Vec<f64>, f64) {
    let squares: Vec<f64> = y_true.iter().zip(y_pred).map(|(t, p)| (t - p) * (t - p)).collect();
    let mean = squares.iter().sum::<f64>() / squares.len() as f64;
    (squares, mean)
}

/// Prints the tutorial's example term by term.
pub fn run(out: &mut dyn Write) -> io::Result<()> {
    let (y_true, y_pred) = ([1.0, 0.0, 0.0, 1.0], [0.0; 4]);
    let (squares, mean) = mse(&y_true, &y_pred);
    writeln!(out, "{}", t!("lesson.mse.title"))?;
    writeln!(out, "  {}", t!("lesson.mse.given"))?;
    writeln!(out)?;
    writeln!(out, "  i   y_true   y_pred   (y_true − y_pred)²")?;
    for (i, ((t, p), s)) in y_true.iter().zip(&y_pred).zip(&squares).enumerate() {
        writeln!(out, "  {}   {t:<8} {p:<8} {s}", i + 1)?;
    }
    let sum: f64 = squares.iter().sum();
    writeln!(out)?;
    let terms = squares.iter().map(f64::to_string).collect::<Vec<_>>().join(" + ");
    let n = squares.len();
    writeln!(out, "  MSE = ({terms}) / {n} = {sum} / {n} = {mean}")?;
    let t = Matrix::from_rows(&y_true.map(|v| [v as f32]));
    let y = Matrix::from_rows(&y_pred.map(|v| [v as f32]));
    writeln!(out, "  {}", t!("lesson.mse.library", loss = Loss::Mse.value(&y, &t)))?;
    writeln!(out, "{}", t!("lesson.mse.moral"))
}

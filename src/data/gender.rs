//! The four people of tutorial 003: weight and height (centred), and sex (1 = female).
//!
//! The tutorial subtracts 135 lb and 66 in so the inputs sit around 0, where sigmoids are
//! steep; label 1 marks a woman.

use super::{Dataset, Task};
use crate::tensor::Matrix;

/// The names, inputs (weight, height) and labels of tutorial 003's table.
pub const PEOPLE: [(&str, [f32; 2], f32); 4] = [
    ("youge", [-2.0, 5.0], 1.0),
    ("share", [-5.0, -2.0], 1.0),
    ("naive", [-23.0, -11.0], 0.0),
    ("beyes", [30.0, 8.0], 0.0),
];

/// Tutorial 003's four people as a dataset: 2 inputs, 1 binary target.
pub fn gender() -> Dataset {
    let inputs = Matrix::from_rows(&PEOPLE.map(|(_, x, _)| x));
    let targets = Matrix::from_rows(&PEOPLE.map(|(_, _, y)| [y]));
    Dataset::new("gender", inputs, targets, Task::Binary).expect("4 rows each")
}

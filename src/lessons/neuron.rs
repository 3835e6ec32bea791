//! Lesson `neuron` (tutorial 002): one neuron, `y = σ(w·x + b)`.

use std::io::{self, Write};

use super::widest;
use crate::i18n::pad_right;
use crate::t;

use crate::activation::Activation;
use crate::layer::Dense;
use crate::network::Network;
use crate::tensor::Matrix;

/// σ(z) = 1 / (1 + e^(−z)) in `f64`, to print the tutorial's 16 digits.
pub fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + crate::math::exp(-z))
}

/// A single neuron: `y = σ(w·x + b)`.
///
/// ```
/// # use scratchnet::lessons::Neuron;
/// let neuron = Neuron::new(vec![0.0, 1.0], 4.0);
/// // w·x + b = 0·2 + 1·3 + 4 = 7, and σ(7) = 0.9990889488055994 (tutorial 002)
/// assert!((neuron.forward(&[2.0, 3.0]) - 0.9990889488055994).abs() < 1e-15);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Neuron {
    pub weights: Vec<f64>,
    pub bias: f64,
}

impl Neuron {
    pub fn new(weights: Vec<f64>, bias: f64) -> Neuron {
        Neuron { weights, bias }
    }

    /// The weighted sum z = w·x + b.
    pub fn weighted_sum(&self, x: &[f64]) -> f64 {
        self.weights.iter().zip(x).map(|(w, x)| w * x).sum::<f64>() + self.bias
    }

    /// y = σ(w·x + b).
    #[doc(alias = "feedforward")]
    pub fn forward(&self, x: &[f64]) -> f64 {
        sigmoid(self.weighted_sum(x))
    }

    /// The same neuron as a library network: one `Dense` layer (2 → 1) and a sigmoid.
    pub fn to_network(&self) -> Network {
        let weight =
            Matrix::from_vec(self.weights.len(), 1, self.weights.iter().map(|&w| w as f32).collect())
                .expect("one weight per input");
        let bias = Matrix::filled(1, 1, self.bias as f32);
        let dense = Dense::from_params(weight, bias).expect("n×1 weight, 1×1 bias");
        Network::from_layers(vec![(dense, Activation::Sigmoid)]).expect("one layer")
    }
}

/// Prints the neuron of tutorial 002 step by step.
pub fn run(out: &mut dyn Write) -> io::Result<()> {
    let neuron = Neuron::new(vec![0.0, 1.0], 4.0);
    let x = [2.0, 3.0];
    let z = neuron.weighted_sum(&x);
    let y = neuron.forward(&x);
    writeln!(out, "{}", t!("lesson.neuron.title"))?;
    writeln!(out, "  {}", t!("lesson.neuron.given"))?;
    writeln!(out)?;
    let (step1, step2) = (t!("lesson.neuron.step1"), t!("lesson.neuron.step2"));
    let w = widest(&[step1, step2]) + 2;
    writeln!(out, "  {}z = w·x + b = 0·2 + 1·3 + 4 = {z}", pad_right(step1, w))?;
    writeln!(out, "  {}y = σ(z) = 1 / (1 + e^(−{z})) = {y}", pad_right(step2, w))?;
    writeln!(out)?;
    let library = neuron.to_network().predict(&Matrix::from_rows(&[[2.0, 3.0]])).get(0, 0);
    writeln!(out, "  {}", t!("lesson.neuron.library", y = format!("{library:.8}")))?;
    writeln!(out, "{}", t!("lesson.neuron.moral", z = z))
}

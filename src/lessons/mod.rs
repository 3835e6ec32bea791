//! The tutorials' experiments, one module each, built on the public library.
//!
//! Each lesson prints what its tutorial prints (and more: the steps in between) to the writer
//! it is given. The scalar lessons (`neuron`, `forward`, `chain-rule`) show the arithmetic in
//! plain `f64` to match the tutorial's printed digits, and check themselves against the
//! library's `f32` network.

pub mod chain_rule;
pub mod forward;
pub mod gender;
pub mod mse;
pub mod neuron;
pub mod perceptron;

use std::io::{self, Write};

pub use neuron::Neuron;

/// The tutorials' 2-2-1 sigmoid network as a library [`crate::Network`]: every neuron (both
/// hidden and the output) has the two weights `weights`, every bias is 0. Neuron j's weights
/// are column j of its layer's n_in × n_out weight matrix.
fn sigmoid_2_2_1(weights: [f32; 2]) -> crate::Network {
    use crate::{Activation, Dense, Matrix, Network};
    let layer = |n_out: usize| {
        let w = Matrix::from_vec(2, n_out, weights.iter().flat_map(|&w| vec![w; n_out]).collect());
        Dense::from_params(w.expect("2·n_out values"), Matrix::zeros(1, n_out)).expect("matching bias")
    };
    Network::from_layers(vec![(layer(2), Activation::Sigmoid), (layer(1), Activation::Sigmoid)])
        .expect("2 → 2 → 1")
}

/// The lessons, in the tutorials' order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lesson {
    Perceptron,
    Neuron,
    Forward,
    Mse,
    ChainRule,
    Gender,
}

/// Settings shared by the lessons (each uses what it needs).
#[derive(Clone, Debug)]
pub struct LessonOptions {
    pub seed: u64,
}

impl Default for LessonOptions {
    fn default() -> Self {
        LessonOptions { seed: gender::DEFAULT_SEED }
    }
}

impl Lesson {
    pub const ALL: [Lesson; 6] =
        [Lesson::Perceptron, Lesson::Neuron, Lesson::Forward, Lesson::Mse, Lesson::ChainRule, Lesson::Gender];

    /// The name used by `scratchnet lesson NAME`.
    pub fn name(self) -> &'static str {
        match self {
            Lesson::Perceptron => "perceptron",
            Lesson::Neuron => "neuron",
            Lesson::Forward => "forward",
            Lesson::Mse => "mse",
            Lesson::ChainRule => "chain-rule",
            Lesson::Gender => "gender",
        }
    }

    /// One line on what the lesson shows.
    pub fn summary(self) -> &'static str {
        match self {
            Lesson::Perceptron => "the hiking-decision perceptron: weighted sum against a threshold",
            Lesson::Neuron => "one sigmoid neuron: weighted sum, bias, activation",
            Lesson::Forward => "a 2-2-1 network's forward pass, neuron by neuron",
            Lesson::Mse => "the mean squared error, term by term",
            Lesson::ChainRule => "∂L/∂w1 by the chain rule, checked by backprop and finite differences",
            Lesson::Gender => "train a 2-2-1 network on four people by SGD, then predict",
        }
    }

    /// Runs the lesson, printing to `out`.
    ///
    /// # Errors
    /// Only if writing to `out` fails.
    pub fn run(self, options: &LessonOptions, out: &mut dyn Write) -> io::Result<()> {
        match self {
            Lesson::Perceptron => perceptron::run(out),
            Lesson::Neuron => neuron::run(out),
            Lesson::Forward => forward::run(out),
            Lesson::Mse => mse::run(out),
            Lesson::ChainRule => chain_rule::run(out),
            Lesson::Gender => gender::run(options.seed, out),
        }
    }
}

impl std::str::FromStr for Lesson {
    type Err = crate::Error;
    fn from_str(s: &str) -> Result<Self, crate::Error> {
        crate::parse_name("lesson", s, &Lesson::ALL, |l| l.name())
    }
}

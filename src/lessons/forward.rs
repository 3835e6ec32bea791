//! Lesson `forward` (tutorial 002): a 2-2-1 network's forward pass.
//!
//! Two hidden neurons h1, h2 and one output o1, all with weights [0, 1] and bias 0, on input
//! [2, 3]: h1 = h2 = σ(0·2 + 1·3 + 0) = σ(3), o1 = σ(0·h1 + 1·h2 + 0) = 0.7216325609518421.

use std::io::{self, Write};

use super::neuron::Neuron;
use crate::network::Network;
use crate::t;
use crate::tensor::Matrix;

/// h1, h2 and o1 of the tutorial's network for input `x`, in `f64`.
pub fn forward(x: [f64; 2]) -> (f64, f64, f64) {
    let neuron = Neuron::new(vec![0.0, 1.0], 0.0); // every neuron is this one
    let h1 = neuron.forward(&x);
    let h2 = neuron.forward(&x);
    let o1 = neuron.forward(&[h1, h2]);
    (h1, h2, o1)
}

/// The same network built from library parts: sizes [2, 2, 1], sigmoid everywhere, each
/// neuron's weights [0, 1] (column j of W holds neuron j's weights) and biases 0.
pub fn library_network() -> Network {
    super::sigmoid_2_2_1([0.0, 1.0])
}

/// Prints the forward pass neuron by neuron.
pub fn run(out: &mut dyn Write) -> io::Result<()> {
    let (h1, h2, o1) = forward([2.0, 3.0]);
    writeln!(out, "{}", t!("lesson.forward.title"))?;
    writeln!(out, "  {}", t!("lesson.forward.given"))?;
    writeln!(out)?;
    writeln!(out, "  h1 = σ(0·x1 + 1·x2 + 0) = σ(0·2 + 1·3) = σ(3) = {h1}")?;
    writeln!(out, "  h2 = σ(0·x1 + 1·x2 + 0) = σ(0·2 + 1·3) = σ(3) = {h2}")?;
    writeln!(out, "  o1 = σ(0·h1 + 1·h2 + 0) = σ({h2}) = {o1}")?;
    writeln!(out)?;
    let mut net = library_network();
    let y = net.forward(&Matrix::from_rows(&[[2.0, 3.0]])).get(0, 0);
    let hidden = net.layer_output(0);
    let (h1, h2) = (format!("{:.8}", hidden.get(0, 0)), format!("{:.8}", hidden.get(0, 1)));
    writeln!(out, "  {}", t!("lesson.forward.library", h1 = h1, h2 = h2, o1 = format!("{y:.8}")))?;
    writeln!(out, "{}", t!("lesson.forward.moral"))
}

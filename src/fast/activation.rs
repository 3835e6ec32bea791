//! The activations' loops, compiled for the processor at hand and run on parts of a matrix.
//!
//! Replaces [`Activation::forward`] and [`Activation::backward`] (`activation.rs`) for the fast
//! engine. Every value goes through the reference's own scalar formulas
//! ([`Activation::apply`], [`Activation::derivative_from_output`]) in the same order, so the
//! results are the reference's bits; what is faster:
//! - each loop is compiled for AVX-512, AVX2 and the baseline (`simd.rs`), 8 or 16 values at
//!   a time instead of 4;
//! - element-wise activations run on any run of values, so each thread applies them to the
//!   block of a product it has just computed (`gemm.rs`'s `Finish`), bias included;
//! - softmax runs its exponentials over the whole batch at once (rows of 10 classes are
//!   shorter than a vector register).

use super::simd::vectorised;
use crate::activation::{Activation, exp};
use crate::tensor::Matrix;

/// z ← f(z + b) for a run of values `z` of a row and their biases `b`: a layer's bias and its
/// element-wise activation in one pass. Replaces `add_row_to_each_row` then
/// [`Activation::forward`].
pub(crate) fn bias_then_forward(activation: Activation, z: &mut [f32], b: &[f32]) {
    debug_assert!(activation != Activation::Softmax && z.len() == b.len());
    bias_then_forward_loop(activation, z, b);
}

vectorised! {
    fn bias_then_forward_loop(activation: Activation, z: &mut [f32], b: &[f32]) {
        let pairs = z.iter_mut().zip(b);
        match activation {
            Activation::Identity => pairs.for_each(|(v, b)| *v += b),
            Activation::Sigmoid => pairs.for_each(|(v, b)| *v = Activation::Sigmoid.apply(*v + b)),
            Activation::Tanh => pairs.for_each(|(v, b)| *v = Activation::Tanh.apply(*v + b)),
            Activation::Relu => pairs.for_each(|(v, b)| *v = Activation::Relu.apply(*v + b)),
            Activation::Softmax => unreachable!("softmax mixes a whole row"),
        }
    }
}

/// y = f(z) in place. Replaces [`Activation::forward`].
pub(crate) fn forward(activation: Activation, z: &mut Matrix) {
    let cols = z.cols();
    forward_loop(activation, z.as_mut_slice(), cols);
}

vectorised! {
    fn forward_loop(activation: Activation, values: &mut [f32], cols: usize) {
        match activation {
            Activation::Identity => {}
            Activation::Sigmoid => values.iter_mut().for_each(|v| *v = Activation::Sigmoid.apply(*v)),
            Activation::Tanh => values.iter_mut().for_each(|v| *v = Activation::Tanh.apply(*v)),
            Activation::Relu => values.iter_mut().for_each(|v| *v = Activation::Relu.apply(*v)),
            Activation::Softmax => {
                // three passes instead of one per row, the same operations in the same order
                for row in values.chunks_exact_mut(cols) {
                    let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
                    row.iter_mut().for_each(|v| *v -= max);
                }
                values.iter_mut().for_each(|v| *v = exp(*v));
                for row in values.chunks_exact_mut(cols) {
                    let sum: f32 = row.iter().sum();
                    row.iter_mut().for_each(|v| *v /= sum);
                }
            }
        }
    }
}

/// dy ← dy ⊙ f′ for a run of values of an element-wise activation whose outputs were `y`.
/// Replaces [`Activation::backward`] on part of a row.
pub(crate) fn backward_values(activation: Activation, y: &[f32], dy: &mut [f32]) {
    debug_assert!(activation != Activation::Softmax && y.len() == dy.len());
    backward_loop(activation, y, dy, y.len());
}

/// dy ← ∂L/∂z in place, given the forward output `y`. Replaces [`Activation::backward`].
pub(crate) fn backward(activation: Activation, y: &Matrix, dy: &mut Matrix) {
    assert_eq!(y.shape(), dy.shape(), "{} backward: y and dy differ in shape", activation.name());
    backward_loop(activation, y.as_slice(), dy.as_mut_slice(), y.cols());
}

vectorised! {
    fn backward_loop(activation: Activation, y: &[f32], dy: &mut [f32], cols: usize) {
        let pairs = dy.iter_mut().zip(y);
        match activation {
            Activation::Identity => {}
            Activation::Sigmoid => pairs.for_each(|(d, &y)| *d *= Activation::Sigmoid.derivative_from_output(y)),
            Activation::Tanh => pairs.for_each(|(d, &y)| *d *= Activation::Tanh.derivative_from_output(y)),
            Activation::Relu => pairs.for_each(|(d, &y)| *d *= Activation::Relu.derivative_from_output(y)),
            Activation::Softmax => {
                for (d, y) in dy.chunks_exact_mut(cols).zip(y.chunks_exact(cols)) {
                    let dot: f32 = d.iter().zip(y).map(|(d, y)| d * y).sum();
                    d.iter_mut().zip(y).for_each(|(d, y)| *d = y * (*d - dot));
                }
            }
        }
    }
}

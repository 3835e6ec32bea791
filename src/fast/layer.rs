//! A dense layer's passes for the fast engine: the same formulas as [`Dense`] (`layer.rs`),
//! each product cut between threads and fused with the element-wise work around it.
//!
//! - [`forward`] replaces [`Dense::forward`] and the activation after it: y = f(x·W + b), the
//!   bias and f applied by each thread to the block of the product it computed;
//! - [`backward_through`] replaces the ∂L/∂x of [`Dense::backward`] and the previous layer's
//!   activation derivative: (dy·Wᵀ) ⊙ f′, fused the same way;
//! - [`store_gradients`] replaces `zero_grad` and the parameter half of [`Dense::backward`]: the
//!   product writes ∂L/∂W instead of zeroing it and adding;
//! - [`descend`] replaces that half followed by plain SGD's [`Optimizer::step`]: the product
//!   that forms xᵀ·dy adds −lr times it to W as it goes, so ∂L/∂W is never written and read
//!   back (one pass over W instead of three; a fifth of the memory traffic of a step).
//!
//! A layer with many more inputs than outputs (784 → 128) cuts all three products by inputs at
//! the same place ([`gemm::inner_cut`]), so each core works on its own rows of W throughout.
//!
//! [`Optimizer::step`]: crate::Optimizer::step

use super::activation;
use super::gemm::{self, Accum, Finish};
use crate::activation::Activation;
use crate::layer::{Bias, Dense};
use crate::tensor::Matrix;

/// Where `layer`'s products with the batch `x` are cut between threads by inputs (rows of W),
/// if they are: the same for the forward pass, the gradient and the descent step.
fn inner_cut(layer: &Dense, x: &Matrix, threads: usize) -> Option<usize> {
    gemm::inner_cut(x.rows(), layer.n_in(), layer.n_out(), threads)
}

/// y = f(x·W + b) into `y`, with `partial` as scratch for a product cut by inputs.
pub(crate) fn forward(
    layer: &Dense,
    x: &Matrix,
    f: Activation,
    (y, partial): (&mut Matrix, &mut Matrix),
    threads: usize,
) {
    let (w, bias) = (&layer.weight.value, layer.bias.value.as_slice());
    let finish = |_row: usize, col: usize, z: &mut [f32]| {
        activation::bias_then_forward(f, z, &bias[col..col + z.len()]);
    };
    let finish: Option<Finish<'_>> = (f != Activation::Softmax).then_some(&finish);
    match inner_cut(layer, x, threads) {
        Some(at) => gemm::matmul_cut_inner_then(x, w, at, (y, partial), finish, threads),
        None => gemm::matmul_then(x, w, y, finish, threads),
    }
    if finish.is_none() {
        y.add_row_to_each_row(&layer.bias.value); // softmax mixes a row: after the product
        activation::forward(f, y);
    }
}

/// dz = (dy·Wᵀ) ⊙ f′(x): ∂L/∂z of the layer before, whose output x = f(z) was this layer's
/// input.
pub(crate) fn backward_through(
    layer: &Dense,
    dy: &Matrix,
    x: &Matrix,
    f: Activation,
    dz: &mut Matrix,
    threads: usize,
) {
    if f == Activation::Softmax {
        gemm::matmul_t_then(dy, &layer.weight.value, dz, None, threads);
        activation::backward(f, x, dz);
        return;
    }
    let finish = |row: usize, col: usize, d: &mut [f32]| {
        activation::backward_values(f, &x.row(row)[col..col + d.len()], d);
    };
    gemm::matmul_t_then(dy, &layer.weight.value, dz, Some(&finish), threads);
}

/// weight.grad = xᵀ·dy and bias.grad = Σ dy, replacing what was there.
pub(crate) fn store_gradients(layer: &mut Dense, x: &Matrix, dy: &Matrix, threads: usize) {
    assert_eq!(dy.rows(), x.rows(), "backward: dy and x differ in batch size");
    let cut = inner_cut(layer, x, threads); // as in the forward pass
    gemm::t_matmul_into(x, dy, &mut layer.weight.grad, Accum::Replace, cut, threads);
    if layer.bias_mode() == Bias::Learned {
        store_bias_gradient(layer, dy);
    }
}

/// One step of plain gradient descent, W ← W − lr·xᵀ·dy and b ← b − lr·Σ dy, the weight
/// gradient never stored. The bias gradient is left in `bias.grad`; `weight.grad` is left as
/// it was.
pub(crate) fn descend(layer: &mut Dense, x: &Matrix, dy: &Matrix, lr: f32, threads: usize) {
    assert_eq!(dy.rows(), x.rows(), "descend: dy and x differ in batch size");
    let cut = inner_cut(layer, x, threads); // as in the forward pass
    gemm::t_matmul_into(x, dy, &mut layer.weight.value, Accum::Add(-lr), cut, threads);
    if layer.bias_mode() == Bias::Learned {
        store_bias_gradient(layer, dy);
        let bias = &mut layer.bias;
        for (b, g) in bias.value.as_mut_slice().iter_mut().zip(bias.grad.as_slice()) {
            *b -= lr * g;
        }
    }
}

/// bias.grad = Σ_rows dy, rows added in order (as `Matrix::sum_rows`).
fn store_bias_gradient(layer: &mut Dense, dy: &Matrix) {
    let grad = &mut layer.bias.grad;
    grad.fill_zero();
    gemm::add_each_chunk(dy.as_slice(), grad.as_mut_slice());
}

//! A training step's passes through the whole network, for the fast engine.
//!
//! Replaces [`Network::forward`], the loss's gradient and [`Network::backward`] (`network.rs`):
//! the same layers in the same order, through this folder's `layer.rs`, with three changes:
//! - outputs and gradients live in buffers reused from step to step (no allocation);
//! - the first layer's ∂L/∂x, the gradient for the data itself, is never computed (nothing
//!   uses it: nearly half of the backward work of a 784-128-64-10 network);
//! - on two threads, while this thread runs the layers after the first, the other runs the
//!   caller's `meanwhile` work (gathering the next batch): those layers are too small to gain
//!   from two threads (measured: the same time on one as on two), so the second core would
//!   idle. Whether to overlap depends only on the layer sizes and the thread count, so a seed
//!   and a thread count still give the same numbers.

use std::ops::Range;

use super::layer;
use super::threads::join;
use crate::layer::Dense;
use crate::loss::Loss;
use crate::network::Network;
use crate::tensor::Matrix;

/// What a step does with the gradient of each layer's parameters.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Update {
    /// Store it in the parameters' `grad` (replacing what was there), for an optimizer.
    Store,
    /// Apply θ ← θ − lr·g inside the gradient's product ([`layer::descend`]).
    Descend(f32),
}

/// The buffers of a step's passes, reused from step to step.
#[derive(Debug, Default)]
pub(crate) struct Passes {
    /// `outputs[i]`: layer i's output after its activation.
    outputs: Vec<Matrix>,
    /// `deltas[i]`: ∂L/∂z of layer i (before its activation).
    deltas: Vec<Matrix>,
    /// Scratch for a product cut by its inner dimension.
    partial: Matrix,
}

impl Passes {
    /// The network's output from the last step.
    pub(crate) fn output(&self) -> &Matrix {
        self.outputs.last().expect("a step has run")
    }

    /// Forward `x`, the loss against `targets`, and backward, each layer's gradient handled as
    /// `update` says, with `meanwhile` run on another thread during the later layers when that
    /// pays. Returns the loss; with a loss that is not finite, a descent touches no parameter.
    pub(crate) fn step_while(
        &mut self,
        net: &mut Network,
        (x, targets): (&Matrix, &Matrix),
        (loss, update): (Loss, Update),
        threads: usize,
        meanwhile: impl FnOnce() + Send,
    ) -> f32 {
        let n = net.layers().len();
        self.outputs.resize_with(n, Matrix::default);
        self.deltas.resize_with(n, Matrix::default);
        let overlap = threads > 1 && later_layers_are_small(net.layers());
        let mut meanwhile = Some(meanwhile);
        if !overlap && let Some(work) = meanwhile.take() {
            work();
        }
        self.forward_layers(net, x, 0..1, threads);
        let mut value = f32::NAN;
        let mut later = || value = self.later_layers(net, (x, targets), (loss, update), threads);
        match meanwhile {
            Some(work) => join(later, work),
            None => later(),
        }
        if goes_on(update, value) {
            self.backward_layers(net, x, 0..1, update, threads);
        }
        value
    }

    /// Forward from layer 1, the loss, and backward down to ∂L/∂z of layer 0 in `deltas[0]`.
    fn later_layers(
        &mut self,
        net: &mut Network,
        (x, targets): (&Matrix, &Matrix),
        (loss, update): (Loss, Update),
        threads: usize,
    ) -> f32 {
        let n = net.layers().len();
        self.forward_layers(net, x, 1..n, threads);
        let last = n - 1;
        let y = &self.outputs[last];
        loss.gradient_wrt_logits_into(net.output_activation(), y, targets, &mut self.deltas[last]);
        let value = loss.value(y, targets);
        if goes_on(update, value) {
            self.backward_layers(net, x, 1..n, update, threads);
        }
        value
    }

    /// The forward pass through `layers` (layer 0 reads `x`, the others the previous output).
    fn forward_layers(&mut self, net: &Network, x: &Matrix, layers: Range<usize>, threads: usize) {
        for i in layers {
            let (before, rest) = self.outputs.split_at_mut(i);
            let input = if i == 0 { x } else { &before[i - 1] };
            let f = net.activations()[i];
            layer::forward(&net.layers()[i], input, f, (&mut rest[0], &mut self.partial), threads);
        }
    }

    /// The backward pass through `layers`, from the last: each layer's dz (in `deltas`) gives
    /// the previous layer's dz (not for layer 0), then its parameters' gradient, handled as
    /// `update` says (after ∂L/∂x, which needs the weights as they were).
    fn backward_layers(
        &mut self,
        net: &mut Network,
        x: &Matrix,
        layers: Range<usize>,
        update: Update,
        threads: usize,
    ) {
        for i in layers.rev() {
            let (before, rest) = self.deltas.split_at_mut(i);
            let input = if i == 0 {
                x
            } else {
                let f = net.activations()[i - 1];
                let output = &self.outputs[i - 1];
                layer::backward_through(&net.layers()[i], &rest[0], output, f, &mut before[i - 1], threads);
                output
            };
            let dense = &mut net.layers_mut()[i];
            match update {
                Update::Store => layer::store_gradients(dense, input, &rest[0], threads),
                Update::Descend(lr) => layer::descend(dense, input, &rest[0], lr, threads),
            }
        }
    }
}

/// Whether the backward pass runs after a batch whose loss is `loss`: gradients are always
/// formed, but a descent on a loss that is not finite touches no parameter.
fn goes_on(update: Update, loss: f32) -> bool {
    loss.is_finite() || update == Update::Store
}

/// True if the layers after the first hold under a quarter of the first one's weights.
fn later_layers_are_small(layers: &[Dense]) -> bool {
    let weights = |l: &Dense| l.n_in() * l.n_out();
    let later: usize = layers[1..].iter().map(weights).sum();
    later * 4 < weights(&layers[0])
}

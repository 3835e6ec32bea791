//! `Network`: dense layers in sequence, each followed by its activation.
//!
//! Forward runs x → Dense → f → Dense → f → … → output; backward runs the chain rule the other
//! way, layer by layer, exactly as tutorial 003 does for its 2-2-1 network by hand, but for
//! any sizes and a whole batch at once.
//!
//! Read next: `optim.rs` (what to do with the gradients backward leaves in each `Param`).

use crate::Error;
use crate::activation::Activation;
use crate::layer::{Bias, Dense, Init, Param};
use crate::loss::Loss;
use crate::rng::Rng;
use crate::tensor::Matrix;

/// A multi-layer perceptron: `layers[i]` is followed by `activations[i]`.
#[derive(Clone, Debug)]
pub struct Network {
    layers: Vec<Dense>,
    activations: Vec<Activation>,
    /// `outputs[i]` = activations[i](layers[i](…)), kept by `forward` for `backward`.
    outputs: Vec<Matrix>,
    /// The input of the last [`forward`](Self::forward), for [`backward`](Self::backward).
    input: Matrix,
    /// `deltas[i]` = ∂L/∂z of layer i (before its activation): reused buffers for `backward`.
    deltas: Vec<Matrix>,
    /// Scratch for a product cut by its inner dimension ([`Dense::apply_activated_with`]).
    partial: Matrix,
}

impl Network {
    /// A network with layer sizes `sizes` (input first, output last), `hidden` after every
    /// layer but the last, `output` after the last, weights drawn by `init`, biases 0.
    ///
    /// ```
    /// use scratchnet::{Activation, Init, Network, Rng};
    /// let mut rng = Rng::new(0);
    /// let net = Network::new(&[784, 128, 64, 10], Activation::Relu, Activation::Softmax, Init::He, &mut rng)?;
    /// assert_eq!(net.sizes(), vec![784, 128, 64, 10]);
    /// # Ok::<(), scratchnet::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Layers`] if there are fewer than two sizes or a size is 0.
    pub fn new(
        sizes: &[usize],
        hidden: Activation,
        output: Activation,
        init: Init,
        rng: &mut Rng,
    ) -> Result<Network, Error> {
        validate_sizes(sizes)?;
        let last = sizes.len() - 2;
        let layers = sizes
            .windows(2)
            .enumerate()
            .map(|(i, pair)| {
                let activation = if i == last { output } else { hidden };
                (Dense::new(pair[0], pair[1], init, rng), activation)
            })
            .collect();
        Network::from_layers(layers)
    }

    /// A network from ready-made layers, each with the activation that follows it.
    ///
    /// # Errors
    /// [`Error::Layers`] if the list is empty or a layer's inputs differ from the previous
    /// layer's outputs.
    pub fn from_layers(layers: Vec<(Dense, Activation)>) -> Result<Network, Error> {
        if layers.is_empty() {
            return Err(Error::Layers("a network needs at least one layer".into()));
        }
        for (i, pair) in layers.windows(2).enumerate() {
            let (a, b) = (&pair[0].0, &pair[1].0);
            if a.n_out() != b.n_in() {
                return Err(Error::Layers(format!(
                    "layer sizes do not chain: layer {i} has {} outputs but layer {} expects {} inputs",
                    a.n_out(),
                    i + 1,
                    b.n_in()
                )));
            }
        }
        let outputs: Vec<Matrix> = layers.iter().map(|(d, _)| Matrix::zeros(0, d.n_out())).collect();
        let deltas = outputs.clone();
        let (layers, activations) = layers.into_iter().unzip();
        Ok(Network {
            layers,
            activations,
            outputs,
            input: Matrix::default(),
            deltas,
            partial: Matrix::default(),
        })
    }

    /// Layer sizes, input first: `[n_in of layer 0, n_out of layer 0, n_out of layer 1, …]`.
    pub fn sizes(&self) -> Vec<usize> {
        let mut sizes = vec![self.layers[0].n_in()];
        sizes.extend(self.layers.iter().map(Dense::n_out));
        sizes
    }

    /// Number of input features.
    pub fn n_in(&self) -> usize {
        self.layers[0].n_in()
    }

    /// Number of outputs.
    pub fn n_out(&self) -> usize {
        self.layers[self.layers.len() - 1].n_out()
    }

    pub fn layers(&self) -> &[Dense] {
        &self.layers
    }

    /// The layers, to set weights by hand (the chain-rule lesson sets them all to 1).
    pub fn layers_mut(&mut self) -> &mut [Dense] {
        &mut self.layers
    }

    /// The activation after each layer.
    pub fn activations(&self) -> &[Activation] {
        &self.activations
    }

    /// The activation after the last layer.
    pub fn output_activation(&self) -> Activation {
        self.activations[self.activations.len() - 1]
    }

    /// Checks that `x` has one column per input of the network.
    ///
    /// # Errors
    /// [`Error::DataMismatch`] naming both widths.
    pub fn check_input(&self, x: &Matrix) -> Result<(), Error> {
        self.check_width(x.cols())
    }

    /// Checks that data with `n_features` input features fits the first layer.
    ///
    /// # Errors
    /// [`Error::DataMismatch`] naming both widths.
    pub fn check_width(&self, n_features: usize) -> Result<(), Error> {
        if n_features != self.n_in() {
            return Err(Error::DataMismatch(format!(
                "the data has {n_features} input features but the network's first layer expects {}",
                self.n_in()
            )));
        }
        Ok(())
    }

    /// The outputs for inputs `x` (n × n_in → n × n_out), no side effects.
    ///
    /// # Panics
    /// If `x` has the wrong width; check user data with [`check_input`](Self::check_input).
    pub fn predict(&self, x: &Matrix) -> Matrix {
        let mut y = x.clone();
        for (layer, activation) in self.layers.iter().zip(&self.activations) {
            y = layer.apply(&y);
            activation.forward(&mut y);
        }
        y
    }

    /// Like [`predict`](Self::predict), and keeps every layer's input and output for
    /// [`backward`](Self::backward). Returns the network's output.
    #[doc(alias = "feedforward")]
    pub fn forward(&mut self, x: &Matrix) -> &Matrix {
        self.input.copy_from(x);
        let input = std::mem::take(&mut self.input);
        self.forward_from(&input);
        self.input = input;
        self.output()
    }

    /// The output of the last [`forward`](Self::forward) (or [`train_batch`](Self::train_batch)).
    pub fn output(&self) -> &Matrix {
        &self.outputs[self.outputs.len() - 1]
    }

    /// The output of layer `i` (after its activation) from the last [`forward`](Self::forward):
    /// the hidden values h of the tutorials.
    pub fn layer_output(&self, i: usize) -> &Matrix {
        &self.outputs[i]
    }

    /// Backpropagates `dy` = ∂L/∂(network output) from the last [`forward`](Self::forward),
    /// adding every parameter's gradient to its `grad`.
    pub fn backward(&mut self, dy: &Matrix) {
        let last = self.outputs.len() - 1;
        self.deltas[last].copy_from(dy);
        self.output_activation().backward(&self.outputs[last], &mut self.deltas[last]);
        let input = std::mem::take(&mut self.input);
        self.backward_from_logits(&input, true);
        self.input = input;
    }

    /// Computes `loss` of the last [`forward`](Self::forward)'s output against `targets`,
    /// backpropagates it (fused softmax/sigmoid + cross-entropy where possible, see
    /// [`Loss::gradient_wrt_logits`]), adding to every `grad`, and returns the loss value.
    ///
    /// # Panics
    /// If `targets` does not match the output's shape (training checks data widths first).
    pub fn backward_loss(&mut self, loss: Loss, targets: &Matrix) -> f32 {
        let value = self.loss_gradient(loss, targets);
        let input = std::mem::take(&mut self.input);
        self.backward_from_logits(&input, true);
        self.input = input;
        value
    }

    /// One training step's passes: forward `x`, then backward from `loss` against `targets`,
    /// *replacing* every `grad` with this batch's gradient. The same numbers as
    /// [`zero_grad`](Self::zero_grad) + [`forward`](Self::forward) +
    /// [`backward_loss`](Self::backward_loss), without copying `x` or zeroing the gradients
    /// first. Returns the loss; the output stays readable through [`output`](Self::output).
    pub fn train_batch(&mut self, x: &Matrix, loss: Loss, targets: &Matrix) -> f32 {
        self.train_batch_while(x, loss, targets, || {})
    }

    /// [`train_batch`](Self::train_batch), running `meanwhile` on a second thread during the
    /// layers after the first, as [`sgd_batch_while`](Self::sgd_batch_while) does.
    pub fn train_batch_while(
        &mut self,
        x: &Matrix,
        loss: Loss,
        targets: &Matrix,
        meanwhile: impl FnOnce() + Send,
    ) -> f32 {
        self.step_while(x, loss, targets, Update::Store, meanwhile)
    }

    /// One step of plain SGD on the batch `x`: [`train_batch`](Self::train_batch) followed by
    /// θ ← θ − lr·∂L/∂θ for every parameter, with each weight update done by the product
    /// that forms its gradient ([`Dense::descend`]), so no weight gradient is written or read
    /// back: at batch 64 on MNIST that is a fifth less memory traffic per step. The numbers
    /// are those of the separate passes up to rounding (the update's multiply-add happens
    /// inside the product). Each layer's ∂L/∂x is formed before its weights change. If the
    /// loss is not finite, no parameter is touched. Returns the loss; weight gradients are not
    /// kept (`grad` of weights is left as it was).
    pub fn sgd_batch(&mut self, x: &Matrix, loss: Loss, targets: &Matrix, lr: f32) -> f32 {
        self.sgd_batch_while(x, loss, targets, lr, || {})
    }

    /// [`sgd_batch`](Self::sgd_batch), running `meanwhile` on a second thread while this one
    /// does the layers after the first (the training loop gathers the next batch there).
    ///
    /// Why: in a network whose first layer holds nearly all the weights (784-128-64-10: 92%),
    /// the later layers' products are too small to gain from two threads (measured: the
    /// same time on one as on two), so during them the second core would idle. With no
    /// second thread, or if the later layers are not small, `meanwhile` runs first and the
    /// step runs as [`sgd_batch`](Self::sgd_batch) does. Whether to overlap depends only on
    /// the layer sizes and the thread count, so a seed and a thread count still give the same
    /// numbers.
    pub fn sgd_batch_while(
        &mut self,
        x: &Matrix,
        loss: Loss,
        targets: &Matrix,
        lr: f32,
        meanwhile: impl FnOnce() + Send,
    ) -> f32 {
        self.step_while(x, loss, targets, Update::Descend(lr), meanwhile)
    }

    /// A training step's passes on the batch `x`, with `meanwhile` run on a second thread
    /// during the layers after the first when that pays (see
    /// [`sgd_batch_while`](Self::sgd_batch_while)).
    fn step_while(
        &mut self,
        x: &Matrix,
        loss: Loss,
        targets: &Matrix,
        update: Update,
        meanwhile: impl FnOnce() + Send,
    ) -> f32 {
        let overlap = crate::parallel::threads() > 1 && self.later_layers_are_small();
        let mut meanwhile = Some(meanwhile);
        if !overlap && let Some(work) = meanwhile.take() {
            work();
        }
        self.forward_layers(x, 0..1);
        let mut value = f32::NAN;
        let mut later = || value = self.later_layers(x, loss, targets, update);
        match meanwhile {
            Some(work) => crate::parallel::join(later, work),
            None => later(),
        }
        if update.goes_on_after(value) {
            self.backward_layers(x, 0..1, update);
        }
        value
    }

    /// Forward from layer 1 (layer 0's output is in `outputs[0]`), the loss, and backward down
    /// to ∂L/∂z of layer 0 in `deltas[0]`, storing or applying the gradients of layers 1.. as
    /// `update` says. Returns the loss; a descent with a loss that is not finite stops there.
    fn later_layers(&mut self, x: &Matrix, loss: Loss, targets: &Matrix, update: Update) -> f32 {
        let n = self.layers.len();
        self.forward_layers(x, 1..n);
        let value = self.loss_gradient(loss, targets);
        if update.goes_on_after(value) {
            self.backward_layers(x, 1..n, update);
        }
        value
    }

    /// True if the layers after the first hold under a quarter of the first one's weights.
    fn later_layers_are_small(&self) -> bool {
        let weights = |l: &Dense| l.n_in() * l.n_out();
        let later: usize = self.layers[1..].iter().map(weights).sum();
        later * 4 < weights(&self.layers[0])
    }
    /// The forward pass from `x`, into the reused `outputs` buffers.
    fn forward_from(&mut self, x: &Matrix) {
        self.forward_layers(x, 0..self.layers.len());
    }

    /// The forward pass through `layers` (layer 0 reads `x`, the others the previous output).
    fn forward_layers(&mut self, x: &Matrix, layers: std::ops::Range<usize>) {
        for i in layers {
            let (before, rest) = self.outputs.split_at_mut(i);
            let input = if i == 0 { x } else { &before[i - 1] };
            self.layers[i].apply_activated_with(input, self.activations[i], &mut rest[0], &mut self.partial);
        }
    }

    /// The loss of the output against `targets`, leaving ∂L/∂z of the last layer in `deltas`.
    fn loss_gradient(&mut self, loss: Loss, targets: &Matrix) -> f32 {
        let last = self.outputs.len() - 1;
        let y = &self.outputs[last];
        loss.gradient_wrt_logits_into(self.output_activation(), y, targets, &mut self.deltas[last]);
        loss.value(y, targets)
    }

    /// Backpropagates from dz = ∂L/∂z of the last layer (in `deltas`) for a forward pass from
    /// `x`, adding every parameter's gradient (`add`) or replacing it.
    fn backward_from_logits(&mut self, x: &Matrix, add: bool) {
        let update = if add { Update::Add } else { Update::Store };
        self.backward_layers(x, 0..self.layers.len(), update);
    }

    /// The backward pass through `layers`, from the last: each layer's dz (in `deltas`) gives
    /// ∂L/∂(its input), turned into the previous layer's dz by that layer's activation
    /// derivative (not for layer 0: ∂L/∂x of the data is never used), and its parameters'
    /// gradient, handled as `update` says (after ∂L/∂x, which needs the weights as they were).
    fn backward_layers(&mut self, x: &Matrix, layers: std::ops::Range<usize>, update: Update) {
        for i in layers.rev() {
            let (before, rest) = self.deltas.split_at_mut(i);
            let input = if i == 0 {
                x
            } else {
                let f = self.activations[i - 1];
                self.layers[i].backward_through(&rest[0], &self.outputs[i - 1], f, &mut before[i - 1]);
                &self.outputs[i - 1]
            };
            match update {
                Update::Add => self.layers[i].param_gradients(input, &rest[0], true),
                Update::Store => self.layers[i].param_gradients(input, &rest[0], false),
                Update::Descend(lr) => self.layers[i].descend(input, &rest[0], lr),
            }
        }
    }

    /// Sets every parameter's gradient to 0 (before each batch: `backward` adds).
    pub fn zero_grad(&mut self) {
        for param in self.params_mut() {
            param.grad.fill_zero();
        }
    }

    /// Every parameter in a fixed order: layer 0 weight, layer 0 bias, layer 1 weight, …
    /// The order names them ([`param_names`](Self::param_names)) and indexes optimizer state.
    pub fn params_mut(&mut self) -> Vec<&mut Param> {
        self.params_iter_mut().collect()
    }

    /// The parameters of [`params_mut`](Self::params_mut) without collecting them (the
    /// training loop's optimizer step allocates nothing).
    pub fn params_iter_mut(&mut self) -> impl Iterator<Item = &mut Param> {
        self.layers.iter_mut().flat_map(Dense::params_iter_mut)
    }

    /// Every parameter, in the order of [`params_mut`](Self::params_mut).
    pub fn params(&self) -> Vec<&Param> {
        self.layers.iter().flat_map(Dense::params).collect()
    }

    /// `layers.{i}.weight`, `layers.{i}.bias`, … in the order of [`params`](Self::params).
    pub fn param_names(&self) -> Vec<String> {
        let names = |(i, layer): (usize, &Dense)| match layer.bias_mode() {
            Bias::Learned => vec![format!("layers.{i}.weight"), format!("layers.{i}.bias")],
            Bias::None => vec![format!("layers.{i}.weight")],
        };
        self.layers.iter().enumerate().flat_map(names).collect()
    }

    /// The same network with no biases in any layer (tutorial 001's).
    pub fn without_biases(mut self) -> Network {
        self.layers = self.layers.into_iter().map(Dense::without_bias).collect();
        self
    }

    /// Total number of trainable numbers.
    pub fn param_count(&self) -> usize {
        self.params().iter().map(|p| p.value.len()).sum()
    }
}

/// What a training step does with the gradient of each layer's parameters.
#[derive(Clone, Copy)]
enum Update {
    /// Add it to the parameters' `grad`.
    Add,
    /// Store it in the parameters' `grad` (replacing what was there), for an optimizer.
    Store,
    /// Apply θ ← θ − lr·g inside the gradient's product ([`Dense::descend`]).
    Descend(f32),
}

impl Update {
    /// Whether the backward pass runs after a batch whose loss is `loss`: gradients are always
    /// formed, but a descent on a loss that is not finite touches no parameter.
    fn goes_on_after(self, loss: f32) -> bool {
        loss.is_finite() || !matches!(self, Update::Descend(_))
    }
}

/// Checks a list of layer sizes given by a user.
///
/// # Errors
/// [`Error::Layers`] if there are fewer than two sizes or a size is 0.
pub fn validate_sizes(sizes: &[usize]) -> Result<(), Error> {
    if sizes.len() < 2 {
        return Err(Error::Layers(format!(
            "a network needs at least two layer sizes (inputs and outputs), got {sizes:?}"
        )));
    }
    if let Some(i) = sizes.iter().position(|&s| s == 0) {
        return Err(Error::Layers(format!(
            "layer size {i} in {sizes:?} is 0; every layer needs at least one unit"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_that_do_not_chain_are_refused() {
        let mut rng = Rng::new(0);
        let a = Dense::new(2, 3, Init::Xavier, &mut rng);
        let b = Dense::new(4, 1, Init::Xavier, &mut rng);
        let err = Network::from_layers(vec![(a, Activation::Relu), (b, Activation::Sigmoid)]).unwrap_err();
        assert!(err.to_string().contains("layer 0 has 3 outputs but layer 1 expects 4 inputs"), "{err}");
        assert!(Network::from_layers(vec![]).is_err());
    }

    #[test]
    fn zero_sizes_and_short_lists_are_refused() {
        let mut rng = Rng::new(0);
        let new = |sizes: &[usize], rng: &mut Rng| {
            Network::new(sizes, Activation::Relu, Activation::Identity, Init::He, rng).map(|_| ())
        };
        assert!(
            new(&[3, 0, 1], &mut rng).unwrap_err().to_string().contains("layer size 1 in [3, 0, 1] is 0")
        );
        assert!(new(&[3], &mut rng).is_err());
        assert!(new(&[], &mut rng).is_err());
        assert!(new(&[3, 1], &mut rng).is_ok());
    }

    #[test]
    fn wrong_input_width_is_an_error() {
        let mut rng = Rng::new(0);
        let net = Network::new(&[3, 2], Activation::Relu, Activation::Identity, Init::He, &mut rng).unwrap();
        let err = net.check_input(&Matrix::zeros(5, 4)).unwrap_err();
        assert!(
            err.to_string().contains("has 4 input features but the network's first layer expects 3"),
            "{err}"
        );
    }

    #[test]
    fn a_fused_sgd_step_equals_gradients_then_an_update() {
        let mut rng = Rng::new(5);
        let mut net =
            Network::new(&[6, 40, 33, 3], Activation::Sigmoid, Activation::Softmax, Init::Xavier, &mut rng)
                .unwrap();
        let x = Matrix::from_vec(9, 6, (0..54).map(|i| (i as f32 * 0.37).sin()).collect()).unwrap();
        let mut t = Matrix::zeros(9, 3);
        (0..9).for_each(|r| t.set(r, r % 3, 1.0));
        let (mut separate, initial) = (net.clone(), net.clone());
        for _ in 0..3 {
            let fused = net.sgd_batch(&x, Loss::CrossEntropy, &t, 0.5);
            let loss = separate.train_batch(&x, Loss::CrossEntropy, &t);
            crate::Optimizer::new(crate::Method::Sgd).step(separate.params_iter_mut(), 0.5);
            assert!((fused - loss).abs() < 1e-6, "{fused} vs {loss}");
        }
        for (a, b) in net.params().iter().zip(separate.params()) {
            for (u, v) in a.value.as_slice().iter().zip(b.value.as_slice()) {
                assert!((u - v).abs() < 1e-6, "{u} vs {v}");
            }
        }
        assert_ne!(net.params()[0].value, initial.params()[0].value, "the steps moved the weights");
    }

    #[test]
    fn work_run_meanwhile_runs_once_and_changes_no_number() {
        let _count = crate::parallel::hold_thread_count();
        let mut rng = Rng::new(8);
        // the first layer holds most weights, so two threads overlap the later layers
        let mut net =
            Network::new(&[300, 64, 16, 4], Activation::Relu, Activation::Softmax, Init::He, &mut rng)
                .unwrap();
        assert!(net.later_layers_are_small());
        let x = Matrix::from_vec(32, 300, (0..9600).map(|i| (i as f32 * 0.011).cos()).collect()).unwrap();
        let mut t = Matrix::zeros(32, 4);
        (0..32).for_each(|r| t.set(r, r % 4, 1.0));
        for threads in [1, 2] {
            crate::parallel::set_threads(threads);
            let (mut plain, mut overlapped) = (net.clone(), net.clone());
            let mut runs = 0;
            for _ in 0..3 {
                let a = plain.sgd_batch(&x, Loss::CrossEntropy, &t, 0.05);
                let b = overlapped.sgd_batch_while(&x, Loss::CrossEntropy, &t, 0.05, || runs += 1);
                assert_eq!(a.to_bits(), b.to_bits());
            }
            let a = plain.train_batch(&x, Loss::CrossEntropy, &t);
            let b = overlapped.train_batch_while(&x, Loss::CrossEntropy, &t, || runs += 1);
            assert_eq!(a.to_bits(), b.to_bits());
            assert_eq!(runs, 4, "{threads} threads");
            let bits = |n: &Network| {
                n.params()
                    .iter()
                    .flat_map(|p| [p.value.as_slice(), p.grad.as_slice()].concat())
                    .collect::<Vec<_>>()
            };
            assert_eq!(bits(&plain), bits(&overlapped), "{threads} threads");
        }
        crate::parallel::set_threads(1);
        net = net.without_biases();
        assert!(net.sgd_batch(&x, Loss::CrossEntropy, &t, 0.05).is_finite());
    }

    #[test]
    fn a_fused_sgd_step_with_a_nan_loss_leaves_the_parameters_alone() {
        let mut rng = Rng::new(6);
        let mut net =
            Network::new(&[2, 3, 1], Activation::Tanh, Activation::Identity, Init::Xavier, &mut rng).unwrap();
        let before: Vec<Matrix> = net.params().iter().map(|p| p.value.clone()).collect();
        let x = Matrix::from_rows(&[[f32::NAN, 1.0]]);
        let loss = net.sgd_batch(&x, Loss::Mse, &Matrix::from_rows(&[[0.0]]), 0.1);
        assert!(loss.is_nan());
        let after: Vec<Matrix> = net.params().iter().map(|p| p.value.clone()).collect();
        assert_eq!(before, after);
    }

    #[test]
    fn forward_and_predict_agree_and_names_follow_the_order() {
        let mut rng = Rng::new(1);
        let mut net =
            Network::new(&[3, 4, 2], Activation::Tanh, Activation::Softmax, Init::Xavier, &mut rng).unwrap();
        let x = Matrix::from_rows(&[[0.1, -0.2, 0.3], [1.0, 0.5, -1.0]]);
        let predicted = net.predict(&x);
        assert_eq!(net.forward(&x), &predicted);
        assert_eq!(
            net.param_names(),
            ["layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"]
        );
        assert_eq!(net.param_count(), 3 * 4 + 4 + 4 * 2 + 2);
        assert_eq!(net.sizes(), [3, 4, 2]);
        let net = net.without_biases();
        assert_eq!(net.param_names(), ["layers.0.weight", "layers.1.weight"]);
        assert_eq!(net.param_count(), 3 * 4 + 4 * 2);
    }
}

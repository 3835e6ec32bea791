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
            return Err(Error::Layers(crate::t!("error.network.no-layers").into()));
        }
        for (i, pair) in layers.windows(2).enumerate() {
            let (a, b) = (&pair[0].0, &pair[1].0);
            if a.n_out() != b.n_in() {
                let (outputs, next, inputs) = (a.n_out(), i + 1, b.n_in());
                return Err(Error::Layers(crate::t!(
                    "error.network.chain",
                    layer = i,
                    outputs = outputs,
                    next = next,
                    inputs = inputs
                )));
            }
        }
        let outputs = layers.iter().map(|(d, _)| Matrix::zeros(0, d.n_out())).collect();
        let (layers, activations) = layers.into_iter().unzip();
        Ok(Network { layers, activations, outputs })
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

    /// Checks that data with `n_features` input features fits the first layer.
    ///
    /// # Errors
    /// [`Error::DataMismatch`] naming both widths.
    pub fn check_width(&self, n_features: usize) -> Result<(), Error> {
        if n_features != self.n_in() {
            let expected = self.n_in();
            return Err(Error::DataMismatch(crate::t!(
                "error.network.width",
                features = n_features,
                expected = expected
            )));
        }
        Ok(())
    }

    /// The outputs for inputs `x` (n × n_in → n × n_out), no side effects.
    ///
    /// # Panics
    /// If `x` has the wrong width; check user data with [`check_width`](Self::check_width).
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
        let mut h = x.clone();
        for ((layer, activation), output) in
            self.layers.iter_mut().zip(&self.activations).zip(&mut self.outputs)
        {
            let mut z = layer.forward(&h); // z = h·W + b, remembering h
            activation.forward(&mut z); // h = f(z)
            output.copy_from(&z);
            h = z;
        }
        self.output()
    }

    /// The output of the last [`forward`](Self::forward).
    pub fn output(&self) -> &Matrix {
        &self.outputs[self.outputs.len() - 1]
    }

    /// The output of layer `i` (after its activation) from the last [`forward`](Self::forward):
    /// the hidden values h of the tutorials.
    pub fn layer_output(&self, i: usize) -> &Matrix {
        &self.outputs[i]
    }

    /// Backpropagation: given dz = ∂L/∂z of the last layer (its output before the activation,
    /// which [`Loss::gradient_wrt_logits`] gives, fused with softmax or sigmoid), runs the chain
    /// rule back through every layer of the last [`forward`](Self::forward), adding (+=) each
    /// parameter's gradient to its `grad`. Layer by layer, from the last:
    ///
    /// ```text
    /// ∂L/∂h = layer.backward(dz)          (∂L/∂W, ∂L/∂b stored; returns dz·Wᵀ)
    /// dz    = ∂L/∂h ⊙ f′(h)               (through the activation of the layer before)
    /// ```
    pub fn backward(&mut self, dz: &Matrix) {
        let mut dz = dz.clone();
        for i in (0..self.layers.len()).rev() {
            let dh = self.layers[i].backward(&dz);
            if i > 0 {
                dz = dh;
                self.activations[i - 1].backward(&self.outputs[i - 1], &mut dz);
            }
        }
    }

    /// The loss of the last [`forward`](Self::forward)'s output against `targets`, and its
    /// [`backward`](Self::backward) pass. Returns the loss.
    ///
    /// # Panics
    /// If `targets` does not match the output's shape (training checks data widths first).
    pub fn backward_loss(&mut self, loss: Loss, targets: &Matrix) -> f32 {
        let (y, output) = (self.output(), self.output_activation());
        let dz = loss.gradient_wrt_logits(output, y, targets);
        let value = loss.value(y, targets);
        self.backward(&dz);
        value
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
        self.layers.iter_mut().flat_map(Dense::params_mut).collect()
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

/// Checks a list of layer sizes given by a user.
///
/// # Errors
/// [`Error::Layers`] if there are fewer than two sizes or a size is 0.
pub fn validate_sizes(sizes: &[usize]) -> Result<(), Error> {
    if sizes.len() < 2 {
        return Err(Error::Layers(crate::t!("error.network.too-few-sizes", sizes = format!("{sizes:?}"))));
    }
    if let Some(i) = sizes.iter().position(|&s| s == 0) {
        return Err(Error::Layers(crate::t!(
            "error.network.zero-size",
            index = i,
            sizes = format!("{sizes:?}")
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
        let err = net.check_width(4).unwrap_err();
        assert!(
            err.to_string().contains("has 4 input features but the network's first layer expects 3"),
            "{err}"
        );
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

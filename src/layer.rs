//! `Dense`: the fully connected layer, its parameters and how they start.
//!
//! A layer is `y = x·W + b` for a whole batch at once. Its backward pass is three lines, each
//! one a chain-rule step (tutorial 003 does the same by hand for one neuron at a time).
//!
//! Read next: `network.rs` (layers and activations in sequence).

use crate::Error;
use crate::activation::Activation;
use crate::rng::Rng;
use crate::tensor::Matrix;

/// A trainable tensor and ∂L/∂(that tensor), the same shape.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub value: Matrix,
    pub grad: Matrix,
}

impl Param {
    /// A parameter with the given value and a zero gradient.
    pub fn new(value: Matrix) -> Param {
        let grad = Matrix::zeros(value.rows(), value.cols());
        Param { value, grad }
    }
}

/// How the initial weights are drawn (biases always start at 0).
///
/// The scale matters: too large and sigmoids saturate (their slope vanishes), too small and
/// the signal fades layer by layer. Xavier keeps the variance steady for sigmoid/tanh, He for
/// ReLU (which zeroes half its inputs, hence the factor 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Init {
    /// Tutorial 001's rule: w ~ N(0, 1) · √(1/n_out).
    Tutorial,
    /// Tutorial 003's rule: w ~ N(0, 1).
    StandardNormal,
    /// Tutorial 000's rule: w ~ U(0, 1) (numpy's `rand()`).
    Uniform,
    /// Xavier/Glorot uniform: w ~ U(−a, a), a = √(6 / (n_in + n_out)).
    Xavier,
    /// He/Kaiming normal: w ~ N(0, 1) · √(2 / n_in).
    He,
}

impl Init {
    /// Every scheme, in the order the CLI lists them.
    pub const ALL: [Init; 5] = [Init::Tutorial, Init::StandardNormal, Init::Uniform, Init::Xavier, Init::He];

    /// The name used by the CLI and in model files.
    pub fn name(self) -> &'static str {
        match self {
            Init::Tutorial => "tutorial",
            Init::StandardNormal => "standard-normal",
            Init::Uniform => "uniform",
            Init::Xavier => "xavier",
            Init::He => "he",
        }
    }

    /// One weight of a layer with `n_in` inputs and `n_out` outputs.
    fn sample(self, n_in: usize, n_out: usize, rng: &mut Rng) -> f32 {
        let (n_in, n_out) = (n_in as f64, n_out as f64);
        let w = match self {
            Init::Tutorial => rng.normal() * (1.0 / n_out).sqrt(),
            Init::StandardNormal => rng.normal(),
            Init::Uniform => rng.uniform(),
            Init::Xavier => {
                let a = (6.0 / (n_in + n_out)).sqrt();
                rng.uniform_in(-a, a)
            }
            Init::He => rng.normal() * (2.0 / n_in).sqrt(),
        };
        w as f32
    }
}

impl std::fmt::Display for Init {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Init {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        crate::parse_name("initialisation", s, &Init::ALL, |i| i.name())
    }
}

/// Whether a layer adds a trained bias.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Bias {
    Learned,
    None,
}

/// Fully connected layer: `y = x·W + b`.
///
/// Shapes (batch n): x n×n_in, W n_in×n_out, b 1×n_out, y n×n_out. Given dy = ∂L/∂y:
///
/// ```text
/// ∂L/∂W = xᵀ·dy        (each weight wᵢⱼ links input i to output j: Σ over the batch of xᵢ·dyⱼ)
/// ∂L/∂b = Σ_rows dy    (a bias is a weight on a constant input 1)
/// ∂L/∂x = dy·Wᵀ        (each input feeds every output, so its gradient sums over them)
/// ```
#[derive(Clone, Debug)]
pub struct Dense {
    pub weight: Param,
    /// With [`Bias::None`] this stays all zeros and is neither trained nor saved.
    pub bias: Param,
    bias_mode: Bias,
}

impl Dense {
    /// A layer from `n_in` to `n_out` units, weights drawn by `init`, biases 0.
    ///
    /// # Panics
    /// If a size is 0 (callers validate user input first, see [`crate::Network::new`]).
    pub fn new(n_in: usize, n_out: usize, init: Init, rng: &mut Rng) -> Dense {
        assert!(n_in > 0 && n_out > 0, "Dense::new({n_in}, {n_out}): sizes must be positive");
        let weights = (0..n_in * n_out).map(|_| init.sample(n_in, n_out, rng)).collect();
        let weight = Matrix::from_vec(n_in, n_out, weights).expect("n_in·n_out values");
        Dense::from_params(weight, Matrix::zeros(1, n_out)).expect("shapes made to match")
    }

    /// A layer with the given weights (n_in × n_out) and biases (1 × n_out).
    ///
    /// # Errors
    /// [`Error::Shape`] if the bias is not one row of n_out values or a size is 0.
    pub fn from_params(weight: Matrix, bias: Matrix) -> Result<Dense, Error> {
        if weight.is_empty() || bias.shape() != (1, weight.cols()) {
            return Err(Error::Shape(format!(
                "a dense layer needs a non-empty n_in×n_out weight and a 1×n_out bias; got {:?} and {:?}",
                weight.shape(),
                bias.shape()
            )));
        }
        Ok(Dense { weight: Param::new(weight), bias: Param::new(bias), bias_mode: Bias::Learned })
    }

    /// The same layer without a bias (tutorial 001's network has none): y = x·W.
    pub fn without_bias(mut self) -> Dense {
        self.bias.value.fill_zero();
        self.bias.grad.fill_zero();
        self.bias_mode = Bias::None;
        self
    }

    /// Whether the layer has a trained bias.
    pub fn bias_mode(&self) -> Bias {
        self.bias_mode
    }

    /// The trainable parameters: the weight, and the bias unless [`Bias::None`].
    pub fn params_mut(&mut self) -> Vec<&mut Param> {
        self.params_iter_mut().collect()
    }

    /// The parameters of [`params_mut`](Self::params_mut) as an iterator (no allocation).
    pub fn params_iter_mut(&mut self) -> impl Iterator<Item = &mut Param> {
        let learned = self.bias_mode == Bias::Learned;
        std::iter::once(&mut self.weight).chain(learned.then_some(&mut self.bias))
    }

    /// The trainable parameters, in the order of [`params_mut`](Self::params_mut).
    pub fn params(&self) -> Vec<&Param> {
        match self.bias_mode {
            Bias::Learned => vec![&self.weight, &self.bias],
            Bias::None => vec![&self.weight],
        }
    }

    /// Number of inputs.
    pub fn n_in(&self) -> usize {
        self.weight.value.rows()
    }

    /// Number of outputs (units).
    pub fn n_out(&self) -> usize {
        self.weight.value.cols()
    }

    /// Where this layer's products with the batch `x` are cut between threads by inputs (rows
    /// of W), if they are ([`crate::tensor::inner_cut`]): the same for the forward pass, the
    /// gradient and the descent step, so each core works on its own rows of W.
    fn inner_cut(&self, x: &Matrix) -> Option<usize> {
        crate::tensor::inner_cut(x.rows(), self.n_in(), self.n_out())
    }

    /// `x·W + b` (predict, evaluate, gradient checks).
    #[doc(alias = "feedforward")]
    pub fn apply(&self, x: &Matrix) -> Matrix {
        let mut y = Matrix::zeros(0, 0);
        self.apply_into(x, &mut y);
        y
    }

    /// `y = x·W + b` into a reused buffer (the training loop allocates nothing per batch).
    pub fn apply_into(&self, x: &Matrix, y: &mut Matrix) {
        x.matmul_into(&self.weight.value, y);
        y.add_row_to_each_row(&self.bias.value);
    }

    /// `y = f(x·W + b)` into a reused buffer: the layer and the activation after it. For an
    /// element-wise f, each thread adds the bias and applies f to the part of y it has just
    /// computed (see [`crate::tensor::Finish`]).
    pub fn apply_activated_into(&self, x: &Matrix, activation: Activation, y: &mut Matrix) {
        self.apply_activated_with(x, activation, y, &mut Matrix::default());
    }

    /// [`apply_activated_into`](Self::apply_activated_into) with a reused buffer `partial`
    /// for when the product is cut between threads by inputs (a layer with many more inputs
    /// than outputs, [`crate::tensor::inner_cut`]).
    pub(crate) fn apply_activated_with(
        &self,
        x: &Matrix,
        activation: Activation,
        y: &mut Matrix,
        partial: &mut Matrix,
    ) {
        let bias = self.bias.value.as_slice();
        let finish = |_row: usize, col: usize, z: &mut [f32]| {
            activation.forward_with_bias(z, &bias[col..col + z.len()]);
        };
        let finish: Option<crate::tensor::Finish<'_>> = activation.is_elementwise().then_some(&finish);
        match self.inner_cut(x) {
            Some(at) => x.matmul_cut_inner_into_then(&self.weight.value, at, y, partial, finish),
            None => x.matmul_into_then(&self.weight.value, y, finish),
        }
        if finish.is_none() {
            y.add_row_to_each_row(&self.bias.value); // softmax mixes a row: after the product
            activation.forward(y);
        }
    }

    /// ∂L/∂z of the layer before this one: `(dy·Wᵀ) ⊙ f′`, where `x = f(z)` was this layer's
    /// input (the previous layer's output, after its activation `f`). For an element-wise f,
    /// each thread applies f′ to the part of the product it has just computed.
    pub fn backward_through(&self, dy: &Matrix, x: &Matrix, activation: Activation, dz: &mut Matrix) {
        if !activation.is_elementwise() {
            dy.matmul_t_into(&self.weight.value, dz);
            activation.backward(x, dz);
            return;
        }
        let finish = |row: usize, col: usize, d: &mut [f32]| {
            activation.backward_values(&x.row(row)[col..col + d.len()], d);
        };
        dy.matmul_t_into_then(&self.weight.value, dz, Some(&finish));
    }

    /// Adds (+=) ∂L/∂W and ∂L/∂b for the input `x` and the gradient `dy` of the output
    /// `x·W + b`, and returns ∂L/∂x. Adding makes per-sample and mini-batch training the same
    /// code (`zero_grad` per batch).
    pub fn backward(&mut self, x: &Matrix, dy: &Matrix) -> Matrix {
        self.backward_params(x, dy);
        dy.matmul_t(&self.weight.value) // dy·Wᵀ
    }

    /// The parameter half of [`backward`](Self::backward), without ∂L/∂x. The first layer's
    /// ∂L/∂x would be the gradient for the data itself, which nothing uses: skipping it saves
    /// nearly half of the backward work of a 784-128-64-10 network.
    pub fn backward_params(&mut self, x: &Matrix, dy: &Matrix) {
        self.param_gradients(x, dy, true);
    }

    /// ∂L/∂W = xᵀ·dy and ∂L/∂b = Σ dy, added to the stored gradients or replacing them (one
    /// pass instead of zeroing them first, for the training loop).
    pub(crate) fn param_gradients(&mut self, x: &Matrix, dy: &Matrix, add: bool) {
        assert_eq!(dy.rows(), x.rows(), "backward: dy and x differ in batch size");
        if add {
            x.t_matmul_add_into(dy, &mut self.weight.grad); // xᵀ·dy
        } else {
            let cut = self.inner_cut(x); // as in the forward pass
            x.t_matmul_cut_into(dy, &mut self.weight.grad, cut);
        }
        if self.bias_mode == Bias::Learned {
            if !add {
                self.bias.grad.fill_zero();
            }
            dy.sum_rows_add_into(&mut self.bias.grad); // Σ over the batch
        }
    }

    /// One step of plain gradient descent, W ← W − lr·xᵀ·dy and b ← b − lr·Σ dy, with the
    /// weight gradient never stored: the product that forms xᵀ·dy adds −lr times it to W as
    /// it goes (one pass over W instead of three: write ∂L/∂W, read it, update W). The bias
    /// gradient is kept in `bias.grad`; `weight.grad` is left as it was.
    pub(crate) fn descend(&mut self, x: &Matrix, dy: &Matrix, lr: f32) {
        assert_eq!(dy.rows(), x.rows(), "descend: dy and x differ in batch size");
        let cut = self.inner_cut(x); // as in the forward pass
        x.t_matmul_scaled_add_into(dy, -lr, &mut self.weight.value, cut); // W += −lr·xᵀ·dy
        if self.bias_mode == Bias::Learned {
            self.bias.grad.fill_zero();
            dy.sum_rows_add_into(&mut self.bias.grad);
            for (b, g) in self.bias.value.as_mut_slice().iter_mut().zip(self.bias.grad.as_slice()) {
                *b -= lr * g;
            }
        }
    }
}

//! `Dense`: the fully connected layer, its parameters and how they start.
//!
//! A layer is `y = x·W + b` for a whole batch at once. Its backward pass is three lines, each
//! one a chain-rule step (tutorial 003 does the same by hand for one neuron at a time).
//!
//! Read next: `network.rs` (layers and activations in sequence).

use crate::Error;
use crate::rng::Rng;
use crate::t;
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
    /// The input of the last [`forward`](Self::forward), which [`backward`](Self::backward)
    /// needs for ∂L/∂W.
    input: Matrix,
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
            return Err(Error::Shape(t!(
                "error.shape.dense",
                weight = format!("{:?}", weight.shape()),
                bias = format!("{:?}", bias.shape())
            )));
        }
        let input = Matrix::zeros(0, weight.rows());
        Ok(Dense { weight: Param::new(weight), bias: Param::new(bias), bias_mode: Bias::Learned, input })
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
    pub fn params_mut(&mut self) -> impl Iterator<Item = &mut Param> {
        let learned = self.bias_mode == Bias::Learned;
        std::iter::once(&mut self.weight).chain(learned.then_some(&mut self.bias))
    }

    /// The trainable parameters, in the order of [`params_mut`](Self::params_mut).
    pub fn params(&self) -> impl Iterator<Item = &Param> {
        let learned = self.bias_mode == Bias::Learned;
        std::iter::once(&self.weight).chain(learned.then_some(&self.bias))
    }

    /// Number of inputs.
    pub fn n_in(&self) -> usize {
        self.weight.value.rows()
    }

    /// Number of outputs (units).
    pub fn n_out(&self) -> usize {
        self.weight.value.cols()
    }

    /// `x·W + b`, no side effects (predict, evaluate, gradient checks).
    #[doc(alias = "feedforward")]
    pub fn apply(&self, x: &Matrix) -> Matrix {
        let mut y = x.matmul(&self.weight.value);
        y.add_row_to_each_row(&self.bias.value);
        y
    }

    /// Like [`apply`](Self::apply), and remembers `x` for [`backward`](Self::backward).
    pub fn forward(&mut self, x: &Matrix) -> Matrix {
        self.input.copy_from(x);
        self.apply(x)
    }

    /// Adds (+=) this batch's ∂L/∂W and ∂L/∂b to the stored gradients, for the input of the
    /// last [`forward`](Self::forward); returns ∂L/∂x. Adding makes per-sample and mini-batch
    /// training the same code (`zero_grad` once per batch).
    pub fn backward(&mut self, dy: &Matrix) -> Matrix {
        assert_eq!(
            dy.rows(),
            self.input.rows(),
            "backward: dy and the last forward's x differ in batch size"
        );
        self.weight.grad.add_assign(&self.input.t_matmul(dy)); // xᵀ·dy
        if self.bias_mode == Bias::Learned {
            self.bias.grad.add_assign(&dy.sum_rows()); // Σ over the batch
        }
        dy.matmul_t(&self.weight.value) // dy·Wᵀ
    }
}

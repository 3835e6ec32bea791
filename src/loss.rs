//! Losses: one number saying how wrong a batch of outputs is, and its gradient.
//!
//! Tutorial 002 defines the mean squared error and checks `mse([1,0,0,1], [0,0,0,0]) = 0.5`;
//! classification adds the cross-entropies. Each loss is averaged over the batch, so a
//! learning rate means the same at batch size 1 and 1000. Each gives ∂L/∂y for the network's
//! output `y`; [`Loss::gradient_wrt_logits`] goes one step further, through the output
//! activation, and uses the short fused form where one exists.
//!
//! Read next: `layer.rs` (the `Dense` layer and its backward pass).

use crate::Error;
use crate::activation::Activation;
use crate::math;
use crate::tensor::Matrix;

/// Keeps `ln` away from 0 in the cross-entropies (an output of exactly 0 or 1 in `f32`).
const PROB_FLOOR: f32 = 1e-7;

/// The losses: a closed set, so an enum.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Loss {
    /// Mean squared error over all n·k outputs: L = (1/nk) Σ (y − t)².
    Mse,
    /// Binary cross-entropy for outputs in (0, 1), one independent yes/no per output:
    /// L = −(1/nk) Σ [t ln y + (1 − t) ln(1 − y)].
    BinaryCrossEntropy,
    /// Cross-entropy for rows that are probability distributions (softmax outputs), `t` one-hot:
    /// L = −(1/n) Σ_rows Σᵢ tᵢ ln yᵢ.
    CrossEntropy,
}

impl Loss {
    /// Every loss, in the order the CLI lists them.
    pub const ALL: [Loss; 3] = [Loss::Mse, Loss::BinaryCrossEntropy, Loss::CrossEntropy];

    /// The name used by the CLI and in model files.
    pub fn name(self) -> &'static str {
        match self {
            Loss::Mse => "mse",
            Loss::BinaryCrossEntropy => "binary-cross-entropy",
            Loss::CrossEntropy => "cross-entropy",
        }
    }

    /// The loss of outputs `y` against targets `t` (same shape), averaged as documented on
    /// each variant. Sums run in `f64` so a large batch does not lose small terms.
    pub fn value(self, y: &Matrix, t: &Matrix) -> f32 {
        assert_eq!(y.shape(), t.shape(), "{} loss: outputs and targets differ in shape", self.name());
        let (n, k) = y.shape();
        let pairs = y.as_slice().iter().zip(t.as_slice()).map(|(&y, &t)| (f64::from(y), f64::from(t)));
        let floor = f64::from(PROB_FLOOR);
        let total: f64 = match self {
            Loss::Mse => pairs.map(|(y, t)| (y - t) * (y - t)).sum::<f64>() / (n * k) as f64,
            Loss::BinaryCrossEntropy => {
                let sum: f64 = pairs
                    .map(|(y, t)| {
                        let y = y.clamp(floor, 1.0 - floor);
                        -(t * math::ln(y) + (1.0 - t) * math::ln(1.0 - y))
                    })
                    .sum();
                sum / (n * k) as f64
            }
            Loss::CrossEntropy => {
                pairs.filter(|&(_, t)| t != 0.0).map(|(y, t)| -t * math::ln(y.max(floor))).sum::<f64>()
                    / n as f64
            }
        };
        total as f32
    }

    /// ∂L/∂y for outputs `y` and targets `t`:
    ///
    /// mse: 2(y − t)/nk   binary cross-entropy: (y − t) / (y(1 − y)) / nk   cross-entropy: −t/y / n
    pub fn gradient(self, y: &Matrix, t: &Matrix) -> Matrix {
        let mut dy = Matrix::default();
        self.gradient_into(y, t, &mut dy);
        dy
    }

    /// [`gradient`](Self::gradient) into a reused buffer.
    pub fn gradient_into(self, y: &Matrix, t: &Matrix, dy: &mut Matrix) {
        assert_eq!(y.shape(), t.shape(), "{} gradient: outputs and targets differ in shape", self.name());
        let (n, k) = y.shape();
        dy.reshape_for(n, k);
        let (nk, n) = ((n * k) as f32, n as f32);
        let triples = dy.as_mut_slice().iter_mut().zip(y.as_slice().iter().zip(t.as_slice()));
        match self {
            Loss::Mse => triples.for_each(|(d, (&y, &t))| *d = 2.0 * (y - t) / nk),
            Loss::BinaryCrossEntropy => triples.for_each(|(d, (&y, &t))| {
                let y = y.clamp(PROB_FLOOR, 1.0 - PROB_FLOOR);
                *d = (y - t) / (y * (1.0 - y)) / nk;
            }),
            Loss::CrossEntropy => triples.for_each(|(d, (&y, &t))| *d = -t / y.max(PROB_FLOOR) / n),
        }
    }

    /// ∂L/∂z, the gradient before the output activation `output` (which produced `y` from `z`).
    ///
    /// Two pairs are fused, because their chain-rule product collapses to `y − t`:
    /// softmax + cross-entropy gives (y − t)/n and sigmoid + binary cross-entropy (y − t)/nk.
    /// This avoids the softmax Jacobian and the division by y(1 − y), which is unstable when
    /// the output saturates. Every other pair is [`gradient`](Self::gradient) followed by
    /// [`Activation::backward`]; a test checks both routes agree.
    pub fn gradient_wrt_logits(self, output: Activation, y: &Matrix, t: &Matrix) -> Matrix {
        let mut dz = Matrix::default();
        self.gradient_wrt_logits_into(output, y, t, &mut dz);
        dz
    }

    /// [`gradient_wrt_logits`](Self::gradient_wrt_logits) into a reused buffer.
    pub fn gradient_wrt_logits_into(self, output: Activation, y: &Matrix, t: &Matrix, dz: &mut Matrix) {
        let divisor = match (self, output) {
            (Loss::CrossEntropy, Activation::Softmax) => y.rows() as f32,
            (Loss::BinaryCrossEntropy, Activation::Sigmoid) => y.len() as f32,
            _ => {
                self.gradient_into(y, t, dz);
                output.backward(y, dz);
                return;
            }
        };
        assert_eq!(y.shape(), t.shape(), "{} gradient: outputs and targets differ in shape", self.name());
        dz.reshape_for(y.rows(), y.cols());
        let triples = dz.as_mut_slice().iter_mut().zip(y.as_slice().iter().zip(t.as_slice()));
        triples.for_each(|(d, (&y, &t))| *d = (y - t) / divisor);
    }
}

impl std::fmt::Display for Loss {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Loss {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        crate::parse_name("loss", s, &Loss::ALL, |l| l.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mse_of_the_tutorial() {
        // Tutorial 002: ((1−0)² + 0 + 0 + (1−0)²) / 4 = 0.5
        let t = Matrix::from_rows(&[[1.0], [0.0], [0.0], [1.0]]);
        let y = Matrix::zeros(4, 1);
        assert_eq!(Loss::Mse.value(&y, &t), 0.5);
    }

    #[test]
    fn cross_entropy_of_a_uniform_guess_is_ln_k() {
        let y = Matrix::filled(2, 4, 0.25);
        let t = Matrix::from_rows(&[[0.0, 1.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0]]);
        assert!((Loss::CrossEntropy.value(&y, &t) - 4f32.ln()).abs() < 1e-6);
        let y = Matrix::filled(1, 1, 0.5);
        let t = Matrix::filled(1, 1, 1.0);
        assert!((Loss::BinaryCrossEntropy.value(&y, &t) - 2f32.ln()).abs() < 1e-6);
    }

    #[test]
    fn cross_entropy_stays_finite_on_a_confident_wrong_answer() {
        let y = Matrix::from_rows(&[[1.0, 0.0]]);
        let t = Matrix::from_rows(&[[0.0, 1.0]]);
        assert!(Loss::CrossEntropy.value(&y, &t).is_finite());
        assert!(Loss::BinaryCrossEntropy.value(&y, &t).is_finite());
        assert!(Loss::CrossEntropy.gradient(&y, &t).is_finite());
    }
}

//! Activations: the non-linearities between layers, each with its derivative beside it.
//!
//! Tutorial 002 introduces sigmoid, ReLU and softmax; tanh and identity complete the set.
//! Every activation here acts on a whole batch (`n × k`, one sample per row). The element-wise
//! ones write their derivative with the *output* `y`, so backward needs only what forward
//! produced. Softmax mixes a row, so its backward is a Jacobian-vector product.
//!
//! Read next: `loss.rs` (how wrong the output is, and its gradient).

use crate::Error;
use crate::tensor::Matrix;

/// The non-linearities: a closed set, so an enum (exhaustive `match`, one CLI flag each).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Activation {
    /// y = z (regression outputs; a network of identity layers is one linear map).
    Identity,
    /// y = 1 / (1 + e^(−z)), squashing to (0, 1).
    Sigmoid,
    /// y = tanh z, squashing to (−1, 1).
    Tanh,
    /// y = max(0, z).
    Relu,
    /// yᵢ = e^(zᵢ) / Σⱼ e^(zⱼ) over a row: a probability distribution over classes.
    Softmax,
}

/// σ(z) = 1 / (1 + e^(−z)), written so that `exp` never overflows:
/// for z < 0 it uses the equal form e^z / (1 + e^z).
pub fn sigmoid(z: f32) -> f32 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

impl Activation {
    /// Every activation, in the order the CLI lists them.
    pub const ALL: [Activation; 5] =
        [Activation::Identity, Activation::Sigmoid, Activation::Tanh, Activation::Relu, Activation::Softmax];

    /// The name used by the CLI and in model files.
    pub fn name(self) -> &'static str {
        match self {
            Activation::Identity => "identity",
            Activation::Sigmoid => "sigmoid",
            Activation::Tanh => "tanh",
            Activation::Relu => "relu",
            Activation::Softmax => "softmax",
        }
    }

    /// y = f(z) in place, row by row:
    ///
    /// identity: z   sigmoid: 1/(1 + e^(−z))   tanh: tanh z   relu: max(0, z)
    /// softmax: e^(zᵢ − m) / Σⱼ e^(zⱼ − m) with m = max z of the row, so `exp` never overflows
    /// (subtracting m multiplies top and bottom by e^(−m): the value is unchanged).
    pub fn forward(self, z: &mut Matrix) {
        let values = z.as_mut_slice();
        match self {
            Activation::Identity => {}
            Activation::Sigmoid => values.iter_mut().for_each(|v| *v = sigmoid(*v)),
            Activation::Tanh => values.iter_mut().for_each(|v| *v = v.tanh()),
            Activation::Relu => values.iter_mut().for_each(|v| *v = v.max(0.0)),
            Activation::Softmax => {
                let cols = z.cols();
                for row in z.as_mut_slice().chunks_exact_mut(cols) {
                    let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
                    let mut sum = 0.0;
                    for v in row.iter_mut() {
                        *v = (*v - max).exp();
                        sum += *v;
                    }
                    row.iter_mut().for_each(|v| *v /= sum);
                }
            }
        }
    }

    /// Turns `dy` = ∂L/∂y into ∂L/∂z in place, given the forward output `y`.
    ///
    /// Element-wise, ∂L/∂z = ∂L/∂y · f′, with f′ written from y:
    /// identity: 1   sigmoid: y(1 − y)   tanh: 1 − y²   relu: 1 if y > 0 else 0
    ///
    /// Softmax: ∂yᵢ/∂zⱼ = yᵢ(δᵢⱼ − yⱼ), so ∂L/∂zⱼ = yⱼ (∂L/∂yⱼ − Σᵢ ∂L/∂yᵢ · yᵢ) per row.
    /// (With cross-entropy this collapses to y − t; `loss.rs` uses that fused form.)
    pub fn backward(self, y: &Matrix, dy: &mut Matrix) {
        assert_eq!(y.shape(), dy.shape(), "{} backward: y and dy differ in shape", self.name());
        let pairs = dy.as_mut_slice().iter_mut().zip(y.as_slice());
        match self {
            Activation::Identity => {}
            Activation::Sigmoid => pairs.for_each(|(d, &y)| *d *= y * (1.0 - y)),
            Activation::Tanh => pairs.for_each(|(d, &y)| *d *= 1.0 - y * y),
            Activation::Relu => pairs.for_each(|(d, &y)| {
                if y <= 0.0 {
                    *d = 0.0
                }
            }),
            Activation::Softmax => {
                let cols = y.cols();
                let rows = dy.as_mut_slice().chunks_exact_mut(cols).zip(y.as_slice().chunks_exact(cols));
                for (d, y) in rows {
                    let dot: f32 = d.iter().zip(y).map(|(d, y)| d * y).sum();
                    d.iter_mut().zip(y).for_each(|(d, y)| *d = y * (*d - dot));
                }
            }
        }
    }
}

impl std::fmt::Display for Activation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Activation {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        crate::parse_name("activation", s, &Activation::ALL, |a| a.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sigmoid_matches_the_tutorial_and_is_stable() {
        // Tutorial 002: σ(7) = 0.9990889488055994 (printed by the neuron lesson in f64).
        assert!((sigmoid(7.0) - 0.999_088_95).abs() < 1e-7);
        assert_eq!(sigmoid(0.0), 0.5);
        assert_eq!(sigmoid(-1000.0), 0.0);
        assert_eq!(sigmoid(1000.0), 1.0);
    }

    #[test]
    fn softmax_rows_sum_to_one_even_for_huge_logits() {
        let mut z = Matrix::from_rows(&[[1000.0, 1001.0, 999.0], [0.0, 0.0, 0.0]]);
        Activation::Softmax.forward(&mut z);
        for r in 0..2 {
            let sum: f32 = z.row(r).iter().sum();
            assert!((sum - 1.0).abs() < 1e-6 && z.is_finite(), "{z:?}");
        }
        assert!((z.get(1, 0) - 1.0 / 3.0).abs() < 1e-6);
    }

    #[test]
    fn names_round_trip_and_unknown_names_list_the_choices() {
        for a in Activation::ALL {
            assert_eq!(a.name().parse::<Activation>().unwrap(), a);
        }
        let err = "rleu".parse::<Activation>().unwrap_err().to_string();
        assert!(err.contains("unknown activation `rleu`") && err.contains("relu"), "{err}");
    }
}

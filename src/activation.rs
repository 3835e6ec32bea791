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

/// σ(z) = 1 / (1 + e^(−z)). For very negative z, e^(−z) saturates to a huge value (or +∞)
/// and σ to 0, which is the right limit.
#[inline]
pub fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + exp(-z))
}

/// e^x in `f32`, to within 2 units in the last place, written out in plain arithmetic so
/// that it gives the same bits on every platform (the C library's `expf` differs in the last
/// bit between systems, and in a browser), and so that a loop of it runs at full speed (`expf`
/// is a call per element; `fast/` says how much that matters).
///
/// Range reduction: x = n·ln 2 + r with n = round(x / ln 2) and |r| ≤ ln 2 / 2, so
/// e^x = 2ⁿ · e^r; e^r by its Taylor polynomial to degree 7 (error below 2e-8 on that
/// interval), 2ⁿ by writing n + 127 into the float's exponent bits. Inputs are clamped to
/// [−87.3, 88], where e^x stays a normal `f32` (from ≈ 1.2e-38 to ≈ 1.7e38).
#[inline]
pub fn exp(x: f32) -> f32 {
    const LOG2_E: f32 = std::f32::consts::LOG2_E;
    // ln 2 split in two so that n·LN2_HI is exact and r keeps its low bits
    const LN2_HI: f32 = 0.693_359_4;
    const LN2_LO: f32 = -2.121_944_4e-4;
    // adding and subtracting 1.5·2²³ rounds to the nearest integer without a rounding instruction
    const ROUND: f32 = 12_582_912.0;
    let x = x.clamp(-87.3, 88.0);
    let shifted = x * LOG2_E + ROUND; // = 1.5·2²³ + n: its low bits hold n
    let n = shifted - ROUND;
    let r = (x - n * LN2_HI) - n * LN2_LO;
    let p = 1.0
        + r * (1.0
            + r * (1.0 / 2.0
                + r * (1.0 / 6.0
                    + r * (1.0 / 24.0 + r * (1.0 / 120.0 + r * (1.0 / 720.0 + r * (1.0 / 5040.0)))))));
    // 2ⁿ: n + 127 in the exponent field. The bits of `shifted` are 0x4B40_0000 + n, whose high
    // part the shift pushes out; no float-to-integer conversion (`as` saturates and checks for
    // NaN, extra work on every value).
    p * f32::from_bits(shifted.to_bits().wrapping_add(127) << 23)
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

    /// y = f(z) for one value of an element-wise activation (all but softmax):
    ///
    /// identity: z   sigmoid: 1/(1 + e^(−z))   tanh: 1 − 2/(e^(2z) + 1)   relu: max(0, z)
    ///
    /// (tanh written with the same `exp` as sigmoid, so every platform gives the same bits.)
    ///
    /// # Panics
    /// For softmax, which needs a whole row: see [`forward`](Self::forward).
    #[inline]
    pub fn apply(self, z: f32) -> f32 {
        match self {
            Activation::Identity => z,
            Activation::Sigmoid => sigmoid(z),
            Activation::Tanh => 1.0 - 2.0 / (exp(2.0 * z) + 1.0),
            Activation::Relu => z.max(0.0),
            Activation::Softmax => panic!("softmax mixes a whole row; use Activation::forward"),
        }
    }

    /// f′(z) written with the output y = f(z), so backward needs only what forward produced:
    ///
    /// identity: 1   sigmoid: y(1 − y)   tanh: 1 − y²   relu: 1 if y > 0 else 0
    ///
    /// # Panics
    /// For softmax, whose derivative is a Jacobian: see [`backward`](Self::backward).
    #[inline]
    pub fn derivative_from_output(self, y: f32) -> f32 {
        match self {
            Activation::Identity => 1.0,
            Activation::Sigmoid => y * (1.0 - y),
            Activation::Tanh => 1.0 - y * y,
            Activation::Relu => {
                if y > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
            Activation::Softmax => panic!("softmax's derivative is a Jacobian; use Activation::backward"),
        }
    }

    /// y = f(z) in place, for a batch `z` (one sample per row). Softmax works row by row:
    /// yᵢ = e^(zᵢ − m) / Σⱼ e^(zⱼ − m) with m = max z of the row, so `exp` never overflows
    /// (subtracting m multiplies top and bottom by e^(−m): the value is unchanged).
    pub fn forward(self, z: &mut Matrix) {
        if self != Activation::Softmax {
            z.as_mut_slice().iter_mut().for_each(|v| *v = self.apply(*v));
            return;
        }
        for r in 0..z.rows() {
            let row = z.row_mut(r);
            let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
            row.iter_mut().for_each(|v| *v = exp(*v - max));
            let sum: f32 = row.iter().sum();
            row.iter_mut().for_each(|v| *v /= sum);
        }
    }

    /// Turns `dy` = ∂L/∂y into ∂L/∂z in place, given the forward output `y`.
    ///
    /// Element-wise: ∂L/∂z = ∂L/∂y · f′ (the chain rule), f′ from
    /// [`derivative_from_output`](Self::derivative_from_output).
    ///
    /// Softmax: ∂yᵢ/∂zⱼ = yᵢ(δᵢⱼ − yⱼ), so ∂L/∂zⱼ = yⱼ (∂L/∂yⱼ − Σᵢ ∂L/∂yᵢ · yᵢ) per row.
    /// (With cross-entropy this collapses to y − t; `loss.rs` uses that fused form.)
    pub fn backward(self, y: &Matrix, dy: &mut Matrix) {
        assert_eq!(y.shape(), dy.shape(), "{} backward: y and dy differ in shape", self.name());
        if self != Activation::Softmax {
            let pairs = dy.as_mut_slice().iter_mut().zip(y.as_slice());
            pairs.for_each(|(d, &y)| *d *= self.derivative_from_output(y));
            return;
        }
        for r in 0..y.rows() {
            let (y, d) = (y.row(r), dy.row_mut(r));
            let dot: f32 = d.iter().zip(y).map(|(d, y)| d * y).sum();
            d.iter_mut().zip(y).for_each(|(d, y)| *d = y * (*d - dot));
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
        assert!(sigmoid(-1000.0) < 1e-37, "saturates to (almost) 0");
        assert_eq!(sigmoid(1000.0), 1.0);
    }

    #[test]
    fn our_exp_matches_the_library_exp_to_two_ulps() {
        let mut worst = 0.0f64;
        let mut x = -87.0f32;
        while x < 88.0 {
            let (ours, std) = (f64::from(exp(x)), f64::from(x.exp()));
            worst = worst.max((ours - std).abs() / std);
            x += 0.001_37;
        }
        assert!(worst < 2.5e-7, "worst relative error {worst:e}");
        assert_eq!(exp(0.0), 1.0);
        assert!(exp(-1000.0) < 1e-37 && exp(1000.0) > 1e38 && exp(1000.0).is_finite());
    }

    #[test]
    fn tanh_matches_the_library_tanh() {
        for i in -400..=400 {
            let z = i as f32 * 0.025;
            let mut m = Matrix::filled(1, 1, z);
            Activation::Tanh.forward(&mut m);
            assert!((m.get(0, 0) - z.tanh()).abs() < 3e-7, "tanh({z})");
        }
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

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
use crate::vectorised;

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
/// and σ to 0, which is the right limit; no branch, so a loop of it vectorises.
pub fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + exp(-z))
}

/// e^x in `f32`, to within 2 units in the last place, written so that a loop over a slice
/// compiles to SIMD instructions (the C library's `expf` is one call per element; it was 27% of
/// a sigmoid network's training time).
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
    // part the shift pushes out; no float-to-integer conversion (`as` saturates and checks NaN
    // lane by lane, which stopped the loops from vectorising fully).
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

    /// y = f(z) in place, row by row:
    ///
    /// identity: z   sigmoid: 1/(1 + e^(−z))   tanh: tanh z   relu: max(0, z)
    /// softmax: e^(zᵢ − m) / Σⱼ e^(zⱼ − m) with m = max z of the row, so `exp` never overflows
    /// (subtracting m multiplies top and bottom by e^(−m): the value is unchanged).
    pub fn forward(self, z: &mut Matrix) {
        let cols = z.cols();
        forward_in_place(self, z.as_mut_slice(), cols);
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
        backward_in_place(self, y.as_slice(), dy.as_mut_slice(), y.cols());
    }

    /// True for the activations that act on each value alone (all but softmax), which can be
    /// applied to any part of a matrix: by each thread to the part of a product it computed.
    pub fn is_elementwise(self) -> bool {
        self != Activation::Softmax
    }

    /// y = f(z + b) in place for a run of values `z` and their biases `b` (an element-wise
    /// activation; part of a row of a layer's output).
    pub(crate) fn forward_with_bias(self, z: &mut [f32], b: &[f32]) {
        debug_assert!(self.is_elementwise() && z.len() == b.len());
        bias_then_forward(self, z, b);
    }

    /// [`backward`](Self::backward) for a run of values of an element-wise activation.
    pub(crate) fn backward_values(self, y: &[f32], dy: &mut [f32]) {
        debug_assert!(self.is_elementwise() && y.len() == dy.len());
        backward_in_place(self, y, dy, y.len());
    }
}

vectorised! {
    /// z ← f(z + b), element-wise activations only: the bias and the activation in one pass.
    fn bias_then_forward(activation: Activation, z: &mut [f32], b: &[f32]) {
        let pairs = z.iter_mut().zip(b);
        match activation {
            Activation::Identity => pairs.for_each(|(v, b)| *v += b),
            Activation::Sigmoid => pairs.for_each(|(v, b)| *v = sigmoid(*v + b)),
            Activation::Tanh => pairs.for_each(|(v, b)| *v = 1.0 - 2.0 / (exp(2.0 * (*v + b)) + 1.0)),
            Activation::Relu => pairs.for_each(|(v, b)| *v = (*v + b).max(0.0)),
            Activation::Softmax => unreachable!("softmax mixes a whole row"),
        }
    }
}

vectorised! {
    /// [`Activation::forward`] on the values of a row-major matrix with `cols` columns.
    fn forward_in_place(activation: Activation, values: &mut [f32], cols: usize) {
        match activation {
            Activation::Identity => {}
            Activation::Sigmoid => values.iter_mut().for_each(|v| *v = sigmoid(*v)),
            // tanh z = 1 − 2 / (e^(2z) + 1): the same vectorisable exp (±∞ limits give ±1)
            Activation::Tanh => values.iter_mut().for_each(|v| *v = 1.0 - 2.0 / (exp(2.0 * *v) + 1.0)),
            Activation::Relu => values.iter_mut().for_each(|v| *v = v.max(0.0)),
            Activation::Softmax => {
                // three passes, so that the exponentials run over the whole matrix at once
                // (rows of 10 classes are too short to fill a vector register)
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

vectorised! {
    /// [`Activation::backward`] on the values of row-major matrices with `cols` columns.
    fn backward_in_place(activation: Activation, y: &[f32], dy: &mut [f32], cols: usize) {
        let pairs = dy.iter_mut().zip(y);
        match activation {
            Activation::Identity => {}
            Activation::Sigmoid => pairs.for_each(|(d, &y)| *d *= y * (1.0 - y)),
            Activation::Tanh => pairs.for_each(|(d, &y)| *d *= 1.0 - y * y),
            Activation::Relu => pairs.for_each(|(d, &y)| {
                if y <= 0.0 {
                    *d = 0.0
                }
            }),
            Activation::Softmax => {
                for (d, y) in dy.chunks_exact_mut(cols).zip(y.chunks_exact(cols)) {
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

//! Lesson `chain-rule` (tutorial 003): ∂L/∂w1 of a 2-2-1 network, by hand.
//!
//! The network: inputs x1 (weight, centred) and x2 (height, centred); hidden
//! h1 = σ(w1·x1 + w2·x2 + b1), h2 = σ(w3·x1 + w4·x2 + b2); output ŷ = o1 = σ(w5·h1 + w6·h2 + b3).
//! All weights 1, all biases 0, one sample x = (−2, 5) with label y = 1, loss L = (y − ŷ)².
//! w1 reaches L only through h1 and then ŷ, so the chain rule gives
//!
//! ```text
//! ∂L/∂w1 = ∂L/∂ŷ · ∂ŷ/∂h1 · ∂h1/∂w1
//!        = −2(y − ŷ) · w5·σ′(z_o1) · x1·σ′(z_h1)        with σ′(z) = σ(z)(1 − σ(z))
//! ```
//!
//! The tutorial reads the sign backwards ("as w1 increases, L decreases"); here ∂L/∂w1 > 0,
//! so increasing w1 *increases* the loss and gradient descent *decreases* w1. The lesson shows
//! it by taking the step and printing the loss before and after.

use std::io::{self, Write};

use super::neuron::sigmoid;
use super::{widest, write_lines};
use crate::i18n::pad_right;
use crate::loss::Loss;
use crate::network::Network;
use crate::t;
use crate::tensor::Matrix;

/// The sample: weight −2, height 5 (both centred), label 1.
pub const X: [f64; 2] = [-2.0, 5.0];
pub const Y: f64 = 1.0;

/// Every intermediate value of the worked example, in `f64`.
#[derive(Clone, Debug, PartialEq)]
pub struct Worked {
    pub z_h1: f64,
    pub h1: f64,
    pub z_h2: f64,
    pub h2: f64,
    pub z_o1: f64,
    pub y_pred: f64,
    pub loss: f64,
    /// ∂L/∂ŷ = −2(y − ŷ)
    pub dl_dypred: f64,
    /// ∂ŷ/∂h1 = w5·σ′(z_o1)
    pub dypred_dh1: f64,
    /// ∂h1/∂w1 = x1·σ′(z_h1)
    pub dh1_dw1: f64,
    /// The product of the three factors.
    pub dl_dw1: f64,
}

/// The loss of the tutorial's network with all weights 1 except `w1`, biases 0.
pub fn loss_with_w1(w1: f64) -> f64 {
    let h1 = sigmoid(w1 * X[0] + X[1]);
    let h2 = sigmoid(X[0] + X[1]);
    let y_pred = sigmoid(h1 + h2);
    (Y - y_pred).powi(2)
}

/// The worked example with all weights 1 and biases 0.
pub fn worked() -> Worked {
    let (w1, w2, w3, w4, w5, w6) = (1.0, 1.0, 1.0, 1.0, 1.0, 1.0);
    let d_sigmoid = |z: f64| sigmoid(z) * (1.0 - sigmoid(z));
    let z_h1 = w1 * X[0] + w2 * X[1];
    let z_h2 = w3 * X[0] + w4 * X[1];
    let (h1, h2) = (sigmoid(z_h1), sigmoid(z_h2));
    let z_o1 = w5 * h1 + w6 * h2;
    let y_pred = sigmoid(z_o1);
    let dl_dypred = -2.0 * (Y - y_pred);
    let dypred_dh1 = w5 * d_sigmoid(z_o1);
    let dh1_dw1 = X[0] * d_sigmoid(z_h1);
    Worked {
        z_h1,
        h1,
        z_h2,
        h2,
        z_o1,
        y_pred,
        loss: (Y - y_pred).powi(2),
        dl_dypred,
        dypred_dh1,
        dh1_dw1,
        dl_dw1: dl_dypred * dypred_dh1 * dh1_dw1,
    }
}

/// The tutorial's network in the library: all weights 1, biases 0, sigmoid everywhere.
/// w1 (input x1 → h1) is `layers[0].weight` at (0, 0) in the library's n_in × n_out layout.
pub fn library_network() -> Network {
    super::sigmoid_2_2_1([1.0, 1.0])
}

/// ∂L/∂w1 from the library's general backward pass (in `f32`).
pub fn library_gradient() -> f32 {
    let mut net = library_network();
    let (x, t) = (Matrix::from_rows(&[[X[0] as f32, X[1] as f32]]), Matrix::filled(1, 1, Y as f32));
    net.zero_grad();
    net.forward(&x);
    net.backward_loss(Loss::Mse, &t); // MSE of one output, one sample: (y − ŷ)²
    net.layers()[0].weight.grad.get(0, 0)
}

/// ∂L/∂w1 ≈ (L(w1 + h) − L(w1 − h)) / 2h, the central difference in `f64`
/// (its error is of order h², about 1e-12 here).
pub fn finite_difference() -> f64 {
    let h = 1e-6;
    (loss_with_w1(1.0 + h) - loss_with_w1(1.0 - h)) / (2.0 * h)
}

/// Prints the worked example factor by factor.
pub fn run(out: &mut dyn Write) -> io::Result<()> {
    let w = worked();
    writeln!(out, "{}", t!("lesson.chain-rule.title"))?;
    writeln!(out, "  {}", t!("lesson.chain-rule.network"))?;
    writeln!(out, "  {}", t!("lesson.chain-rule.sample"))?;
    writeln!(out)?;
    writeln!(out, "{}", t!("lesson.chain-rule.forward"))?;
    writeln!(out, "  z_h1 = w1·x1 + w2·x2 + b1 = 1·(−2) + 1·5 + 0 = {}", w.z_h1)?;
    writeln!(out, "  h1   = σ(z_h1) = {:.10}", w.h1)?;
    writeln!(out, "  z_h2 = w3·x1 + w4·x2 + b2 = {},  h2 = σ(z_h2) = {:.10}", w.z_h2, w.h2)?;
    writeln!(out, "  z_o1 = w5·h1 + w6·h2 + b3 = {:.10}", w.z_o1)?;
    writeln!(out, "  ŷ    = σ(z_o1) = {:.10}", w.y_pred)?;
    writeln!(out, "  L    = (y − ŷ)² = (1 − {:.10})² = {:.10}", w.y_pred, w.loss)?;
    writeln!(out)?;
    backward(&w, out)?;
    writeln!(out)?;
    writeln!(out, "{}", t!("lesson.chain-rule.checks"))?;
    let (backprop, finite) = (t!("lesson.chain-rule.check.backprop"), t!("lesson.chain-rule.check.finite"));
    let w_label = widest(&[backprop, finite]) + 1;
    writeln!(out, "  {}{:+.10}", pad_right(backprop, w_label), library_gradient())?;
    writeln!(out, "  {}{:+.10}", pad_right(finite, w_label), finite_difference())?;
    writeln!(out)?;
    sign(&w, out)
}

/// The backward pass: each factor of ∂L/∂w1 with its formula, its value and what its sign says.
fn backward(w: &Worked, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}", t!("lesson.chain-rule.backward", chain = "∂L/∂w1 = ∂L/∂ŷ · ∂ŷ/∂h1 · ∂h1/∂w1"))?;
    writeln!(
        out,
        "  ∂L/∂ŷ   = −2(y − ŷ)        = −2·(1 − {:.6})          = {:+.10}   {}",
        w.y_pred,
        w.dl_dypred,
        t!("lesson.chain-rule.sign.dl-dy")
    )?;
    writeln!(
        out,
        "  ∂ŷ/∂h1  = w5·σ′(z_o1)      = 1·σ({:.6})·(1 − σ({:.6})) = {:+.10}   {}",
        w.z_o1,
        w.z_o1,
        w.dypred_dh1,
        t!("lesson.chain-rule.sign.dy-dh1")
    )?;
    writeln!(
        out,
        "  ∂h1/∂w1 = x1·σ′(z_h1)      = (−2)·σ(3)·(1 − σ(3))          = {:+.10}   {}",
        w.dh1_dw1,
        t!("lesson.chain-rule.sign.dh1-dw1")
    )?;
    writeln!(
        out,
        "  ∂L/∂w1  = {:+.10} · {:+.10} · {:+.10} = {:+.10}",
        w.dl_dypred, w.dypred_dh1, w.dh1_dw1, w.dl_dw1
    )
}

/// What the sign of ∂L/∂w1 means (and where the tutorial reads it backwards), shown by one step.
fn sign(w: &Worked, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}", t!("lesson.chain-rule.meaning"))?;
    let lr = 0.1;
    let w1_new = 1.0 - lr * w.dl_dw1;
    if w.dl_dw1 > 0.0 {
        writeln!(out, "  {}", t!("lesson.chain-rule.positive"))?;
    } else {
        writeln!(out, "  {}", t!("lesson.chain-rule.negative"))?;
    }
    write_lines(out, "  ", t!("lesson.chain-rule.tutorial-note"))?;
    let update = format!("w1 ← w1 − lr·∂L/∂w1 = 1 − {lr}·{:.6} = {w1_new:.10}", w.dl_dw1);
    writeln!(out, "  {}", t!("lesson.chain-rule.step", lr = lr, update = update))?;
    let (before, after) = (format!("{:.12}", w.loss), format!("{:.12}", loss_with_w1(w1_new)));
    writeln!(out, "  {}", t!("lesson.chain-rule.after-step", before = before, after = after))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factors_by_hand() {
        let w = worked();
        // σ(3) = 0.9525741268; σ′(3) = 0.0451766597; z_o1 = 2σ(3) = 1.9051482536
        assert!((w.h1 - 0.952_574_126_822_433_4).abs() < 1e-15);
        assert!((w.z_o1 - 1.905_148_253_644_866_8).abs() < 1e-15);
        assert!((w.dh1_dw1 - (-2.0 * 0.045_176_659_730_912)).abs() < 1e-12);
        assert!(w.dl_dypred < 0.0 && w.dypred_dh1 > 0.0 && w.dh1_dw1 < 0.0 && w.dl_dw1 > 0.0);
        assert!((w.dl_dw1 - w.dl_dypred * w.dypred_dh1 * w.dh1_dw1).abs() < 1e-18);
    }

    #[test]
    fn backprop_and_finite_differences_agree_with_the_hand_computation() {
        let w = worked();
        assert!((finite_difference() - w.dl_dw1).abs() < 1e-9);
        let library = f64::from(library_gradient());
        assert!((library - w.dl_dw1).abs() / w.dl_dw1.abs() < 1e-4, "{library} vs {}", w.dl_dw1);
    }

    #[test]
    fn a_step_against_the_gradient_lowers_the_loss() {
        let w = worked();
        assert!(loss_with_w1(1.0 - 0.1 * w.dl_dw1) < w.loss);
    }
}

//! Finite-difference checks of every hand-written derivative: activations, losses (also the
//! fused forms), `Dense`, and whole networks, on random shapes with batch sizes 1 and > 1.
//! They check the reference engine (`Dense::backward`, `Network::backward`: the code the
//! training loop's `reference_step` runs); `tests/engines.rs` checks the fast engine against it.
//!
//! For a function L(θ) and each element θᵢ, the analytic ∂L/∂θᵢ from a backward pass is
//! compared with the central difference (L(θᵢ + h) − L(θᵢ − h)) / 2h. The forward passes run
//! in `f32` (the library's type) and L is summed in `f64`.
//!
//! Tolerances: the central difference's truncation error is about h²·L‴/6 and its rounding
//! error about ε_f32·|L| / h (ε_f32 ≈ 6e-8). With h = 1e-2 both stay near 1e-5 for the
//! functions here (inputs are kept in well-conditioned ranges: probabilities in [0.2, 0.8],
//! ReLU inputs away from its kink at 0); with h = 2e-3 the rounding error alone reached 1e-3.
//! A 0.3% error planted in a derivative makes these tests fail. We require relative error < 1e-3, measured against
//! max(|analytic|, |numeric|, 1e-2): gradients smaller than 1e-2 must agree to 1e-5 absolutely.

use scratchnet::{Activation, Dense, Init, Loss, Matrix, Network, Rng};

const H: f32 = 1e-2; // see the tolerance note above
const REL_TOL: f64 = 1e-3;
const FLOOR: f64 = 1e-2;

/// A `rows × cols` matrix of values uniform in [lo, hi).
fn random(rows: usize, cols: usize, lo: f64, hi: f64, rng: &mut Rng) -> Matrix {
    let data = (0..rows * cols).map(|_| rng.uniform_in(lo, hi) as f32).collect();
    Matrix::from_vec(rows, cols, data).unwrap()
}

/// Like [`random`], with each value's magnitude at least `gap` (away from ReLU's kink).
fn random_away_from_zero(rows: usize, cols: usize, gap: f64, rng: &mut Rng) -> Matrix {
    let data = (0..rows * cols)
        .map(|_| {
            let v = rng.uniform_in(gap, 2.0);
            (if rng.uniform() < 0.5 { -v } else { v }) as f32
        })
        .collect();
    Matrix::from_vec(rows, cols, data).unwrap()
}

/// One-hot rows over `k` classes.
fn one_hot_rows(n: usize, k: usize, rng: &mut Rng) -> Matrix {
    let labels: Vec<usize> = (0..n).map(|_| rng.below(k)).collect();
    scratchnet::data::one_hot(&labels, k)
}

/// Σ a ⊙ b in f64.
fn dot(a: &Matrix, b: &Matrix) -> f64 {
    a.as_slice().iter().zip(b.as_slice()).map(|(&x, &y)| f64::from(x) * f64::from(y)).sum()
}

/// ∂f/∂mᵢ for every element of `m`, by central differences.
fn numeric_gradient(m: &Matrix, f: impl Fn(&Matrix) -> f64) -> Vec<f64> {
    (0..m.len())
        .map(|i| {
            let mut plus = m.clone();
            plus.as_mut_slice()[i] += H;
            let mut minus = m.clone();
            minus.as_mut_slice()[i] -= H;
            // the actual step in f32, which may differ slightly from 2H
            let step = f64::from(plus.as_slice()[i]) - f64::from(minus.as_slice()[i]);
            (f(&plus) - f(&minus)) / step
        })
        .collect()
}

#[track_caller]
fn assert_close(analytic: &Matrix, numeric: &[f64], what: &str) {
    assert_eq!(analytic.len(), numeric.len(), "{what}: sizes");
    for (i, (&a, &n)) in analytic.as_slice().iter().zip(numeric).enumerate() {
        let a = f64::from(a);
        let scale = a.abs().max(n.abs()).max(FLOOR);
        let rel = (a - n).abs() / scale;
        assert!(rel < REL_TOL, "{what}[{i}]: analytic {a:.8}, numeric {n:.8}, relative error {rel:.2e}");
    }
}

/// (batch, width) pairs: batch 1 and larger batches, several widths.
fn shapes(rng: &mut Rng) -> Vec<(usize, usize)> {
    let mut shapes = vec![(1, 1), (1, 4), (3, 2)];
    shapes.extend((0..3).map(|_| (1 + rng.below(6), 1 + rng.below(6))));
    shapes
}

#[test]
fn every_activation_backward_matches_finite_differences() {
    let mut rng = Rng::new(1);
    for activation in Activation::ALL {
        for (n, k) in shapes(&mut rng) {
            // L = Σ f(z) ⊙ r for a fixed random r, so ∂L/∂y = r.
            let z = random_away_from_zero(n, k, 0.05, &mut rng); // |z| ≥ 5H: no nudge crosses 0
            let r = random(n, k, -1.0, 1.0, &mut rng);
            let mut y = z.clone();
            activation.forward(&mut y);
            let mut dz = r.clone();
            activation.backward(&y, &mut dz);
            let numeric = numeric_gradient(&z, |z| {
                let mut y = z.clone();
                activation.forward(&mut y);
                dot(&y, &r)
            });
            assert_close(&dz, &numeric, &format!("{activation} {n}×{k} dz"));
        }
    }
}

/// Outputs suited to each loss: probabilities in [0.2, 0.8] for the cross-entropies.
fn outputs_and_targets(loss: Loss, n: usize, k: usize, rng: &mut Rng) -> (Matrix, Matrix) {
    match loss {
        Loss::Mse => (random(n, k, -2.0, 2.0, rng), random(n, k, -2.0, 2.0, rng)),
        Loss::BinaryCrossEntropy => {
            let t = random(n, k, 0.0, 1.0, rng).as_slice().iter().map(|&v| v.round()).collect();
            (random(n, k, 0.2, 0.8, rng), Matrix::from_vec(n, k, t).unwrap())
        }
        Loss::CrossEntropy => (random(n, k, 0.2, 0.8, rng), one_hot_rows(n, k, rng)),
    }
}

#[test]
fn every_loss_gradient_matches_finite_differences() {
    let mut rng = Rng::new(2);
    for loss in Loss::ALL {
        for (n, k) in shapes(&mut rng) {
            let (y, t) = outputs_and_targets(loss, n, k, &mut rng);
            let dy = loss.gradient(&y, &t);
            let numeric = numeric_gradient(&y, |y| f64::from(loss.value(y, &t)));
            assert_close(&dy, &numeric, &format!("{loss} {n}×{k} dy"));
        }
    }
}

/// Targets a loss accepts for the output activation in front of it.
fn targets_for(loss: Loss, n: usize, k: usize, rng: &mut Rng) -> Matrix {
    match loss {
        Loss::Mse => random(n, k, -1.0, 1.0, rng),
        Loss::BinaryCrossEntropy => {
            let t = random(n, k, 0.0, 1.0, rng).as_slice().iter().map(|&v| v.round()).collect();
            Matrix::from_vec(n, k, t).unwrap()
        }
        Loss::CrossEntropy => one_hot_rows(n, k, rng),
    }
}

#[test]
fn gradient_wrt_logits_matches_finite_differences_fused_or_not() {
    // Fused: softmax + cross-entropy and sigmoid + binary cross-entropy; the others go through
    // Activation::backward. Logits in [−1, 1] keep probabilities in the well-conditioned range.
    let pairs = [
        (Loss::CrossEntropy, Activation::Softmax),
        (Loss::BinaryCrossEntropy, Activation::Sigmoid),
        (Loss::Mse, Activation::Identity),
        (Loss::Mse, Activation::Sigmoid),
        (Loss::Mse, Activation::Softmax),
        (Loss::Mse, Activation::Tanh),
    ];
    let mut rng = Rng::new(3);
    for (loss, output) in pairs {
        for (n, k) in shapes(&mut rng) {
            let k = if output == Activation::Softmax { k.max(2) } else { k };
            let z = random(n, k, -1.0, 1.0, &mut rng);
            let t = targets_for(loss, n, k, &mut rng);
            let mut y = z.clone();
            output.forward(&mut y);
            let dz = loss.gradient_wrt_logits(output, &y, &t);
            let numeric = numeric_gradient(&z, |z| {
                let mut y = z.clone();
                output.forward(&mut y);
                f64::from(loss.value(&y, &t))
            });
            assert_close(&dz, &numeric, &format!("{output} + {loss} {n}×{k} dz"));
        }
    }
}

#[test]
fn fused_and_unfused_gradients_agree() {
    let mut rng = Rng::new(4);
    for (loss, output) in
        [(Loss::CrossEntropy, Activation::Softmax), (Loss::BinaryCrossEntropy, Activation::Sigmoid)]
    {
        let z = random(5, 3, -1.0, 1.0, &mut rng);
        let t = targets_for(loss, 5, 3, &mut rng);
        let mut y = z.clone();
        output.forward(&mut y);
        let fused = loss.gradient_wrt_logits(output, &y, &t);
        let mut chained = loss.gradient(&y, &t);
        output.backward(&y, &mut chained);
        let chained: Vec<f64> = chained.as_slice().iter().map(|&v| f64::from(v)).collect();
        assert_close(&fused, &chained, &format!("{output} + {loss} fused vs chained"));
    }
}

#[test]
fn dense_backward_matches_finite_differences() {
    let mut rng = Rng::new(5);
    for (n, n_in) in shapes(&mut rng) {
        let n_out = 1 + rng.below(5);
        let mut layer = Dense::new(n_in, n_out, Init::Xavier, &mut rng);
        layer.bias.value = random(1, n_out, -0.5, 0.5, &mut rng);
        let x = random(n, n_in, -1.0, 1.0, &mut rng);
        let r = random(n, n_out, -1.0, 1.0, &mut rng); // L = Σ y ⊙ r
        layer.forward(&x);
        let dx = layer.backward(&r);

        let numeric_x = numeric_gradient(&x, |x| dot(&layer.apply(x), &r));
        assert_close(&dx, &numeric_x, &format!("dense {n}×{n_in}→{n_out} dx"));
        let bias = layer.bias.value.clone();
        let numeric_w = numeric_gradient(&layer.weight.value, |w| {
            dot(&Dense::from_params(w.clone(), bias.clone()).unwrap().apply(&x), &r)
        });
        assert_close(&layer.weight.grad, &numeric_w, &format!("dense {n}×{n_in}→{n_out} dW"));
        let weight = layer.weight.value.clone();
        let numeric_b = numeric_gradient(&layer.bias.value, |b| {
            dot(&Dense::from_params(weight.clone(), b.clone()).unwrap().apply(&x), &r)
        });
        assert_close(&layer.bias.grad, &numeric_b, &format!("dense {n}×{n_in}→{n_out} db"));
    }
}

#[test]
fn dense_backward_accumulates_until_zeroed() {
    let mut rng = Rng::new(6);
    let mut layer = Dense::new(3, 2, Init::He, &mut rng);
    let x = random(4, 3, -1.0, 1.0, &mut rng);
    let r = random(4, 2, -1.0, 1.0, &mut rng);
    layer.forward(&x);
    layer.backward(&r);
    let once = layer.weight.grad.clone();
    layer.backward(&r);
    for (a, b) in layer.weight.grad.as_slice().iter().zip(once.as_slice()) {
        assert!((a - 2.0 * b).abs() < 1e-6);
    }
}

#[test]
fn whole_network_backward_matches_finite_differences() {
    // Every hidden activation with each output/loss pairing, on random sizes.
    let heads = [
        (Activation::Softmax, Loss::CrossEntropy),
        (Activation::Sigmoid, Loss::BinaryCrossEntropy),
        (Activation::Identity, Loss::Mse),
        (Activation::Sigmoid, Loss::Mse),
    ];
    let mut rng = Rng::new(7);
    for hidden in [Activation::Sigmoid, Activation::Tanh, Activation::Relu, Activation::Identity] {
        for (output, loss) in heads {
            let n = [1, 5][rng.below(2)];
            let n_out = if output == Activation::Softmax { 2 + rng.below(3) } else { 1 + rng.below(3) };
            let sizes = [1 + rng.below(4), 1 + rng.below(5), 1 + rng.below(4), n_out];
            let mut net = Network::new(&sizes, hidden, output, Init::Xavier, &mut rng).unwrap();
            for layer in net.layers_mut() {
                layer.bias.value = random(1, layer.n_out(), -0.3, 0.3, &mut rng);
            }
            let x = random(n, sizes[0], -1.0, 1.0, &mut rng);
            let t = targets_for(loss, n, n_out, &mut rng);
            net.zero_grad();
            net.forward(&x);
            let value = net.backward_loss(loss, &t);
            assert!(value.is_finite());

            let names = net.param_names();
            for (p, name) in names.iter().enumerate() {
                let value = net.params()[p].value.clone();
                let numeric = numeric_gradient(&value, |v| {
                    let mut nudged = net.clone();
                    nudged.params_mut()[p].value = v.clone();
                    f64::from(loss.value(&nudged.predict(&x), &t))
                });
                let what = format!("{sizes:?} {hidden}/{output}/{loss} batch {n}: {name}");
                if hidden == Activation::Relu && relu_near_kink(&net, &x) {
                    continue; // a nudge could cross the kink; the test of Activation covers ReLU
                }
                assert_close(&net.params()[p].grad, &numeric, &what);
            }
        }
    }
}

/// True if some hidden pre-activation is within 10·H of ReLU's kink (finite differences across
/// the kink measure the average of two slopes, not either one).
fn relu_near_kink(net: &Network, x: &Matrix) -> bool {
    let mut y = x.clone();
    for (layer, activation) in net.layers().iter().zip(net.activations()) {
        let z = layer.apply(&y);
        if *activation == Activation::Relu && z.as_slice().iter().any(|v| v.abs() < 10.0 * H) {
            return true;
        }
        y = z;
        activation.forward(&mut y);
    }
    false
}

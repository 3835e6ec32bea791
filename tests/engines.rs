//! The fast engine (`src/fast/`) computes what the reference engine (the concept files) does.
//!
//! Each test trains the same network on the same data with the same seed twice, once with
//! `Engine::Reference` and once with `Engine::Fast { threads }`, over a grid: every hidden
//! activation × every output and loss (the fused softmax + cross-entropy and sigmoid + binary
//! cross-entropy, and the chained ones), SGD (fused into the backward pass), SGD with
//! gradient clipping, momentum, Nesterov with weight decay, Adam, fixed-step; batch sizes 1, 7
//! and 64; 1, 2 and 3 threads; a small network and 784 → 128 → 10 (whose first layer the fast
//! engine cuts by inputs). Both runs' batch losses and final parameters are compared.
//!
//! **Bit for bit where the arithmetic is the same.** On one thread, without the fused SGD
//! step, the fast engine performs the reference's operations in the reference's order: the
//! same sequential faer product per matrix, the bias added then the activation's own scalar
//! formula (`Activation::apply`), the same loss code, the optimizer's own `Rule::update`; its
//! SIMD loops keep the order of operations and Rust never fuses a multiply and an add, so the
//! results are equal, value for value (a product written instead of added to a zeroed gradient
//! can only turn a −0 into a +0, which compares equal and changes no later value).
//!
//! **Within a derived tolerance where it is not.** Two things change the rounding:
//! 1. *Threads*: a product cut by inputs adds two partial sums; a product cut by output columns
//!    may block its inner loop differently. Either way each element is the same sum of k terms
//!    in another order, and two orders differ by at most 2·k·u·Σ|terms| (u = 2⁻²⁴ ≈ 6e-8, the
//!    rounding unit of `f32`): for k = 784 inputs, about 1e-4 of Σ|terms|.
//! 2. *Fused SGD*: W + (−lr)·(xᵀ·dy) inside the product, which may round once (a fused
//!    multiply-add) where the reference rounds twice: a difference of at most u·|W| per step.
//!
//! Such differences feed back: the next step's gradient is taken at slightly different
//! weights. Over the few steps these tests take (at most 2 epochs of 128 samples; at batch 1
//! that is 256 steps) the measured growth stays below 10× a step's worst case, so we require
//!   - every batch loss within `LOSS_TOL` = 1e-4 relative (+1e-6 absolute) of the reference's;
//!   - the change training made to the parameters, Δθ = θ_end − θ_start, within
//!     `UPDATE_TOL` = 1e-3 of the reference's Δθ in the Euclidean norm (10× the per-product
//!     bound of 1e-4). Comparing the change, not θ itself, keeps the test from passing because
//!     θ barely moved; comparing norms, not single elements, allows for Adam and fixed-step,
//!     whose update of a weight with a gradient near 0 depends on that gradient's last bits
//!     (Adam's m̂/√v̂ is ±1 whatever its size; sign(g) flips).
//!
//! A planted error shows: a fast engine that skipped the bias gradient, used the wrong
//! activation derivative, or lost a batch would miss these bounds by orders of magnitude.

use scratchnet::data::one_hot;
use scratchnet::train::BatchInfo;
use scratchnet::{
    Activation, Dataset, Engine, Features, Init, Loss, Matrix, Method, Network, Observer, Rng, Task,
    TrainConfig,
};

const LOSS_TOL: f64 = 1e-4;
const UPDATE_TOL: f64 = 1e-3;

/// Every batch's loss, in order.
struct Losses(Vec<f32>);

impl Observer for Losses {
    fn on_batch(&mut self, info: &BatchInfo, _net: &Network) {
        self.0.push(info.loss);
    }
}

/// Trains a copy of `net` on `data` with `engine`; returns the trained network and its losses.
fn train(net: &Network, data: &Dataset, config: &TrainConfig, engine: Engine) -> (Network, Vec<f32>) {
    let (mut net, mut losses) = (net.clone(), Losses(Vec::new()));
    let config = TrainConfig { engine, ..config.clone() };
    let mut rng = Rng::new(99); // the same shuffles for both engines
    scratchnet::fit(&mut net, data, None, &config, &mut rng, &mut losses).expect("training runs");
    (net, losses.0)
}

/// Every parameter's values, in order.
fn values(net: &Network) -> Vec<f32> {
    net.params().iter().flat_map(|p| p.value.as_slice().to_vec()).collect()
}

/// Asserts that the fast engine on `threads` threads agrees with the reference (see the file's
/// header); `exact` asks for equal values.
fn assert_engines_agree(net: &Network, data: &Dataset, config: &TrainConfig, threads: usize, exact: bool) {
    let what = format!(
        "{:?} {}/{} {} {} batch {} clip {:?}, {threads} thread(s)",
        net.sizes(),
        net.activations()[0],
        net.output_activation(),
        config.loss,
        config.method.name(),
        config.batch_size,
        config.clip_grad
    );
    let (reference, ref_losses) = train(net, data, config, Engine::Reference);
    let (fast, fast_losses) = train(net, data, config, Engine::Fast { threads });
    assert_eq!(ref_losses.len(), fast_losses.len(), "{what}: batches");
    let (start, ref_end, fast_end) = (values(net), values(&reference), values(&fast));
    if exact {
        assert!(ref_losses == fast_losses, "{what}: losses differ");
        assert!(ref_end == fast_end, "{what}: parameters differ");
        return;
    }
    for (i, (&r, &f)) in ref_losses.iter().zip(&fast_losses).enumerate() {
        let (r, f) = (f64::from(r), f64::from(f));
        assert!((r - f).abs() <= LOSS_TOL * r.abs() + 1e-6, "{what}: batch {i} loss {f} vs {r}");
    }
    let (mut diff, mut moved) = (0.0f64, 0.0f64);
    for ((&s, &r), &f) in start.iter().zip(&ref_end).zip(&fast_end) {
        let (dr, df) = (f64::from(r) - f64::from(s), f64::from(f) - f64::from(s));
        diff += (dr - df) * (dr - df);
        moved += dr * dr;
    }
    let (diff, moved) = (diff.sqrt(), moved.sqrt());
    assert!(moved > 0.0, "{what}: training moved nothing");
    assert!(diff <= UPDATE_TOL * moved, "{what}: ‖Δθ_fast − Δθ_ref‖ = {diff:e}, ‖Δθ_ref‖ = {moved:e}");
}

/// `n` samples of `n_in` random features (bytes, as MNIST's, or floats) with targets for `loss`.
fn data(n: usize, n_in: usize, n_out: usize, loss: Loss, bytes: bool, rng: &mut Rng) -> Dataset {
    let inputs = if bytes {
        let bytes = (0..n * n_in).map(|_| rng.below(256) as u8).collect();
        Features::U8 { rows: n, cols: n_in, bytes, scale: 1.0 / 255.0 }
    } else {
        let values = (0..n * n_in).map(|_| rng.uniform_in(-1.0, 1.0) as f32).collect();
        Features::F32(Matrix::from_vec(n, n_in, values).unwrap())
    };
    let (targets, task) = match loss {
        Loss::CrossEntropy => {
            (one_hot(&(0..n).map(|i| (i * 7 + 3) % n_out).collect::<Vec<_>>(), n_out), Task::Classes(n_out))
        }
        Loss::BinaryCrossEntropy => {
            let t = (0..n * n_out).map(|i| ((i * 5 + 1) % 3 == 0) as u8 as f32).collect();
            (Matrix::from_vec(n, n_out, t).unwrap(), Task::Binary)
        }
        Loss::Mse => {
            let t = (0..n * n_out).map(|_| rng.uniform_in(0.1, 0.9) as f32).collect();
            (Matrix::from_vec(n, n_out, t).unwrap(), Task::Regression)
        }
    };
    Dataset::from_features("random", inputs, targets, task).unwrap()
}

/// The output activations and losses: fused pairs first, then chained ones.
const HEADS: [(Activation, Loss); 5] = [
    (Activation::Softmax, Loss::CrossEntropy),
    (Activation::Sigmoid, Loss::BinaryCrossEntropy),
    (Activation::Identity, Loss::Mse),
    (Activation::Sigmoid, Loss::Mse),
    (Activation::Softmax, Loss::Mse),
];

const HIDDEN: [Activation; 4] =
    [Activation::Sigmoid, Activation::Tanh, Activation::Relu, Activation::Identity];

#[test]
fn every_activation_and_loss_trains_the_same_on_both_engines() {
    let mut rng = Rng::new(1);
    for hidden in HIDDEN {
        for (output, loss) in HEADS {
            let n_out = 3;
            let set = data(40, 6, n_out, loss, false, &mut rng);
            let net = Network::new(&[6, 9, 5, n_out], hidden, output, Init::Xavier, &mut rng).unwrap();
            for (method, exact_on_one_thread) in [(Method::ADAM, true), (Method::Sgd, false)] {
                let mut config = TrainConfig::new(loss, if method == Method::Sgd { 0.1 } else { 0.01 });
                (config.method, config.epochs, config.batch_size) = (method, 2, 7);
                for threads in [1, 2, 3] {
                    assert_engines_agree(&net, &set, &config, threads, exact_on_one_thread && threads == 1);
                }
            }
        }
    }
}

/// The optimizers, with the settings that change which code the fast engine runs.
fn optimizers() -> Vec<(Method, f32, Option<f32>, f32)> {
    // (method, weight decay, gradient clipping, lr)
    vec![
        (Method::Sgd, 0.0, None, 0.05),      // fused into the backward pass
        (Method::Sgd, 0.0, Some(0.5), 0.05), // clipping needs the whole gradient first
        (Method::MOMENTUM, 0.0, None, 0.02),
        (Method::NESTEROV, 5e-4, None, 0.02),
        (Method::ADAM, 0.0, None, 1e-3),
        (Method::Sign, 0.0, None, 1e-3),
    ]
}

#[test]
fn every_optimizer_batch_size_and_thread_count_agrees_on_a_784_128_10_network() {
    let mut rng = Rng::new(2);
    let set = data(128, 784, 10, Loss::CrossEntropy, true, &mut rng);
    let net =
        Network::new(&[784, 128, 10], Activation::Relu, Activation::Softmax, Init::He, &mut rng).unwrap();
    for (method, weight_decay, clip_grad, lr) in optimizers() {
        for batch_size in [1, 7, 64] {
            let mut config = TrainConfig::new(Loss::CrossEntropy, lr);
            (config.method, config.weight_decay, config.clip_grad) = (method, weight_decay, clip_grad);
            (config.epochs, config.batch_size) = (if batch_size == 1 { 1 } else { 2 }, batch_size);
            let fused = method == Method::Sgd && weight_decay == 0.0 && clip_grad.is_none();
            for threads in [1, 2, 3] {
                if method == Method::Sign && threads > 1 {
                    continue; // sign(g) of a gradient near 0 depends on its last bit: exact runs only
                }
                assert_engines_agree(&net, &set, &config, threads, threads == 1 && !fused);
            }
        }
    }
}

#[test]
fn a_network_without_biases_and_a_sigmoid_network_at_batch_one_agree() {
    // tutorial 001's network: sigmoid, softmax, no biases, per-sample SGD
    let mut rng = Rng::new(3);
    let set = data(64, 784, 10, Loss::CrossEntropy, true, &mut rng);
    let net =
        Network::new(&[784, 128, 64, 10], Activation::Sigmoid, Activation::Softmax, Init::Tutorial, &mut rng)
            .unwrap()
            .without_biases();
    let mut config = TrainConfig::new(Loss::CrossEntropy, 0.1);
    (config.epochs, config.batch_size) = (1, 1);
    for threads in [1, 2] {
        assert_engines_agree(&net, &set, &config, threads, false);
    }
    config.method = Method::MOMENTUM;
    assert_engines_agree(&net, &set, &config, 1, true);
}

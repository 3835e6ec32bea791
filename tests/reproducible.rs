//! Same seed (and, single-threaded, the same machine) ⇒ bit-identical training.

use scratchnet::data::beans;
use scratchnet::{Activation, Init, Loss, Method, Network, Rng, Schedule, TrainConfig};

/// Trains a 1-8-1 tanh network on hill beans with shuffled mini-batches, Adam and one-cycle,
/// and returns every weight, bit for bit.
fn train(seed: u64) -> Vec<u32> {
    let mut rng = Rng::new(seed);
    let data = beans::hill(100, &mut rng);
    let mut net =
        Network::new(&[1, 8, 1], Activation::Tanh, Activation::Sigmoid, Init::Xavier, &mut rng).unwrap();
    let mut config = TrainConfig::new(Loss::BinaryCrossEntropy, 0.05);
    config.method = Method::ADAM;
    config.schedule = Schedule::OneCycle { warmup: 0.3 };
    config.weight_decay = 1e-4;
    config.epochs = 30;
    config.batch_size = 7; // uneven last batch on purpose
    scratchnet::fit(&mut net, &data, None, &config, &mut rng, &mut ()).unwrap();
    net.params().iter().flat_map(|p| p.value.as_slice().iter().map(|v| v.to_bits())).collect()
}

#[test]
fn same_seed_gives_bit_identical_weights() {
    assert_eq!(train(11), train(11));
}

#[test]
fn another_seed_gives_other_weights() {
    assert_ne!(train(11), train(12));
}

/// Trains a 784-128-10 ReLU network (products big enough to be cut between threads) on random
/// bytes for 2 epochs of batch 256 inside a pool of `threads`; returns every weight's bits.
fn train_wide(threads: usize) -> Vec<u32> {
    use scratchnet::{Dataset, Features};
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
    scratchnet::tensor::set_threads(threads);
    let mut rng = Rng::new(5);
    let n = 1024;
    let bytes: Vec<u8> = (0..n * 784).map(|_| rng.below(256) as u8).collect();
    let labels: Vec<usize> = (0..n).map(|i| i % 10).collect();
    let inputs = Features::U8 { rows: n, cols: 784, bytes, scale: 1.0 / 255.0 };
    let data = Dataset::from_features(
        "noise",
        inputs,
        scratchnet::data::one_hot(&labels, 10),
        scratchnet::Task::Classes(10),
    )
    .unwrap();
    let mut net =
        Network::new(&[784, 128, 10], Activation::Relu, Activation::Softmax, Init::He, &mut rng).unwrap();
    let mut config = TrainConfig::new(Loss::CrossEntropy, 1e-3);
    (config.method, config.epochs, config.batch_size) = (Method::ADAM, 2, 256);
    pool.install(|| scratchnet::fit(&mut net, &data, None, &config, &mut rng, &mut ())).unwrap();
    scratchnet::tensor::set_threads(1);
    net.params().iter().flat_map(|p| p.value.as_slice().iter().map(|v| v.to_bits())).collect()
}

#[test]
fn two_threads_repeat_exactly() {
    assert_eq!(train_wide(2), train_wide(2));
}

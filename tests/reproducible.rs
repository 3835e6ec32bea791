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

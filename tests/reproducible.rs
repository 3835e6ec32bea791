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
/// bytes for 2 epochs of batch 256 on `threads` threads; returns every weight's bits.
fn train_wide(threads: usize) -> Vec<u32> {
    use scratchnet::{Dataset, Engine, Features};
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
    config.engine = Engine::Fast { threads };
    scratchnet::fit(&mut net, &data, None, &config, &mut rng, &mut ()).unwrap();
    net.params().iter().flat_map(|p| p.value.as_slice().iter().map(|v| v.to_bits())).collect()
}

#[test]
fn two_threads_repeat_exactly() {
    assert_eq!(train_wide(2), train_wide(2));
}

/// Trains with the CLI (tanh and sigmoid hidden layers, softmax or sigmoid outputs, Adam and
/// Nesterov) and returns every saved weight's bits; `no_simd` forces the baseline loops.
fn cli_weights(dataset: &str, activation: &str, optimizer: &str, no_simd: bool) -> Vec<u32> {
    let dir =
        std::env::temp_dir().join(format!("scratchnet-simd-{}-{dataset}-{no_simd}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let model = dir.join("m.safetensors");
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_scratchnet"));
    cmd.env("SCRATCHNET_LANG", "en"); // the tests read English output
    let layers = if dataset == "beans-hill" { "1,16,16,1" } else { "2,16,16,1" };
    cmd.args(["train", "--dataset", dataset, "--layers", layers, "--epochs", "40"]);
    cmd.args(["--batch-size", "8", "--activation", activation, "--optimizer", optimizer, "--save"]);
    cmd.arg(&model);
    if no_simd {
        cmd.env("SCRATCHNET_NO_SIMD", "1");
    } else {
        cmd.env_remove("SCRATCHNET_NO_SIMD");
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let loaded = scratchnet::io::load(&model).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    loaded.net.params().iter().flat_map(|p| p.value.as_slice().iter().map(|v| v.to_bits())).collect()
}

/// The element-wise loops run as AVX-512, AVX2 or baseline code depending on the CPU
/// (`simd.rs`); all three must give the same numbers, or a seed would mean different runs on
/// different machines. On a CPU without AVX2 both runs take the baseline path.
#[test]
fn vectorised_and_baseline_loops_give_the_same_bits() {
    for (dataset, activation, optimizer) in
        [("gender", "tanh", "adam"), ("beans-hill", "sigmoid", "nesterov")]
    {
        let fast = cli_weights(dataset, activation, optimizer, false);
        assert_eq!(fast, cli_weights(dataset, activation, optimizer, true), "{dataset} {activation}");
    }
}

//! Build, train, evaluate and use a network with the library: `cargo run --example quickstart`.
//!
//! The task is tutorial 000's "hill" beans: a bean is toxic when its size is in a middle band,
//! which one sigmoid cannot fit but a hidden layer can.

use scratchnet::data::{Standardizer, beans};
use scratchnet::{Activation, Init, Loss, Matrix, Method, Network, Rng, Schedule, TrainConfig};

fn main() -> Result<(), scratchnet::Error> {
    let mut rng = Rng::new(7); // every random choice below comes from this seed

    // Data: 200 beans, 80% to train on, 20% held out.
    let beans = beans::hill(200, &mut rng);
    let (mut train, mut test) = beans.split(0.8, &mut rng);
    let scaler = Standardizer::fit(&train.inputs.to_matrix()); // statistics from the training split only
    train.standardize(&scaler);
    test.standardize(&scaler);

    // A 1-8-1 network: tanh hidden units, a sigmoid output for a yes/no answer.
    let mut net = Network::new(&[1, 8, 1], Activation::Tanh, Activation::Sigmoid, Init::Xavier, &mut rng)?;

    // Binary cross-entropy, Adam, one-cycle learning rate, shuffled mini-batches of 16.
    let mut config = TrainConfig::new(Loss::BinaryCrossEntropy, 0.03);
    config.method = Method::ADAM;
    config.schedule = Schedule::OneCycle { warmup: 0.3 };
    config.epochs = 200;
    config.batch_size = 16;

    let history = scratchnet::fit(&mut net, &train, Some(&test), &config, &mut rng, &mut ())?;
    for stats in history.epochs.iter().filter(|e| e.epoch % 40 == 0) {
        println!(
            "epoch {:3}  train loss {:.4}  held-out accuracy {:.1}%",
            stats.epoch,
            stats.train_loss,
            100.0 * stats.val_accuracy.unwrap_or(0.0)
        );
    }
    let eval = scratchnet::evaluate(&net, &test, config.loss)?;
    println!("held-out: loss {:.4}, accuracy {:.1}%", eval.loss, 100.0 * eval.accuracy.unwrap_or(0.0));

    // Use it: the probability that beans of a few sizes are toxic.
    let sizes = [0.2f32, 0.8, 1.2, 1.8];
    let mut x = Matrix::from_vec(sizes.len(), 1, sizes.to_vec())?;
    scaler.apply(&mut x);
    let p = net.predict(&x);
    for (i, size) in sizes.iter().enumerate() {
        println!("size {size}: P(toxic) = {:.3}", p.get(i, 0));
    }
    Ok(())
}

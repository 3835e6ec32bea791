//! Lesson `gender` (tutorial 003): train a 2-2-1 network on four people, then predict.
//!
//! The tutorial's recipe: sigmoid everywhere, every weight and bias drawn from N(0, 1), loss
//! MSE, per-sample SGD with lr 0.1 in the table's order, 1000 epochs, printing the loss every
//! 10 epochs. Its code computes one ∂L/∂ŷ·∂ŷ/∂h1 and reuses it for every weight (even w3–w6,
//! which reach the loss through h2 or directly), and its `feedforward` returns nothing; here the
//! library's backward pass gives each weight its own gradient.

use std::io::{self, Write};

use crate::activation::Activation;
use crate::data::gender::{PEOPLE, gender};
use crate::i18n::{pad_left, pad_right, width};
use crate::layer::Init;
use crate::loss::Loss;
use crate::network::Network;
use crate::rng::Rng;
use crate::t;
use crate::tensor::Matrix;
use crate::train::{self, EpochStats, Observer, Order, TrainConfig};

/// The default seed (the tutorial has none; with this one the loss ends near 0.007).
pub const DEFAULT_SEED: u64 = super::DEFAULT_SEED;

/// Two new people to classify: (name, weight − 135 lb, height − 66 in).
pub const NEW_PEOPLE: [(&str, [f32; 2]); 2] = [("Emily", [-7.0, -3.0]), ("Frank", [20.0, 2.0])];

/// The tutorial's network: 2-2-1, sigmoid, weights and biases ~ N(0, 1).
pub fn network(rng: &mut Rng) -> Network {
    let mut net =
        Network::new(&[2, 2, 1], Activation::Sigmoid, Activation::Sigmoid, Init::StandardNormal, rng)
            .expect("valid sizes");
    for layer in net.layers_mut() {
        layer.bias.value.as_mut_slice().iter_mut().for_each(|b| *b = rng.normal() as f32);
    }
    net
}

/// The tutorial's training settings.
pub fn config() -> TrainConfig {
    let mut config = TrainConfig::new(Loss::Mse, 0.1);
    config.epochs = 1000;
    config.batch_size = 1;
    config.order = Order::AsGiven;
    config
}

/// Trains with `seed`; returns the network and the whole-set loss after every 10th epoch.
pub fn train(seed: u64) -> (Network, Vec<(usize, f32)>) {
    struct EveryTenth(Vec<(usize, f32)>);
    impl Observer for EveryTenth {
        fn on_epoch(&mut self, stats: &EpochStats, net: &Network) {
            if stats.epoch.is_multiple_of(10) {
                let loss =
                    train::evaluate(net, &gender(), Loss::Mse).expect("the network fits the data").loss;
                self.0.push((stats.epoch, loss));
            }
        }
    }
    let mut rng = Rng::new(seed);
    let mut net = network(&mut rng);
    let mut losses = EveryTenth(Vec::new());
    train::fit(&mut net, &gender(), None, &config(), &mut rng, &mut losses).expect("valid config and data");
    (net, losses.0)
}

/// Trains and prints the loss every 10 epochs, then predicts for two new people.
pub fn run(seed: u64, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}", t!("lesson.gender.title", seed = seed))?;
    people(out)?;
    let config = config();
    writeln!(out, "  {}", t!("lesson.gender.recipe", lr = config.lr, epochs = config.epochs))?;
    writeln!(out)?;
    let (net, losses) = train(seed);
    for (epoch, loss) in &losses {
        writeln!(out, "{}", t!("lesson.gender.epoch", epoch = epoch, loss = format!("{loss:.4}")))?;
    }
    let final_loss = losses.last().map_or(f32::NAN, |&(_, l)| l);
    if final_loss >= 0.01 {
        writeln!(out, "{}", t!("lesson.gender.stuck", loss = format!("{final_loss:.4}")))?;
    }
    writeln!(out)?;
    writeln!(out, "{}", t!("lesson.gender.predictions"))?;
    let x = Matrix::from_rows(&NEW_PEOPLE.map(|(_, x)| x));
    let p = net.predict(&x);
    for (i, (name, [w, h])) in NEW_PEOPLE.iter().enumerate() {
        let prob = p.get(i, 0);
        let class = if prob > 0.5 { t!("lesson.gender.female") } else { t!("lesson.gender.male") };
        let line = t!(
            "lesson.gender.person",
            name = format!("{name:<6}"),
            weight = format!("{w:>4}"),
            height = format!("{h:>3}"),
            p = format!("{prob:.4}"),
            class = class
        );
        writeln!(out, "  {line}")?;
    }
    Ok(())
}

/// The tutorial's table of the four people, each column as wide as its label or the English one.
fn people(out: &mut dyn Write) -> io::Result<()> {
    let name = t!("lesson.gender.col.name");
    let numbers =
        [t!("lesson.gender.col.weight"), t!("lesson.gender.col.height"), t!("lesson.gender.col.female")];
    let [w0, w1, w2, w3] =
        [(name, 7), (numbers[0], 10), (numbers[1], 10), (numbers[2], 7)].map(|(l, min)| width(l).max(min));
    writeln!(
        out,
        "  {} {} {} {}",
        pad_right(name, w0),
        pad_left(numbers[0], w1),
        pad_left(numbers[1], w2),
        pad_left(numbers[2], w3)
    )?;
    for (name, [w, h], y) in PEOPLE {
        writeln!(out, "  {} {w:>w1$} {h:>w2$} {y:>w3$}", pad_right(name, w0))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_seed_learns_the_four_people() {
        let (net, losses) = train(DEFAULT_SEED);
        assert_eq!(losses.len(), 100);
        assert!(losses.last().unwrap().1 < 0.01, "{:?}", losses.last());
        assert!(losses[0].1 > losses.last().unwrap().1);
        let p = net.predict(&Matrix::from_rows(&NEW_PEOPLE.map(|(_, x)| x)));
        assert!(p.get(0, 0) > 0.5 && p.get(1, 0) < 0.5, "{p:?}");
    }
}

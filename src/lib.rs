//! # scratchnet: neural networks from scratch
//!
//! A small library for multi-layer perceptrons whose every step is written out here, readable
//! top to bottom: the forward pass, the backward pass (backpropagation by the chain rule), the
//! losses, the optimizers and the training loop. Only the matrix product is delegated to a
//! GEMM crate, the way the tutorials it grew from delegate to numpy's `dot`.
//!
//! ## A tour, in reading order
//!
//! 1. [`tensor`]: [`Matrix`], a row-major `f32` batch (one sample per row) and its products.
//! 2. [`activation`]: sigmoid, tanh, ReLU, softmax, identity, each beside its derivative.
//! 3. [`loss`]: MSE and the cross-entropies, each with its gradient (softmax + cross-entropy fused).
//! 4. [`layer`]: [`Dense`], `y = x·W + b`, with its three-line backward pass, and [`Init`].
//! 5. [`network`]: [`Network`], layers in sequence; forward, backward, predict.
//! 6. [`optim`] and [`schedule`]: SGD, momentum (incl. Nesterov), Adam; learning-rate schedules.
//! 7. [`train`]: [`fit`] and [`evaluate`], the loop over epochs and batches.
//! 8. [`data`], [`rng`]: datasets and the one seeded random stream.
//! 9. [`lessons`]: the tutorials' experiments, built on the above.
//! 10. [`fast`]: the fast engine, the same training step on several threads with fused and
//!     overlapped passes, each function naming the reference function it replaces.
//!
//! ## Cargo features
//!
//! The default features build the whole `scratchnet` tool. With `default-features = false`
//! the crate is the engine alone: tensors, layers, activations, losses, optimizers, schedules,
//! training on both engines, model files and checkpoints (safetensors), MNIST-style IDX files
//! (raw or `.gz`), the CSV encoding stored in models, PGM images, and the lessons' text. It
//! compiles about 68 crates, in under 90 s on 2 cores, and builds for `wasm32-unknown-unknown`
//! (there the fast engine's helper threads cannot start: use [`Engine::Reference`]).
//!
//! | feature | adds | crates |
//! |---|---|---|
//! | `cli` | the `scratchnet` binary; turns on all the features below, which its commands use | clap, indicatif, toml, libc (Unix; ctrlc elsewhere) |
//! | `download` | `data::download`: MNIST and Fashion-MNIST over HTTPS, checked by SHA-256 | ureq, rustls (ring), sha2 |
//! | `plot` | `plot`: PNG/SVG charts and GIF animations; the pictures of `lessons` (`LessonOptions::out`) | plotters, dejavu and a Noto Sans SC subset (fonts), png, gif |
//! | `dashboard` | `dashboard`: the live view in the browser; `LessonOptions::dashboard` | tiny_http |
//! | `csv` | `data::csv::{load, read_table, parse_table}`: CSV files as datasets | csv |
//! | `images` | PNG input for `data::image` (PGM needs no feature) | png |
//!
//! ```toml
//! [dependencies]
//! # the engine alone
//! scratchnet = { version = "0.1", default-features = false }
//! # or the engine and charts
//! # scratchnet = { version = "0.1", default-features = false, features = ["plot"] }
//! ```
//!
//! ## Train a network in a few lines
//!
//! Tutorial 003's task: tell sex from (centred) weight and height, with a 2-2-1 sigmoid network
//! trained by per-sample SGD. Swap in any sizes, activations, loss, optimizer or schedule.
//!
//! ```
//! use scratchnet::data::Standardizer;
//! use scratchnet::{Activation, Init, Loss, Matrix, Method, Network, Rng, Schedule, TrainConfig};
//!
//! let mut rng = Rng::new(42); // same seed, same run
//! let mut people = scratchnet::data::gender::gender();
//! let scaler = Standardizer::fit(&people.inputs.to_matrix()); // mean 0, std 1 per feature
//! people.standardize(&scaler);
//! let mut net = Network::new(&[2, 2, 1], Activation::Sigmoid, Activation::Sigmoid, Init::Xavier, &mut rng)?;
//!
//! let mut config = TrainConfig::new(Loss::BinaryCrossEntropy, 0.05);
//! config.method = Method::ADAM;
//! config.schedule = Schedule::Cosine;
//! config.epochs = 300;
//! config.batch_size = 1; // 1 = stochastic; 4 = the whole set; between = mini-batch
//! let history = scratchnet::fit(&mut net, &people, None, &config, &mut rng, &mut ())?;
//!
//! let eval = scratchnet::evaluate(&net, &people, Loss::BinaryCrossEntropy)?;
//! assert_eq!(eval.accuracy, Some(1.0));
//! let mut new_people = Matrix::from_rows(&[[-7.0, -3.0], [20.0, 2.0]]);
//! scaler.apply(&mut new_people); // the training set's statistics, unchanged
//! let p = net.predict(&new_people);
//! assert!(p.get(0, 0) > 0.5 && p.get(1, 0) < 0.5); // a woman, a man
//! println!("final loss {}", history.epochs.last().unwrap().train_loss);
//! # Ok::<(), scratchnet::Error>(())
//! ```

pub mod activation;
pub mod checkpoint;
#[cfg(feature = "dashboard")]
pub mod dashboard;
pub mod data;
mod error;
pub mod fast;
#[doc(hidden)]
pub mod fuzzing;
pub mod i18n;
pub mod io;
pub mod layer;
pub mod lessons;
pub mod loss;
pub mod math;
pub mod metrics;
pub mod network;
pub mod optim;
#[cfg(feature = "plot")]
pub mod plot;
pub mod rng;
pub mod schedule;
pub mod tensor;
pub mod train;

pub use activation::Activation;
pub use data::{Dataset, Features, Task};
pub use error::Error;
pub use layer::{Bias, Dense, Init, Param};
pub use loss::Loss;
pub use network::Network;
pub use optim::{Method, Optimizer};
pub use rng::Rng;
pub use schedule::Schedule;
pub use tensor::Matrix;
pub use train::{Engine, Evaluation, History, Observer, Order, TrainConfig, evaluate, fit};

/// The README's Rust examples compile and run as doctests, so they cannot drift.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// Parses `s` as one of the closed set `all`, named by `name`; the error lists every name.
pub(crate) fn parse_name<T: Copy>(
    kind: &'static str,
    s: &str,
    all: &[T],
    name: fn(T) -> &'static str,
) -> Result<T, Error> {
    let wanted = s.trim().to_ascii_lowercase().replace('_', "-");
    all.iter().copied().find(|&v| name(v) == wanted).ok_or_else(|| Error::UnknownName {
        kind,
        found: s.to_string(),
        expected: all.iter().map(|&v| name(v)).collect::<Vec<_>>().join(", "),
    })
}

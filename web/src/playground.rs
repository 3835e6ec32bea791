//! The playground: 2-D data, a small network trained live, its decision map (issue 15).
//!
//! Like TensorFlow Playground, on scratchnet's engine: the numbers come from here (the same
//! `fit` the terminal uses, one epoch per call), the drawing is done by web/static/playground.js.
//! Points live in the square [−6, 6]²; the network sees them divided by [`SCALE`].
//! Same settings and seed → same data, same network, same numbers.

use scratchnet::{Activation, Dataset, Init, Loss, Matrix, Network, Rng, Task, TrainConfig};
use wasm_bindgen::prelude::*;

/// Half the side of the square the points live in.
pub const EXTENT: f64 = 6.0;
/// The network's input is a point's coordinates divided by this (about −2…2).
pub const SCALE: f32 = 3.0;

/// The data sets, as their names in the URL.
pub const DATASETS: [&str; 5] = ["xor", "circle", "blobs", "spiral", "beans"];

/// `n` points `[x, y]` labelled 0/1 of data set `name`, jittered by `noise` (0 … 0.5).
pub fn generate(
    name: &str,
    n: usize,
    noise: f64,
    rng: &mut Rng,
) -> Result<(Vec<[f64; 2]>, Vec<f32>), String> {
    let mut points = Vec::with_capacity(n);
    let mut labels = Vec::with_capacity(n);
    for i in 0..n {
        let (p, label) = match name {
            "xor" => xor(rng, noise),
            "circle" => circle(i, n, rng, noise),
            "blobs" => blob(i, n, rng, noise),
            "spiral" => spiral(i, n, rng, noise),
            "beans" => bean(rng, noise),
            _ => return Err(format!("unknown data set {name:?} (expected {})", DATASETS.join(", "))),
        };
        points.push([p[0].clamp(-EXTENT, EXTENT), p[1].clamp(-EXTENT, EXTENT)]);
        labels.push(label);
    }
    Ok((points, labels))
}

/// Uniform in the square, kept a little off the axes; 1 where x and y have the same sign.
fn xor(rng: &mut Rng, noise: f64) -> ([f64; 2], f32) {
    let away = |v: f64| if v >= 0.0 { v + 0.3 } else { v - 0.3 };
    let (x, y) = (away(rng.uniform_in(-5.0, 5.0)), away(rng.uniform_in(-5.0, 5.0)));
    let label = if x * y >= 0.0 { 1.0 } else { 0.0 };
    ([x + 5.0 * noise * rng.normal(), y + 5.0 * noise * rng.normal()], label)
}

/// Half the points inside radius 2.5 (1), half in the ring from 3.5 to 5 (0).
fn circle(i: usize, n: usize, rng: &mut Rng, noise: f64) -> ([f64; 2], f32) {
    let inside = i < n / 2;
    let r = if inside { rng.uniform_in(0.0, 2.5) } else { rng.uniform_in(3.5, 5.0) };
    let angle = rng.uniform_in(0.0, std::f64::consts::TAU);
    let (x, y) = (r * angle.cos(), r * angle.sin());
    ([x + 5.0 * noise * rng.normal(), y + 5.0 * noise * rng.normal()], if inside { 1.0 } else { 0.0 })
}

/// Two Gaussian blobs around (2, 2) (1) and (−2, −2) (0), wider with noise.
fn blob(i: usize, n: usize, rng: &mut Rng, noise: f64) -> ([f64; 2], f32) {
    let (centre, label) = if i < n / 2 { (2.0, 1.0) } else { (-2.0, 0.0) };
    let spread = 0.8 + 4.0 * noise;
    ([centre + spread * rng.normal(), centre + spread * rng.normal()], label)
}

/// Two interleaved spiral arms, one per class.
fn spiral(i: usize, n: usize, rng: &mut Rng, noise: f64) -> ([f64; 2], f32) {
    let half = n.div_ceil(2).max(1);
    let (k, label, turn) = if i < half { (i, 1.0, 0.0) } else { (i - half, 0.0, std::f64::consts::PI) };
    let t = k as f64 / half as f64;
    let (r, angle) = (5.0 * t, 1.75 * t * std::f64::consts::TAU + turn);
    let jitter = 0.1 + 3.0 * noise;
    ([r * angle.sin() + jitter * rng.normal(), r * angle.cos() + jitter * rng.normal()], label)
}

/// Beans: x is the size, y the colour (green … red); a bean is toxic (1) when it is redder
/// than a curve that rises with size: small beans are toxic sooner.
fn bean(rng: &mut Rng, noise: f64) -> ([f64; 2], f32) {
    let (size, colour) = (rng.uniform_in(-5.0, 5.0), rng.uniform_in(-5.0, 5.0));
    let label = if colour > 0.15 * size * size - 2.5 { 1.0 } else { 0.0 };
    ([size + 5.0 * noise * rng.normal(), colour + 5.0 * noise * rng.normal()], label)
}

/// The hidden activation named `name` (tanh, relu or sigmoid).
pub fn activation(name: &str) -> Result<Activation, String> {
    match name {
        "tanh" => Ok(Activation::Tanh),
        "relu" => Ok(Activation::Relu),
        "sigmoid" => Ok(Activation::Sigmoid),
        _ => Err(format!("unknown activation {name:?} (expected tanh, relu, sigmoid)")),
    }
}

/// The points as the network's inputs: one row per point, divided by [`SCALE`].
fn inputs(points: &[[f64; 2]]) -> Matrix {
    let data = points.iter().flat_map(|p| [p[0] as f32 / SCALE, p[1] as f32 / SCALE]).collect();
    Matrix::from_vec(points.len(), 2, data).expect("two numbers per point")
}

/// A hidden value shown on a map as a number in [0, 1], 0.5 meaning 0 (sigmoid: itself).
fn shade(activation: Activation, h: f32) -> f32 {
    match activation {
        Activation::Sigmoid => h,
        _ => 0.5 + 0.5 * h.tanh(), // tanh: (h + 1)/2; relu: 0 → 0.5, large → 1
    }
}

/// A data set, a network and its training, stepped by the page.
#[wasm_bindgen]
pub struct Playground {
    net: Network,
    hidden: Activation,
    train: Dataset,
    test: Dataset,
    /// Every point `[x, y, label, 1 if in the training set]`, for drawing.
    points: Vec<f32>,
    config: TrainConfig,
    rng: Rng,
    epoch: usize,
    train_loss: f32,
    test_loss: f32,
    test_accuracy: f32,
}

#[wasm_bindgen]
impl Playground {
    /// `n` points of `dataset` with `noise`, the share `train_fraction` for training, the rest
    /// for testing; hidden layer sizes `hidden` (0–3 layers of 1–8), their `activation`, a
    /// sigmoid output trained on binary cross-entropy by plain SGD with `lr` and `batch_size`.
    #[wasm_bindgen(constructor)]
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        dataset: &str,
        n: usize,
        noise: f64,
        train_fraction: f64,
        hidden: Vec<u32>,
        activation_name: &str,
        lr: f32,
        batch_size: usize,
        seed: u64,
    ) -> Result<Playground, String> {
        if hidden.len() > 3 || hidden.iter().any(|&h| !(1..=8).contains(&h)) {
            return Err(format!("hidden layers {hidden:?}: 0 to 3 layers of 1 to 8 neurons"));
        }
        let hidden_activation = activation(activation_name)?;
        let mut rng = Rng::new(seed);
        let (points, labels) = generate(dataset, n.max(4), noise.clamp(0.0, 0.5), &mut rng)?;
        let targets = Matrix::from_vec(labels.len(), 1, labels.clone()).map_err(|e| e.to_string())?;
        let all = Dataset::new(dataset, inputs(&points), targets, Task::Binary).map_err(|e| e.to_string())?;
        // which points train: the same shuffle Dataset::split does, kept to mark them
        let mut order: Vec<usize> = (0..points.len()).collect();
        rng.shuffle(&mut order);
        let cut = ((points.len() as f64 * train_fraction.clamp(0.1, 0.9)).round() as usize)
            .clamp(1, points.len() - 1);
        let (train, test) = (all.subset(&order[..cut]), all.subset(&order[cut..]));
        let mut in_train = vec![0.0; points.len()];
        order[..cut].iter().for_each(|&i| in_train[i] = 1.0);
        let drawn = points.iter().zip(&labels).zip(&in_train);
        let points = drawn.flat_map(|((p, &l), &t)| [p[0] as f32, p[1] as f32, l, t]).collect();

        let sizes: Vec<usize> =
            std::iter::once(2).chain(hidden.iter().map(|&h| h as usize)).chain([1]).collect();
        let net = Network::new(&sizes, hidden_activation, Activation::Sigmoid, Init::Xavier, &mut rng)
            .map_err(|e| e.to_string())?;
        let mut config = TrainConfig::new(Loss::BinaryCrossEntropy, lr);
        config.epochs = 1;
        config.batch_size = batch_size.max(1);
        config.validate().map_err(|e| e.to_string())?;
        let mut playground = Playground {
            net,
            hidden: hidden_activation,
            train,
            test,
            points,
            config,
            rng,
            epoch: 0,
            train_loss: f32::NAN,
            test_loss: f32::NAN,
            test_accuracy: f32::NAN,
        };
        playground.measure()?;
        Ok(playground)
    }

    /// Trains `epochs` more epochs, one `fit` of one epoch each on the same random stream
    /// (plain SGD keeps no state between calls, so this is one long run).
    pub fn step(&mut self, epochs: usize) -> Result<(), String> {
        for _ in 0..epochs {
            scratchnet::fit(&mut self.net, &self.train, None, &self.config, &mut self.rng, &mut ())
                .map_err(|e| e.to_string())?;
            self.epoch += 1;
        }
        self.measure()
    }

    /// Loss on the training and test sets and accuracy on the test set, of the network now.
    fn measure(&mut self) -> Result<(), String> {
        let loss = Loss::BinaryCrossEntropy;
        let train = scratchnet::evaluate(&self.net, &self.train, loss).map_err(|e| e.to_string())?;
        let test = scratchnet::evaluate(&self.net, &self.test, loss).map_err(|e| e.to_string())?;
        self.train_loss = train.loss;
        self.test_loss = test.loss;
        self.test_accuracy = test.accuracy.unwrap_or(f32::NAN);
        Ok(())
    }

    /// Epochs trained so far.
    pub fn epoch(&self) -> usize {
        self.epoch
    }

    pub fn train_loss(&self) -> f32 {
        self.train_loss
    }

    pub fn test_loss(&self) -> f32 {
        self.test_loss
    }

    /// Share of the test points on the right side of 0.5, in [0, 1].
    pub fn test_accuracy(&self) -> f32 {
        self.test_accuracy
    }

    /// Every point as `x, y, label, in_train` (4 numbers each), coordinates in [−6, 6].
    pub fn points(&self) -> Vec<f32> {
        self.points.clone()
    }

    /// The layer sizes, inputs to output, e.g. `[2, 8, 8, 1]`.
    pub fn sizes(&self) -> Vec<u32> {
        self.net.sizes().iter().map(|&s| s as u32).collect()
    }

    /// The maps: the network run on an `n`×`n` grid over the square (row 0 at the top, y = 6),
    /// every hidden neuron's and the output's value in [0, 1], neuron after neuron, layer after
    /// layer: `n·n` numbers per neuron, the output's last.
    pub fn grid(&mut self, n: usize) -> Vec<f32> {
        let n = n.max(2);
        let at = |k: usize| (-EXTENT + 2.0 * EXTENT * k as f64 / (n - 1) as f64) as f32 / SCALE;
        let data = (0..n * n).flat_map(|c| [at(c % n), at(n - 1 - c / n)]).collect();
        let x = Matrix::from_vec(n * n, 2, data).expect("two numbers per cell");
        self.net.forward(&x);
        let layers = self.net.layers().len();
        let mut out = Vec::new();
        for l in 0..layers {
            let h = self.net.layer_output(l);
            let activation = if l + 1 == layers { Activation::Sigmoid } else { self.hidden };
            for unit in 0..h.cols() {
                out.extend((0..n * n).map(|c| shade(activation, h.get(c, unit))));
            }
        }
        out
    }

    /// The weights as JSON: per layer, `[[w from input i to unit j]]` (rows = inputs).
    pub fn weights(&self) -> String {
        let layers: Vec<Vec<Vec<f32>>> = self
            .net
            .layers()
            .iter()
            .map(|d| (0..d.weight.value.rows()).map(|i| d.weight.value.row(i).to_vec()).collect())
            .collect();
        serde_json::to_string(&layers).expect("numbers")
    }

    /// The biases as JSON: per layer, one per unit.
    pub fn biases(&self) -> String {
        let layers: Vec<Vec<f32>> =
            self.net.layers().iter().map(|d| d.bias.value.as_slice().to_vec()).collect();
        serde_json::to_string(&layers).expect("numbers")
    }
}

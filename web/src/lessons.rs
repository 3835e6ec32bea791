//! The lessons' live parts: what the pages' sliders and buttons ask, answered by the lessons'
//! own code (scratchnet::lessons), so the page and the terminal compute the same way.

use scratchnet::data::Features;
use scratchnet::lessons::neuron::Neuron;
use scratchnet::lessons::{descent, hidden_layer};
use wasm_bindgen::prelude::*;

/// One neuron, y = σ(w·x + b): the `neuron` lesson's code, for the sliders.
#[wasm_bindgen]
pub fn neuron_output(w: f64, b: f64, x: f64) -> f64 {
    Neuron::new(vec![w], b).forward(&[x])
}

/// The `hidden-layer` lesson trained in the page: the loss after every epoch and the curves
/// every [`hidden_layer::SNAPSHOT_EVERY`] epochs, to play back as it learns.
#[wasm_bindgen]
pub struct HiddenLayerRun {
    outcome: hidden_layer::Outcome,
}

#[wasm_bindgen]
impl HiddenLayerRun {
    /// Trains the lesson's 1-2-1 network for `epochs` on the beans of `seed`.
    #[wasm_bindgen(constructor)]
    pub fn new(seed: u64, epochs: usize) -> Result<HiddenLayerRun, String> {
        hidden_layer::train(seed, epochs).map(|outcome| HiddenLayerRun { outcome }).map_err(|e| e.to_string())
    }

    /// The mean squared error after each epoch.
    pub fn losses(&self) -> Vec<f32> {
        self.outcome.losses.clone()
    }

    /// How many snapshots of the curves there are.
    pub fn snapshots(&self) -> usize {
        self.outcome.snapshots.len()
    }

    /// Snapshot `i`'s epoch.
    pub fn epoch(&self, i: usize) -> usize {
        self.outcome.snapshots[i].epoch
    }

    /// Snapshot `i`'s prediction across x ∈ [0, 2], as x0, y0, x1, y1, …
    pub fn output(&self, i: usize) -> Vec<f64> {
        flat(&self.outcome.snapshots[i].output)
    }

    /// Snapshot `i`'s hidden neuron `j` (0 or 1) across x ∈ [0, 2], as x0, h0, x1, h1, …
    pub fn hidden(&self, i: usize, j: usize) -> Vec<f64> {
        flat(&self.outcome.snapshots[i].hidden[j])
    }

    /// The beans, as size0, toxic0, size1, toxic1, … (toxic is 0 or 1).
    pub fn beans(&self) -> Vec<f64> {
        let data = &self.outcome.data;
        let Features::F32(sizes) = &data.inputs else { return Vec::new() };
        let toxic = data.targets.as_slice();
        sizes.as_slice().iter().zip(toxic).flat_map(|(&x, &y)| [f64::from(x), f64::from(y)]).collect()
    }
}

fn flat(points: &[(f64, f64)]) -> Vec<f64> {
    points.iter().flat_map(|&(x, y)| [x, y]).collect()
}

/// The `descent` lesson's fit of y = w·x + b to the beans of a seed, by one method at a chosen
/// learning rate (the step, for fixed-step), run by the lesson's own code; the page plays its
/// updates back one at a time.
#[wasm_bindgen]
pub struct DescentRun {
    data: scratchnet::Dataset,
    run: descent::Run,
}

#[wasm_bindgen]
impl DescentRun {
    /// `method`: stochastic, batch, mini-batch or fixed-step; `lr`: a positive number.
    #[wasm_bindgen(constructor)]
    pub fn new(seed: u64, method: &str, lr: f32) -> Result<DescentRun, String> {
        let Some(&recipe) = descent::RECIPES.iter().find(|r| r.name == method) else {
            return Err(format!("unknown method `{method}`"));
        };
        if !(lr.is_finite() && lr > 0.0) {
            return Err(format!("the learning rate must be a positive number, got {lr}"));
        }
        let data = descent::beans(seed);
        let run = descent::run_recipe(descent::Recipe { lr, ..recipe }, &data, descent::START, seed);
        Ok(DescentRun { data, run })
    }

    /// How many updates the run made.
    pub fn updates(&self) -> usize {
        self.run.updates()
    }

    /// (w, b) at the start and after each update, as w0, b0, w1, b1, …
    pub fn path(&self) -> Vec<f64> {
        flat(&self.run.path)
    }

    /// The whole-set cost e(w, b) at the start and after each update.
    pub fn costs(&self) -> Vec<f64> {
        self.run.costs.clone()
    }

    /// The beans, as x0, y0, x1, y1, …
    pub fn beans(&self) -> Vec<f64> {
        let x = self.data.inputs.to_matrix();
        let y = self.data.targets.as_slice();
        x.as_slice().iter().zip(y).flat_map(|(&x, &y)| [f64::from(x), f64::from(y)]).collect()
    }

    /// e(w, b) = (1/n) Σ (y − (w·x + b))², the lesson's cost.
    pub fn cost(&self, w: f64, b: f64) -> f64 {
        descent::cost(&self.data, w, b)
    }

    /// The slope ∂e/∂w = −(2/n) Σ x·(y − (w·x + b)) at (w, b).
    pub fn slope(&self, w: f64, b: f64) -> f64 {
        let x = self.data.inputs.to_matrix();
        let pairs = x.as_slice().iter().zip(self.data.targets.as_slice());
        let sum: f64 = pairs.map(|(&x, &y)| f64::from(x) * (f64::from(y) - (w * f64::from(x) + b))).sum();
        -2.0 / self.data.len() as f64 * sum
    }

    /// The exact least-squares (w, b).
    pub fn least_squares(&self) -> Vec<f64> {
        let (w, b) = descent::least_squares(&self.data);
        vec![w, b]
    }
}

/// hidden-layer's hand mode: the seven numbers of the 1-2-1 network, set by hand — each hidden
/// neuron's w and b, the two output weights and the output bias, in that order.
fn hand_network(p: &[f64]) -> Result<scratchnet::Network, String> {
    use scratchnet::{Activation, Dense, Matrix, Network};
    let [w1, w2, b1, b2, v1, v2, c] = p.iter().map(|&v| v as f32).collect::<Vec<_>>()[..] else {
        return Err(format!("the hand mode takes 7 numbers, got {}", p.len()));
    };
    let dense = |w: Vec<f32>, rows, cols, b: Vec<f32>| {
        Dense::from_params(Matrix::from_vec(rows, cols, w)?, Matrix::from_vec(1, cols, b)?)
    };
    let hidden = dense(vec![w1, w2], 1, 2, vec![b1, b2]).map_err(|e| e.to_string())?;
    let output = dense(vec![v1, v2], 2, 1, vec![c]).map_err(|e| e.to_string())?;
    Network::from_layers(vec![(hidden, Activation::Sigmoid), (output, Activation::Sigmoid)])
        .map_err(|e| e.to_string())
}

#[wasm_bindgen]
impl HiddenLayerRun {
    /// The trained network's seven numbers, in the hand mode's order.
    pub fn trained(&self) -> Vec<f64> {
        let layers = self.outcome.net.layers();
        let values = |m: &scratchnet::Matrix| m.as_slice().iter().map(|&v| f64::from(v)).collect::<Vec<_>>();
        let (w, b) = (values(&layers[0].weight.value), values(&layers[0].bias.value));
        let (v, c) = (values(&layers[1].weight.value), values(&layers[1].bias.value));
        [w, b, v, c].concat()
    }

    /// The network set by hand (`params`, 7 numbers): its squared error on these beans, then
    /// its prediction and each hidden neuron across x ∈ [0, 2], as loss, then 3 × 201 (x, y)
    /// pairs flattened: output, h1, h2.
    pub fn hand(&self, params: Vec<f64>) -> Result<Vec<f64>, String> {
        let net = hand_network(&params)?;
        let loss = scratchnet::evaluate(&net, &self.outcome.data, scratchnet::Loss::Mse)
            .map_err(|e| e.to_string())?
            .loss;
        let s = hidden_layer::snapshot(&net, 0, loss);
        Ok([vec![f64::from(loss)], flat(&s.output), flat(&s.hidden[0]), flat(&s.hidden[1])].concat())
    }
}

/// The `gender` lesson's network trained in the page on tutorial 003's four people, then asked
/// about anyone: weight − 135 (lb) and height − 66 (in), as the lesson gives them.
#[wasm_bindgen]
pub struct GenderRun {
    net: scratchnet::Network,
    losses: Vec<(usize, f32)>,
}

#[wasm_bindgen]
impl GenderRun {
    /// Trains as `scratchnet lesson gender --seed SEED` does.
    #[wasm_bindgen(constructor)]
    pub fn new(seed: u64) -> GenderRun {
        let (net, losses) = scratchnet::lessons::gender::train(seed);
        GenderRun { net, losses }
    }

    /// (epoch, loss) every 10th epoch, flattened.
    pub fn losses(&self) -> Vec<f64> {
        self.losses.iter().flat_map(|&(e, l)| [e as f64, f64::from(l)]).collect()
    }

    /// The probability that this person is female.
    pub fn predict(&self, weight: f32, height: f32) -> f32 {
        let x = scratchnet::Matrix::from_rows(&[[weight, height]]);
        self.net.predict(&x).get(0, 0)
    }
}

/// The `surface` lesson's bowl e(w, b) over the lesson's window around the least-squares
/// point, and its batch-descent path from the lesson's start, for the 3-D page.
#[wasm_bindgen]
pub struct SurfaceRun {
    data: scratchnet::Dataset,
    run: descent::Run,
}

#[wasm_bindgen]
impl SurfaceRun {
    #[wasm_bindgen(constructor)]
    pub fn new(seed: u64) -> SurfaceRun {
        let data = descent::beans(seed);
        let run = scratchnet::lessons::surface::descent_path(&data, seed);
        SurfaceRun { data, run }
    }

    /// w from, w to, b from, b to: the lesson's window (least squares ± 1.3 in w, ± 1 in b).
    pub fn window(&self) -> Vec<f64> {
        let (w, b) = descent::least_squares(&self.data);
        vec![w - 1.3, w + 1.3, b - 1.0, b + 1.0]
    }

    /// e(w, b) on an n × n grid over the window, row by row in b, each row along w.
    pub fn grid(&self, n: usize) -> Vec<f64> {
        let [w0, w1, b0, b1] = self.window()[..] else { unreachable!("four numbers") };
        let at = |lo: f64, hi: f64, i: usize| lo + (hi - lo) * i as f64 / (n.max(2) - 1) as f64;
        (0..n)
            .flat_map(|j| (0..n).map(move |i| (at(w0, w1, i), at(b0, b1, j))))
            .map(|(w, b)| descent::cost(&self.data, w, b))
            .collect()
    }

    /// The descent's (w, b) at the start and after each update, flattened.
    pub fn path(&self) -> Vec<f64> {
        flat(&self.run.path)
    }

    /// The cost after each update (index 0: the start).
    pub fn costs(&self) -> Vec<f64> {
        self.run.costs.clone()
    }
}

/// The `chain-rule` lesson's worked example (all weights 1, biases 0, x = (−2, 5), y = 1):
/// z_h1, h1, z_h2, h2, z_o1, ŷ, L, ∂L/∂ŷ, ∂ŷ/∂h1, ∂h1/∂w1 and ∂L/∂w1, from the lesson's code.
#[wasm_bindgen]
pub fn chain_rule_worked() -> Vec<f64> {
    let w = scratchnet::lessons::chain_rule::worked();
    vec![w.z_h1, w.h1, w.z_h2, w.h2, w.z_o1, w.y_pred, w.loss, w.dl_dypred, w.dypred_dh1, w.dh1_dw1, w.dl_dw1]
}

/// The `forward` lesson's network with its one shared neuron set by the sliders (weights w1,
/// w2 and bias b, as the tutorial gives every neuron the same ones) for input (x1, x2):
/// h1, h2 and o1, computed as the lesson computes them.
#[wasm_bindgen]
pub fn forward_values(w1: f64, w2: f64, b: f64, x1: f64, x2: f64) -> Vec<f64> {
    let neuron = Neuron::new(vec![w1, w2], b);
    let (h1, h2) = (neuron.forward(&[x1, x2]), neuron.forward(&[x1, x2]));
    vec![h1, h2, neuron.forward(&[h1, h2])]
}

/// The `mse` lesson's error for the true values 1, 0, 0, 1 and four predictions: each squared
/// error, then their mean.
#[wasm_bindgen]
pub fn mse_values(predictions: Vec<f64>) -> Vec<f64> {
    let (terms, mean) = scratchnet::lessons::mse::mse(&[1.0, 0.0, 0.0, 1.0], &predictions);
    [terms, vec![mean]].concat()
}

/// The `perceptron` lesson's decision with weights and threshold set by hand: the weighted sum
/// Σ wᵢxᵢ and 1 if it is above the threshold, else 0.
#[wasm_bindgen]
pub fn perceptron_values(weights: Vec<f64>, threshold: f64, inputs: Vec<f64>) -> Vec<f64> {
    let (sum, go) = scratchnet::lessons::perceptron::decide_with(&weights, threshold, &inputs);
    vec![sum, if go { 1.0 } else { 0.0 }]
}

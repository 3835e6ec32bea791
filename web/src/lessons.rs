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
        let beans = self.beans();
        let n = (beans.len() / 2) as f64;
        -2.0 / n * beans.chunks_exact(2).map(|p| p[0] * (p[1] - (w * p[0] + b))).sum::<f64>()
    }

    /// The exact least-squares (w, b).
    pub fn least_squares(&self) -> Vec<f64> {
        let (w, b) = descent::least_squares(&self.data);
        vec![w, b]
    }
}

//! The lessons' live parts: what the pages' sliders and buttons ask, answered by the lessons'
//! own code (scratchnet::lessons), so the page and the terminal compute the same way.

use scratchnet::data::Features;
use scratchnet::lessons::hidden_layer;
use scratchnet::lessons::neuron::Neuron;
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

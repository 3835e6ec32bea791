//! Checkpoints: a run saved in the middle, to continue it later exactly.
//!
//! A checkpoint is a model file (safetensors, loadable by `eval`, `predict` and PyTorch like any
//! other) with more in it: the optimizer's buffers as tensors `optimizer.first.{i}` and
//! `optimizer.second.{i}`, the training samples' current order as `state.order` (U32), and in
//! the metadata key `checkpoint` the rest of the [`RunState`] (epoch, batch, step count, the
//! random stream's position, the epochs so far) with the command line that started the run and
//! its thread count. Written atomically like models: a crash while saving leaves the previous
//! checkpoint.

use std::collections::HashMap;
use std::path::Path;

use crate::io::{self, Model};
use crate::train::RunState;
use crate::{Error, t};

/// What a checkpoint holds besides the network.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RunInfo {
    /// The arguments of the `scratchnet train` command that started the run (without the
    /// program name), so `--resume` rebuilds the same data, network and settings.
    pub args: Vec<String>,
    /// Threads the run used: the same count is needed for the same bits.
    pub threads: usize,
    /// [`fingerprint`] of the training data, so a run is not resumed on other data.
    pub data: String,
}

/// A 64-bit FNV-1a hash of a dataset's inputs and targets (as their bit patterns), in hex.
pub fn fingerprint(data: &crate::Dataset) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for &b in bytes {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    };
    match &data.inputs {
        crate::Features::U8 { bytes, .. } => eat(bytes),
        crate::Features::F32(m) => m.as_slice().iter().for_each(|v| eat(&v.to_le_bytes())),
    }
    data.targets.as_slice().iter().for_each(|v| eat(&v.to_le_bytes()));
    format!("{hash:016x}")
}

/// A loaded checkpoint.
#[derive(Clone, Debug)]
pub struct Checkpoint {
    pub model: Model,
    pub state: RunState,
    pub run: RunInfo,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Meta {
    run: RunInfo,
    state: RunState,
}

/// The bytes of a checkpoint.
pub fn to_bytes(model: &Model, state: &RunState, run: &RunInfo) -> Vec<u8> {
    let mut tensors = io::model_tensors(model);
    let buffers = [("first", &state.optimizer.first), ("second", &state.optimizer.second)];
    for (name, list) in buffers {
        for (i, values) in list.iter().enumerate() {
            tensors.push((
                format!("optimizer.{name}.{i}"),
                safetensors::Dtype::F32,
                vec![values.len()],
                io::le_bytes(values),
            ));
        }
    }
    let order: Vec<u8> = state.order.iter().flat_map(|i| i.to_le_bytes()).collect();
    tensors.push(("state.order".into(), safetensors::Dtype::U32, vec![state.order.len()], order));
    let mut meta: HashMap<String, String> = io::model_metadata(model);
    let light = RunState { order: Vec::new(), ..state.clone() }; // the order and buffers are tensors
    let json =
        serde_json::to_string(&Meta { run: run.clone(), state: light }).expect("plain data serialises");
    meta.insert("checkpoint".into(), json);
    io::serialize(tensors, meta)
}

/// Saves a checkpoint atomically (temporary file, then rename).
///
/// # Errors
/// [`Error::Io`] if it cannot be written.
pub fn save(path: &Path, model: &Model, state: &RunState, run: &RunInfo) -> Result<(), Error> {
    io::write_atomically(path, &to_bytes(model, state, run))
}

/// Reads a checkpoint.
///
/// # Errors
/// [`Error::Io`] if it cannot be read; [`Error::Model`] if it is not a checkpoint (a plain model
/// file says so), is damaged, or its parts do not fit together.
pub fn load(path: &Path) -> Result<Checkpoint, Error> {
    let io_err = |source| Error::Io { path: path.display().to_string(), source };
    let len = std::fs::metadata(path).map_err(io_err)?.len();
    if len > io::MAX_MODEL_BYTES {
        return Err(Error::Checkpoint {
            path: path.display().to_string(),
            message: t!("error.checkpoint.too-large", bytes = len),
        });
    }
    from_bytes(&std::fs::read(path).map_err(io_err)?, path)
}

/// Parses checkpoint bytes; `path` names the file in errors.
///
/// # Errors
/// As [`load`].
pub fn from_bytes(bytes: &[u8], path: &Path) -> Result<Checkpoint, Error> {
    // the model part's errors are a checkpoint's errors here
    parse(bytes, path).map_err(|e| match e {
        Error::Model { path, message } => Error::Checkpoint { path, message },
        other => other,
    })
}

fn parse(bytes: &[u8], path: &Path) -> Result<Checkpoint, Error> {
    let err = |message: String| io::model_err(path, message);
    let (_, header) = safetensors::SafeTensors::read_metadata(bytes)
        .map_err(|e| err(t!("error.model.not-safetensors", error = e)))?;
    let json = header
        .metadata()
        .as_ref()
        .and_then(|m| m.get("checkpoint"))
        .ok_or_else(|| err(t!("error.checkpoint.model-file").into()))?;
    let Meta { run, mut state } =
        serde_json::from_str(json).map_err(|e| err(t!("error.checkpoint.bad-record", error = e)))?;
    let tensors = safetensors::SafeTensors::deserialize(bytes)
        .map_err(|e| err(t!("error.model.not-safetensors", error = e)))?;
    let order = tensors
        .tensor("state.order")
        .map_err(|_| err(t!("error.model.tensor-missing", name = "state.order")))?;
    if order.dtype() != safetensors::Dtype::U32 || order.shape().len() != 1 {
        return Err(err(t!("error.checkpoint.order-type").into()));
    }
    state.order =
        order.data().chunks_exact(4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect();
    let mut seen = vec![false; state.order.len()];
    for &i in &state.order {
        match seen.get_mut(i as usize) {
            Some(s) if !*s => *s = true,
            _ => return Err(err(t!("error.checkpoint.order").into())),
        }
    }
    let optimizer_tensors = tensors.names().iter().filter(|n| n.starts_with("optimizer.")).count();
    let model = io::parse(bytes, path, optimizer_tensors + 1)?;
    let params: Vec<usize> = model.net.params().iter().map(|p| p.value.len()).collect();
    let has_buffers = optimizer_tensors > 0;
    if has_buffers && optimizer_tensors != 2 * params.len() {
        return Err(err(t!(
            "error.checkpoint.optimizer",
            tensors = optimizer_tensors,
            params = params.len()
        )));
    }
    let read = |name: String, n: usize| io::read_f32(&tensors, &name, &[n], path);
    if has_buffers {
        for kind in ["first", "second"] {
            let buffers = params
                .iter()
                .enumerate()
                .map(|(i, &n)| read(format!("optimizer.{kind}.{i}"), n))
                .collect::<Result<Vec<_>, _>>()?;
            match kind {
                "first" => state.optimizer.first = buffers,
                _ => state.optimizer.second = buffers,
            }
        }
    }
    if state.rng.word_pos.parse::<u128>().is_err() {
        return Err(err(t!("error.checkpoint.rng", position = state.rng.word_pos)));
    }
    if state.epoch == 0 || run.threads == 0 || run.args.first().is_some_and(|a| a != "train") {
        return Err(err(t!("error.checkpoint.not-a-run").into()));
    }
    Ok(Checkpoint { model, state, run })
}

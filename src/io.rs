//! Files: model files, and writing any file so that a crash never leaves a broken one.
//!
//! Every file scratchnet writes (models, reports, pictures) goes through [`write_atomically`]:
//! the bytes go to `NAME.tmp` in the same folder, are flushed to disk, and the temporary file is
//! renamed over `NAME`. A rename within one folder is atomic, so a reader (or the next run) sees
//! either the old complete file or the new complete file.
//!
//! A model file is plain [safetensors](https://huggingface.co/docs/safetensors): layer `i`'s
//! weight is `layers.{i}.weight`, shape [n_out, n_in] (PyTorch's `nn.Linear` layout, so the
//! tensors load into a `Sequential` of `Linear` layers), and its bias `layers.{i}.bias`,
//! shape `[n_out]`, both F32. The metadata holds `format = scratchnet`, `format_version`, and
//! `architecture`: JSON with the layer sizes, activations, task, preprocessing and class names.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::activation::Activation;
use crate::data::Task;
use crate::layer::Dense;
use crate::loss::Loss;
use crate::network::Network;
use crate::tensor::Matrix;
use crate::{Error, data, t};

/// The model-file format version this build writes and reads.
pub const FORMAT_VERSION: &str = "1";
/// Model files larger than this are refused before being read (the tutorial's network is 0.4 MB).
pub const MAX_MODEL_BYTES: u64 = 1 << 30;

/// Writes `bytes` to `NAME.tmp` beside `path`, then renames it over `path`.
///
/// # Errors
/// [`Error::Io`] naming `path`.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let io_err = |source| Error::Io { path: path.display().to_string(), source };
    let mut tmp_name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    tmp_name.push(".tmp");
    let tmp: PathBuf = path.with_file_name(tmp_name);
    let mut file = std::fs::File::create(&tmp).map_err(io_err)?;
    file.write_all(bytes).and_then(|()| file.sync_all()).map_err(io_err)?;
    std::fs::rename(&tmp, path).map_err(io_err)
}

/// How raw inputs become the network's inputs; stored in the model so `predict` can repeat it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Preprocessing {
    /// Inputs go in as they are.
    None,
    /// Each value is multiplied by `factor` (images: pixel / 255).
    Scale { factor: f32 },
    /// Each feature becomes (x − mean) / std.
    Standardize(data::Standardizer),
    /// Table columns: numbers standardised, categories one-hot (CSV data).
    Table(data::csv::Encoding),
}

impl Preprocessing {
    /// A network output or encoded target back in the target's own units: CSV regression
    /// targets are standardised for training; every other target is kept as it is.
    pub fn decode_target(&self, y: f32) -> f64 {
        match self {
            Preprocessing::Table(encoding) => encoding.decode_regression(y),
            _ => f64::from(y),
        }
    }
}

/// What kind of input a model expects, for `predict`.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum InputKind {
    /// A grey image of `width × height` pixels, light strokes on dark, one byte per pixel.
    Image { width: usize, height: usize },
    /// Numbers, one per named feature.
    Features { names: Vec<String> },
}

/// Everything about a model besides its weights.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ModelInfo {
    /// Layer sizes, input first.
    pub sizes: Vec<usize>,
    /// The activation after each layer.
    pub activations: Vec<Activation>,
    /// Whether the layers have biases.
    pub biases: bool,
    pub loss: Loss,
    pub task: Task,
    /// The dataset it was trained on (`eval` uses it when no `--dataset` is given).
    pub dataset: String,
    pub input: InputKind,
    pub preprocessing: Preprocessing,
    /// Class names by output index (empty for regression).
    pub class_names: Vec<String>,
    /// The seed that made the data split (so `eval` can find the same test rows).
    #[serde(default)]
    pub data_seed: u64,
    /// The validation fraction and `--drop-missing` of the run (CSV splits depend on them).
    #[serde(default)]
    pub validation: Option<f64>,
    #[serde(default)]
    pub drop_missing: bool,
    /// The settings the model was trained with, named by `scratchnet train`'s flags
    /// (`batch-size`, `lr`, ...): a record for people, not read back. `None` in files written
    /// before they were stored, and for models built by the library.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<serde_json::Map<String, serde_json::Value>>,
}

/// A trained network and how to use it.
#[derive(Clone, Debug)]
pub struct Model {
    pub net: Network,
    pub info: ModelInfo,
}

impl Model {
    /// A model of `net` (sizes, activations and biases are read from it).
    pub fn new(
        net: Network,
        loss: Loss,
        task: Task,
        dataset: &str,
        input: InputKind,
        preprocessing: Preprocessing,
        class_names: Vec<String>,
    ) -> Model {
        let info = ModelInfo {
            sizes: net.sizes(),
            activations: net.activations().to_vec(),
            biases: net.layers().iter().all(|l| l.bias_mode() == crate::Bias::Learned),
            loss,
            task,
            dataset: dataset.to_string(),
            input,
            preprocessing,
            class_names,
            data_seed: 0,
            validation: None,
            drop_missing: false,
            settings: None,
        };
        Model { net, info }
    }
}

/// The safetensors bytes of `model` (weights transposed to PyTorch's [n_out, n_in]).
pub fn to_bytes(model: &Model) -> Vec<u8> {
    serialize(model_tensors(model), model_metadata(model))
}

/// A tensor to write: name, dtype, shape and little-endian bytes.
pub(crate) type Tensor = (String, safetensors::Dtype, Vec<usize>, Vec<u8>);

/// Little-endian bytes of `f32` values.
pub(crate) fn le_bytes(values: &[f32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// The model's tensors: `layers.{i}.weight` [n_out, n_in] and `layers.{i}.bias` [n_out].
pub(crate) fn model_tensors(model: &Model) -> Vec<Tensor> {
    let mut tensors = Vec::new();
    for (i, layer) in model.net.layers().iter().enumerate() {
        let w = &layer.weight.value; // n_in × n_out
        let mut transposed = Vec::with_capacity(w.len());
        for c in 0..w.cols() {
            transposed.extend((0..w.rows()).map(|r| w.get(r, c)));
        }
        tensors.push((
            format!("layers.{i}.weight"),
            safetensors::Dtype::F32,
            vec![w.cols(), w.rows()],
            le_bytes(&transposed),
        ));
        if model.info.biases {
            tensors.push((
                format!("layers.{i}.bias"),
                safetensors::Dtype::F32,
                vec![layer.n_out()],
                le_bytes(layer.bias.value.as_slice()),
            ));
        }
    }
    tensors
}

/// The model's metadata: format, version and architecture.
pub(crate) fn model_metadata(model: &Model) -> HashMap<String, String> {
    HashMap::from([
        ("format".to_string(), "scratchnet".to_string()),
        ("format_version".to_string(), FORMAT_VERSION.to_string()),
        ("architecture".to_string(), serde_json::to_string(&model.info).expect("plain data serialises")),
    ])
}

/// Safetensors bytes of `tensors` with `metadata`.
pub(crate) fn serialize(tensors: Vec<Tensor>, metadata: HashMap<String, String>) -> Vec<u8> {
    let views = tensors.iter().map(|(name, dtype, shape, bytes)| {
        let view = safetensors::tensor::TensorView::new(*dtype, shape.clone(), bytes)
            .expect("shape and byte count made to match");
        (name.clone(), view)
    });
    // `collect` into safetensors' own map type: std's, or hashbrown's when its `std` feature is off.
    safetensors::serialize(views, Some(metadata.into_iter().collect())).expect("valid tensors serialise")
}

/// Saves `model` to `path` atomically.
///
/// # Errors
/// [`Error::Io`] if the file cannot be written.
pub fn save(model: &Model, path: &Path) -> Result<(), Error> {
    write_atomically(path, &to_bytes(model))
}

/// Reads a model file.
///
/// # Errors
/// [`Error::Io`] if it cannot be read; [`Error::Model`] if it is not a scratchnet model, is
/// damaged or truncated, or its tensors do not match its architecture.
pub fn load(path: &Path) -> Result<Model, Error> {
    let io_err = |source| Error::Io { path: path.display().to_string(), source };
    let len = std::fs::metadata(path).map_err(io_err)?.len();
    if len > MAX_MODEL_BYTES {
        return Err(model_err(path, t!("error.model.too-large", bytes = len, max = MAX_MODEL_BYTES)));
    }
    from_bytes(&std::fs::read(path).map_err(io_err)?, path)
}

pub(crate) fn model_err(path: &Path, message: String) -> Error {
    Error::Model { path: path.display().to_string(), message }
}

/// Parses model-file bytes; `path` names the file in errors.
///
/// # Errors
/// As [`load`].
pub fn from_bytes(bytes: &[u8], path: &Path) -> Result<Model, Error> {
    parse(bytes, path, 0)
}

/// Tensor `name` as `f32` values, checked to be F32 of `shape` and finite.
pub(crate) fn read_f32(
    tensors: &safetensors::SafeTensors<'_>,
    name: &str,
    shape: &[usize],
    path: &Path,
) -> Result<Vec<f32>, Error> {
    let err = |message: String| model_err(path, message);
    let view = tensors.tensor(name).map_err(|_| err(t!("error.model.tensor-missing", name = name)))?;
    if view.dtype() != safetensors::Dtype::F32 || view.shape() != shape {
        let found = format!("{:?} {:?}", view.dtype(), view.shape());
        let expected = format!("F32 {shape:?}");
        return Err(err(t!("error.model.tensor-shape", name = name, found = found, expected = expected)));
    }
    let values: Vec<f32> =
        view.data().chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect();
    if values.iter().any(|v| !v.is_finite()) {
        return Err(err(t!("error.model.tensor-not-finite", name = name)));
    }
    Ok(values)
}

/// Parses a model from safetensors bytes that hold `extra` more tensors (a checkpoint's).
pub(crate) fn parse(bytes: &[u8], path: &Path, extra: usize) -> Result<Model, Error> {
    let err = |message: String| model_err(path, message);
    let tensors = safetensors::SafeTensors::deserialize(bytes)
        .map_err(|e| err(t!("error.model.not-safetensors", error = e)))?;
    let (_, header) = safetensors::SafeTensors::read_metadata(bytes)
        .map_err(|e| err(t!("error.model.header", error = e)))?;
    let meta = header.metadata().clone().unwrap_or_default();
    if meta.get("format").map(String::as_str) != Some("scratchnet") {
        return Err(err(t!("error.model.not-scratchnet").into()));
    }
    let version = meta.get("format_version").map_or("?", String::as_str);
    if version != FORMAT_VERSION {
        return Err(err(t!("error.model.version", version = version, supported = FORMAT_VERSION)));
    }
    let info: ModelInfo =
        meta.get("architecture").ok_or_else(|| err(t!("error.model.no-architecture").into())).and_then(
            |json| serde_json::from_str(json).map_err(|e| err(t!("error.model.bad-architecture", error = e))),
        )?;
    crate::network::validate_sizes(&info.sizes)
        .map_err(|e| err(t!("error.model.bad-architecture", error = e)))?;
    if info.activations.len() != info.sizes.len() - 1 {
        let (activations, layers) = (info.activations.len(), info.sizes.len() - 1);
        return Err(err(t!("error.model.activations", activations = activations, layers = layers)));
    }
    let read = |name: &str, shape: &[usize]| read_f32(&tensors, name, shape, path);
    let mut layers = Vec::new();
    for (i, (pair, &activation)) in info.sizes.windows(2).zip(&info.activations).enumerate() {
        let (n_in, n_out) = (pair[0], pair[1]);
        let stored = read(&format!("layers.{i}.weight"), &[n_out, n_in])?; // [n_out, n_in]
        let mut w = Matrix::zeros(n_in, n_out);
        for o in 0..n_out {
            for k in 0..n_in {
                w.set(k, o, stored[o * n_in + k]);
            }
        }
        let dense = if info.biases {
            let b = Matrix::from_vec(1, n_out, read(&format!("layers.{i}.bias"), &[n_out])?)?;
            Dense::from_params(w, b)?
        } else {
            Dense::from_params(w, Matrix::zeros(1, n_out))?.without_bias()
        };
        layers.push((dense, activation));
    }
    // a checkpoint is a model with its training state beside it: those tensors are not the model's
    let extra = if meta.contains_key("checkpoint") {
        tensors.names().iter().filter(|n| n.starts_with("optimizer.") || n.starts_with("state.")).count()
    } else {
        extra
    };
    let expected = info.sizes.len() - 1 + if info.biases { info.sizes.len() - 1 } else { 0 } + extra;
    if tensors.len() != expected {
        return Err(err(t!("error.model.tensor-count", tensors = tensors.len(), expected = expected)));
    }
    let net = Network::from_layers(layers).map_err(|e| err(e.to_string()))?;
    Ok(Model { net, info })
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_old_file_and_leaves_no_temporary() {
        let dir = std::env::temp_dir().join(format!("scratchnet-io-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("a.json");
        write_atomically(&path, b"old").unwrap();
        write_atomically(&path, b"new").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        assert!(!dir.join("a.json.tmp").exists());
        let err = write_atomically(&dir.join("missing/b.json"), b"x").unwrap_err();
        assert!(err.to_string().contains("missing/b.json"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    fn tiny_model(biases: bool) -> Model {
        let mut rng = crate::Rng::new(3);
        let mut net =
            Network::new(&[3, 4, 2], Activation::Relu, Activation::Softmax, crate::Init::He, &mut rng)
                .unwrap();
        if !biases {
            net = net.without_biases();
        } else {
            net.layers_mut()[0].bias.value = Matrix::from_rows(&[[0.1, -0.2, 0.3, 0.4]]);
        }
        let input = InputKind::Features { names: vec!["a".into(), "b".into(), "c".into()] };
        Model::new(
            net,
            Loss::CrossEntropy,
            Task::Classes(2),
            "test",
            input,
            Preprocessing::None,
            vec!["no".into(), "yes".into()],
        )
    }

    #[test]
    fn save_then_load_predicts_identically() {
        for biases in [true, false] {
            let model = tiny_model(biases);
            let loaded = from_bytes(&to_bytes(&model), Path::new("m")).unwrap();
            assert_eq!(loaded.info, model.info);
            let x = Matrix::from_rows(&[[0.5, -1.0, 2.0], [0.0, 0.3, -0.7]]);
            assert_eq!(loaded.net.predict(&x), model.net.predict(&x));
        }
    }

    #[test]
    fn settings_round_trip_and_files_without_them_still_load() {
        let mut model = tiny_model(true);
        let settings = serde_json::json!({"lr": 0.1, "layers": [3, 4, 2], "optimizer": "adam"});
        model.info.settings = settings.as_object().cloned();
        let loaded = from_bytes(&to_bytes(&model), Path::new("m")).unwrap();
        assert_eq!(loaded.info.settings, model.info.settings);
        assert_eq!(loaded.info.settings.unwrap()["lr"], 0.1);
        // a file written before settings were stored: its architecture has no `settings` key
        model.info.settings = None;
        let metadata = model_metadata(&model);
        assert!(!metadata["architecture"].contains("settings"), "{}", metadata["architecture"]);
        let old = serialize(model_tensors(&model), metadata);
        assert_eq!(from_bytes(&old, Path::new("old")).unwrap().info.settings, None);
    }

    #[test]
    fn tensors_use_pytorch_names_and_layout() {
        let model = tiny_model(true);
        let bytes = to_bytes(&model);
        let st = safetensors::SafeTensors::deserialize(&bytes).unwrap();
        let mut names = st.names();
        names.sort();
        assert_eq!(names, ["layers.0.bias", "layers.0.weight", "layers.1.bias", "layers.1.weight"]);
        let w = st.tensor("layers.0.weight").unwrap();
        assert_eq!(w.shape(), &[4, 3]); // [n_out, n_in]
        let first = f32::from_le_bytes(w.data()[4..8].try_into().unwrap()); // row 0 (unit 0), column 1
        assert_eq!(first, model.net.layers()[0].weight.value.get(1, 0));
    }

    #[test]
    fn damaged_and_foreign_files_are_clear_errors() {
        let bytes = to_bytes(&tiny_model(true));
        for cut in [0, 7, 100, bytes.len() - 1] {
            let err = from_bytes(&bytes[..cut], Path::new("m.safetensors")).unwrap_err().to_string();
            assert!(err.starts_with("m.safetensors: "), "{err}");
        }
        let foreign =
            safetensors::serialize(Vec::<(String, safetensors::tensor::TensorView)>::new(), None).unwrap();
        let err = from_bytes(&foreign, Path::new("x")).unwrap_err().to_string();
        assert!(err.contains("not a scratchnet model"), "{err}");
        assert!(from_bytes(b"hello world, not a model", Path::new("x")).is_err());
    }
}

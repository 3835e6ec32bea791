//! `Error`: what can go wrong when a user builds a network or starts a training run.
//!
//! Library code never prints and never exits: it returns one of these, and the binary prints
//! the message followed by [`Error::hint`], the thing to do next. Panics are kept for our own
//! bugs (a broken invariant inside the math), never for a user's mistake.
//!
//! Messages and hints are in the current language ([`crate::i18n`]): the templates below are
//! looked up when an error is shown, and the `String` messages (`Config`, `Data`, ...) are made
//! with `t!` where the error is raised, on the thread that raises it.

use crate::t;

/// A mistake in a network description, a training configuration or the data given to them.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A matrix was given data of the wrong length, or data of the wrong width.
    #[error("{0}")]
    Shape(String),
    /// A layer list that cannot make a network (a size of 0, fewer than two sizes, or layers
    /// whose sizes do not chain).
    #[error("{0}")]
    Layers(String),
    /// The data does not fit the network (input width or target width differs).
    #[error("{0}")]
    DataMismatch(String),
    /// A hyper-parameter out of its range (learning rate, epochs, batch size, ...).
    #[error("{0}")]
    Config(String),
    /// A name that is not one of a closed set (activation, loss, optimizer, ...).
    #[error("{}", t!("error.unknown-name", kind = kind_noun(kind), found = found, expected = expected))]
    UnknownName { kind: &'static str, found: String, expected: String },
    /// Training stopped because the loss or a parameter became NaN or infinite.
    #[error("{}", t!("error.diverged", epoch = epoch, batch = batch, loss = loss))]
    Diverged { epoch: usize, batch: usize, loss: f32 },
    /// Training was stopped after a batch and saved to a checkpoint; `by` says what asked
    /// (`Ctrl-C`, or a signal's name such as `SIGTERM`).
    #[error("{}", t!("error.interrupted", by = by, epoch = epoch, batch = batch, path = path))]
    Interrupted { by: &'static str, epoch: usize, batch: usize, path: String },
    /// A data file is not what it should be (wrong format, damaged, truncated).
    #[error("{path}: {message}")]
    Data { path: String, message: String },
    /// Data files were not found anywhere scratchnet looks.
    #[error("{}", t!("error.missing-data", what = what, searched = searched))]
    MissingData { what: String, searched: String, hint: String },
    /// A download failed; nothing was written for that file.
    #[error("{}", t!("error.download", url = url, message = message))]
    Download { url: String, message: String },
    /// A model file is not a usable scratchnet model.
    #[error("{path}: {message}")]
    Model { path: String, message: String },
    /// A checkpoint to resume from is not one, or is damaged, or does not fit the run.
    #[error("{path}: {message}")]
    Checkpoint { path: String, message: String },
    /// A picture could not be made (an unsupported file type, or a drawing failure).
    #[error("{0}")]
    Plot(String),
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    /// A table's category value the model was not trained on (`at`: the file and line, if any;
    /// `known`: the model's categories of that column, the first few).
    #[error("{at}{}", t!("error.unknown-category", value = value, column = column, known = known))]
    UnknownCategory { at: String, column: String, value: String, known: String },
    /// A `train` config file that cannot be read, is not TOML, or holds a key or value that is
    /// not a setting (the message names the file, the line and the key).
    #[error("{message}")]
    ConfigFile { message: String },
    /// No mirror gave these files whole and right; nothing was written. `tried` holds each
    /// address tried and why it failed, in order.
    #[error("{}", t!("error.download-failed", what = what, dir = dir, tried = list_attempts(tried)))]
    DownloadFailed { what: String, dir: String, tried: Vec<(String, String)> },
}

/// One indented line per (address, failure), each on a line of its own, or a note if there
/// was nothing to try.
fn list_attempts(tried: &[(String, String)]) -> String {
    if tried.is_empty() {
        return format!(" {}", t!("error.download-failed.none"));
    }
    tried.iter().map(|(url, why)| format!("\n  {url}: {why}")).collect()
}

/// The noun an [`Error::UnknownName`]'s `kind` stands for, in the current language (`kind` is
/// the English noun, which the code passes; an unlisted one is shown as it is).
fn kind_noun(kind: &str) -> &str {
    match kind {
        "activation" => t!("error.kind.activation"),
        "loss" => t!("error.kind.loss"),
        "optimizer" => t!("error.kind.optimizer"),
        "initialisation" => t!("error.kind.initialisation"),
        "lesson" => t!("error.kind.lesson"),
        "schedule" => t!("error.kind.schedule"),
        "task" => t!("error.kind.task"),
        "dataset" => t!("error.kind.dataset"),
        "data set" => t!("error.kind.data-set"),
        "language" => t!("error.kind.language"),
        "--lang value" => t!("error.kind.lang-flag"),
        "SCRATCHNET_LANG value" => t!("error.kind.lang-env"),
        other => other,
    }
}

impl Error {
    /// What to do next; the binary prints it on its own line after the error.
    pub fn hint(&self) -> &str {
        match self {
            Error::Data { .. } => t!("hint.data"),
            Error::MissingData { hint, .. } => hint,
            Error::Download { .. } => t!("hint.download"),
            Error::Model { .. } => t!("hint.model"),
            Error::Checkpoint { .. } => t!("hint.checkpoint"),
            Error::Shape(_) => t!("hint.shape"),
            Error::Layers(_) => t!("hint.layers"),
            Error::DataMismatch(_) => t!("hint.data-mismatch"),
            Error::Config(_) => t!("hint.config"),
            Error::UnknownName { .. } => t!("hint.unknown-name"),
            Error::Diverged { .. } => t!("hint.diverged"),
            Error::Interrupted { .. } => t!("hint.interrupted"),
            Error::Plot(_) => t!("hint.plot"),
            Error::Io { .. } => t!("hint.io"),
            Error::UnknownCategory { .. } => t!("hint.unknown-category"),
            Error::ConfigFile { .. } => t!("hint.config-file"),
            Error::DownloadFailed { .. } => t!("hint.download-failed"),
        }
    }
}

//! `Error`: what can go wrong when a user builds a network or starts a training run.
//!
//! Library code never prints and never exits: it returns one of these, and the binary prints
//! the message followed by [`Error::hint`], the thing to do next. Panics are kept for our own
//! bugs (a broken invariant inside the math), never for a user's mistake.

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
    #[error("unknown {kind} `{found}`; expected one of: {expected}")]
    UnknownName { kind: &'static str, found: String, expected: String },
    /// Training stopped because the loss or a parameter became NaN or infinite.
    #[error("training diverged at epoch {epoch}, batch {batch}: the loss became {loss}")]
    Diverged { epoch: usize, batch: usize, loss: f32 },
    /// Training was stopped after a batch and saved to a checkpoint; `by` says what asked
    /// (`Ctrl-C`, or a signal's name such as `SIGTERM`).
    #[error(
        "interrupted by {by} at epoch {epoch}, after batch {batch}; the run is saved in {path}: continue it with `scratchnet train --resume {path}`"
    )]
    Interrupted { by: &'static str, epoch: usize, batch: usize, path: String },
    /// A data file is not what it should be (wrong format, damaged, truncated).
    #[error("{path}: {message}")]
    Data { path: String, message: String },
    /// Data files were not found anywhere scratchnet looks.
    #[error("{what} not found; looked in: {searched}")]
    MissingData { what: String, searched: String, hint: String },
    /// A download failed; nothing was written for that file.
    #[error("downloading {url} failed: {message}")]
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
    #[error(
        "{at}`{value}` in column `{column}` is not a category the model was trained on; it knows: {known}"
    )]
    UnknownCategory { at: String, column: String, value: String, known: String },
    /// A `train` config file that cannot be read, is not TOML, or holds a key or value that is
    /// not a setting (the message names the file, the line and the key).
    #[error("{message}")]
    ConfigFile { message: String },
    /// No mirror gave these files whole and right; nothing was written. `tried` holds each
    /// address tried and why it failed, in order.
    #[error("could not download {what} into {dir}, so nothing was written there; tried:{}", list_attempts(.tried))]
    DownloadFailed { what: String, dir: String, tried: Vec<(String, String)> },
}

/// One indented line per (address, failure), or a note if there was nothing to try.
fn list_attempts(tried: &[(String, String)]) -> String {
    if tried.is_empty() {
        return " no address (the mirror list was empty)".into();
    }
    tried.iter().map(|(url, why)| format!("\n  {url}: {why}")).collect()
}

impl Error {
    /// What to do next; the binary prints it on its own line after the error.
    pub fn hint(&self) -> &str {
        match self {
            Error::Data { .. } => {
                "the file is damaged or not in the expected format: delete it and get it again"
            }
            Error::MissingData { hint, .. } => hint,
            Error::Download { .. } => {
                "check the network connection and run the command again; without internet, copy the four files into a folder yourself and pass --data-dir DIR"
            }
            Error::Model { .. } => "give a file written by `scratchnet train --save FILE`",
            Error::Checkpoint { .. } => {
                "give a checkpoint written by `scratchnet train --checkpoint-every N` or by Ctrl-C during training"
            }
            Error::Shape(_) => "check that every row has the same number of values",
            Error::Layers(_) => {
                "give layer sizes as positive integers, input first and output last, e.g. --layers 2,2,1"
            }
            Error::DataMismatch(_) => {
                "make the first layer size equal to the number of input features and the last to the number of outputs (or leave --layers out to use the dataset's default)"
            }
            Error::Config(_) => "fix the value named above (see `scratchnet train --help`)",
            Error::UnknownName { .. } => "use one of the names listed above",
            Error::Diverged { .. } => {
                "lower the learning rate (try 10× smaller) or clip the gradient (--clip-grad 1) and train again; no model or checkpoint was written over"
            }
            Error::Interrupted { .. } => {
                "the resumed run ends with the same weights as one never interrupted (same checkpoint, same machine)"
            }
            Error::Plot(_) => "write pictures as .png (or .svg for charts)",
            Error::Io { .. } => "check the path exists and that you may read/write it",
            Error::UnknownCategory { .. } => {
                "check its spelling (categories match exactly, capitals included); to go on anyway, pass --allow-unknown: the value then adds nothing (its column's inputs are all zero)"
            }
            Error::ConfigFile { .. } => {
                "a config file is TOML whose keys are the long flag names of `scratchnet train --help`, e.g. `batch-size = 64` or `layers = [784, 128, 10]` (see examples/*.toml)"
            }
            Error::DownloadFailed { .. } => {
                "check the network connection and run the command again; or set SCRATCHNET_MIRROR=URL to a mirror you can reach (tried first; it holds URL/mnist/ and URL/fashion-mnist/ with the .gz files); or copy the four files into a folder and pass --data-dir DIR. SCRATCHNET_OFFLINE=1 or --offline turns downloading off"
            }
        }
    }
}

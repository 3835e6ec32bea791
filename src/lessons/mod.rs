//! The tutorials' experiments, one module each, built on the public library.
//!
//! Each lesson prints what its tutorial prints (and more: the steps in between) to the writer
//! it is given. The scalar lessons (`neuron`, `forward`, `chain-rule`) show the arithmetic in
//! plain `f64` to match the tutorial's printed digits, and check themselves against the
//! library's `f32` network.
//!
//! They speak the current language ([`crate::i18n::lang`]): every sentence is a `t!` lookup in
//! the catalog (`src/i18n/*/lessons.txt`, keys `lesson.<name>.*`), while formulas and the
//! formatting of every number stay here, so both languages print the same digits.

pub mod chain_rule;
pub mod descent;
pub mod forward;
pub mod gender;
pub mod hidden_layer;
pub mod mse;
pub mod neuron;
pub mod perceptron;
pub mod surface;

use std::io::{self, Write};
#[cfg(feature = "plot")]
use std::path::{Path, PathBuf};

use crate::i18n::width;
use crate::{Error, t};

pub use neuron::Neuron;

/// The tutorials' 2-2-1 sigmoid network as a library [`crate::Network`]: every neuron (both
/// hidden and the output) has the two weights `weights`, every bias is 0. Neuron j's weights
/// are column j of its layer's n_in × n_out weight matrix.
fn sigmoid_2_2_1(weights: [f32; 2]) -> crate::Network {
    use crate::{Activation, Dense, Matrix, Network};
    let layer = |n_out: usize| {
        let w = Matrix::from_vec(2, n_out, weights.iter().flat_map(|&w| vec![w; n_out]).collect());
        Dense::from_params(w.expect("2·n_out values"), Matrix::zeros(1, n_out)).expect("matching bias")
    };
    Network::from_layers(vec![(layer(2), Activation::Sigmoid), (layer(1), Activation::Sigmoid)])
        .expect("2 → 2 → 1")
}

/// The lessons, in the tutorials' order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lesson {
    Perceptron,
    Neuron,
    Forward,
    Mse,
    ChainRule,
    Gender,
    Descent,
    Surface,
    HiddenLayer,
}

/// Settings shared by the lessons (each uses what it needs). Build it with
/// `..Default::default()` for the fields you leave out: some exist only with a feature.
#[derive(Clone, Debug)]
pub struct LessonOptions {
    /// Seed for generated data, initial weights and shuffling.
    pub seed: u64,
    /// Folder for pictures; `None` prints only (feature `plot`).
    #[cfg(feature = "plot")]
    pub out: Option<PathBuf>,
    /// Training epochs, for the lessons that train (`None`: the tutorial's number).
    pub epochs: Option<usize>,
    /// A live view in the browser, for the lessons that train (hidden-layer, descent; feature
    /// `dashboard`).
    #[cfg(feature = "dashboard")]
    pub dashboard: Option<crate::dashboard::Dashboard>,
}

/// The seed lessons use unless told otherwise.
pub const DEFAULT_SEED: u64 = 42;

impl Default for LessonOptions {
    fn default() -> Self {
        LessonOptions {
            seed: DEFAULT_SEED,
            #[cfg(feature = "plot")]
            out: None,
            epochs: None,
            #[cfg(feature = "dashboard")]
            dashboard: None,
        }
    }
}

/// A failed write to the lesson's output.
pub(crate) fn out_err(source: io::Error) -> Error {
    Error::Io { path: t!("lesson.stdout").into(), source }
}

/// Writes each line of `text` (a catalog paragraph may hold several) after `indent`, so that
/// both languages indent alike however they break their lines.
pub(crate) fn write_lines(out: &mut dyn Write, indent: &str, text: &str) -> io::Result<()> {
    text.lines().try_for_each(|line| writeln!(out, "{indent}{line}"))
}

/// The terminal width of the widest of `labels`: what labels that are lined up are padded to.
pub(crate) fn widest(labels: &[&str]) -> usize {
    labels.iter().map(|l| width(l)).max().unwrap_or(0)
}

/// Draws a lesson's pictures into `options.out` with `write` and lists the files written, or
/// without a folder tells the learner how to get them.
#[cfg(feature = "plot")]
pub(crate) fn pictures<F: AsRef<str>>(
    options: &LessonOptions,
    out: &mut dyn Write,
    lesson: &str,
    write: impl FnOnce(&Path) -> Result<Vec<F>, Error>,
) -> Result<(), Error> {
    writeln!(out).map_err(out_err)?;
    let Some(dir) = &options.out else {
        return writeln!(out, "{}", t!("lesson.pictures-hint", lesson = lesson)).map_err(out_err);
    };
    for file in write(dir)? {
        let path = dir.join(file.as_ref());
        writeln!(out, "{}", t!("lesson.wrote", path = path.display())).map_err(out_err)?;
    }
    Ok(())
}

impl Lesson {
    pub const ALL: [Lesson; 9] = [
        Lesson::Perceptron,
        Lesson::Neuron,
        Lesson::Forward,
        Lesson::Mse,
        Lesson::ChainRule,
        Lesson::Gender,
        Lesson::Descent,
        Lesson::Surface,
        Lesson::HiddenLayer,
    ];

    /// The name used by `scratchnet lesson NAME`.
    pub fn name(self) -> &'static str {
        match self {
            Lesson::Perceptron => "perceptron",
            Lesson::Neuron => "neuron",
            Lesson::Forward => "forward",
            Lesson::Mse => "mse",
            Lesson::ChainRule => "chain-rule",
            Lesson::Gender => "gender",
            Lesson::Descent => "descent",
            Lesson::Surface => "surface",
            Lesson::HiddenLayer => "hidden-layer",
        }
    }

    /// One line on what the lesson shows, in the current language.
    pub fn summary(self) -> &'static str {
        match self {
            Lesson::Perceptron => t!("lesson.summary.perceptron"),
            Lesson::Neuron => t!("lesson.summary.neuron"),
            Lesson::Forward => t!("lesson.summary.forward"),
            Lesson::Mse => t!("lesson.summary.mse"),
            Lesson::ChainRule => t!("lesson.summary.chain-rule"),
            Lesson::Gender => t!("lesson.summary.gender"),
            Lesson::Descent => t!("lesson.summary.descent"),
            Lesson::Surface => t!("lesson.summary.surface"),
            Lesson::HiddenLayer => t!("lesson.summary.hidden-layer"),
        }
    }

    /// True for the lessons that draw pictures with `--out DIR` (with the `plot` feature).
    pub fn draws(self) -> bool {
        matches!(self, Lesson::Descent | Lesson::Surface | Lesson::HiddenLayer)
    }

    /// Runs the lesson, printing to `out` (and writing pictures to `options.out`).
    ///
    /// # Errors
    /// If writing to `out` or a picture fails, or `options` are out of range (0 epochs).
    pub fn run(self, options: &LessonOptions, out: &mut dyn Write) -> Result<(), Error> {
        match self {
            Lesson::Perceptron => perceptron::run(out).map_err(out_err),
            Lesson::Neuron => neuron::run(out).map_err(out_err),
            Lesson::Forward => forward::run(out).map_err(out_err),
            Lesson::Mse => mse::run(out).map_err(out_err),
            Lesson::ChainRule => chain_rule::run(out).map_err(out_err),
            Lesson::Gender => gender::run(options.seed, out).map_err(out_err),
            Lesson::Descent => descent::run(options, out),
            Lesson::Surface => surface::run(options, out),
            Lesson::HiddenLayer => hidden_layer::run(options, out),
        }
    }
}

impl std::str::FromStr for Lesson {
    type Err = crate::Error;
    fn from_str(s: &str) -> Result<Self, crate::Error> {
        crate::parse_name("lesson", s, &Lesson::ALL, |l| l.name())
    }
}

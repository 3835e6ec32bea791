//! The command line: clap structures (raw strings and numbers) turned into library calls.
//!
//! One module per command (`train`, `evaluate`, `predict`, `download`); `datasets` turns a
//! `--dataset` name into data and defaults, `config` a `train CONFIG.toml` file into flags;
//! `signals` makes Ctrl-C, SIGTERM and SIGHUP stop a run cleanly. The library validates (a
//! `TrainConfig` has the last word on ranges); every user mistake comes back as a
//! [`scratchnet::Error`], which `main` prints with its hint.

mod config;
mod datasets;
mod download;
mod evaluate;
mod predict;
pub(crate) mod signals;
mod train;
mod usage;

pub(crate) use signals::{STOP, TRAINING, catch_ctrl_c, wait_for_ctrl_c};

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use scratchnet::i18n::{self, Lang};
use scratchnet::lessons::{Lesson, LessonOptions};
use scratchnet::network::validate_sizes;
use scratchnet::{Error, t};

#[derive(Parser, Debug)]
#[command(
    name = "scratchnet",
    version,
    about = "Neural networks from scratch: train MLPs, and replay the tutorials' lessons"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Never download data sets (also SCRATCHNET_OFFLINE=1): use only the files already on disk
    #[arg(long, global = true)]
    offline: bool,
    /// The language of the output: en or zh (default: SCRATCHNET_LANG, then the locale's
    /// LC_ALL, LC_MESSAGES or LANG; zh_* gives Chinese)
    #[arg(long, global = true, value_name = "LANG", value_parser = parse_lang)]
    lang: Option<Lang>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Train a network on a dataset and report how it did
    Train(Box<train::TrainArgs>),
    /// Score a saved model: accuracy, per-class precision and recall, confusion matrix
    Eval(evaluate::EvalArgs),
    /// Use a saved model on an image (PNG or PGM) or on feature values
    Predict(predict::PredictArgs),
    /// Get data sets
    #[command(subcommand)]
    Data(download::DataCommand),
    /// Run one of the tutorials' experiments (see `scratchnet lesson --help` for the list)
    Lesson(LessonArgs),
}

#[derive(Args, Debug)]
struct LessonArgs {
    /// perceptron, neuron, forward, mse, chain-rule, gender, descent, surface or hidden-layer
    /// (leave out to list them)
    #[arg(value_parser = parse_lesson)]
    name: Option<Lesson>,
    /// Seed for the lessons that draw random numbers (gender, descent, surface, hidden-layer)
    #[arg(long, default_value_t = scratchnet::lessons::DEFAULT_SEED)]
    seed: u64,
    /// Write the lesson's pictures (PNG, GIF) into this folder (descent, surface, hidden-layer)
    #[arg(long)]
    out: Option<PathBuf>,
    /// Training epochs for hidden-layer (default: the tutorial's 5000)
    #[arg(long)]
    epochs: Option<usize>,
    /// Watch hidden-layer or descent learn in the browser (served on 127.0.0.1, slowed down to
    /// about ten seconds so you can follow it; kept until Ctrl-C)
    #[arg(long)]
    dashboard: bool,
    /// Where the dashboard listens (default 127.0.0.1:7878, or a free port)
    #[arg(long, value_name = "ADDR")]
    dashboard_addr: Option<std::net::SocketAddr>,
}

/// Parses and runs the command line.
///
/// # Errors
/// Any user mistake or failed write, as an [`Error`] with a hint.
pub fn run() -> Result<(), Error> {
    choose_language()?;
    let cli = Cli::try_parse().unwrap_or_else(|e| usage::exit(e));
    if let Some(lang) = cli.lang {
        i18n::set_default(lang); // the same as the pre-scan found, unless clap read it otherwise
    }
    download::set_offline(cli.offline);
    // `Stdout` (not its lock) so that the output can move to the training thread pool
    let mut out = Tolerant { inner: std::io::stdout(), error: None };
    let result = match cli.command {
        Command::Lesson(LessonArgs {
            name: Some(lesson),
            seed,
            out: dir,
            epochs,
            dashboard,
            dashboard_addr,
        }) => {
            let watched = dashboard || dashboard_addr.is_some();
            run_lesson(
                lesson,
                LessonOptions { seed, out: dir, epochs, dashboard: None },
                watched.then_some(dashboard_addr),
                &mut out,
            )
        }
        Command::Lesson(LessonArgs { name: None, .. }) => list_lessons(&mut out).map_err(out_err),
        Command::Train(args) => train::run(&args, &mut out),
        Command::Eval(args) => evaluate::run(&args, &mut out),
        Command::Predict(args) => predict::run(&args, &mut out),
        Command::Data(command) => download::run(&command, &mut out),
    };
    result?;
    match out.error {
        // The reader went away (`scratchnet ... | head`): that is fine, as for any Unix tool.
        Some(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(out_err(e)),
        _ => Ok(()),
    }
}

/// Sets the process's language before anything is printed, even before clap parses the command
/// line (so that our value parsers' messages come out in it): `--lang` as found by
/// [`lang_flag`], else `SCRATCHNET_LANG`, else the locale ([`i18n::resolve`]).
///
/// # Errors
/// A `--lang` or `SCRATCHNET_LANG` that is not `en` or `zh`, said in the language the rest of
/// the choice gives.
fn choose_language() -> Result<(), Error> {
    let env = |name: &str| std::env::var(name).ok();
    let flag = lang_flag(std::env::args().skip(1));
    match i18n::resolve(flag.as_deref(), env) {
        Ok(lang) => {
            i18n::set_default(lang);
            Ok(())
        }
        Err(e) => {
            // the flag cannot be honoured: speak what the environment asks for, if it can be
            let fallback = if flag.is_some() { i18n::resolve(None, env).ok() } else { None };
            i18n::set_default(fallback.unwrap_or(Lang::En));
            Err(e)
        }
    }
}

/// The value of the first `--lang X` or `--lang=X` among `args` (the command line after the
/// program's name), before a `--` that ends the options.
fn lang_flag(args: impl IntoIterator<Item = String>) -> Option<String> {
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--" => return None,
            "--lang" => return args.next(),
            _ => {
                if let Some(value) = arg.strip_prefix("--lang=") {
                    return Some(value.to_string());
                }
            }
        }
    }
    None
}

/// Standard output that never fails the command: if the reader goes away (`| head`) or the
/// disk is full, the run still finishes and still writes its model and report. The first error
/// is kept and reported at the end (except a closed pipe, which is normal).
struct Tolerant<W: Write> {
    inner: W,
    error: Option<std::io::Error>,
}

impl<W: Write> Write for Tolerant<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.error.is_none()
            && let Err(e) = self.inner.write_all(buf)
        {
            self.error = Some(e);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.error.is_none()
            && let Err(e) = self.inner.flush()
        {
            self.error = Some(e);
        }
        Ok(())
    }
}

fn run_lesson(
    lesson: Lesson,
    mut options: LessonOptions,
    dashboard: Option<Option<std::net::SocketAddr>>,
    out: &mut dyn Write,
) -> Result<(), Error> {
    if options.epochs == Some(0) {
        return Err(Error::Config(t!("cli.lesson.epochs-zero").into()));
    }
    if options.out.is_some() && !lesson.draws() {
        return Err(Error::Config(t!("cli.lesson.no-out", lesson = lesson.name())));
    }
    if options.epochs.is_some() && lesson != Lesson::HiddenLayer {
        return Err(Error::Config(t!("cli.lesson.no-epochs", lesson = lesson.name())));
    }
    let Some(addr) = dashboard else {
        return lesson.run(&options, out);
    };
    if !matches!(lesson, Lesson::HiddenLayer | Lesson::Descent) {
        return Err(Error::Config(t!("cli.lesson.no-dashboard", lesson = lesson.name())));
    }
    let dashboard = scratchnet::dashboard::Dashboard::start(addr)?;
    writeln!(out, "{}", t!("cli.dashboard.lesson", url = dashboard.url())).map_err(out_err)?;
    out.flush().map_err(out_err)?;
    let url = dashboard.url();
    options.dashboard = Some(dashboard);
    lesson.run(&options, out)?;
    wait_for_ctrl_c(out, &url)
}

fn list_lessons(out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "{}", t!("cli.lessons"))?;
    for lesson in Lesson::ALL {
        writeln!(out, "  {:<12} {}", lesson.name(), lesson.summary())?;
    }
    Ok(())
}

/// Parses the arguments of a `train` command stored in a checkpoint.
pub(crate) fn parse_train_args(args: &[String]) -> Result<train::TrainArgs, Error> {
    let cli = Cli::try_parse_from(std::iter::once("scratchnet".to_string()).chain(args.iter().cloned()))
        .map_err(|e| Error::Config(t!("cli.resume.unparsable", error = e)))?;
    match cli.command {
        Command::Train(args) => Ok(*args),
        _ => Err(Error::Config(t!("cli.resume.not-train").into())),
    }
}

/// A failed write to standard output.
fn out_err(source: std::io::Error) -> Error {
    Error::Io { path: t!("cli.stdout").into(), source }
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    s.parse::<Lang>().map_err(|e| e.to_string())
}

fn parse_lesson(s: &str) -> Result<Lesson, String> {
    s.parse::<Lesson>().map_err(|e| e.to_string())
}

fn parse_from_str<T: std::str::FromStr<Err = Error>>(s: &str) -> Result<T, String> {
    s.parse::<T>().map_err(|e| e.to_string())
}

fn parse_positive(s: &str) -> Result<f32, String> {
    match s.trim().parse::<f32>() {
        Ok(v) if v > 0.0 && v.is_finite() => Ok(v),
        _ => Err(t!("cli.value.not-positive", value = s)),
    }
}

/// `--layers 784,128,64,10` (one value; a bare `Vec` would make clap expect several).
#[derive(Clone, Debug)]
struct LayerSizes(Vec<usize>);

fn parse_layers(s: &str) -> Result<LayerSizes, String> {
    let sizes = s
        .split(',')
        .map(|part| {
            part.trim().parse::<usize>().map_err(|_| t!("cli.value.not-whole", part = part, value = s))
        })
        .collect::<Result<Vec<_>, _>>()?;
    validate_sizes(&sizes).map_err(|e| e.to_string())?;
    Ok(LayerSizes(sizes))
}

//! Getting MNIST and Fashion-MNIST: `scratchnet data download NAME`, and the same download
//! done by `train` and `eval` when the files are found nowhere (the first run just works).
//!
//! Where the files are looked for is `data::mnist`'s business; this module decides whether a
//! missing set may be downloaded, from where, and shows it happening:
//! - `--data-dir DIR` given: never (the user said where the data is);
//! - `--offline` or `SCRATCHNET_OFFLINE=1`: never;
//! - otherwise into the cache folder (`$XDG_CACHE_HOME/scratchnet/NAME` or
//!   `~/.cache/scratchnet/NAME`), trying `SCRATCHNET_MIRROR` first (one or more roots separated
//!   by spaces, each holding `mnist/` and `fashion-mnist/` folders), then the public mirrors.
//!
//! `SCRATCHNET_TEST_CHECKSUMS=H1,H2,H3,H4` replaces the four SHA-256 values (in the order of
//! `mnist::FILES`) for scratchnet's own tests, whose loopback mirror serves small stand-in files;
//! it says so on standard error, and skips the public mirrors, which hold the real files. It
//! opens nothing new: `train` reads whatever files are in the cache folder without checking them.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use scratchnet::data::download::{self, Outcome};
use scratchnet::data::mnist::{self, Kind};
use scratchnet::{Error, i18n, t};

use super::out_err;

#[derive(Subcommand, Debug)]
pub enum DataCommand {
    /// Download MNIST or Fashion-MNIST (checked by SHA-256) into the cache folder or --dir
    Download(DownloadArgs),
}

#[derive(Args, Debug)]
pub struct DownloadArgs {
    /// mnist or fashion-mnist
    name: String,
    /// Where to put the files (default: ~/.cache/scratchnet/NAME, where `train` looks)
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Fetch only from this address (the files NAME.gz directly under it) instead of
    /// $SCRATCHNET_MIRROR/NAME/ and the public mirrors
    #[arg(long)]
    base_url: Option<String>,
}

/// Set by the global `--offline` flag.
static OFFLINE_FLAG: AtomicBool = AtomicBool::new(false);

/// Records the global `--offline` flag (once, before the command runs).
pub(crate) fn set_offline(offline: bool) {
    OFFLINE_FLAG.store(offline, Ordering::SeqCst);
}

/// Why downloading is turned off, if it is, and how to turn it on again: `--offline`, or
/// `SCRATCHNET_OFFLINE` set to anything but empty or `0`.
fn offline_reason() -> Option<(String, &'static str)> {
    if OFFLINE_FLAG.load(Ordering::SeqCst) {
        return Some(("--offline".into(), t!("data.offline.undo-flag")));
    }
    let value = std::env::var("SCRATCHNET_OFFLINE").ok()?;
    (!value.is_empty() && value != "0")
        .then(|| (format!("SCRATCHNET_OFFLINE={value}"), t!("data.offline.undo-env")))
}

/// The folder holding the files of `kind`: found where `data::mnist` looks or, if they are
/// nowhere and downloading is allowed (see the module documentation), downloaded into the
/// cache folder first.
///
/// # Errors
/// [`Error::MissingData`] saying why nothing was downloaded, or a failed download.
pub fn find_or_download(kind: Kind, data_dir: Option<&Path>) -> Result<PathBuf, Error> {
    let missing = match mnist::locate(kind, &mnist::candidate_dirs(kind, data_dir)) {
        Ok(dir) => return Ok(dir),
        Err(missing) => missing,
    };
    let name = kind.name();
    if data_dir.is_some() {
        return Err(with_hint(missing, t!("data.missing.data-dir", name = name)));
    }
    if let Some((reason, undo)) = offline_reason() {
        let hint = if kind == Kind::Fashion {
            t!("data.missing.offline-fashion", reason = reason, undo = undo, name = name)
        } else {
            t!("data.missing.offline", reason = reason, undo = undo, name = name)
        };
        return Err(with_hint(missing, hint));
    }
    let Some(dir) = mnist::cache_dir(kind) else {
        return Err(missing); // no home folder: nowhere to download to; its hint says what to do
    };
    let (mirrors, sha256) = sources(kind)?;
    let (title, dir_shown, megabytes) = (title(kind), dir.display(), kind.download_megabytes());
    let first = mirrors.first().map_or(t!("data.no-mirror"), String::as_str);
    let starting = match mirrors.len() {
        0 | 1 => {
            t!("data.downloading", title = title, dir = dir_shown, megabytes = megabytes, mirror = first)
        }
        n => {
            let others = i18n::fill_n("data.downloading.others", n - 1, &[]);
            let (dir, mirror) = (dir_shown, first);
            t!(
                "data.downloading-more",
                title = title,
                dir = dir,
                megabytes = megabytes,
                mirror = mirror,
                others = others
            )
        }
    };
    eprintln!("{starting}");
    fetch_with_bars(&sha256, &mirrors, &dir)?;
    Ok(dir)
}

/// `MNIST` or `Fashion-MNIST`, as the sets call themselves.
fn title(kind: Kind) -> &'static str {
    match kind {
        Kind::Mnist => "MNIST",
        Kind::Fashion => "Fashion-MNIST",
    }
}

/// A [`Error::MissingData`] with another hint (any other error is returned as it is).
fn with_hint(error: Error, hint: String) -> Error {
    match error {
        Error::MissingData { what, searched, .. } => Error::MissingData { what, searched, hint },
        other => other,
    }
}

/// The mirrors to try for `kind`, in order, and the SHA-256 values the files must have (see the
/// module documentation for the variables).
fn sources(kind: Kind) -> Result<(Vec<String>, [String; 4]), Error> {
    let roots = std::env::var("SCRATCHNET_MIRROR").unwrap_or_default();
    let roots: Vec<&str> = roots.split_whitespace().collect();
    let Some(test) = std::env::var("SCRATCHNET_TEST_CHECKSUMS").ok().filter(|v| !v.is_empty()) else {
        return Ok((download::mirror_urls(kind, &roots), kind.sha256().map(str::to_string)));
    };
    let values: Vec<String> = test.split(',').map(|v| v.trim().to_lowercase()).collect();
    let Ok(sha256) = <[String; 4]>::try_from(values) else {
        return Err(Error::Config(t!(
            "data.test-checksums.bad",
            files = mnist::FILES.join(", "),
            value = test
        )));
    };
    eprintln!("{}", t!("cli.warning", message = t!("data.test-checksums.warning")));
    Ok((roots.iter().map(|root| download::mirror_folder(kind, root)).collect(), sha256))
}

/// Downloads the four files into `dir` with a progress bar per file on a terminal.
fn fetch_with_bars(
    sha256: &[String; 4],
    mirrors: &[String],
    dir: &Path,
) -> Result<Vec<(PathBuf, Outcome)>, Error> {
    let sha256 = [&*sha256[0], &*sha256[1], &*sha256[2], &*sha256[3]];
    let mut bars = Bars { terminal: std::io::stderr().is_terminal(), current: None };
    let results = download::download_checked(&sha256, mirrors, dir, &mut |file, done, total| {
        bars.update(file, done, total);
    });
    bars.finish();
    results
}

/// One progress bar at a time on standard error, for the file being fetched (none when standard
/// error is not a terminal: logs and tests get the summary lines only).
struct Bars {
    terminal: bool,
    current: Option<(String, ProgressBar)>,
}

impl Bars {
    fn update(&mut self, file: &str, done: u64, total: Option<u64>) {
        if !self.terminal {
            return;
        }
        if self.current.as_ref().is_none_or(|(name, _)| name != file) {
            self.finish();
            let bar = ProgressBar::new(total.unwrap_or(0));
            let style =
                ProgressStyle::with_template("{msg:28} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec}")
                    .expect("a valid template")
                    .progress_chars("=> ");
            bar.set_style(style);
            bar.set_message(file.to_string());
            self.current = Some((file.to_string(), bar));
        }
        if let Some((_, bar)) = &self.current {
            bar.set_position(done);
        }
    }

    fn finish(&mut self) {
        if let Some((_, bar)) = self.current.take() {
            bar.finish_and_clear();
        }
    }
}

/// Runs `scratchnet data ...`.
pub fn run(command: &DataCommand, out: &mut dyn Write) -> Result<(), Error> {
    let DataCommand::Download(args) = command;
    let kind = match args.name.as_str() {
        "mnist" => Kind::Mnist,
        "fashion-mnist" => Kind::Fashion,
        other => {
            return Err(Error::UnknownName {
                kind: "data set",
                found: other.to_string(),
                expected: "mnist, fashion-mnist".into(),
            });
        }
    };
    if let Some((reason, undo)) = offline_reason() {
        return Err(Error::Config(t!("data.offline.refused", reason = reason, undo = undo)));
    }
    let Some(dir) = args.dir.clone().or_else(|| mnist::cache_dir(kind)) else {
        return Err(Error::Config(t!("data.no-home").into()));
    };
    let (mut mirrors, sha256) = sources(kind)?;
    if let Some(url) = &args.base_url {
        mirrors = vec![url.clone()];
    }
    let from = mirrors
        .iter()
        .skip(1)
        .fold(mirrors.first().cloned().unwrap_or_default(), |a, b| t!("data.download.then", a = a, b = b));
    let (name, dir_shown) = (kind.name(), dir.display());
    writeln!(out, "{}", t!("data.download.start", name = name, dir = dir_shown, from = from))
        .map_err(out_err)?;
    for (path, outcome) in fetch_with_bars(&sha256, &mirrors, &dir)? {
        let what = match outcome {
            Outcome::Downloaded { bytes, url } => t!("data.download.downloaded", url = url, bytes = bytes),
            Outcome::AlreadyPresent => t!("data.download.present").to_string(),
        };
        writeln!(out, "  {}: {what}", path.display()).map_err(out_err)?;
    }
    writeln!(out, "{}", t!("data.download.done", name = name)).map_err(out_err)
}

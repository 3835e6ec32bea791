//! `scratchnet data download mnist|fashion-mnist`: fetch the files with a progress bar.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use scratchnet::Error;
use scratchnet::data::download::{self, Outcome};
use scratchnet::data::mnist::{self, Kind};

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
    /// Fetch from this address instead of the usual mirror (the files NAME.gz must be under it)
    #[arg(long)]
    base_url: Option<String>,
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
    let Some(dir) = args.dir.clone().or_else(|| mnist::cache_dir(kind)) else {
        return Err(Error::Config("no home folder is known to put the cache in; pass --dir DIR".into()));
    };
    let base_url = args.base_url.clone().unwrap_or_else(|| kind.base_url().to_string());
    writeln!(out, "downloading {} from {base_url} into {}", kind.name(), dir.display()).map_err(out_err)?;
    let terminal = std::io::stderr().is_terminal();
    let mut bar: Option<(String, ProgressBar)> = None;
    let mut progress = |file: &str, done: u64, total: Option<u64>| {
        if !terminal {
            return;
        }
        if bar.as_ref().is_none_or(|(name, _)| name != file) {
            if let Some((_, old)) = bar.take() {
                old.finish_and_clear();
            }
            let b = ProgressBar::new(total.unwrap_or(0));
            let style =
                ProgressStyle::with_template("{msg:28} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec}")
                    .expect("a valid template")
                    .progress_chars("=> ");
            b.set_style(style);
            b.set_message(file.to_string());
            bar = Some((file.to_string(), b));
        }
        if let Some((_, b)) = &bar {
            b.set_position(done);
        }
    };
    let results = download::download(kind, &base_url, &dir, &mut progress);
    if let Some((_, b)) = bar.take() {
        b.finish_and_clear();
    }
    for (path, outcome) in results? {
        let what = match outcome {
            Outcome::Downloaded { bytes } => format!("downloaded, {bytes} bytes, SHA-256 checked"),
            Outcome::AlreadyPresent => "already present, SHA-256 checked".to_string(),
        };
        writeln!(out, "  {}: {what}", path.display()).map_err(out_err)?;
    }
    writeln!(out, "done: `scratchnet train --dataset {}` will find them", kind.name()).map_err(out_err)
}

//! Fetching MNIST-style files over HTTP(S) from a list of mirrors, checked by SHA-256 and
//! written atomically, all or nothing.
//!
//! Each `.gz` file is read whole into memory (the largest is 26 MB) and decompressed to check the
//! SHA-256 of its IDX contents against the known value. Mirrors are tried in order: the files
//! still needed are asked of the first mirror, and at its first failure the rest go to the next
//! one, so a dead mirror costs one attempt, not four. Only when every file is in hand and checked
//! are they written, each through a temporary file and a rename. A failed download therefore
//! leaves nothing behind: no partial file, and no lone good file that would make the folder look
//! half there.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use sha2::{Digest, Sha256};

use super::mnist::{self, FILES, Kind};
use crate::{Error, i18n, t};

/// Refuse bodies larger than this (the largest real file is 26 MB).
const MAX_BYTES: u64 = 200 << 20;

/// Time allowed to find and connect to a server, and then for it to answer: a dead or
/// unreachable mirror is given up within seconds, so the next one gets its turn.
const CONNECT: Duration = Duration::from_secs(10);
const ANSWER: Duration = Duration::from_secs(30);
/// Time allowed for one whole file (ureq's body budget is not renewed per read): 26 MB at
/// 45 kB/s. A slower link is better served by `SCRATCHNET_MIRROR` or a copy and `--data-dir`.
const WHOLE_FILE: Duration = Duration::from_secs(600);

/// What happened to one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Downloaded from `url`, checked and written.
    Downloaded { bytes: u64, url: String },
    /// Already there with the right contents.
    AlreadyPresent,
}

fn failed(url: &str, message: String) -> Error {
    Error::Download { url: url.to_string(), message }
}

/// SHA-256 of the uncompressed contents of `bytes` (gzip or raw), as lowercase hex.
///
/// # Errors
/// A message if `bytes` start like gzip but do not decompress.
pub fn content_sha256(bytes: &[u8]) -> Result<String, String> {
    let mut hasher = Sha256::new();
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut decoder = flate2::read::GzDecoder::new(bytes);
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = decoder.read(&mut buf).map_err(|e| t!("data.download.bad-gzip", error = e))?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
        }
    } else {
        hasher.update(bytes);
    }
    Ok(hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// Downloads `url` into memory, calling `progress(bytes so far, total if known)` as it goes.
///
/// # Errors
/// [`Error::Download`] for a connection failure or a timeout, an HTTP error status, a body cut short or one
/// larger than expected.
pub fn fetch(url: &str, progress: &mut dyn FnMut(u64, Option<u64>)) -> Result<Vec<u8>, Error> {
    let config = ureq::Agent::config_builder()
        .timeout_resolve(Some(CONNECT))
        .timeout_connect(Some(CONNECT))
        .timeout_recv_response(Some(ANSWER))
        .timeout_recv_body(Some(WHOLE_FILE))
        .build();
    let agent = ureq::Agent::new_with_config(config);
    let mut response = agent.get(url).call().map_err(|e| failed(url, e.to_string()))?;
    let total = response.body().content_length();
    let mut reader = response.body_mut().with_config().limit(MAX_BYTES).reader();
    let mut bytes = Vec::with_capacity(total.unwrap_or(0).min(MAX_BYTES) as usize);
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = reader
            .read(&mut buf)
            .map_err(|e| failed(url, t!("data.download.broke", bytes = bytes.len(), error = e)))?;
        if n == 0 {
            break;
        }
        bytes.extend_from_slice(&buf[..n]);
        progress(bytes.len() as u64, total);
    }
    if let Some(total) = total
        && (bytes.len() as u64) < total
    {
        return Err(failed(url, t!("data.download.cut", bytes = bytes.len(), total = total)));
    }
    Ok(bytes)
}

/// The folder of `kind` on a mirror of both sets rooted at `root` (`SCRATCHNET_MIRROR`):
/// `ROOT/mnist/` or `ROOT/fashion-mnist/`, the layout of the cache folder itself, so that
/// serving `~/.cache/scratchnet` makes a mirror.
pub fn mirror_folder(kind: Kind, root: &str) -> String {
    format!("{}/{}/", root.trim_end_matches('/'), kind.name())
}

/// Where to fetch `kind` from, in order: the folders of `roots` (see [`mirror_folder`]), then
/// the public mirrors ([`Kind::mirrors`]).
pub fn mirror_urls(kind: Kind, roots: &[&str]) -> Vec<String> {
    let first = roots.iter().map(|root| mirror_folder(kind, root));
    first.chain(kind.mirrors().iter().map(|url| url.to_string())).collect()
}

/// Downloads the four files of `kind` into `dir` from the first of `mirrors` that has each,
/// skipping files already present with the right contents. `progress(file, bytes, total)`
/// reports. Nothing is written unless every file was fetched and checked.
///
/// # Errors
/// [`Error::DownloadFailed`] listing every address tried and why it failed (nothing is
/// written), or [`Error::Io`] if writing fails (what this call wrote is removed again).
pub fn download(
    kind: Kind,
    mirrors: &[String],
    dir: &Path,
    progress: &mut dyn FnMut(&str, u64, Option<u64>),
) -> Result<Vec<(PathBuf, Outcome)>, Error> {
    download_checked(&kind.sha256(), mirrors, dir, progress)
}

/// [`download`] with other expected SHA-256 values, in the order of [`FILES`] (for a test's
/// small stand-in files: the files' names are the same for both sets).
///
/// # Errors
/// As [`download`].
pub fn download_checked(
    sha256: &[&str; 4],
    mirrors: &[String],
    dir: &Path,
    progress: &mut dyn FnMut(&str, u64, Option<u64>),
) -> Result<Vec<(PathBuf, Outcome)>, Error> {
    let files: Vec<(&str, &str)> = FILES.iter().copied().zip(sha256.iter().copied()).collect();
    download_from(&files, mirrors, dir, progress)
}

/// Downloads `NAME.gz` for each (NAME, SHA-256 of its contents) of `files` from one address.
///
/// # Errors
/// As [`download`].
pub fn download_files(
    files: &[(&str, &str)],
    base_url: &str,
    dir: &Path,
    progress: &mut dyn FnMut(&str, u64, Option<u64>),
) -> Result<Vec<(PathBuf, Outcome)>, Error> {
    download_from(files, &[base_url.to_string()], dir, progress)
}

/// Downloads `NAME.gz` for each (NAME, SHA-256 of its contents) of `files`, each from the first
/// of `mirrors` that serves it whole and right, as [`download`].
///
/// # Errors
/// As [`download`].
pub fn download_from(
    files: &[(&str, &str)],
    mirrors: &[String],
    dir: &Path,
    progress: &mut dyn FnMut(&str, u64, Option<u64>),
) -> Result<Vec<(PathBuf, Outcome)>, Error> {
    let mut results = Vec::new();
    let mut needed = Vec::new();
    for &(name, expected) in files {
        match present(dir, name, expected) {
            Some(path) => results.push((path, Outcome::AlreadyPresent)),
            None => needed.push((name, expected)),
        }
    }
    if needed.is_empty() {
        return Ok(results);
    }
    let fetched = fetch_all(&needed, mirrors, dir, progress)?;
    results.extend(write_all(dir, fetched)?);
    Ok(results)
}

/// The file `name` (raw or `.gz`) in `dir`, if its contents have the SHA-256 `expected`.
fn present(dir: &Path, name: &str, expected: &str) -> Option<PathBuf> {
    let path = mnist::find_file(dir, name)?;
    let bytes = std::fs::read(&path).ok()?;
    (content_sha256(&bytes).ok()? == expected).then_some(path)
}

/// A file fetched and checked, not yet written.
struct Fetched {
    name: String,
    url: String,
    bytes: Vec<u8>,
}

/// Fetches every file of `needed`, in order, going on to the next mirror at a mirror's first
/// failure (see the module documentation).
fn fetch_all(
    needed: &[(&str, &str)],
    mirrors: &[String],
    dir: &Path,
    progress: &mut dyn FnMut(&str, u64, Option<u64>),
) -> Result<Vec<Fetched>, Error> {
    let mut fetched = Vec::new();
    let mut tried = Vec::new();
    for mirror in mirrors {
        while let Some(&(name, expected)) = needed.get(fetched.len()) {
            let url = format!("{}/{name}.gz", mirror.trim_end_matches('/'));
            match fetch_checked(&url, name, expected, progress) {
                Ok(bytes) => fetched.push(Fetched { name: name.to_string(), url, bytes }),
                Err(message) => {
                    tried.push((url, message));
                    break;
                }
            }
        }
    }
    if fetched.len() == needed.len() {
        return Ok(fetched);
    }
    let (first, _) = needed[fetched.len()];
    let what = match needed.len() - fetched.len() {
        1 => format!("{first}.gz"),
        n => i18n::fill_n("data.download.more-files", n - 1, &[("first", first)]),
    };
    Err(Error::DownloadFailed { what, dir: dir.display().to_string(), tried })
}

/// Fetches `url` and checks that its contents have the SHA-256 `expected`; the failure is
/// said in a few words (the address is said by the caller).
fn fetch_checked(
    url: &str,
    name: &str,
    expected: &str,
    progress: &mut dyn FnMut(&str, u64, Option<u64>),
) -> Result<Vec<u8>, String> {
    let bytes = fetch(url, &mut |done, total| progress(name, done, total)).map_err(|e| match e {
        Error::Download { message, .. } => message,
        other => other.to_string(),
    })?;
    let actual = content_sha256(&bytes)?;
    if actual != expected {
        return Err(t!("data.download.checksum", actual = actual, expected = expected, name = name));
    }
    Ok(bytes)
}

/// Writes the fetched files into `dir` (created if needed), each atomically; if one write
/// fails, the files this call wrote are removed again, so the folder is as it was.
fn write_all(dir: &Path, fetched: Vec<Fetched>) -> Result<Vec<(PathBuf, Outcome)>, Error> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Io { path: dir.display().to_string(), source })?;
    let mut written = Vec::new();
    for Fetched { name, url, bytes } in fetched {
        let dest = dir.join(format!("{name}.gz"));
        if let Err(e) = crate::io::write_atomically(&dest, &bytes) {
            let _ = std::fs::remove_file(dest.with_file_name(format!("{name}.gz.tmp")));
            for (path, _) in &written {
                let _ = std::fs::remove_file(path);
            }
            return Err(e);
        }
        written.push((dest, Outcome::Downloaded { bytes: bytes.len() as u64, url }));
    }
    Ok(written)
}

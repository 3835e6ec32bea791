//! Fetching MNIST-style files over HTTP(S), checked by SHA-256 and written atomically.
//!
//! Each `.gz` file is read whole into memory (the largest is 26 MB), decompressed to check the
//! SHA-256 of its IDX contents against the known value, and only then written, through a
//! temporary file and a rename: an interrupted or corrupted download never leaves a file that
//! looks complete.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use sha2::{Digest, Sha256};

use super::mnist::{self, FILES, Kind};
use crate::Error;

/// Refuse bodies larger than this (the largest real file is 26 MB).
const MAX_BYTES: u64 = 200 << 20;

/// What happened to one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Downloaded, checked and written.
    Downloaded { bytes: u64 },
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
            let n = decoder.read(&mut buf).map_err(|e| format!("the gzip data is damaged ({e})"))?;
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
/// [`Error::Download`] for a connection failure, an HTTP error status, a body cut short or one
/// larger than expected.
pub fn fetch(url: &str, progress: &mut dyn FnMut(u64, Option<u64>)) -> Result<Vec<u8>, Error> {
    let config = ureq::Agent::config_builder()
        .timeout_connect(Some(Duration::from_secs(15)))
        .timeout_recv_body(Some(Duration::from_secs(60)))
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
            .map_err(|e| failed(url, format!("the connection broke after {} bytes ({e})", bytes.len())))?;
        if n == 0 {
            break;
        }
        bytes.extend_from_slice(&buf[..n]);
        progress(bytes.len() as u64, total);
    }
    if let Some(total) = total
        && (bytes.len() as u64) < total
    {
        return Err(failed(url, format!("the connection closed after {} of {total} bytes", bytes.len())));
    }
    Ok(bytes)
}

/// Downloads the four files of `kind` from `base_url` into `dir` (created if needed), skipping
/// files already present with the right contents. `progress(file, bytes, total)` reports.
///
/// # Errors
/// [`Error::Download`] (nothing is written for that file) or [`Error::Io`].
pub fn download(
    kind: Kind,
    base_url: &str,
    dir: &Path,
    progress: &mut dyn FnMut(&str, u64, Option<u64>),
) -> Result<Vec<(PathBuf, Outcome)>, Error> {
    let files: Vec<(&str, &str)> = FILES.iter().copied().zip(kind.sha256()).collect();
    download_files(&files, base_url, dir, progress)
}

/// Downloads `NAME.gz` for each (NAME, SHA-256 of its contents) of `files`, as [`download`].
///
/// # Errors
/// As [`download`].
pub fn download_files(
    files: &[(&str, &str)],
    base_url: &str,
    dir: &Path,
    progress: &mut dyn FnMut(&str, u64, Option<u64>),
) -> Result<Vec<(PathBuf, Outcome)>, Error> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Io { path: dir.display().to_string(), source })?;
    let mut results = Vec::new();
    for &(name, expected) in files {
        let dest = dir.join(format!("{name}.gz"));
        if let Some(existing) = mnist::find_file(dir, name)
            && std::fs::read(&existing).ok().and_then(|b| content_sha256(&b).ok()).as_deref()
                == Some(expected)
        {
            results.push((existing, Outcome::AlreadyPresent));
            continue;
        }
        let url = format!("{}/{name}.gz", base_url.trim_end_matches('/'));
        let bytes = fetch(&url, &mut |done, total| progress(name, done, total))?;
        let actual = content_sha256(&bytes).map_err(|m| failed(&url, m))?;
        if actual != expected {
            return Err(failed(
                &url,
                format!(
                    "SHA-256 of the contents is {actual}, expected {expected}: the file is damaged or not the real {name}"
                ),
            ));
        }
        crate::io::write_atomically(&dest, &bytes)?;
        results.push((dest, Outcome::Downloaded { bytes: bytes.len() as u64 }));
    }
    Ok(results)
}

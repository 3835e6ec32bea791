//! Files: writing them so that a crash never leaves a broken one.
//!
//! Every file scratchnet writes (pictures, reports, and later model files) goes through
//! [`write_atomically`]: the bytes go to `NAME.tmp` in the same folder, are flushed to disk, and
//! the temporary file is renamed over `NAME`. A rename within one folder is atomic, so a reader
//! (or the next run) sees either the old complete file or the new complete file.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::Error;

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
}

//! The IDX file format of MNIST and Fashion-MNIST, read by hand, raw or gzip-compressed.
//!
//! An IDX file is a 4-byte magic number (0, 0, a type code, the number of dimensions), one
//! big-endian `u32` per dimension, then the values row by row. MNIST uses type 0x08
//! (unsigned bytes): images are 3-D (count × 28 × 28), labels 1-D (count).
//!
//! Everything a header claims is checked before memory is reserved for it: the type, the
//! number of dimensions, that the sizes are sane, and (for raw files) that the file is exactly
//! as long as the header says. A gzip file is read through a `take` limit, so a lying header
//! cannot make it read or allocate past what it announced.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use crate::{Error, i18n, t};

/// The one value type MNIST uses: unsigned bytes.
const TYPE_U8: u8 = 0x08;
/// Refuse headers announcing more than this many values (MNIST's largest file has 47 M).
pub const MAX_VALUES: usize = 1 << 30;

/// The contents of an IDX file of bytes: its dimensions and its values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Idx {
    pub dims: Vec<usize>,
    pub data: Vec<u8>,
}

fn bad(path: &Path, message: String) -> Error {
    Error::Data { path: path.display().to_string(), message }
}

/// Reads an IDX file of unsigned bytes with `ndims` dimensions, raw or gzip (detected by its
/// first two bytes, whatever the file is called).
///
/// # Errors
/// [`Error::Io`] if it cannot be opened, [`Error::Data`] if it is not such an IDX file, is
/// truncated, has bytes after its data, or announces absurd sizes.
pub fn read(path: &Path, ndims: usize) -> Result<Idx, Error> {
    let io_err = |source| Error::Io { path: path.display().to_string(), source };
    let mut file = BufReader::new(File::open(path).map_err(io_err)?);
    let mut gzip_magic = [0u8; 2];
    let got = read_up_to(&mut file, &mut gzip_magic).map_err(io_err)?;
    let file = BufReader::new(File::open(path).map_err(io_err)?);
    if got == 2 && gzip_magic == [0x1f, 0x8b] {
        parse(flate2::read::GzDecoder::new(file), None, path, ndims)
    } else {
        let len = std::fs::metadata(path).map_err(io_err)?.len();
        parse(file, Some(len), path, ndims)
    }
}

/// Parses IDX bytes from `reader`; `file_len` is the raw file's length when known.
pub fn parse(mut reader: impl Read, file_len: Option<u64>, path: &Path, ndims: usize) -> Result<Idx, Error> {
    let read_err = |e: std::io::Error| bad(path, t!("data.idx.unreadable", error = e));
    let mut magic = [0u8; 4];
    let got = read_up_to(&mut reader, &mut magic).map_err(read_err)?;
    if got < 4 {
        return Err(bad(path, t!("data.idx.too-short", bytes = got)));
    }
    let found = u32::from_be_bytes(magic);
    let expected = 0x0800 | ndims as u32;
    if magic[0] != 0 || magic[1] != 0 || magic[2] != TYPE_U8 || usize::from(magic[3]) != ndims {
        let (found, expected) = (format!("{found:#010x}"), format!("{expected:#010x}"));
        return Err(bad(path, t!("data.idx.magic", ndims = ndims, found = found, expected = expected)));
    }
    let mut header = vec![0u8; 4 * ndims];
    if read_up_to(&mut reader, &mut header).map_err(read_err)? < header.len() {
        return Err(bad(path, t!("data.idx.header-cut").into()));
    }
    let dims: Vec<usize> =
        header.chunks_exact(4).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize).collect();
    let count = dims.iter().try_fold(1usize, |acc, &d| acc.checked_mul(d)).filter(|&c| c <= MAX_VALUES);
    let Some(count) = count else {
        return Err(bad(path, t!("data.idx.too-large", dims = format!("{dims:?}"), max = MAX_VALUES)));
    };
    let header_len = 4 + 4 * ndims as u64;
    if let Some(len) = file_len
        && len != header_len + count as u64
    {
        let key = if len < header_len + count as u64 { "data.idx.truncated" } else { "data.idx.too-long" };
        let (dims, count, holds) = (format!("{dims:?}"), count.to_string(), (len - header_len).to_string());
        return Err(bad(path, i18n::fill(key, &[("dims", &dims), ("count", &count), ("holds", &holds)])));
    }
    // Reserve at most 64 MiB up front; a gzip stream that lies about its size stops at the limit.
    let mut data = Vec::with_capacity(count.min(64 << 20));
    (&mut reader).take(count as u64 + 1).read_to_end(&mut data).map_err(read_err)?;
    if data.len() != count {
        let key = if data.len() < count { "data.idx.truncated" } else { "data.idx.too-long" };
        let holds = format!("{}{}", data.len().min(count), if data.len() > count { "+" } else { "" });
        let (dims, count) = (format!("{dims:?}"), count.to_string());
        return Err(bad(path, i18n::fill(key, &[("dims", &dims), ("count", &count), ("holds", &holds)])));
    }
    Ok(Idx { dims, data })
}

/// Reads until `buf` is full or the input ends; returns how many bytes were read.
fn read_up_to(reader: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// The bytes of an IDX file of unsigned bytes with dimensions `dims` (for tests and tools).
pub fn encode(dims: &[usize], data: &[u8]) -> Vec<u8> {
    let mut bytes = vec![0, 0, TYPE_U8, dims.len() as u8];
    for &d in dims {
        bytes.extend_from_slice(&(d as u32).to_be_bytes());
    }
    bytes.extend_from_slice(data);
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_bytes(bytes: &[u8], ndims: usize) -> Result<Idx, Error> {
        parse(bytes, Some(bytes.len() as u64), Path::new("test.idx"), ndims)
    }

    #[test]
    fn round_trip() {
        let data: Vec<u8> = (0..24).collect();
        let idx = parse_bytes(&encode(&[2, 3, 4], &data), 3).unwrap();
        assert_eq!(idx, Idx { dims: vec![2, 3, 4], data });
    }

    #[test]
    fn wrong_magic_truncation_and_absurd_sizes_are_errors() {
        let good = encode(&[2, 2], &[1, 2, 3, 4]);
        let err = parse_bytes(&good, 3).unwrap_err().to_string();
        assert!(err.contains("magic number 0x00000802, expected 0x00000803"), "{err}");
        let err = parse_bytes(&good[..6], 2).unwrap_err().to_string();
        assert!(err.contains("header is cut short"), "{err}");
        let err = parse_bytes(&good[..good.len() - 1], 2).unwrap_err().to_string();
        assert!(err.contains("truncated"), "{err}");
        let mut long = good.clone();
        long.push(9);
        assert!(parse_bytes(&long, 2).unwrap_err().to_string().contains("longer than its header says"));
        let huge = encode(&[60000, 60000, 60000], &[]);
        let err = parse_bytes(&huge, 3).unwrap_err().to_string();
        assert!(err.contains("more than 1073741824 values"), "{err}");
        assert!(parse_bytes(&[0, 0], 1).unwrap_err().to_string().contains("too short"));
    }

    #[test]
    fn a_stream_that_lies_about_its_size_stops_at_the_limit() {
        // unknown length (as in gzip): announces 4 bytes but carries 6
        let bytes = [encode(&[4], &[1, 2, 3, 4]), vec![5, 6]].concat();
        let err = parse(&bytes[..], None, Path::new("x"), 1).unwrap_err().to_string();
        assert!(err.contains("longer than its header says"), "{err}");
        let short = encode(&[4], &[1, 2]);
        assert!(parse(&short[..], None, Path::new("x"), 1).unwrap_err().to_string().contains("truncated"));
    }
}

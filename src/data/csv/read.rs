//! Reading CSV files into a [`Table`] (and straight into datasets, [`load`]).

use std::path::Path;

use super::{CsvOptions, Loaded, Table, build};
use crate::Error;
use crate::rng::Rng;

/// Limits on what a CSV file may hold before it is refused.
const MAX_COLUMNS: usize = 100_000;

/// Reads a CSV file with a header row (comma-separated; quotes as usual; a UTF-8 BOM is fine).
///
/// # Errors
/// [`Error::Io`] if it cannot be read, [`Error::Data`] naming the line for malformed rows (a
/// different number of fields than the header) and for files with no header or no rows.
pub fn read_table(path: &Path) -> Result<Table, Error> {
    let bytes =
        std::fs::read(path).map_err(|source| Error::Io { path: path.display().to_string(), source })?;
    parse_table(&bytes, path)
}

/// Parses CSV bytes; `path` names the file in errors.
///
/// # Errors
/// As [`read_table`].
pub fn parse_table(bytes: &[u8], path: &Path) -> Result<Table, Error> {
    let bad = |message: String| Error::Data { path: path.display().to_string(), message };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .delimiter(sniff_delimiter(bytes))
        .from_reader(bytes);
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| bad(format!("the header row cannot be read ({e})")))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    if headers.is_empty() || headers.iter().all(String::is_empty) {
        return Err(bad("the file is empty or has no header row".into()));
    }
    if headers.len() > MAX_COLUMNS {
        return Err(bad(format!("{} columns; at most {MAX_COLUMNS} are supported", headers.len())));
    }
    if let Some(dup) = headers.iter().enumerate().find(|(i, h)| headers[..*i].contains(h)) {
        return Err(bad(format!("the header names column `{}` twice", dup.1)));
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| match e.kind() {
            csv::ErrorKind::UnequalLengths { pos, expected_len, len } => bad(format!(
                "line {} has {len} fields but the header has {expected_len}",
                pos.as_ref().map_or(0, |p| p.line())
            )),
            csv::ErrorKind::Utf8 { pos, .. } => {
                bad(format!("line {} is not valid UTF-8 text", pos.as_ref().map_or(0, |p| p.line())))
            }
            _ => bad(format!("cannot be read as CSV ({e})")),
        })?;
        let line = record.position().map_or(0, |p| p.line());
        rows.push((line, record.iter().map(|v| v.trim().to_string()).collect()));
    }
    if rows.is_empty() {
        return Err(bad("the file has a header but no data rows".into()));
    }
    Ok(Table { headers, rows })
}

/// The field separator: whichever of `,` `;` and tab occurs most in the header line (files
/// from spreadsheets set to many European locales use `;`, some exports use tabs).
fn sniff_delimiter(bytes: &[u8]) -> u8 {
    let header = bytes.split(|&b| b == b'\n').next().unwrap_or(&[]);
    let count = |d: u8| header.iter().filter(|&&b| b == d).count();
    [b',', b';', b'\t'].into_iter().max_by_key(|&d| (count(d), d == b',')).unwrap_or(b',')
}

/// Reads a CSV file into train/validation/test datasets, as described in the module docs.
///
/// # Errors
/// [`Error::Data`] naming the line and column of a missing value (without `drop_missing`), an
/// unknown column name, a target with a single value, or malformed CSV.
pub fn load(path: &Path, options: &CsvOptions, rng: &mut Rng) -> Result<Loaded, Error> {
    let table = read_table(path)?;
    build(&table, path, options, rng)
}

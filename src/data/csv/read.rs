//! Reading a CSV file into a [`Table`] of text, on the `csv` crate (feature `csv`): the header,
//! the rows with their line numbers, and the field separator. Nothing is interpreted yet: the
//! columns are chosen in `columns.rs` and turned into numbers in `encoding.rs`.

use std::path::Path;

use super::delimiter::sniff;
use super::table::Table;
use crate::{Error, t};

/// Limits on what a CSV file may hold before it is refused.
const MAX_COLUMNS: usize = 100_000;

/// Reads a CSV file with a header row: fields separated by `delimiter`, or when it is `None`
/// by the separator [`sniff`] finds (`,` `;` tab or `|`); quotes as usual; a UTF-8
/// BOM is fine.
///
/// # Errors
/// [`Error::Io`] if it cannot be read, [`Error::Data`] naming the line for malformed rows (a
/// different number of fields than the header) and for files with no header or no rows.
pub fn read_table(path: &Path, delimiter: Option<u8>) -> Result<Table, Error> {
    let bytes =
        std::fs::read(path).map_err(|source| Error::Io { path: path.display().to_string(), source })?;
    parse_table(&bytes, path, delimiter)
}

/// Parses CSV bytes; `path` names the file in errors.
///
/// # Errors
/// As [`read_table`].
pub fn parse_table(bytes: &[u8], path: &Path, delimiter: Option<u8>) -> Result<Table, Error> {
    let bad = |message: String| Error::Data { path: path.display().to_string(), message };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let delimiter = delimiter.unwrap_or_else(|| sniff(bytes));
    let mut reader =
        ::csv::ReaderBuilder::new().has_headers(true).flexible(false).delimiter(delimiter).from_reader(bytes);
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| bad(t!("data.csv.bad-header", error = e)))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    if headers.is_empty() || headers.iter().all(String::is_empty) {
        return Err(bad(t!("data.csv.empty").into()));
    }
    if headers.len() > MAX_COLUMNS {
        return Err(bad(t!("data.csv.too-many-columns", columns = headers.len(), max = MAX_COLUMNS)));
    }
    if let Some(dup) = headers.iter().enumerate().find(|(i, h)| headers[..*i].contains(h)) {
        return Err(bad(t!("data.csv.duplicate-column", column = dup.1)));
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| match e.kind() {
            ::csv::ErrorKind::UnequalLengths { pos, expected_len, len } => {
                let line = pos.as_ref().map_or(0, |p| p.line());
                bad(t!("data.csv.ragged", line = line, fields = len, expected = expected_len))
            }
            ::csv::ErrorKind::Utf8 { pos, .. } => {
                bad(t!("data.csv.not-utf8", line = pos.as_ref().map_or(0, |p| p.line())))
            }
            _ => bad(t!("data.csv.unreadable", error = e)),
        })?;
        let line = record.position().map_or(0, |p| p.line());
        rows.push((line, record.iter().map(|v| v.trim().to_string()).collect()));
    }
    if rows.is_empty() {
        return Err(bad(t!("data.csv.no-rows").into()));
    }
    Ok(Table { headers, rows, delimiter })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> Result<Table, Error> {
        parse_table(text.as_bytes(), Path::new("t.csv"), None)
    }

    #[test]
    fn semicolons_and_tabs_are_recognised() {
        let semicolons = table("a;b;c\n1;2,5;x\n").unwrap();
        assert_eq!(
            (semicolons.rows[0].1.as_slice(), semicolons.delimiter),
            (&["1", "2,5", "x"].map(String::from)[..], b';')
        );
        assert_eq!(table("a\tb\n1\t2\n").unwrap().headers, ["a", "b"]);
        assert_eq!(table("a,b\n1,2\n").unwrap().headers, ["a", "b"]);
        assert_eq!(table("a|b\n1|2\n").unwrap().rows[0].1, ["1", "2"]);
    }

    #[test]
    fn a_given_separator_is_used_as_it_is() {
        let forced = parse_table(b"a;b,c\n1;2,3\n", Path::new("t.csv"), Some(b';')).unwrap();
        assert_eq!(
            (forced.headers.as_slice(), forced.delimiter),
            (&["a", "b,c"].map(String::from)[..], b';')
        );
        assert_eq!(table("a;b,c\n1;2,3\n").unwrap().headers, ["a;b", "c"], "guessed: the comma");
    }

    #[test]
    fn quoted_fields_bom_and_spaces_are_fine() {
        let text = "\u{feff}name,\"size, cm\",kind\n\"a, b\", 1.5 ,x\nc,2,y\n";
        let t = table(text).unwrap();
        assert_eq!(t.headers, ["name", "size, cm", "kind"]);
        assert_eq!(t.rows[0].1, ["a, b", "1.5", "x"]);
    }
}

//! A CSV file as text ([`Table`]), and which values count as missing: what the reader
//! (`read.rs`, feature `csv`) produces and the rest of the module consumes, without the crate.

/// Values that mean "missing" (compared case-insensitively, after trimming spaces).
pub const MISSING: [&str; 6] = ["", "na", "nan", "n/a", "null", "none"];

/// True if `value` stands for a missing value.
pub fn is_missing(value: &str) -> bool {
    let v = value.trim().to_ascii_lowercase();
    MISSING.contains(&v.as_str())
}

/// A CSV file as text: the header and the rows, each with its line number in the file.
#[derive(Clone, Debug)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
    /// The field separator (given, or guessed by `delimiter::sniff`).
    pub delimiter: u8,
}

/// A row of a [`Table`]: its line number in the file and its values.
pub(super) type Row = (u64, Vec<String>);

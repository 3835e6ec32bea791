//! The field separator of a CSV file, guessed from its first records when `--delimiter` does
//! not give it: spreadsheets set to much of Europe's locales write `;` (the comma is their
//! decimal separator), other exports use tabs or `|`.
//!
//! Each candidate splits the first [`SAMPLE_RECORDS`] records with the same CSV reader that
//! reads the file, so a quoted field holding a separator (`"Smith, John"`) is one field. A
//! candidate fits if it gives every sampled record the same number of fields, more than one.
//! Of those that fit, the one giving the most fields wins; a tie goes to the more common
//! separator, in the order of [`CANDIDATES`]. If none fits (a ragged file, or a single
//! column), the candidate splitting the header into the most fields is used, so that the
//! reader's error then names the line that does not fit.

use std::cmp::Reverse;

/// The separators tried, most common first.
pub const CANDIDATES: [u8; 4] = [b',', b'\t', b';', b'|'];

/// How many records (the header included) the guess looks at.
const SAMPLE_RECORDS: usize = 50;

/// The separator of the CSV text in `bytes`, as described in the module docs.
pub fn sniff(bytes: &[u8]) -> u8 {
    let counts: Vec<Vec<usize>> = CANDIDATES.iter().map(|&d| field_counts(bytes, d)).collect();
    let header = |i: usize| counts[i].first().copied().unwrap_or(0);
    let fits = |i: &usize| header(*i) > 1 && counts[*i].iter().all(|&n| n == header(*i));
    let most_fields = |&i: &usize| (header(i), Reverse(i));
    let chosen = (0..CANDIDATES.len())
        .filter(fits)
        .max_by_key(most_fields)
        .or_else(|| (0..CANDIDATES.len()).max_by_key(most_fields));
    CANDIDATES[chosen.unwrap_or(0)]
}

/// The number of fields of each of the first records, split at `delimiter`.
fn field_counts(bytes: &[u8], delimiter: u8) -> Vec<usize> {
    let mut reader =
        ::csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(bytes);
    reader.byte_records().take(SAMPLE_RECORDS).map_while(Result::ok).map(|r| r.len()).collect()
}

/// How the output names a separator: "tab", or the character in backticks.
pub fn describe(delimiter: u8) -> String {
    match delimiter {
        b'\t' => crate::t!("data.csv.tab").to_string(),
        d => format!("`{}`", char::from(d)),
    }
}

/// Parses `--delimiter`: one character (`,` `;` `|` ...), or `tab` (also `\t`).
///
/// # Errors
/// A message saying what is accepted, for anything else (letters, digits, quotes, spaces,
/// line breaks and characters beyond ASCII cannot separate fields here).
pub fn from_flag(flag: &str) -> Result<u8, String> {
    match flag {
        "tab" | "\\t" | "\t" => return Ok(b'\t'),
        _ => {}
    }
    match flag.as_bytes() {
        [d] if d.is_ascii_punctuation() && *d != b'"' => Ok(*d),
        _ => Err(crate::t!("data.csv.bad-delimiter", flag = flag)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_separator_that_splits_every_line_alike_wins() {
        assert_eq!(sniff(b"a,b,c\n1,2,3\n"), b',');
        assert_eq!(sniff(b"a;b;c\n1,5;2,5;x\n3;4;y\n"), b';', "decimal commas do not fool it");
        assert_eq!(sniff(b"a\tb\n1\tx, y\n"), b'\t');
        assert_eq!(sniff(b"a|b\n1|2\n"), b'|');
        assert_eq!(sniff(b"name;notes\nx;\"a;b;c\"\ny;d\n"), b';', "quoted separators are one field");
        assert_eq!(sniff(b"name,n\n\"Smith; John\",3\n\"Lee; Ann\",4\n"), b',', "; inside quotes only");
    }

    #[test]
    fn ties_go_to_more_fields_then_the_commoner_separator() {
        assert_eq!(sniff(b"a;b;c,d\n1;2;3,4\n"), b';', "three fields beat two");
        assert_eq!(sniff(b"a;b,c\n1;2,3\n"), b',', "two each: the comma");
        assert_eq!(sniff(b"a\tb;c\n1\t2;3\n"), b'\t', "two each: tab before ;");
    }

    #[test]
    fn without_a_fit_the_header_decides_so_the_reader_can_name_the_bad_line() {
        assert_eq!(sniff(b"a;b;c\n1;2\n"), b';');
        assert_eq!(sniff(b"y\n1\n2\n"), b',', "one column");
        assert_eq!(sniff(b""), b',');
    }

    #[test]
    fn the_flag_takes_one_punctuation_character_or_tab() {
        assert_eq!(from_flag(";"), Ok(b';'));
        assert_eq!(from_flag("tab"), Ok(b'\t'));
        assert_eq!(from_flag("\\t"), Ok(b'\t'));
        for bad in ["", "ab", "x", "1", "\"", " ", "é"] {
            assert!(from_flag(bad).unwrap_err().contains("cannot separate fields"), "`{bad}`");
        }
        assert_eq!((describe(b'\t'), describe(b';')), ("tab".to_string(), "`;`".to_string()));
    }
}

//! Category values a model never saw in training, met when rows are encoded with its
//! [`Encoding`](super::Encoding): at `predict`, at `eval` on another file, and in validation or
//! test rows holding a category too rare to reach the training rows.
//!
//! Such a value has no input of its own, so it can only be encoded as all zeros, which the
//! network reads as "none of the categories it knows": often a typo (`Red` for `red`) or a
//! file from elsewhere, and the prediction is then made without that column. So `predict` and
//! `eval` refuse it, naming the column, the value and the known categories, unless
//! `--allow-unknown` says to go on; then each column's count is reported once.

use crate::Error;

/// What to do with category values the model was not trained on, and those met so far.
#[derive(Clone, Debug, Default)]
pub struct Unseen {
    /// Encode them as all zeros and count them, instead of refusing them.
    pub allow: bool,
    /// The columns that had some (when allowed), in the order first met.
    pub columns: Vec<UnseenColumn>,
}

/// Category values of one column that the model was not trained on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnseenColumn {
    pub column: String,
    /// How many values (rows) were not known.
    pub count: usize,
    /// The first of them.
    pub first: String,
}

impl Unseen {
    /// Refuses unseen values, or with `allow` counts them.
    pub fn new(allow: bool) -> Unseen {
        Unseen { allow, columns: Vec::new() }
    }

    /// Notes that `value` of `column` is not a known category (`known`): an error unless
    /// unseen values are allowed.
    ///
    /// # Errors
    /// [`BadValue::UnknownCategory`] if they are not.
    pub(super) fn meet(&mut self, column: &str, value: &str, known: &[String]) -> Result<(), BadValue> {
        if !self.allow {
            return Err(BadValue::UnknownCategory {
                column: column.to_string(),
                value: value.to_string(),
                known: known.to_vec(),
            });
        }
        match self.columns.iter_mut().find(|c| c.column == column) {
            Some(seen) => seen.count += 1,
            None => self.columns.push(UnseenColumn {
                column: column.to_string(),
                count: 1,
                first: value.to_string(),
            }),
        }
        Ok(())
    }
}

impl UnseenColumn {
    /// One line for the output: the column, the count and the first value.
    pub fn describe(&self) -> String {
        let args = [("column", self.column.as_str()), ("first", self.first.as_str())];
        crate::i18n::fill_n("data.csv.unseen", self.count, &args)
    }
}

/// Why a row's values cannot be encoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BadValue {
    /// The wrong number of values, or a numeric column's value that is not a number.
    Invalid(String),
    /// A category the model was not trained on (when those are refused).
    UnknownCategory { column: String, value: String, known: Vec<String> },
}

/// At most this many known categories are listed in an error; the rest are counted.
pub const LISTED: usize = 10;

impl BadValue {
    /// As an [`Error`]: `at` says where the value came from (`"FILE: line N: "`, or nothing
    /// for a value typed on the command line); `invalid` turns the other messages into errors.
    pub fn into_error(self, at: &str, invalid: impl FnOnce(String) -> Error) -> Error {
        match self {
            BadValue::Invalid(message) => invalid(message),
            BadValue::UnknownCategory { column, value, known } => {
                Error::UnknownCategory { at: at.to_string(), column, value, known: list(&known) }
            }
        }
    }
}

/// `a, b, c`, or the first [`LISTED`] and "and N more".
fn list(known: &[String]) -> String {
    let shown = known[..known.len().min(LISTED)].join(", ");
    match known.len().saturating_sub(LISTED) {
        0 => shown,
        more => crate::t!("data.csv.and-more", shown = shown, more = more),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("c{i}")).collect()
    }

    #[test]
    fn refused_values_name_the_column_the_value_and_at_most_ten_known_ones() {
        let err = Unseen::new(false).meet("colour", "purple", &names(3)).unwrap_err();
        let text = err.into_error("f.csv: line 4: ", Error::Config).to_string();
        assert_eq!(
            text,
            "f.csv: line 4: `purple` in column `colour` is not a category the model was trained on; it knows: c0, c1, c2"
        );
        let many = Unseen::new(false).meet("x", "y", &names(25)).unwrap_err();
        let text = many.into_error("", Error::Config).to_string();
        assert!(text.ends_with("c8, c9 and 15 more"), "{text}");
        assert!(!text.contains("c10"), "{text}");
    }

    #[test]
    fn allowed_values_are_counted_once_per_column() {
        let mut unseen = Unseen::new(true);
        for (column, value) in [("a", "x"), ("b", "y"), ("a", "z")] {
            unseen.meet(column, value, &names(2)).unwrap();
        }
        let lines: Vec<String> = unseen.columns.iter().map(UnseenColumn::describe).collect();
        assert_eq!(
            lines,
            [
                "column `a`: 2 values not seen in training (first `x`), encoded as all zeros",
                "column `b`: 1 value not seen in training (first `y`), encoded as all zeros"
            ]
        );
    }

    #[test]
    fn other_bad_values_keep_their_message() {
        let err = BadValue::Invalid("`q` is not a number".into()).into_error("", Error::Config);
        assert!(matches!(err, Error::Config(m) if m == "`q` is not a number"));
    }
}

//! Numbers as spreadsheets write them: `3.28`, or, as Excel does in much of Europe, `3,28`
//! with a decimal comma (and `1.234,5` with dots between groups of thousands).
//!
//! Each column is read one way, decided from all its training values: a column whose values
//! all parse as plain numbers (`3.28`, `-0.5`, `1e-3`) is [`Decimal::Point`]; otherwise, if
//! they all parse with a decimal comma, it is [`Decimal::Comma`]; otherwise it is text. So a
//! column of whole numbers stays plain, and `1.234` means 1.234 unless another value of the
//! same column (`12,5`) shows the column uses commas, when it means 1234. `--decimal ,`
//! settles the one case detection cannot (a column holding only values like `1.234`).
//! Spaces as thousands separators (`1 234,5`) are not numbers.

/// How a column writes the fractional part of its numbers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Decimal {
    /// `3.28`: what Rust, Python and most CSV exports write.
    #[default]
    Point,
    /// `3,28`, and `1.234,5` with a dot between groups of three digits.
    Comma,
}

impl Decimal {
    /// True for [`Decimal::Point`] (model files leave the default out).
    pub fn is_point(&self) -> bool {
        *self == Decimal::Point
    }

    /// Parses `--decimal`: `.` or `point`, `,` or `comma`.
    ///
    /// # Errors
    /// A message listing the accepted values.
    pub fn from_flag(flag: &str) -> Result<Decimal, String> {
        match flag.trim() {
            "." | "point" => Ok(Decimal::Point),
            "," | "comma" => Ok(Decimal::Comma),
            other => Err(crate::t!("data.csv.bad-decimal", value = other)),
        }
    }
}

/// `value` as a finite number written with `decimal`, or `None`.
pub fn parse(value: &str, decimal: Decimal) -> Option<f64> {
    let value = value.trim();
    let x = match decimal {
        Decimal::Point => value.parse::<f64>().ok()?,
        Decimal::Comma => comma_to_point(value)?.parse::<f64>().ok()?,
    };
    x.is_finite().then_some(x)
}

/// How a column's `values` are numbers: with the separator `forced` (`--decimal`) if given,
/// else [`Decimal::Point`] if they all parse that way, else [`Decimal::Comma`] if they all
/// parse that way. `None` if they are not all numbers (the column is text).
pub fn detect<'a>(values: impl Iterator<Item = &'a str> + Clone, forced: Option<Decimal>) -> Option<Decimal> {
    let all = |decimal| values.clone().all(|v| parse(v, decimal).is_some());
    match forced {
        Some(decimal) => all(decimal).then_some(decimal),
        None => [Decimal::Point, Decimal::Comma].into_iter().find(|&d| all(d)),
    }
}

/// A decimal-comma number rewritten with a point (`-1.234,5e3` → `-1234.5e3`), or `None` if
/// it is not one: an optional sign, the whole part (digits, or groups of three digits after
/// one to three digits, joined by dots), an optional comma with at least one digit, an
/// optional exponent.
fn comma_to_point(value: &str) -> Option<String> {
    let (mantissa, exponent) = match value.find(['e', 'E']) {
        Some(i) => (&value[..i], Some(&value[i + 1..])),
        None => (value, None),
    };
    let unsigned = mantissa.strip_prefix(['-', '+']).unwrap_or(mantissa);
    let sign = &mantissa[..mantissa.len() - unsigned.len()];
    let (whole, fraction) = match unsigned.split_once(',') {
        Some((w, f)) => (w, Some(f)),
        None => (unsigned, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let whole = grouped_digits(whole)?;
    match fraction {
        Some(f) if !digits(f) => return None,
        None if whole.is_empty() => return None,
        _ => {}
    }
    let mut plain = format!("{sign}{whole}");
    if let Some(f) = fraction {
        plain = format!("{plain}.{f}");
    }
    if let Some(e) = exponent {
        let e_digits = e.strip_prefix(['-', '+']).unwrap_or(e);
        if !digits(e_digits) {
            return None;
        }
        plain = format!("{plain}e{e}");
    }
    Some(plain)
}

/// The digits of a whole part written `1234` or `1.234` (dots only between groups of three),
/// without the dots; `Some("")` for an empty part (`,5`), `None` if not such a part.
fn grouped_digits(whole: &str) -> Option<String> {
    let mut groups = whole.split('.');
    let first = groups.next().unwrap_or_default();
    if !first.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut out = first.to_string();
    for group in groups {
        let grouped = (1..=3).contains(&first.len()) && group.len() == 3;
        if !grouped || !group.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        out.push_str(group);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_commas_parse_with_signs_exponents_and_thousands_dots() {
        let comma = |v| parse(v, Decimal::Comma);
        assert_eq!(comma("3,28"), Some(3.28));
        assert_eq!(comma(" -0,5 "), Some(-0.5));
        assert_eq!(comma("+2"), Some(2.0));
        assert_eq!(comma(",5"), Some(0.5));
        assert_eq!(comma("1.234,5"), Some(1234.5));
        assert_eq!(comma("12.345.678"), Some(12_345_678.0));
        assert_eq!(comma("1,5E+03"), Some(1500.0));
        assert_eq!(comma("2,5e-1"), Some(0.25));
        for not_a_number in [
            "", "-", ",", "1,", "1,2,3", "1.2", "1234.567", "1.23,4", "1,5e", "abc", "3,5 kg", "1 234,5",
            ".5",
        ] {
            assert_eq!(comma(not_a_number), None, "`{not_a_number}`");
        }
    }

    #[test]
    fn points_parse_as_rust_does_and_only_finite() {
        assert_eq!(parse("3.28", Decimal::Point), Some(3.28));
        assert_eq!(parse("-1e-3", Decimal::Point), Some(-0.001));
        assert_eq!(parse("3,28", Decimal::Point), None);
        assert_eq!(parse("inf", Decimal::Point), None);
        assert_eq!(parse("1e999", Decimal::Comma), None);
    }

    #[test]
    fn a_column_is_plain_unless_only_commas_make_it_numbers() {
        let detect_in = |values: &[&str]| detect(values.iter().copied(), None);
        assert_eq!(detect_in(&["1", "2.5", "-3"]), Some(Decimal::Point));
        assert_eq!(detect_in(&["1", "2,5", "-0,3"]), Some(Decimal::Comma));
        assert_eq!(detect_in(&["1.234", "2.000"]), Some(Decimal::Point), "plain numbers first");
        assert_eq!(detect_in(&["1.234", "12,5"]), Some(Decimal::Comma), "then 1.234 is 1234");
        assert_eq!(detect_in(&["3,5", "abc"]), None, "a comma and a word: text");
        assert_eq!(detect_in(&["3,5", "2.5"]), None, "both ways in one column: text");
        assert_eq!(detect(["1.234"].into_iter(), Some(Decimal::Comma)), Some(Decimal::Comma));
        assert_eq!(detect(["3,5"].into_iter(), Some(Decimal::Point)), None, "forced point: text");
    }

    #[test]
    fn the_flag_takes_a_separator_or_its_name() {
        assert_eq!(Decimal::from_flag(","), Ok(Decimal::Comma));
        assert_eq!(Decimal::from_flag("point"), Ok(Decimal::Point));
        assert!(Decimal::from_flag(";").unwrap_err().contains("use . or ,"));
    }
}

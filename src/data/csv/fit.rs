//! Fitting the encoding on the training rows: whether each column holds numbers (and written
//! how, see [`numbers`](super::numbers)) or categories, their means and standard deviations,
//! and whether the target makes classes or a quantity.

use super::TaskChoice;
use super::encoding::{Column, Target};
use super::numbers::{self, Decimal};

/// Numeric if every value is a number (written as [`numbers::detect`] finds, or as `forced`
/// says), else categorical (categories sorted).
pub(super) fn fit_column<'a>(
    name: &str,
    values: impl Iterator<Item = &'a str> + Clone,
    forced: Option<Decimal>,
) -> Column {
    let name = name.to_string();
    match numbers::detect(values.clone(), forced) {
        Some(decimal) => {
            let (mean, std) = mean_std(values.filter_map(|v| numbers::parse(v, decimal)));
            Column::Numeric { name, mean, std, decimal }
        }
        None => {
            let mut categories: Vec<String> = values.map(|v| v.trim().to_string()).collect();
            categories.sort();
            categories.dedup();
            Column::Categorical { name, categories }
        }
    }
}

/// The mean and standard deviation of `xs` (1 instead of a standard deviation of 0, so that
/// dividing by it keeps a constant column at 0).
fn mean_std(xs: impl Iterator<Item = f64>) -> (f64, f64) {
    let xs: Vec<f64> = xs.collect();
    let n = xs.len().max(1) as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let std = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n).sqrt();
    (mean, if std > 1e-12 { std } else { 1.0 })
}

/// At most this many distinct whole-number values make a target classes rather than a quantity.
pub const MAX_INTEGER_CLASSES: usize = 50;

/// Classes for text, or for whole numbers written as integers with at most
/// [`MAX_INTEGER_CLASSES`] distinct values; regression for other numbers (unless `choice` says).
/// Numbers are read as for a feature column (`forced`, or detected).
pub(super) fn fit_target(
    name: &str,
    values: &[&str],
    choice: TaskChoice,
    forced: Option<Decimal>,
) -> Result<Target, String> {
    let decimal = numbers::detect(values.iter().copied(), forced);
    let integers = values.iter().all(|v| v.trim().parse::<i64>().is_ok());
    let classify = match choice {
        TaskChoice::Classification => true,
        TaskChoice::Regression => {
            if decimal.is_none() {
                return Err(crate::t!("data.csv.text-regression", target = name));
            }
            false
        }
        TaskChoice::Auto => {
            let mut distinct: Vec<&str> = values.iter().map(|v| v.trim()).collect();
            distinct.sort_unstable();
            distinct.dedup();
            decimal.is_none() || (integers && distinct.len() <= MAX_INTEGER_CLASSES)
        }
    };
    match decimal {
        Some(decimal) if !classify => {
            let (mean, std) = mean_std(values.iter().filter_map(|v| numbers::parse(v, decimal)));
            Ok(Target::Regression { mean, std, decimal })
        }
        _ => classes(name, values, decimal),
    }
}

/// The classes of a target: its distinct values, in numeric order if they are numbers ("2"
/// before "10"), else sorted as text.
fn classes(name: &str, values: &[&str], decimal: Option<Decimal>) -> Result<Target, String> {
    let mut names: Vec<String> = values.iter().map(|v| v.trim().to_string()).collect();
    match decimal {
        Some(decimal) => names.sort_by(|a, b| {
            let (a, b) = (numbers::parse(a, decimal), numbers::parse(b, decimal));
            a.partial_cmp(&b).unwrap_or(std::cmp::Ordering::Equal)
        }),
        None => names.sort(),
    }
    names.dedup();
    if names.len() < 2 {
        return Err(crate::t!("data.csv.single-class", target = name));
    }
    Ok(Target::Classes { names })
}

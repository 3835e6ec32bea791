//! Which columns are used and which rows: the target and the features (named by the options,
//! or every other column), the rows without missing values, the random train/validation/test
//! split, and the identifier columns (names, ticket numbers) left out of the features.

use super::encoding::Column;
use super::numbers::{self, Decimal};
use super::{CsvOptions, Row, Table, is_missing};
use crate::rng::Rng;
use crate::t;

/// A text column with more categories than this, or than half the training rows, is an
/// identifier (a name, a ticket number), not a category: it is left out unless `--features`
/// names it.
pub const MAX_CATEGORIES: usize = 100;

/// The feature columns and the target column, as indices into the table's columns: the ones
/// the options name, or by default the last column as target and every other as features.
pub(super) fn choose_columns(table: &Table, options: &CsvOptions) -> Result<(Vec<usize>, usize), String> {
    let column = |name: &str| {
        table
            .headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| t!("data.csv.no-column", name = name, columns = table.headers.join(", ")))
    };
    let target = match &options.target {
        Some(name) => column(name)?,
        None => table.headers.len() - 1,
    };
    let features: Vec<usize> = match &options.features {
        Some(names) => names.iter().map(|n| column(n.trim())).collect::<Result<_, _>>()?,
        None => (0..table.headers.len()).filter(|&c| c != target).collect(),
    };
    if features.is_empty() {
        return Err(t!("data.csv.no-features").into());
    }
    if features.contains(&target) {
        return Err(t!("data.csv.target-is-feature", column = table.headers[target]));
    }
    Ok((features, target))
}

/// The rows with a value in every used column. A missing value is refused with its line and
/// column, or its row dropped with `drop_missing`.
pub(super) fn usable_rows<'a>(
    table: &'a Table,
    features: &[usize],
    target: usize,
    drop_missing: bool,
) -> Result<Vec<&'a Row>, String> {
    let used: Vec<usize> = features.iter().copied().chain([target]).collect();
    let mut rows: Vec<&Row> = Vec::with_capacity(table.rows.len());
    for row in &table.rows {
        match used.iter().find(|&&c| is_missing(&row.1[c])) {
            None => rows.push(row),
            Some(&c) if !drop_missing => {
                let (line, column, value) = (row.0, &table.headers[c], &row.1[c]);
                return Err(t!("data.csv.missing-value", line = line, column = column, value = value));
            }
            Some(_) => {}
        }
    }
    Ok(rows)
}

/// Shuffles the rows with `rng` and cuts them into training, validation and test rows (the
/// options' fractions, rounded; at least one training row).
pub(super) fn split_rows<'a>(rows: &[&'a Row], options: &CsvOptions, rng: &mut Rng) -> [Vec<&'a Row>; 3] {
    let mut order: Vec<usize> = (0..rows.len()).collect();
    rng.shuffle(&mut order);
    let n = rows.len();
    let n_test = (n as f64 * options.test).round() as usize;
    let n_val = (n as f64 * options.validation).round() as usize;
    let n_train = n.saturating_sub(n_test + n_val).max(1);
    let (train_idx, rest) = order.split_at(n_train.min(n));
    let (val_idx, test_idx) = rest.split_at(n_val.min(rest.len()));
    let pick = |idx: &[usize]| idx.iter().map(|&i| rows[i]).collect::<Vec<_>>();
    [pick(train_idx), pick(val_idx), pick(test_idx)]
}

/// A feature column left out because it looks like an identifier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    pub name: String,
    /// If most of its values are numbers, a few that are not: what keeps it from being a
    /// numeric column (a typo, or a missing value written as `-` or `?`).
    pub not_numbers: Vec<String>,
}

impl Skipped {
    /// `column`'s name, and the values keeping it from being numeric if most of its
    /// categories are numbers (written either way, see [`numbers`](super::numbers)).
    fn of(column: Column) -> Skipped {
        let Column::Categorical { name, categories } = column else {
            unreachable!("only text columns are identifiers")
        };
        let is_number =
            |v: &&String| [Decimal::Point, Decimal::Comma].iter().any(|&d| numbers::parse(v, d).is_some());
        let texts: Vec<String> = categories.iter().filter(|v| !is_number(v)).cloned().collect();
        let not_numbers =
            if texts.len() * 2 < categories.len() { texts.into_iter().take(3).collect() } else { Vec::new() };
        Skipped { name, not_numbers }
    }
}

/// Leaves out of `columns` (and their table indices, `features`) the text columns that look
/// like identifiers: more categories than [`MAX_CATEGORIES`], or than half the `n_train`
/// training rows. Returns those left out.
pub(super) fn leave_out_identifiers(
    columns: &mut Vec<Column>,
    features: &mut Vec<usize>,
    n_train: usize,
) -> Result<Vec<Skipped>, String> {
    let identifier = |c: &Column| {
        matches!(c, Column::Categorical { categories, .. }
            if categories.len() > MAX_CATEGORIES || (categories.len() > 10 && categories.len() * 2 > n_train))
    };
    let (mut kept, mut skipped) = (Vec::new(), Vec::new());
    for (column, &index) in std::mem::take(columns).into_iter().zip(features.iter()) {
        if identifier(&column) {
            skipped.push(Skipped::of(column));
        } else {
            kept.push((column, index));
        }
    }
    if kept.is_empty() {
        return Err(t!("data.csv.all-identifiers").into());
    }
    (*columns, *features) = kept.into_iter().unzip();
    Ok(skipped)
}

//! From text to numbers and back: how each feature column and the target become network
//! inputs and outputs ([`Encoding`], fitted on the training rows and stored in the model file),
//! and the encoding of rows with it.

use std::path::Path;

use super::{Row, Table, TaskChoice, is_missing};
use crate::Error;
use crate::data::{Dataset, Features, Task, one_hot};
use crate::tensor::Matrix;

/// How one feature column becomes network inputs.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Column {
    /// One input, (x − mean) / std.
    Numeric { name: String, mean: f64, std: f64 },
    /// One input per category, 1 for the row's category and 0 for the others (all 0 for a
    /// category not seen in training).
    Categorical { name: String, categories: Vec<String> },
}

impl Column {
    pub fn name(&self) -> &str {
        match self {
            Column::Numeric { name, .. } | Column::Categorical { name, .. } => name,
        }
    }

    /// Number of network inputs this column becomes.
    pub fn width(&self) -> usize {
        match self {
            Column::Numeric { .. } => 1,
            Column::Categorical { categories, .. } => categories.len(),
        }
    }
}

/// How the target column becomes network outputs.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Target {
    /// One-hot over these classes.
    Classes { names: Vec<String> },
    /// One output, (y − mean) / std.
    Regression { mean: f64, std: f64 },
}

/// Everything needed to turn a row of text into network inputs and targets, learned from the
/// training split.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Encoding {
    pub columns: Vec<Column>,
    pub target_name: String,
    pub target: Target,
}

fn parse_number(v: &str) -> Option<f64> {
    v.trim().parse::<f64>().ok().filter(|x| x.is_finite())
}

impl Encoding {
    /// Number of network inputs.
    pub fn n_inputs(&self) -> usize {
        self.columns.iter().map(Column::width).sum()
    }

    /// Number of network outputs.
    pub fn n_outputs(&self) -> usize {
        match &self.target {
            Target::Classes { names } => names.len(),
            Target::Regression { .. } => 1,
        }
    }

    /// The task the target defines.
    pub fn task(&self) -> Task {
        match &self.target {
            Target::Classes { names } => Task::Classes(names.len()),
            Target::Regression { .. } => Task::Regression,
        }
    }

    /// The network inputs for one row's feature values (in the order of `columns`).
    ///
    /// # Errors
    /// A message naming the column if a numeric value is not a number.
    pub fn encode_features(&self, values: &[&str], out: &mut Vec<f32>) -> Result<(), String> {
        if values.len() != self.columns.len() {
            let names: Vec<&str> = self.columns.iter().map(Column::name).collect();
            return Err(format!(
                "{} values given, the model expects {} ({})",
                values.len(),
                names.len(),
                names.join(", ")
            ));
        }
        for (column, value) in self.columns.iter().zip(values) {
            match column {
                Column::Numeric { name, mean, std } => {
                    let x = parse_number(value)
                        .ok_or_else(|| format!("`{value}` in column `{name}` is not a number"))?;
                    out.push(((x - mean) / std) as f32);
                }
                Column::Categorical { categories, .. } => {
                    out.extend(categories.iter().map(|c| if c == value.trim() { 1.0 } else { 0.0 }));
                }
            }
        }
        Ok(())
    }

    /// A regression output in the target's own units.
    pub fn decode_regression(&self, y: f32) -> f64 {
        match &self.target {
            Target::Regression { mean, std } => f64::from(y) * std + mean,
            Target::Classes { .. } => f64::from(y),
        }
    }
}

/// Which columns of a table are the features (in the encoding's order) and the target.
#[derive(Clone, Copy)]
pub(super) struct Columns<'a> {
    pub(super) features: &'a [usize],
    pub(super) target: usize,
}

/// Encodes rows (with their line numbers) into a dataset.
pub(super) fn encode_rows(
    rows: &[&Row],
    columns: Columns,
    encoding: &Encoding,
    name: &str,
    path: &Path,
) -> Result<Dataset, Error> {
    let bad = |message: String| Error::Data { path: path.display().to_string(), message };
    let mut x = Vec::with_capacity(rows.len() * encoding.n_inputs());
    let mut labels = Vec::with_capacity(rows.len());
    let mut values = Vec::with_capacity(rows.len());
    for (line, row) in rows.iter().map(|r| (r.0, &r.1)) {
        let feature_values: Vec<&str> = columns.features.iter().map(|&c| row[c].as_str()).collect();
        encoding.encode_features(&feature_values, &mut x).map_err(|m| bad(format!("line {line}: {m}")))?;
        let t = row[columns.target].trim();
        match &encoding.target {
            Target::Classes { names } => match names.iter().position(|c| c == t) {
                Some(k) => labels.push(k),
                None => {
                    return Err(bad(format!(
                        "line {line}: class `{t}` of `{}` is not one the model knows ({}); it cannot be scored",
                        encoding.target_name,
                        names.join(", ")
                    )));
                }
            },
            Target::Regression { mean, std } => {
                let y = parse_number(t)
                    .ok_or_else(|| bad(format!("line {line}: target `{t}` is not a number")))?;
                values.push(((y - mean) / std) as f32);
            }
        }
    }
    let inputs = Matrix::from_vec(rows.len(), encoding.n_inputs(), x)?;
    let targets = match &encoding.target {
        Target::Classes { names } => one_hot(&labels, names.len()),
        Target::Regression { .. } => Matrix::from_vec(rows.len(), 1, values)?,
    };
    let mut data = Dataset::from_features(name, Features::F32(inputs), targets, encoding.task())?;
    if let Target::Classes { names } = &encoding.target {
        data.class_names = names.clone();
    }
    Ok(data)
}

/// Encodes every row of `table` with an existing `encoding` (a model's), finding its columns by
/// name. Rows with missing values are an error, or dropped with `drop_missing`; returns the
/// dataset and the number of rows dropped.
///
/// # Errors
/// [`Error::Data`] for a missing column, a missing value, an unknown class or a non-number.
pub fn encode_table(
    table: &Table,
    encoding: &Encoding,
    path: &Path,
    drop_missing: bool,
) -> Result<(Dataset, usize), Error> {
    let bad = |message: String| Error::Data { path: path.display().to_string(), message };
    let find = |name: &str| {
        table.headers.iter().position(|h| h == name).ok_or_else(|| {
            bad(format!(
                "the model needs column `{name}`, which this file lacks (its columns: {})",
                table.headers.join(", ")
            ))
        })
    };
    let features: Vec<usize> = encoding.columns.iter().map(|c| find(c.name())).collect::<Result<_, _>>()?;
    let target = find(&encoding.target_name)?;
    let used: Vec<usize> = features.iter().copied().chain([target]).collect();
    let mut rows = Vec::new();
    for row in &table.rows {
        match used.iter().find(|&&c| is_missing(&row.1[c])) {
            None => rows.push(row),
            Some(&c) if !drop_missing => {
                return Err(bad(format!(
                    "line {}: the value of column `{}` is missing; fill it in, or pass --drop-missing",
                    row.0, table.headers[c]
                )));
            }
            Some(_) => {}
        }
    }
    let dropped = table.rows.len() - rows.len();
    let name = path.file_stem().map_or("csv".to_string(), |s| s.to_string_lossy().into_owned());
    Ok((encode_rows(&rows, Columns { features: &features, target }, encoding, &name, path)?, dropped))
}

/// Numeric if every value is a number, else categorical (categories sorted).
pub(super) fn fit_column<'a>(name: &str, values: impl Iterator<Item = &'a str> + Clone) -> Column {
    let numbers: Option<Vec<f64>> = values.clone().map(parse_number).collect();
    match numbers {
        Some(xs) => {
            let n = xs.len().max(1) as f64;
            let mean = xs.iter().sum::<f64>() / n;
            let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
            let std = if var.sqrt() > 1e-12 { var.sqrt() } else { 1.0 };
            Column::Numeric { name: name.to_string(), mean, std }
        }
        None => {
            let mut categories: Vec<String> = values.map(|v| v.trim().to_string()).collect();
            categories.sort();
            categories.dedup();
            Column::Categorical { name: name.to_string(), categories }
        }
    }
}

/// At most this many distinct whole-number values make a target classes rather than a quantity.
pub const MAX_INTEGER_CLASSES: usize = 50;

/// Classes for text, or for whole numbers written as integers with at most
/// [`MAX_INTEGER_CLASSES`] distinct values; regression for other numbers (unless `choice` says).
pub(super) fn fit_target(name: &str, values: &[&str], choice: TaskChoice) -> Result<Target, String> {
    let numbers: Option<Vec<f64>> = values.iter().map(|v| parse_number(v)).collect();
    let integers = values.iter().all(|v| v.trim().parse::<i64>().is_ok());
    let classify = match choice {
        TaskChoice::Classification => true,
        TaskChoice::Regression => {
            if numbers.is_none() {
                return Err(format!("target `{name}` holds text, so it cannot be a regression target"));
            }
            false
        }
        TaskChoice::Auto => {
            let mut distinct: Vec<&str> = values.iter().map(|v| v.trim()).collect();
            distinct.sort_unstable();
            distinct.dedup();
            numbers.is_none() || (integers && distinct.len() <= MAX_INTEGER_CLASSES)
        }
    };
    if classify {
        let mut names: Vec<String> = values.iter().map(|v| v.trim().to_string()).collect();
        match &numbers {
            // numeric classes in numeric order: "2" before "10"
            Some(_) => names.sort_by(|a, b| {
                parse_number(a).partial_cmp(&parse_number(b)).unwrap_or(std::cmp::Ordering::Equal)
            }),
            None => names.sort(),
        }
        names.dedup();
        if names.len() < 2 {
            return Err(format!(
                "target `{name}` has a single value in the training rows; there is nothing to learn"
            ));
        }
        Ok(Target::Classes { names })
    } else {
        let xs = numbers.expect("checked above");
        let n = xs.len().max(1) as f64;
        let mean = xs.iter().sum::<f64>() / n;
        let std = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n).sqrt();
        Ok(Target::Regression { mean, std: if std > 1e-12 { std } else { 1.0 } })
    }
}

//! From text to numbers and back: how each feature column and the target become network
//! inputs and outputs ([`Encoding`], fitted on the training rows by `fit.rs` and stored in the
//! model file), and the encoding of rows with it.

use std::path::Path;

use super::numbers::{self, Decimal};
use super::unseen::{BadValue, Unseen};
use super::{ReadFlags, Row, Table, is_missing};
use crate::data::{Dataset, Features, Task, one_hot};
use crate::tensor::Matrix;
use crate::{Error, t};

/// How one feature column becomes network inputs.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Column {
    /// One input, (x − mean) / std, with x written as `decimal` says.
    Numeric {
        name: String,
        mean: f64,
        std: f64,
        #[serde(default, skip_serializing_if = "Decimal::is_point")]
        decimal: Decimal,
    },
    /// One input per category, 1 for the row's category and 0 for the others (all 0 for a
    /// category not seen in training, when that is allowed: see [`Unseen`]).
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
    /// One output, (y − mean) / std, with y written as `decimal` says.
    Regression {
        mean: f64,
        std: f64,
        #[serde(default, skip_serializing_if = "Decimal::is_point")]
        decimal: Decimal,
    },
}

/// Everything needed to turn a row of text into network inputs and targets, learned from the
/// training split.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Encoding {
    pub columns: Vec<Column>,
    pub target_name: String,
    pub target: Target,
    /// The separators forced when the training file was read (to read it again alike).
    #[serde(default, skip_serializing_if = "ReadFlags::is_default")]
    pub read: ReadFlags,
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

    /// The network inputs for one row's feature values (in the order of `columns`). A category
    /// the model does not know is refused, or with `unseen.allow` counted there and encoded as
    /// all zeros.
    ///
    /// # Errors
    /// [`BadValue::Invalid`] naming the column if a numeric value is not a number (or the count
    /// of values is wrong), [`BadValue::UnknownCategory`] for a refused category.
    pub fn encode_features(
        &self,
        values: &[&str],
        out: &mut Vec<f32>,
        unseen: &mut Unseen,
    ) -> Result<(), BadValue> {
        if values.len() != self.columns.len() {
            let names: Vec<&str> = self.columns.iter().map(Column::name).collect();
            let (given, expected, names) = (values.len(), names.len(), names.join(", "));
            return Err(BadValue::Invalid(t!(
                "data.csv.value-count",
                given = given,
                expected = expected,
                names = names
            )));
        }
        for (column, value) in self.columns.iter().zip(values) {
            match column {
                Column::Numeric { name, mean, std, decimal } => {
                    let x = numbers::parse(value, *decimal)
                        .ok_or_else(|| BadValue::Invalid(not_a_number(value, name, *decimal)))?;
                    out.push(((x - mean) / std) as f32);
                }
                Column::Categorical { name, categories } => {
                    let value = value.trim();
                    if !categories.iter().any(|c| c == value) {
                        unseen.meet(name, value, categories)?;
                    }
                    out.extend(categories.iter().map(|c| if c == value { 1.0 } else { 0.0 }));
                }
            }
        }
        Ok(())
    }

    /// A regression output in the target's own units.
    pub fn decode_regression(&self, y: f32) -> f64 {
        match &self.target {
            Target::Regression { mean, std, .. } => f64::from(y) * std + mean,
            Target::Classes { .. } => f64::from(y),
        }
    }
}

/// The message for a value of a numeric column that is not a number the way it writes them.
fn not_a_number(value: &str, column: &str, decimal: Decimal) -> String {
    match decimal {
        Decimal::Point => t!("data.csv.not-a-number", value = value, column = column),
        Decimal::Comma => t!("data.csv.not-a-comma-number", value = value, column = column),
    }
}

/// Which columns of a table are the features (in the encoding's order) and the target.
#[derive(Clone, Copy)]
pub(super) struct Columns<'a> {
    pub(super) features: &'a [usize],
    pub(super) target: usize,
}

/// Encodes rows (with their line numbers) into a dataset named `name`, from the file `path`;
/// categories the encoding does not know go to `unseen`.
pub(super) fn encode_rows(
    rows: &[&Row],
    columns: Columns,
    encoding: &Encoding,
    (name, path): (&str, &Path),
    unseen: &mut Unseen,
) -> Result<Dataset, Error> {
    let bad = |message: String| Error::Data { path: path.display().to_string(), message };
    let mut x = Vec::with_capacity(rows.len() * encoding.n_inputs());
    let (mut labels, mut values) = (Vec::new(), Vec::new());
    for (line, row) in rows.iter().map(|r| (r.0, &r.1)) {
        let feature_values: Vec<&str> = columns.features.iter().map(|&c| row[c].as_str()).collect();
        let at_line = |message: String| bad(t!("data.csv.at-line", line = line, message = message));
        encoding.encode_features(&feature_values, &mut x, unseen).map_err(|e| {
            e.into_error(&format!("{} ", t!("data.csv.at", path = path.display(), line = line)), at_line)
        })?;
        encode_target(encoding, row[columns.target].trim(), (&mut labels, &mut values)).map_err(at_line)?;
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

/// A target value `t` as its class index (pushed to `labels`) or as the standardised quantity
/// (pushed to `values`).
fn encode_target(
    encoding: &Encoding,
    t: &str,
    (labels, values): (&mut Vec<usize>, &mut Vec<f32>),
) -> Result<(), String> {
    match &encoding.target {
        Target::Classes { names } => {
            let k = names.iter().position(|c| c == t).ok_or_else(|| {
                t!(
                    "data.csv.unknown-class",
                    class = t,
                    target = encoding.target_name,
                    names = names.join(", ")
                )
            })?;
            labels.push(k);
        }
        Target::Regression { mean, std, decimal } => {
            let y = numbers::parse(t, *decimal)
                .ok_or_else(|| crate::t!("data.csv.target-not-a-number", value = t))?;
            values.push(((y - mean) / std) as f32);
        }
    }
    Ok(())
}

/// Encodes every row of `table` with an existing `encoding` (a model's), finding its columns by
/// name. Rows with missing values are an error, or dropped with `drop_missing`; categories the
/// model does not know are refused or counted, as `unseen` says. Returns the dataset and the
/// number of rows dropped.
///
/// # Errors
/// [`Error::Data`] for a missing column, a missing value, an unknown class or a non-number;
/// [`Error::UnknownCategory`] for a refused category.
pub fn encode_table(
    table: &Table,
    encoding: &Encoding,
    path: &Path,
    drop_missing: bool,
    unseen: &mut Unseen,
) -> Result<(Dataset, usize), Error> {
    let bad = |message: String| Error::Data { path: path.display().to_string(), message };
    let find =
        |name: &str| {
            table.headers.iter().position(|h| h == name).ok_or_else(|| {
                bad(t!("data.csv.model-column", name = name, columns = table.headers.join(", ")))
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
                return Err(bad(t!("data.csv.missing-value-eval", line = row.0, column = table.headers[c])));
            }
            Some(_) => {}
        }
    }
    let dropped = table.rows.len() - rows.len();
    let name = path.file_stem().map_or("csv".to_string(), |s| s.to_string_lossy().into_owned());
    let columns = Columns { features: &features, target };
    Ok((encode_rows(&rows, columns, encoding, (&name, path), unseen)?, dropped))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_files_without_decimal_commas_are_written_and_read_as_before() {
        let plain = Column::Numeric { name: "x".into(), mean: 1.0, std: 2.0, decimal: Decimal::Point };
        let json = serde_json::to_string(&plain).unwrap();
        assert_eq!(json, r#"{"kind":"numeric","name":"x","mean":1.0,"std":2.0}"#, "as before");
        assert_eq!(serde_json::from_str::<Column>(&json).unwrap(), plain);
        let comma = Column::Numeric { name: "x".into(), mean: 1.0, std: 2.0, decimal: Decimal::Comma };
        let json = serde_json::to_string(&comma).unwrap();
        assert!(json.ends_with(r#""decimal":"comma"}"#), "{json}");
        assert_eq!(serde_json::from_str::<Column>(&json).unwrap(), comma);
        let old = r#"{"columns":[],"target_name":"y","target":{"kind":"regression","mean":0.0,"std":1.0}}"#;
        let encoding: Encoding = serde_json::from_str(old).unwrap();
        assert_eq!(
            (encoding.read, &encoding.target),
            (ReadFlags::default(), &Target::Regression { mean: 0.0, std: 1.0, decimal: Decimal::Point })
        );
        assert_eq!(serde_json::to_string(&encoding).unwrap(), old, "nothing forced: nothing added");
    }
}

//! Tables from CSV files: a header row, one sample per line.
//!
//! Feature columns whose values are all numbers are standardised; any other column is
//! categorical and one-hot encoded (one input per category). The target column decides the
//! task: text or whole numbers mean classification (one output per class), other numbers
//! regression (the target is standardised too, and predictions turned back into its units).
//! All statistics (means, standard deviations, the categories, the classes) come from the
//! training split only and are kept in an [`Encoding`], which is stored in the model file so
//! `predict` encodes new rows exactly the same way.

use std::path::Path;

use super::{Dataset, Features, Task, one_hot};
use crate::Error;
use crate::rng::Rng;
use crate::tensor::Matrix;

/// The file reader, on the `csv` crate (feature `csv`); the encoding below needs no crate.
#[cfg(feature = "csv")]
mod read;
#[cfg(feature = "csv")]
pub use read::{load, parse_table, read_table};

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
    pub rows: Vec<(u64, Vec<String>)>,
}

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

/// What `--task` may force.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskChoice {
    /// Decide from the target's values.
    Auto,
    Classification,
    Regression,
}

/// Options for [`load`].
#[derive(Clone, Debug)]
pub struct CsvOptions {
    /// The target column (default: the last one).
    pub target: Option<String>,
    /// Feature columns (default: every other column).
    pub features: Option<Vec<String>>,
    pub task: TaskChoice,
    /// Drop rows with a missing value instead of refusing them.
    pub drop_missing: bool,
    /// Fractions of the rows for validation and test (the rest trains).
    pub validation: f64,
    pub test: f64,
}

/// The result of [`load`]: the three splits, the encoding, and what was done.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub train: Dataset,
    pub validation: Option<Dataset>,
    pub test: Option<Dataset>,
    pub encoding: Encoding,
    pub dropped_rows: usize,
    /// Text columns left out because almost every row has its own value (names, IDs).
    pub skipped_columns: Vec<String>,
}

/// A text column with more categories than this, or than half the training rows, is an
/// identifier (a name, a ticket number), not a category: it is left out unless `--features`
/// names it.
pub const MAX_CATEGORIES: usize = 100;

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

/// [`load`] on a table already read: choose the columns, keep the usable rows, split them, fit
/// the encoding on the training rows, and encode the three splits with it.
///
/// # Errors
/// As [`load`].
pub fn build(table: &Table, path: &Path, options: &CsvOptions, rng: &mut Rng) -> Result<Loaded, Error> {
    let bad = |message: String| Error::Data { path: path.display().to_string(), message };
    let (mut features, target) = choose_columns(table, options).map_err(&bad)?;
    let rows = usable_rows(table, &features, target, options.drop_missing).map_err(&bad)?;
    let dropped_rows = table.rows.len() - rows.len();
    if rows.len() < 2 {
        return Err(bad(format!("only {} usable rows; at least 2 are needed", rows.len())));
    }

    // Split first, so that every statistic comes from the training rows only.
    let [train_rows, val_rows, test_rows] = split_rows(&rows, options, rng);
    let mut columns: Vec<Column> = features
        .iter()
        .map(|&c| fit_column(&table.headers[c], train_rows.iter().map(|r| r.1[c].as_str())))
        .collect();
    let skipped_columns = match options.features {
        Some(_) => Vec::new(), // the columns named are used, whatever they hold
        None => leave_out_identifiers(&mut columns, &mut features, train_rows.len()).map_err(&bad)?,
    };
    let target_values: Vec<&str> = train_rows.iter().map(|r| r.1[target].as_str()).collect();
    let target_enc = fit_target(&table.headers[target], &target_values, options.task).map_err(&bad)?;
    let encoding = Encoding { columns, target_name: table.headers[target].clone(), target: target_enc };

    let name = path.file_stem().map_or("csv".to_string(), |s| s.to_string_lossy().into_owned());
    let columns = Columns { features: &features, target };
    let to_dataset = |part: &[&Row]| encode_rows(part, columns, &encoding, &name, path);
    let train = to_dataset(&train_rows)?;
    let validation = if val_rows.is_empty() { None } else { Some(to_dataset(&val_rows)?) };
    let test = if test_rows.is_empty() { None } else { Some(to_dataset(&test_rows)?) };
    Ok(Loaded { train, validation, test, encoding, dropped_rows, skipped_columns })
}

/// A row of a [`Table`]: its line number in the file and its values.
type Row = (u64, Vec<String>);

/// The feature columns and the target column, as indices into the table's columns: the ones
/// the options name, or by default the last column as target and every other as features.
fn choose_columns(table: &Table, options: &CsvOptions) -> Result<(Vec<usize>, usize), String> {
    let column = |name: &str| {
        table.headers.iter().position(|h| h == name).ok_or_else(|| {
            format!("there is no column `{name}`; the columns are: {}", table.headers.join(", "))
        })
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
        return Err("no feature columns: the file needs at least one column besides the target".into());
    }
    if features.contains(&target) {
        return Err(format!("column `{}` is both the target and a feature", table.headers[target]));
    }
    Ok((features, target))
}

/// The rows with a value in every used column. A missing value is refused with its line and
/// column, or its row dropped with `drop_missing`.
fn usable_rows<'a>(
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
                return Err(format!(
                    "line {}: the value of column `{}` is missing (`{}`); fill it in, or pass --drop-missing to skip such rows",
                    row.0, table.headers[c], row.1[c]
                ));
            }
            Some(_) => {}
        }
    }
    Ok(rows)
}

/// Shuffles the rows with `rng` and cuts them into training, validation and test rows (the
/// options' fractions, rounded; at least one training row).
fn split_rows<'a>(rows: &[&'a Row], options: &CsvOptions, rng: &mut Rng) -> [Vec<&'a Row>; 3] {
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

/// Leaves out of `columns` (and their table indices, `features`) the text columns that look
/// like identifiers: more categories than [`MAX_CATEGORIES`], or than half the `n_train`
/// training rows. Returns the names of those left out.
fn leave_out_identifiers(
    columns: &mut Vec<Column>,
    features: &mut Vec<usize>,
    n_train: usize,
) -> Result<Vec<String>, String> {
    let identifier = |c: &Column| {
        matches!(c, Column::Categorical { categories, .. }
            if categories.len() > MAX_CATEGORIES || (categories.len() > 10 && categories.len() * 2 > n_train))
    };
    let (mut kept, mut skipped) = (Vec::new(), Vec::new());
    for (column, &index) in std::mem::take(columns).into_iter().zip(features.iter()) {
        if identifier(&column) {
            skipped.push(column.name().to_string());
        } else {
            kept.push((column, index));
        }
    }
    if kept.is_empty() {
        return Err("every feature column looks like an identifier (a different text in almost every row); name the columns to use with --features".into());
    }
    (*columns, *features) = kept.into_iter().unzip();
    Ok(skipped)
}

/// Which columns of a table are the features (in the encoding's order) and the target.
#[derive(Clone, Copy)]
struct Columns<'a> {
    features: &'a [usize],
    target: usize,
}

/// Encodes rows (with their line numbers) into a dataset.
fn encode_rows(
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
fn fit_column<'a>(name: &str, values: impl Iterator<Item = &'a str> + Clone) -> Column {
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
fn fit_target(name: &str, values: &[&str], choice: TaskChoice) -> Result<Target, String> {
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

#[cfg(all(test, feature = "csv"))]
mod tests {
    use super::*;

    fn options() -> CsvOptions {
        CsvOptions {
            target: None,
            features: None,
            task: TaskChoice::Auto,
            drop_missing: false,
            validation: 0.0,
            test: 0.0,
        }
    }

    fn table(text: &str) -> Result<Table, Error> {
        parse_table(text.as_bytes(), Path::new("t.csv"))
    }

    fn load_text(text: &str, options: &CsvOptions) -> Result<Loaded, Error> {
        build(&table(text)?, Path::new("t.csv"), options, &mut Rng::new(1))
    }

    #[test]
    fn numbers_are_standardised_and_text_one_hot() {
        let text = "size,colour,label\n1,red,yes\n3,blue,no\n5,red,yes\n7,green,no\n";
        let loaded = load_text(text, &options()).unwrap();
        let e = &loaded.encoding;
        assert_eq!(e.n_inputs(), 1 + 3, "size, and blue/green/red");
        assert_eq!(e.target, Target::Classes { names: vec!["no".into(), "yes".into()] });
        let mut x = Vec::new();
        e.encode_features(&["4", "red"], &mut x).unwrap();
        assert_eq!(x, vec![0.0, 0.0, 0.0, 1.0], "4 is the mean; red is the third category");
        assert!(
            e.encode_features(&["x", "red"], &mut x)
                .unwrap_err()
                .contains("`x` in column `size` is not a number")
        );
        assert_eq!(loaded.train.task, Task::Classes(2));
    }

    #[test]
    fn the_target_decides_the_task() {
        let reg = load_text("a,b,y\n1,2,0.5\n2,3,1.5\n3,1,2.25\n", &options()).unwrap();
        assert!(matches!(reg.encoding.target, Target::Regression { .. }));
        let y = reg.train.targets.as_slice().iter().map(|&v| reg.encoding.decode_regression(v)).sum::<f64>();
        assert!((y - 4.25).abs() < 1e-5, "decoding undoes the standardisation");
        let ints = load_text("a,y\n1,10\n2,2\n3,10\n", &options()).unwrap();
        assert_eq!(ints.encoding.target, Target::Classes { names: vec!["2".into(), "10".into()] });
        let reals = load_text("a,y\n1,10.0\n2,2.0\n3,10.0\n", &options()).unwrap();
        assert!(matches!(reals.encoding.target, Target::Regression { .. }), "10.0 is a quantity");
        let many: String = (0..60).map(|i| format!("{i},{}\n", i * 1000)).collect();
        let many = load_text(&format!("a,y\n{many}"), &options()).unwrap();
        assert!(
            matches!(many.encoding.target, Target::Regression { .. }),
            "60 distinct integers: a quantity"
        );
        let forced = CsvOptions { task: TaskChoice::Regression, ..options() };
        assert!(matches!(
            load_text("a,y\n1,10\n2,2\n3,10\n", &forced).unwrap().encoding.target,
            Target::Regression { .. }
        ));
        let err = load_text("a,y\n1,x\n2,x\n", &options()).unwrap_err().to_string();
        assert!(err.contains("single value"), "{err}");
    }

    #[test]
    fn missing_values_name_line_and_column_unless_dropped() {
        let text = "a,b,y\n1,2,yes\n2,NA,no\n3,4,yes\n4,5,no\n";
        let err = load_text(text, &options()).unwrap_err().to_string();
        assert!(
            err.contains("line 3: the value of column `b` is missing (`NA`)")
                && err.contains("--drop-missing"),
            "{err}"
        );
        let loaded = load_text(text, &CsvOptions { drop_missing: true, ..options() }).unwrap();
        assert_eq!((loaded.dropped_rows, loaded.train.len()), (1, 3));
        assert!(load_text("a,y\n,1\n2,0\n", &options()).unwrap_err().to_string().contains("line 2"));
    }

    #[test]
    fn malformed_files_are_clear_errors() {
        assert!(table("").unwrap_err().to_string().contains("empty or has no header"));
        assert!(table("a,b\n").unwrap_err().to_string().contains("no data rows"));
        let err = table("a,b\n1,2\n3\n").unwrap_err().to_string();
        assert!(err.contains("line 3 has 1 fields but the header has 2"), "{err}");
        assert!(table("a,a\n1,2\n").unwrap_err().to_string().contains("twice"));
        let err = load_text("a,b\n1,2\n3,4\n", &CsvOptions { target: Some("c".into()), ..options() })
            .unwrap_err()
            .to_string();
        assert!(err.contains("no column `c`; the columns are: a, b"), "{err}");
    }

    #[test]
    fn statistics_come_from_the_training_split_only() {
        let mut text = String::from("x,y\n");
        for i in 0..100 {
            text += &format!("{i},{}\n", if i % 2 == 0 { "even" } else { "odd" });
        }
        let opts = CsvOptions { validation: 0.2, test: 0.2, ..options() };
        let loaded = load_text(&text, &opts).unwrap();
        let (v, t) = (loaded.validation.unwrap(), loaded.test.unwrap());
        assert_eq!((loaded.train.len(), v.len(), t.len()), (60, 20, 20));
        let Column::Numeric { mean, .. } = &loaded.encoding.columns[0] else { panic!("numeric") };
        let train_mean =
            loaded.train.inputs.to_matrix().as_slice().iter().map(|&x| f64::from(x)).sum::<f64>() / 60.0;
        assert!(train_mean.abs() < 1e-5, "training inputs are centred by their own mean {mean}");
    }

    #[test]
    fn identifier_columns_are_left_out_unless_named() {
        let mut text = String::from("id_name,colour,y\n");
        for i in 0..40 {
            text += &format!("person{i},{},{}\n", ["red", "blue"][i % 2], i % 2);
        }
        let loaded = load_text(&text, &options()).unwrap();
        assert_eq!(loaded.skipped_columns, ["id_name"]);
        assert_eq!(loaded.encoding.n_inputs(), 2);
        let named = CsvOptions { features: Some(vec!["id_name".into(), "colour".into()]), ..options() };
        assert_eq!(load_text(&text, &named).unwrap().encoding.n_inputs(), 40 + 2);
    }

    #[test]
    fn another_file_is_encoded_with_the_models_encoding() {
        let loaded = load_text("size,colour,label\n1,red,yes\n3,blue,no\n5,red,yes\n", &options()).unwrap();
        let other = table("colour,label,size,extra\nblue,no,3,x\nred,yes,5,y\n").unwrap();
        let (data, dropped) = encode_table(&other, &loaded.encoding, Path::new("o.csv"), false).unwrap();
        assert_eq!((data.len(), dropped, data.n_features()), (2, 0, 3));
        let missing_col = table("size,label\n1,yes\n").unwrap();
        let err =
            encode_table(&missing_col, &loaded.encoding, Path::new("o.csv"), false).unwrap_err().to_string();
        assert!(err.contains("needs column `colour`"), "{err}");
    }

    #[test]
    fn semicolons_and_tabs_are_recognised() {
        assert_eq!(table("a;b;c\n1;2,5;x\n").unwrap().rows[0].1, ["1", "2,5", "x"]);
        assert_eq!(table("a\tb\n1\t2\n").unwrap().headers, ["a", "b"]);
        assert_eq!(table("a,b\n1,2\n").unwrap().headers, ["a", "b"]);
    }

    #[test]
    fn quoted_fields_bom_and_spaces_are_fine() {
        let text = "\u{feff}name,\"size, cm\",kind\n\"a, b\", 1.5 ,x\nc,2,y\n";
        let t = table(text).unwrap();
        assert_eq!(t.headers, ["name", "size, cm", "kind"]);
        assert_eq!(t.rows[0].1, ["a, b", "1.5", "x"]);
    }
}

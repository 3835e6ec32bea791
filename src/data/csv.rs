//! Tables from CSV files: a header row, one sample per line.
//!
//! Feature columns whose values are all numbers are standardised; any other column is
//! categorical and one-hot encoded (one input per category). The target column decides the
//! task: text or whole numbers mean classification (one output per class), other numbers
//! regression (the target is standardised too, and predictions turned back into its units).
//! All statistics (means, standard deviations, the categories, the classes) come from the
//! training split only and are kept in an [`Encoding`], which is stored in the model file so
//! `predict` encodes new rows exactly the same way.
//!
//! Files as spreadsheets write them are read without flags: the field separator (`,` tab `;`
//! `|`) is guessed from the first records, and each column's numbers may use decimal commas
//! (`3,28`); a category the model never saw is refused when a model encodes new rows, unless
//! allowed.
//!
//! The steps, one file each: `read` (the file into a table of text, with the separator from
//! `delimiter`), `columns` (which columns and rows are used, and the split), `fit` (numbers or
//! categories, written how: `numbers`), `encoding` (text to numbers with a fitted encoding),
//! `unseen` (categories a model does not know).

mod columns;
#[cfg(feature = "csv")]
pub mod delimiter;
mod encoding;
mod fit;
pub mod numbers;
#[cfg(feature = "csv")]
mod read;
mod table;
mod unseen;

use std::path::Path;

use super::Dataset;
use crate::rng::Rng;
use crate::{Error, t};

pub use columns::{MAX_CATEGORIES, Skipped};
pub use encoding::{Column, Encoding, Target, encode_table};
pub use fit::MAX_INTEGER_CLASSES;
pub use numbers::Decimal;
#[cfg(feature = "csv")]
pub use read::{parse_table, read_table};
pub use table::{MISSING, Table, is_missing};
pub use unseen::{BadValue, Unseen, UnseenColumn};

use columns::{choose_columns, leave_out_identifiers, split_rows, usable_rows};
use encoding::{Columns, encode_rows};
use fit::{fit_column, fit_target};
use table::Row;

/// What `--task` may force.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskChoice {
    /// Decide from the target's values.
    Auto,
    Classification,
    Regression,
}

/// How to read the file when the guesses are not wanted (`--delimiter`, `--decimal`). The
/// encoding keeps them, so that `eval` reads the training file again the same way.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ReadFlags {
    /// The field separator (default: guessed from the first records, see [`delimiter`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<u8>,
    /// The decimal separator of every numeric column (default: detected per column, see
    /// [`numbers`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decimal: Option<Decimal>,
}

impl ReadFlags {
    /// True if nothing is forced (model files then leave the flags out).
    pub fn is_default(&self) -> bool {
        *self == ReadFlags::default()
    }
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
    /// The field and decimal separators, if forced.
    pub read: ReadFlags,
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
    pub skipped_columns: Vec<Skipped>,
    /// The field separator the file was read with.
    pub delimiter: u8,
    /// Categories of validation and test rows that no training row has (encoded as all zeros).
    pub unseen: Vec<UnseenColumn>,
}

/// Reads a CSV file into train/validation/test datasets, as described in the module docs.
///
/// # Errors
/// [`Error::Data`] naming the line and column of a missing value (without `drop_missing`), an
/// unknown column name, a target with a single value, or malformed CSV.
#[cfg(feature = "csv")]
pub fn load(path: &Path, options: &CsvOptions, rng: &mut Rng) -> Result<Loaded, Error> {
    let table = read_table(path, options.read.delimiter)?;
    build(&table, path, options, rng)
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
        return Err(bad(t!("data.csv.too-few-rows", rows = rows.len())));
    }

    // Split first, so that every statistic comes from the training rows only.
    let [train_rows, val_rows, test_rows] = split_rows(&rows, options, rng);
    let (encoding, skipped_columns) =
        fit_encoding(table, (&mut features, target), &train_rows, options).map_err(&bad)?;

    let name = path.file_stem().map_or("csv".to_string(), |s| s.to_string_lossy().into_owned());
    let columns = Columns { features: &features, target };
    // validation and test rows may hold a rare category no training row has: it adds nothing
    let mut unseen = Unseen { allow: true, ..Unseen::default() };
    let mut to_dataset = |part: &[&Row]| encode_rows(part, columns, &encoding, (&name, path), &mut unseen);
    let train = to_dataset(&train_rows)?;
    let validation = if val_rows.is_empty() { None } else { Some(to_dataset(&val_rows)?) };
    let test = if test_rows.is_empty() { None } else { Some(to_dataset(&test_rows)?) };
    let (delimiter, unseen) = (table.delimiter, unseen.columns);
    Ok(Loaded { train, validation, test, encoding, dropped_rows, skipped_columns, delimiter, unseen })
}

/// The encoding fitted on the training rows: each feature column's (numbers or categories),
/// the identifier columns left out of `features` (unless the options name the features), and
/// the target's.
fn fit_encoding(
    table: &Table,
    (features, target): (&mut Vec<usize>, usize),
    train_rows: &[&Row],
    options: &CsvOptions,
) -> Result<(Encoding, Vec<Skipped>), String> {
    let values = |c: usize| train_rows.iter().map(move |r| r.1[c].as_str());
    let mut columns: Vec<Column> =
        features.iter().map(|&c| fit_column(&table.headers[c], values(c), options.read.decimal)).collect();
    let skipped = match options.features {
        Some(_) => Vec::new(), // the columns named are used, whatever they hold
        None => leave_out_identifiers(&mut columns, features, train_rows.len())?,
    };
    let target_values: Vec<&str> = values(target).collect();
    let target_name = table.headers[target].clone();
    let target = fit_target(&target_name, &target_values, options.task, options.read.decimal)?;
    Ok((Encoding { columns, target_name, target, read: options.read }, skipped))
}

#[cfg(all(test, feature = "csv"))]
mod tests {
    use super::*;
    use crate::data::Task;

    fn options() -> CsvOptions {
        CsvOptions {
            target: None,
            features: None,
            task: TaskChoice::Auto,
            drop_missing: false,
            validation: 0.0,
            test: 0.0,
            read: ReadFlags::default(),
        }
    }

    fn table(text: &str) -> Result<Table, Error> {
        parse_table(text.as_bytes(), Path::new("t.csv"), None)
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
        e.encode_features(&["4", "red"], &mut x, &mut Unseen::new(false)).unwrap();
        assert_eq!(x, vec![0.0, 0.0, 0.0, 1.0], "4 is the mean; red is the third category");
        let err = e.encode_features(&["x", "red"], &mut x, &mut Unseen::new(false)).unwrap_err();
        assert_eq!(err, BadValue::Invalid("`x` in column `size` is not a number".into()));
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
        assert_eq!(loaded.skipped_columns, [Skipped { name: "id_name".into(), not_numbers: vec![] }]);
        assert_eq!(loaded.encoding.n_inputs(), 2);
        let named = CsvOptions { features: Some(vec!["id_name".into(), "colour".into()]), ..options() };
        assert_eq!(load_text(&text, &named).unwrap().encoding.n_inputs(), 40 + 2);
    }

    #[test]
    fn another_file_is_encoded_with_the_models_encoding() {
        let loaded = load_text("size,colour,label\n1,red,yes\n3,blue,no\n5,red,yes\n", &options()).unwrap();
        let other = table("colour,label,size,extra\nblue,no,3,x\nred,yes,5,y\n").unwrap();
        let (data, dropped) =
            encode_table(&other, &loaded.encoding, Path::new("o.csv"), false, &mut Unseen::new(false))
                .unwrap();
        assert_eq!((data.len(), dropped, data.n_features()), (2, 0, 3));
        let missing_col = table("size,label\n1,yes\n").unwrap();
        let err =
            encode_table(&missing_col, &loaded.encoding, Path::new("o.csv"), false, &mut Unseen::new(false))
                .unwrap_err()
                .to_string();
        assert!(err.contains("needs column `colour`"), "{err}");
    }

    #[test]
    fn decimal_comma_columns_are_numbers_and_said_so() {
        let text = "w;colour;price\n1,5;red;10,25\n2,5;blue;-0,5\n3,5;red;1.234,5\n";
        let loaded = load_text(text, &options()).unwrap();
        let e = &loaded.encoding;
        assert_eq!(loaded.delimiter, b';');
        let Column::Numeric { mean, decimal, .. } = &e.columns[0] else { panic!("{:?}", e.columns[0]) };
        assert_eq!((*mean, *decimal), (2.5, Decimal::Comma));
        assert!(matches!(e.target, Target::Regression { decimal: Decimal::Comma, .. }), "{:?}", e.target);
        let y: f64 = loaded.train.targets.as_slice().iter().map(|&v| e.decode_regression(v)).sum();
        assert!((y - (10.25 - 0.5 + 1234.5)).abs() < 1e-3, "{y}");
        let mut x = Vec::new();
        e.encode_features(&["2,5", "red"], &mut x, &mut Unseen::new(false)).unwrap();
        assert_eq!(x[0], 0.0, "2,5 is the mean");
        let err = e.encode_features(&["2.5", "red"], &mut x, &mut Unseen::new(false)).unwrap_err();
        assert!(matches!(&err, BadValue::Invalid(m) if m.contains("decimal comma")), "{err:?}");
    }

    #[test]
    fn quoted_decimal_commas_in_a_comma_separated_file_are_numbers() {
        let loaded = load_text("x,y\n\"1,5\",a\n\"2,5\",b\n3,a\n", &options()).unwrap();
        assert_eq!(loaded.delimiter, b',');
        assert!(matches!(loaded.encoding.columns[0], Column::Numeric { decimal: Decimal::Comma, .. }));
    }

    #[test]
    fn the_decimal_flag_forces_every_column() {
        let text = "x;y\n1.234;a\n2.000;b\n";
        let guessed = load_text(text, &options()).unwrap();
        assert!(
            matches!(guessed.encoding.columns[0], Column::Numeric { mean, decimal: Decimal::Point, .. } if (mean - 1.617).abs() < 1e-9)
        );
        let comma =
            CsvOptions { read: ReadFlags { decimal: Some(Decimal::Comma), delimiter: None }, ..options() };
        let forced = load_text(text, &comma).unwrap();
        assert!(
            matches!(forced.encoding.columns[0], Column::Numeric { mean, decimal: Decimal::Comma, .. } if mean == 1617.0)
        );
        assert_eq!(forced.encoding.read.decimal, Some(Decimal::Comma), "kept for eval");
        let point =
            CsvOptions { read: ReadFlags { decimal: Some(Decimal::Point), delimiter: None }, ..options() };
        let text_column = load_text("x;y\n3,5;a\n4,5;b\n", &point).unwrap();
        assert!(matches!(text_column.encoding.columns[0], Column::Categorical { .. }));
    }

    #[test]
    fn a_column_mixing_decimal_commas_and_words_stays_text() {
        let text = "x;y\n3,5;a\nabc;b\n4,5;a\n";
        let loaded = load_text(text, &options()).unwrap();
        assert!(
            matches!(&loaded.encoding.columns[0], Column::Categorical { categories, .. } if categories.len() == 3)
        );
        // as an identifier, it is left out with the values that keep it from being numbers
        let mut many = String::from("x;colour;y\n");
        for i in 0..40 {
            many += &format!("{i},5;{};{}\n", ["red", "blue"][i % 2], i % 2);
        }
        many += "n.a.;red;0\n";
        let loaded = load_text(&many, &options()).unwrap();
        assert_eq!(loaded.skipped_columns, [Skipped { name: "x".into(), not_numbers: vec!["n.a.".into()] }]);
    }

    #[test]
    fn validation_rows_with_a_category_no_training_row_has_are_counted() {
        let mut text = String::from("colour,y\n");
        for i in 0..40 {
            text += &format!("{},{}\n", ["red", "blue"][i % 2], i % 2);
        }
        text += "purple,1\n";
        let opts = CsvOptions { validation: 0.5, ..options() };
        let loaded = load_text(&text, &opts).unwrap();
        let Column::Categorical { categories, .. } = &loaded.encoding.columns[0] else { panic!() };
        assert_eq!(categories, &["blue", "red"], "seed 1 puts the purple row in validation");
        let expected = UnseenColumn { column: "colour".into(), count: 1, first: "purple".into() };
        assert_eq!(loaded.unseen, [expected]);
    }

    #[test]
    fn another_file_with_an_unknown_category_is_refused_by_line_unless_allowed() {
        let loaded = load_text("size,colour,label\n1,red,yes\n3,blue,no\n5,red,yes\n", &options()).unwrap();
        let other = table("size,colour,label\n2,red,no\n4,Red,yes\n").unwrap();
        let err = encode_table(&other, &loaded.encoding, Path::new("o.csv"), false, &mut Unseen::new(false))
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "o.csv: line 3: `Red` in column `colour` is not a category the model was trained on; it knows: blue, red"
        );
        let mut allowed = Unseen::new(true);
        let (data, _) =
            encode_table(&other, &loaded.encoding, Path::new("o.csv"), false, &mut allowed).unwrap();
        assert_eq!(data.inputs.to_matrix().row(1)[1..], [0.0, 0.0], "no known category");
        assert_eq!(allowed.columns[0].count, 1);
    }
}

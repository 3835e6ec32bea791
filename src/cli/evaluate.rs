//! `scratchnet eval`: a saved model's accuracy, per-class precision and recall, and confusion
//! matrix, on the data it was trained on (its test split) or on another data set.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;
use scratchnet::data::csv::{self as table, Target};
use scratchnet::i18n::{self, Lang};
use scratchnet::io::{self, Model, Preprocessing};
use scratchnet::metrics::{ClassScores, RegressionErrors, class_scores, confusion_matrix, regression_errors};
use scratchnet::{Dataset, Error, Task, t};

use super::datasets::{self, DataOptions};
use super::out_err;

#[derive(Args, Debug)]
pub struct EvalArgs {
    /// The model file written by `scratchnet train --save`
    #[arg(long)]
    model: PathBuf,
    /// Data to score on (default: the data set the model was trained on, its test split);
    /// csv:PATH scores every row of that file
    #[arg(long)]
    dataset: Option<String>,
    /// Folder holding the MNIST-style files
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// Write the scores as JSON to this file
    #[arg(long)]
    report: Option<PathBuf>,
    /// CSV: score rows holding a category the model was not trained on (it counts as none of
    /// the known ones, with a warning) instead of stopping at the first
    #[arg(long)]
    allow_unknown: bool,
}

/// Which data was scored, said in words by [`Scored::describe`].
enum Scored {
    /// Every row of another CSV file, some dropped for missing values.
    AllRows { path: String, dropped: usize },
    /// The test split of a data set.
    Test { name: String },
    /// All of a data set that has no test split.
    All { name: String, samples: usize },
}

impl Scored {
    /// "mnist test set", "all rows of new.csv", in the current language.
    fn describe(&self) -> String {
        match self {
            Scored::AllRows { path, dropped: 0 } => t!("eval.scored.all-rows", path = path),
            Scored::AllRows { path, dropped } => {
                t!("eval.scored.all-rows-dropped", path = path, dropped = dropped)
            }
            Scored::Test { name } => t!("eval.scored.test", name = name),
            Scored::All { name, samples } => t!("eval.scored.all", name = name, samples = samples),
        }
    }
}

/// The data to score: the test split of the training data, or all of another CSV.
fn data_for(model: &Model, args: &EvalArgs, name: &str) -> Result<(Scored, Dataset), Error> {
    let info = &model.info;
    if let (Some(path), Preprocessing::Table(encoding)) = (name.strip_prefix("csv:"), &info.preprocessing)
        && name != info.dataset
    {
        // the model's forced separator, if any: another file of the same kind likely needs it too
        let t = table::read_table(Path::new(path), encoding.read.delimiter)?;
        let mut unseen = table::Unseen::new(args.allow_unknown);
        let (data, dropped) =
            table::encode_table(&t, encoding, Path::new(path), info.drop_missing, &mut unseen)?;
        for column in &unseen.columns {
            let message = t!("cli.allow-unknown", message = format!("{path}: {}", column.describe()));
            eprintln!("{}", t!("cli.warning", message = message));
        }
        return Ok((Scored::AllRows { path: path.to_string(), dropped }, data));
    }
    let options = DataOptions {
        data_dir: args.data_dir.clone(),
        csv_target: match &info.preprocessing {
            Preprocessing::Table(e) => Some(e.target_name.clone()),
            _ => None,
        },
        csv_features: match &info.preprocessing {
            Preprocessing::Table(e) => Some(e.columns.iter().map(|c| c.name().to_string()).collect()),
            _ => None,
        },
        task: match &info.preprocessing {
            Preprocessing::Table(e) => Some(match e.target {
                Target::Classes { .. } => "classification".into(),
                Target::Regression { .. } => "regression".into(),
            }),
            _ => None,
        },
        csv_read: match &info.preprocessing {
            Preprocessing::Table(e) => e.read,
            _ => table::ReadFlags::default(),
        },
        drop_missing: info.drop_missing,
        standardize: matches!(info.preprocessing, Preprocessing::Standardize(_)),
        validation: info.validation,
    };
    let prepared = datasets::prepare(name, &options, info.data_seed)?;
    if prepared.preprocessing != info.preprocessing && name == info.dataset {
        return Err(Error::Model {
            path: args.model.display().to_string(),
            message: t!("eval.preprocessing-changed", name = name),
        });
    }
    let name = name.to_string();
    Ok(match prepared.test {
        Some(test) => (Scored::Test { name }, test),
        None => (Scored::All { name, samples: prepared.train.len() }, prepared.train),
    })
}

/// Runs `scratchnet eval`.
pub fn run(args: &EvalArgs, out: &mut dyn Write) -> Result<(), Error> {
    let model = io::load(&args.model)?;
    let name = args.dataset.clone().unwrap_or_else(|| model.info.dataset.clone());
    let (scored, data) = data_for(&model, args, &name)?;
    scratchnet::train::check_fit(&model.net, &data)?;
    let eval = scratchnet::evaluate(&model.net, &data, model.info.loss)?;
    let p = |out: &mut dyn Write, text: String| writeln!(out, "{text}").map_err(out_err);
    let (path, sizes, trained_on) =
        (args.model.display(), format!("{:?}", model.info.sizes), &model.info.dataset);
    p(out, t!("eval.model", path = path, sizes = sizes, dataset = trained_on))?;
    p(out, t!("eval.scored", what = scored.describe(), samples = data.len()))?;
    let mut report = EvalReport {
        report_version: REPORT_VERSION,
        command: "eval",
        model: args.model.display().to_string(),
        dataset: name,
        // the report is read by programs: its words stay English whatever the output's language
        scored_on: i18n::with_lang(Lang::En, || scored.describe()),
        settings: model.info.settings.as_ref(),
        test_samples: data.len(),
        test_loss: eval.loss,
        test_accuracy: None,
        rmse: None,
        mae: None,
        per_class: None,
        confusion_matrix: None,
    };
    if data.task == Task::Regression {
        let errors = regression_errors(&model.net, &data, |v| model.info.preprocessing.decode_target(v));
        p(out, t!("eval.loss-units", loss = format!("{:.5}", eval.loss), units = in_target_units(&errors)))?;
        (report.rmse, report.mae) = (Some(errors.rmse), Some(errors.mae));
    } else {
        let accuracy = eval.accuracy.unwrap_or(0.0);
        let line = t!(
            "eval.accuracy",
            accuracy = format!("{:.2}", 100.0 * accuracy),
            correct = (f64::from(accuracy) * data.len() as f64).round(),
            samples = data.len(),
            loss = format!("{:.4}", eval.loss)
        );
        p(out, line)?;
        report.test_accuracy = Some(accuracy);
        let (scores, confusion) = print_classes(out, &model, &data)?;
        (report.per_class, report.confusion_matrix) = (Some(scores), Some(confusion));
    }
    if let Some(path) = &args.report {
        let text = serde_json::to_string_pretty(&report).expect("plain data") + "\n";
        io::write_atomically(path, text.as_bytes())?;
        p(out, t!("cli.report-written", path = path.display()))?;
    }
    Ok(())
}

/// The `--report` JSON of `eval`: the keys `train --report` also writes mean the same there
/// (README, "Reports"); a key that does not apply is `null`, as in `train`'s.
#[derive(serde::Serialize)]
struct EvalReport<'a> {
    report_version: u32,
    command: &'static str,
    model: String,
    /// The data set's name (`mnist`, `csv:PATH`), as `train` writes it.
    dataset: String,
    /// Which part of it was scored, in words: "mnist test set", "all rows of new.csv".
    scored_on: String,
    /// The settings the model was trained with, when its file holds them.
    settings: Option<&'a serde_json::Map<String, serde_json::Value>>,
    test_samples: usize,
    test_loss: f32,
    test_accuracy: Option<f32>,
    rmse: Option<f64>,
    mae: Option<f64>,
    per_class: Option<Vec<ClassScores>>,
    confusion_matrix: Option<Vec<Vec<usize>>>,
}

/// The version of the `--report` JSON of `train` and `eval`: 2 since both use the same names
/// for the same quantities (`eval` wrote `accuracy` and `samples` before).
pub const REPORT_VERSION: u32 = 2;

/// "in the target's own units: RMSE …, mean absolute error …" (`train` prints it too).
pub fn in_target_units(errors: &RegressionErrors) -> String {
    t!("eval.units", rmse = format!("{:.5}", errors.rmse), mae = format!("{:.5}", errors.mae))
}

/// A classifier's precision, recall and F1 per class and its confusion matrix, printed and
/// returned for the report (whose class names stay as the model has them: `no` and `yes` for a
/// yes/no model, whatever the output's language).
fn print_classes(
    out: &mut dyn Write,
    model: &Model,
    data: &Dataset,
) -> Result<(Vec<ClassScores>, Vec<Vec<usize>>), Error> {
    let (names, labels) = if data.task == Task::Binary {
        (
            vec!["no".to_string(), "yes".to_string()],
            vec![t!("eval.no").to_string(), t!("eval.yes").to_string()],
        )
    } else {
        (model.info.class_names.clone(), model.info.class_names.clone())
    };
    let confusion = confusion_matrix(&model.net, data);
    let scores = class_scores(&confusion, &names);
    let labels: Vec<String> = (0..scores.len())
        .map(|i| labels.get(i).cloned().unwrap_or_else(|| scores[i].class.clone()))
        .collect();
    print_scores(out, &scores, &labels).map_err(out_err)?;
    print_confusion(out, &confusion, &labels).map_err(out_err)?;
    Ok((scores, confusion))
}

/// The scores table: one row per class (`labels`, as shown), right-aligned columns as wide as
/// their headings or their numbers (by terminal columns: a Chinese character takes two).
fn print_scores(out: &mut dyn Write, scores: &[ClassScores], labels: &[String]) -> std::io::Result<()> {
    let class = t!("eval.table.class");
    let width = labels.iter().map(|l| i18n::width(l)).chain([i18n::width(class)]).max().unwrap_or(5).max(5);
    // (heading, its column's least width): a score such as 0.9091 takes six columns
    let columns = [
        (t!("eval.table.precision"), 9),
        (t!("eval.table.recall"), 6),
        (t!("eval.table.f1"), 6),
        (t!("eval.table.support"), 7),
    ];
    let widths = columns.map(|(heading, w)| i18n::width(heading).max(w));
    writeln!(out)?;
    let mut header = i18n::pad_left(class, width);
    for ((heading, _), w) in columns.iter().zip(widths) {
        header += &format!("  {}", i18n::pad_left(heading, w));
    }
    writeln!(out, "{header}")?;
    let [wp, wr, wf, ws] = widths;
    for (s, label) in scores.iter().zip(labels) {
        writeln!(
            out,
            "{}  {:>wp$.4}  {:>wr$.4}  {:>wf$.4}  {:>ws$}",
            i18n::pad_left(label, width),
            s.precision,
            s.recall,
            s.f1,
            s.support
        )?;
    }
    Ok(())
}

/// The confusion matrix: rows are true classes (named by `labels` unless those are just their
/// numbers), columns the predicted ones, numbered.
fn print_confusion(out: &mut dyn Write, confusion: &[Vec<usize>], labels: &[String]) -> std::io::Result<()> {
    let label_width = labels.iter().map(|l| i18n::width(l)).max().unwrap_or(1).max(4);
    let cell = confusion.iter().flatten().map(|c| c.to_string().len()).max().unwrap_or(1).max(3);
    writeln!(out)?;
    writeln!(out, "{}", t!("eval.confusion"))?;
    // Columns are numbered; rows show the class name too when it is not just that number.
    let named = labels.iter().enumerate().any(|(i, l)| *l != i.to_string());
    let label = |t: usize| {
        if named { format!("{} {t:>3}", i18n::pad_left(&labels[t], label_width)) } else { format!("{t:>3}") }
    };
    let header: Vec<String> = (0..confusion.len()).map(|c| format!("{c:>cell$}")).collect();
    writeln!(out, "{} {}", " ".repeat(i18n::width(&label(0))), header.join(" "))?;
    for (t, row) in confusion.iter().enumerate() {
        let cells: Vec<String> = row.iter().map(|c| format!("{c:>cell$}")).collect();
        writeln!(out, "{} {}", label(t), cells.join(" "))?;
    }
    Ok(())
}

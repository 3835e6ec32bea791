//! `scratchnet eval`: a saved model's accuracy, per-class precision and recall, and confusion
//! matrix, on the data it was trained on (its test split) or on another data set.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;
use scratchnet::data::csv::{self as table, Target};
use scratchnet::io::{self, Model, Preprocessing};
use scratchnet::metrics::{ClassScores, RegressionErrors, class_scores, confusion_matrix, regression_errors};
use scratchnet::{Dataset, Error, Task};

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

/// The data to score: the test split of the training data, or all of another CSV.
fn data_for(model: &Model, args: &EvalArgs, name: &str) -> Result<(String, Dataset), Error> {
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
            eprintln!("warning: {path}: {} (--allow-unknown)", column.describe());
        }
        let what = if dropped > 0 {
            format!("all rows of {path} ({dropped} dropped)")
        } else {
            format!("all rows of {path}")
        };
        return Ok((what, data));
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
            message: format!(
                "its preprocessing differs from what {name} gives now; the data changed since it was trained"
            ),
        });
    }
    Ok(match prepared.test {
        Some(test) => (format!("{name} test set"), test),
        None => {
            (format!("{name} (all {} samples; it has no test split)", prepared.train.len()), prepared.train)
        }
    })
}

/// Runs `scratchnet eval`.
pub fn run(args: &EvalArgs, out: &mut dyn Write) -> Result<(), Error> {
    let model = io::load(&args.model)?;
    let name = args.dataset.clone().unwrap_or_else(|| model.info.dataset.clone());
    let (what, data) = data_for(&model, args, &name)?;
    scratchnet::train::check_fit(&model.net, &data)?;
    let eval = scratchnet::evaluate(&model.net, &data, model.info.loss)?;
    let p = |out: &mut dyn Write, text: String| writeln!(out, "{text}").map_err(out_err);
    p(
        out,
        format!("model {} ({:?}, trained on {})", args.model.display(), model.info.sizes, model.info.dataset),
    )?;
    p(out, format!("scored on {what}: {} samples", data.len()))?;
    let mut report = EvalReport {
        report_version: REPORT_VERSION,
        command: "eval",
        model: args.model.display().to_string(),
        dataset: name,
        scored_on: what,
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
        p(out, format!("loss {:.5}; {}", eval.loss, in_target_units(&errors)))?;
        (report.rmse, report.mae) = (Some(errors.rmse), Some(errors.mae));
    } else {
        let accuracy = eval.accuracy.unwrap_or(0.0);
        p(
            out,
            format!(
                "accuracy {:.2}% ({} of {}), loss {:.4}",
                100.0 * accuracy,
                (f64::from(accuracy) * data.len() as f64).round(),
                data.len(),
                eval.loss
            ),
        )?;
        report.test_accuracy = Some(accuracy);
        let (scores, confusion) = print_classes(out, &model, &data)?;
        (report.per_class, report.confusion_matrix) = (Some(scores), Some(confusion));
    }
    if let Some(path) = &args.report {
        let text = serde_json::to_string_pretty(&report).expect("plain data") + "\n";
        io::write_atomically(path, text.as_bytes())?;
        p(out, format!("report written to {}", path.display()))?;
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
    format!("in the target's own units: RMSE {:.5}, mean absolute error {:.5}", errors.rmse, errors.mae)
}

/// A classifier's precision, recall and F1 per class and its confusion matrix, printed and
/// returned for the report.
fn print_classes(
    out: &mut dyn Write,
    model: &Model,
    data: &Dataset,
) -> Result<(Vec<ClassScores>, Vec<Vec<usize>>), Error> {
    let names = if data.task == Task::Binary {
        vec!["no".to_string(), "yes".to_string()]
    } else {
        model.info.class_names.clone()
    };
    let confusion = confusion_matrix(&model.net, data);
    let scores = class_scores(&confusion, &names);
    print_scores(out, &scores).map_err(out_err)?;
    print_confusion(out, &confusion, &scores).map_err(out_err)?;
    Ok((scores, confusion))
}

fn print_scores(out: &mut dyn Write, scores: &[ClassScores]) -> std::io::Result<()> {
    let width = scores.iter().map(|s| s.class.chars().count()).max().unwrap_or(5).max(5);
    writeln!(out)?;
    writeln!(out, "{:>width$}  precision  recall     f1  support", "class")?;
    for s in scores {
        writeln!(
            out,
            "{:>width$}  {:>9.4}  {:>6.4}  {:>5.4}  {:>7}",
            s.class, s.precision, s.recall, s.f1, s.support
        )?;
    }
    Ok(())
}

fn print_confusion(
    out: &mut dyn Write,
    confusion: &[Vec<usize>],
    scores: &[ClassScores],
) -> std::io::Result<()> {
    let label_width = scores.iter().map(|s| s.class.chars().count()).max().unwrap_or(1).max(4);
    let cell = confusion.iter().flatten().map(|c| c.to_string().len()).max().unwrap_or(1).max(3);
    writeln!(out)?;
    writeln!(out, "confusion matrix (rows: true class, columns: predicted, in the order above)")?;
    // Columns are numbered; rows show the class name too when it is not just that number.
    let named = scores.iter().enumerate().any(|(i, s)| s.class != i.to_string());
    let label = |t: usize| {
        if named { format!("{:>label_width$} {t:>3}", scores[t].class) } else { format!("{t:>3}") }
    };
    let header: Vec<String> = (0..confusion.len()).map(|c| format!("{c:>cell$}")).collect();
    writeln!(out, "{} {}", " ".repeat(label(0).chars().count()), header.join(" "))?;
    for (t, row) in confusion.iter().enumerate() {
        let cells: Vec<String> = row.iter().map(|c| format!("{c:>cell$}")).collect();
        writeln!(out, "{} {}", label(t), cells.join(" "))?;
    }
    Ok(())
}

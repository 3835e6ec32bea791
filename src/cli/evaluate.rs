//! `scratchnet eval`: a saved model's accuracy, per-class precision and recall, and confusion
//! matrix, on the data it was trained on (its test split) or on another data set.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;
use scratchnet::data::csv::{self as table, Target};
use scratchnet::io::{self, Model, Preprocessing};
use scratchnet::metrics::{ClassScores, class_scores, confusion_matrix};
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
fn data_for(model: &Model, args: &EvalArgs) -> Result<(String, Dataset), Error> {
    let info = &model.info;
    let name = args.dataset.clone().unwrap_or_else(|| info.dataset.clone());
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
    let prepared = datasets::prepare(&name, &options, info.data_seed)?;
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
    let (what, data) = data_for(&model, args)?;
    scratchnet::train::check_fit(&model.net, &data)?;
    let eval = scratchnet::evaluate(&model.net, &data, model.info.loss)?;
    let p = |out: &mut dyn Write, text: String| writeln!(out, "{text}").map_err(out_err);
    p(
        out,
        format!("model {} ({:?}, trained on {})", args.model.display(), model.info.sizes, model.info.dataset),
    )?;
    p(out, format!("scored on {what}: {} samples", data.len()))?;

    let mut json = serde_json::json!({
        "model": args.model.display().to_string(),
        "dataset": what,
        "samples": data.len(),
        "loss": eval.loss,
    });
    if data.task == Task::Regression {
        let (mse, mae) = regression_errors(&model, &data);
        p(
            out,
            format!(
                "loss {:.5}; in the target's own units: RMSE {:.5}, mean absolute error {:.5}",
                eval.loss,
                mse.sqrt(),
                mae
            ),
        )?;
        json["rmse"] = mse.sqrt().into();
        json["mae"] = mae.into();
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
        let names = if data.task == Task::Binary {
            vec!["no".to_string(), "yes".to_string()]
        } else {
            model.info.class_names.clone()
        };
        let confusion = confusion_matrix(&model.net, &data);
        let scores = class_scores(&confusion, &names);
        print_scores(out, &scores).map_err(out_err)?;
        print_confusion(out, &confusion, &scores).map_err(out_err)?;
        json["accuracy"] = accuracy.into();
        json["per_class"] = serde_json::to_value(&scores).expect("plain data");
        json["confusion_matrix"] = serde_json::to_value(&confusion).expect("plain data");
    }
    if let Some(path) = &args.report {
        let text = serde_json::to_string_pretty(&json).expect("plain data") + "\n";
        io::write_atomically(path, text.as_bytes())?;
        p(out, format!("report written to {}", path.display()))?;
    }
    Ok(())
}

/// Mean squared and mean absolute error in the target's own units.
fn regression_errors(model: &Model, data: &Dataset) -> (f64, f64) {
    let decode = |v: f32| match &model.info.preprocessing {
        Preprocessing::Table(e) => e.decode_regression(v),
        _ => f64::from(v),
    };
    let y = model.net.predict(&data.inputs.to_matrix());
    let n = data.len().max(1) as f64;
    let errors: Vec<f64> =
        y.as_slice().iter().zip(data.targets.as_slice()).map(|(&p, &t)| decode(p) - decode(t)).collect();
    (errors.iter().map(|e| e * e).sum::<f64>() / n, errors.iter().map(|e| e.abs()).sum::<f64>() / n)
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

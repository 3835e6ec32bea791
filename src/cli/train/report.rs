//! Stage 3 of `train`, **report**: what a finished run leaves behind. The evaluation on the
//! held-out data printed, then `--plots` pictures, the `--save` model file, the `--report`
//! JSON, and the dashboard's last view (served until Ctrl-C).

use std::io::Write;
use std::path::Path;

use scratchnet::dashboard::views::Watch;
use scratchnet::io::{Model, Preprocessing};
use scratchnet::metrics::{RegressionErrors, regression_errors};
use scratchnet::train::{EpochStats, Evaluation, History};
use scratchnet::{Activation, Dataset, Error, Loss, Task, TrainConfig, evaluate, t};

use super::plan::Plan;
use super::settings::RunSettings;
use crate::cli::evaluate::{REPORT_VERSION, in_target_units};
use crate::cli::{out_err, wait_for_ctrl_c};

/// The trained network scored on the validation and test data (each if there is one), and a
/// regression's test errors in the target's units.
struct Scores {
    validation: Option<Evaluation>,
    test: Option<Evaluation>,
    test_errors: Option<RegressionErrors>,
}

/// Prints how the run did and writes what the flags asked for.
///
/// # Errors
/// A file that cannot be written (or standard output).
pub fn report(
    plan: &Plan,
    history: &History,
    watch: Option<Watch>,
    out: &mut dyn Write,
) -> Result<(), Error> {
    let (net, data, loss) = (&plan.net, &plan.data, plan.config.loss);
    let scores = Scores {
        test: data.test.as_ref().map(|t| evaluate(net, t, loss)).transpose()?,
        validation: data.validation.as_ref().map(|v| evaluate(net, v, loss)).transpose()?,
        test_errors: data.test.as_ref().and_then(|t| errors_in_target_units(plan, t)),
    };
    print_scores(out, plan, &scores, history)?;
    if let Some(dir) = &plan.outputs.plots {
        write_plots(out, plan, history, dir)?;
    }
    if let Some(path) = &plan.outputs.save {
        let model = Model { net: net.clone(), info: plan.model_info.clone() };
        scratchnet::io::save(&model, path)?;
        writeln!(out, "{}", t!("train.report.saved", path = path.display())).map_err(out_err)?;
    }
    if let Some(path) = &plan.outputs.report {
        write_report(path, plan, &scores, history)?;
        writeln!(out, "{}", t!("cli.report-written", path = path.display())).map_err(out_err)?;
    }
    if let Some(mut watch) = watch {
        let accuracy = scores.test.or(scores.validation).and_then(|e| e.accuracy);
        watch.finish_training(net, accuracy);
        wait_for_ctrl_c(out, &watch.url())?;
    }
    Ok(())
}

/// Validation and test scores (the training data's without a test set), then the time taken.
fn print_scores(out: &mut dyn Write, plan: &Plan, scores: &Scores, history: &History) -> Result<(), Error> {
    if let Some(eval) = &scores.validation {
        print_evaluation(out, t!("train.report.validation"), eval, None).map_err(out_err)?;
    }
    match &scores.test {
        Some(eval) => {
            print_evaluation(out, t!("train.report.test"), eval, scores.test_errors.as_ref())
                .map_err(out_err)?;
        }
        None => {
            let eval = evaluate(&plan.net, &plan.data.train, plan.config.loss)?;
            let errors = errors_in_target_units(plan, &plan.data.train);
            print_evaluation(out, t!("train.report.train"), &eval, errors.as_ref()).map_err(out_err)?;
        }
    }
    let time = t!(
        "train.report.time",
        epochs = plan.config.epochs,
        seconds = format!("{:.1}", history.train_seconds_total),
        rate = format!("{:.0}", history.samples_per_second)
    );
    writeln!(out, "{time}").map_err(out_err)
}

/// One line: accuracy and loss, or the loss and (for a regression) the errors in the target's
/// units, worded as `eval` words them.
fn print_evaluation(
    out: &mut dyn Write,
    name: &str,
    eval: &Evaluation,
    errors: Option<&RegressionErrors>,
) -> std::io::Result<()> {
    let samples = eval.samples;
    let line = match (eval.accuracy, errors) {
        (Some(acc), _) => {
            let (accuracy, loss) = (format!("{:.2}", 100.0 * acc), format!("{:.4}", eval.loss));
            t!("train.report.accuracy", name = name, accuracy = accuracy, samples = samples, loss = loss)
        }
        (None, Some(errors)) => {
            let (loss, units) = (format!("{:.5}", eval.loss), in_target_units(errors));
            t!("train.report.loss-units", name = name, loss = loss, samples = samples, units = units)
        }
        (None, None) => {
            t!("train.report.loss", name = name, loss = format!("{:.5}", eval.loss), samples = samples)
        }
    };
    writeln!(out, "{line}")
}

/// A regression's RMSE and mean absolute error on `data` in the target's units, computed as
/// `eval` computes them (`None` for classes).
fn errors_in_target_units(plan: &Plan, data: &Dataset) -> Option<RegressionErrors> {
    let preprocessing = &plan.model_info.preprocessing;
    (data.task == Task::Regression)
        .then(|| regression_errors(&plan.net, data, |v| preprocessing.decode_target(v)))
}

/// `--plots DIR`: the curves per epoch, and the learned curve over the data in its own units
/// (the small generated sets keep their raw data for that).
fn write_plots(out: &mut dyn Write, plan: &Plan, history: &History, dir: &Path) -> Result<(), Error> {
    let data = &plan.data;
    let (train, test, scaler) = match (&data.raw, &data.preprocessing) {
        (Some((train, test)), Preprocessing::Standardize(s)) => (train, test.as_ref(), Some(s)),
        (Some((train, test)), _) => (train, test.as_ref(), None),
        (None, _) => (&data.train, data.test.as_ref(), None),
    };
    for path in scratchnet::plot::write_training_plots(dir, history, &plan.net, (train, test), scaler)? {
        writeln!(out, "{}", t!("train.report.wrote", path = path.display())).map_err(out_err)?;
    }
    Ok(())
}

/// The `--report` JSON (version 2): DESIGN.md's fields, the settings that produced them, and
/// the held-out scores under the names `eval --report` uses for the same quantities (every
/// key is in the README's "Reports" table).
#[derive(serde::Serialize)]
struct Report<'a> {
    report_version: u32,
    /// `train` (`eval` writes `eval`).
    command: &'static str,
    dataset: &'a str,
    /// Every setting by its flag's name: what a config file for this run would hold.
    settings: &'a RunSettings,
    layers: &'a [usize],
    hidden_activation: Activation,
    output_activation: Activation,
    loss: Loss,
    config: &'a TrainConfig,
    /// `reference` or `fast`.
    engine: &'static str,
    threads: usize,
    seed: u64,
    epochs: &'a [EpochStats],
    train_loss: f32,
    train_accuracy: Option<f32>,
    val_loss: Option<f32>,
    val_accuracy: Option<f32>,
    test_samples: Option<usize>,
    test_loss: Option<f32>,
    test_accuracy: Option<f32>,
    /// Regression: the test errors in the target's units.
    rmse: Option<f64>,
    mae: Option<f64>,
    train_seconds_total: f64,
    samples_per_second: f64,
}

/// Writes the report atomically: an old report is never half-overwritten.
fn write_report(path: &Path, plan: &Plan, scores: &Scores, history: &History) -> Result<(), Error> {
    let train_eval = evaluate(&plan.net, &plan.data.train, plan.config.loss)?;
    let report = Report {
        report_version: REPORT_VERSION,
        command: "train",
        dataset: &plan.dataset,
        settings: &plan.run_settings,
        layers: &plan.settings.layers,
        hidden_activation: plan.settings.hidden,
        output_activation: plan.settings.output,
        loss: plan.config.loss,
        config: &plan.config,
        engine: plan.config.engine.name(),
        threads: plan.threads(),
        seed: plan.seed,
        epochs: &history.epochs,
        train_loss: train_eval.loss,
        train_accuracy: train_eval.accuracy,
        val_loss: scores.validation.map(|e| e.loss),
        val_accuracy: scores.validation.and_then(|e| e.accuracy),
        test_samples: scores.test.map(|e| e.samples),
        test_loss: scores.test.map(|e| e.loss),
        test_accuracy: scores.test.and_then(|e| e.accuracy),
        rmse: scores.test_errors.map(|e| e.rmse),
        mae: scores.test_errors.map(|e| e.mae),
        train_seconds_total: history.train_seconds_total,
        samples_per_second: history.samples_per_second,
    };
    let json = serde_json::to_string_pretty(&report).expect("plain data serialises");
    scratchnet::io::write_atomically(path, (json + "\n").as_bytes())
}

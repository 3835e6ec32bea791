//! `scratchnet predict`: a saved model applied to an image or to one row of feature values.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;
use scratchnet::data::csv::{Target, Unseen};
use scratchnet::data::image;
use scratchnet::io::{self, InputKind, Model, Preprocessing};
use scratchnet::{Error, Matrix, Task, i18n, t};

use super::out_err;

#[derive(Args, Debug)]
pub struct PredictArgs {
    /// The model file written by `scratchnet train --save`
    #[arg(long)]
    model: PathBuf,
    /// Image files (PNG or PGM, any size) for image models; feature values, in the model's
    /// column order, for table models
    #[arg(required = true, allow_negative_numbers = true)]
    inputs: Vec<String>,
    /// Also save the 28×28 image the network sees (as PGM) next to each input, as NAME.seen.pgm
    #[arg(long)]
    show_input: bool,
    /// Table models: accept a category value the model was not trained on (it counts as none
    /// of the known ones, with a warning) instead of refusing it
    #[arg(long)]
    allow_unknown: bool,
}

/// Runs `scratchnet predict`.
pub fn run(args: &PredictArgs, out: &mut dyn Write) -> Result<(), Error> {
    let model = io::load(&args.model)?;
    match &model.info.input {
        InputKind::Image { width, height } => {
            for input in &args.inputs {
                let path = Path::new(input);
                let grey = image::load_grey(path)?;
                let pixels =
                    image::to_mnist(&grey).map_err(|message| Error::Data { path: input.clone(), message })?;
                if pixels.len() != width * height {
                    return Err(Error::Model {
                        path: args.model.display().to_string(),
                        message: t!("predict.image-size", width = width, height = height),
                    });
                }
                if args.show_input {
                    let seen = path.with_extension("seen.pgm");
                    let g = image::Grey { width: *width, height: *height, pixels: pixels.clone() };
                    io::write_atomically(&seen, &image::encode_pgm(&g))?;
                }
                let factor = match model.info.preprocessing {
                    Preprocessing::Scale { factor } => factor,
                    _ => 1.0 / 255.0,
                };
                let x = Matrix::from_vec(
                    1,
                    pixels.len(),
                    pixels.iter().map(|&p| f32::from(p) * factor).collect(),
                )?;
                report(out, &model, input, &x)?;
            }
            Ok(())
        }
        InputKind::Features { names } => {
            let values: Vec<&str> = args.inputs.iter().map(String::as_str).collect();
            let x = encode_features(&model, names, &values, args.allow_unknown)?;
            // `(2,5; red)` rather than `(2,5, red)` when values hold decimal commas
            let separator = if values.iter().any(|v| v.contains(',')) { "; " } else { ", " };
            report(out, &model, &format!("({})", values.join(separator)), &x)
        }
    }
}

/// One row of raw feature values → the network's input row. A table model's unknown category
/// is an error, or with `allow_unknown` a warning.
fn encode_features(
    model: &Model,
    names: &[String],
    values: &[&str],
    allow_unknown: bool,
) -> Result<Matrix, Error> {
    let usage =
        |message: String| Error::Config(t!("predict.usage", message = message, names = names.join(", ")));
    let mut row = Vec::new();
    match &model.info.preprocessing {
        Preprocessing::Table(encoding) => {
            let mut unseen = Unseen::new(allow_unknown);
            encoding.encode_features(values, &mut row, &mut unseen).map_err(|e| e.into_error("", usage))?;
            for column in &unseen.columns {
                let message = t!("cli.allow-unknown", message = column.describe());
                eprintln!("{}", t!("cli.warning", message = message));
            }
        }
        other => {
            if values.len() != names.len() {
                return Err(usage(t!("predict.count", given = values.len(), needed = names.len())));
            }
            for (v, name) in values.iter().zip(names) {
                row.push(
                    v.trim()
                        .parse::<f32>()
                        .ok()
                        .filter(|x| x.is_finite())
                        .ok_or_else(|| usage(t!("predict.not-a-number", value = v, name = name)))?,
                );
            }
            if let Preprocessing::Standardize(s) = other {
                let mut m = Matrix::from_vec(1, row.len(), row)?;
                s.apply(&mut m);
                return Ok(m);
            }
        }
    }
    Matrix::from_vec(1, row.len(), row)
}

/// Prints the top-3 classes with probabilities, a yes/no probability, or a value.
fn report(out: &mut dyn Write, model: &Model, what: &str, x: &Matrix) -> Result<(), Error> {
    let y = model.net.predict(x);
    let p = |out: &mut dyn Write, text: String| writeln!(out, "{text}").map_err(out_err);
    match model.info.task {
        Task::Classes(_) => {
            let mut ranked: Vec<(usize, f32)> = y.row(0).iter().copied().enumerate().collect();
            ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
            let name = |c: usize| model.info.class_names.get(c).cloned().unwrap_or_else(|| c.to_string());
            p(out, t!("predict.class", what = what, class = name(ranked[0].0)))?;
            for (rank, (c, prob)) in ranked.iter().take(3).enumerate() {
                p(out, format!("  {}. {} {:6.2}%", rank + 1, i18n::pad_right(&name(*c), 12), 100.0 * prob))?;
            }
        }
        Task::Binary => {
            let prob = y.get(0, 0);
            let answer = if prob > 0.5 { t!("predict.yes") } else { t!("predict.no") };
            let probability = format!("{:.2}", 100.0 * prob);
            p(out, t!("predict.binary", what = what, answer = answer, probability = probability))?;
        }
        Task::Regression => {
            let value = match &model.info.preprocessing {
                Preprocessing::Table(
                    e @ scratchnet::data::csv::Encoding { target: Target::Regression { .. }, .. },
                ) => e.decode_regression(y.get(0, 0)),
                _ => f64::from(y.get(0, 0)),
            };
            p(out, format!("{what}: {value:.6}"))?;
        }
    }
    Ok(())
}

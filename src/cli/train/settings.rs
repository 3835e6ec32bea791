//! The run's effective settings: every setting that shapes the trained model, as it is after
//! the dataset's defaults, the preset, the config file and the flags.
//!
//! Each is named by its flag (`batch-size`, `weight-decay`), so the `settings` object that the
//! header prints, the `--report` JSON holds and the model file keeps is also a config file:
//! the same keys and values, in JSON. Settings that do not apply are left out (`momentum`
//! with Adam, `warmup` without one-cycle, the CSV keys for other data), and so are the places
//! results go (`--save`, `--report`, ...): they change where the model is written, not what it
//! is.

use clap::ValueEnum;
use scratchnet::io::Preprocessing;
use scratchnet::{Engine, Method, Schedule, TrainConfig};
use serde_json::Value;

use super::TrainArgs;
use super::plan::NetworkSettings;
use crate::cli::datasets::Prepared;

/// The settings in a readable order (data, network, optimizer, batches, engine).
#[derive(Clone, Debug, PartialEq)]
pub struct RunSettings(Vec<(&'static str, Value)>);

impl RunSettings {
    /// The settings of a resolved run: `validation` is the fraction held out.
    pub fn new(
        args: &TrainArgs,
        data: &Prepared,
        network: &NetworkSettings,
        config: &TrainConfig,
        validation: f64,
    ) -> RunSettings {
        let mut s = RunSettings(Vec::new());
        s.push("dataset", args.dataset.as_str().into());
        let preset = args.preset.to_possible_value().expect("presets are not hidden");
        s.push("preset", preset.get_name().into());
        s.push("layers", network.layers.clone().into());
        s.push("activation", network.hidden.name().into());
        s.push("output", network.output.name().into());
        s.push("init", network.init.name().into());
        s.push_training(config);
        s.push("validation", validation.into());
        s.push("seed", args.seed.into());
        s.push_data(args, data);
        let threads = match config.engine {
            Engine::Reference => 1,
            Engine::Fast { threads } => threads,
        };
        s.push("engine", config.engine.name().into());
        s.push("threads", threads.into());
        s
    }

    fn push(&mut self, key: &'static str, value: Value) {
        self.0.push((key, value));
    }

    /// Loss, optimizer, learning rate and schedule (each with the flags it uses), batches.
    fn push_training(&mut self, config: &TrainConfig) {
        self.push("loss", config.loss.name().into());
        self.push("optimizer", config.method.name().into());
        if let Method::Momentum { momentum, .. } = config.method {
            self.push("momentum", number(momentum));
        }
        self.push("lr", number(config.lr));
        self.push("schedule", config.schedule.name().into());
        match config.schedule {
            Schedule::Step { every, gamma } => {
                self.push("step-every", every.into());
                self.push("step-gamma", number(gamma));
            }
            Schedule::OneCycle { warmup } => self.push("warmup", number(warmup)),
            Schedule::Constant | Schedule::Cosine => {}
        }
        self.push("weight-decay", number(config.weight_decay));
        if let Some(clip) = config.clip_grad {
            self.push("clip-grad", number(clip));
        }
        self.push("batch-size", config.batch_size.into());
        self.push("epochs", config.epochs.into());
    }

    /// What only some data sets use: the CSV columns and task, or standardising the small
    /// generated sets.
    fn push_data(&mut self, args: &TrainArgs, data: &Prepared) {
        if let Preprocessing::Table(encoding) = &data.preprocessing {
            self.push("target", encoding.target_name.as_str().into());
            let features: Vec<&str> = encoding.columns.iter().map(|c| c.name()).collect();
            self.push("features", features.into());
            let task = match encoding.target {
                scratchnet::data::csv::Target::Classes { .. } => "classification",
                scratchnet::data::csv::Target::Regression { .. } => "regression",
            };
            self.push("task", task.into());
            self.push("drop-missing", args.drop_missing.into());
        } else if data.raw.is_some() {
            self.push("no-standardize", args.no_standardize.into());
        }
    }

    /// The settings as a JSON object (keys sorted: what a model file stores).
    pub fn to_map(&self) -> serde_json::Map<String, Value> {
        self.0.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
    }

    /// `key=value` pairs, several to a line of at most `width` characters.
    pub fn lines(&self, width: usize) -> Vec<String> {
        let mut lines: Vec<String> = Vec::new();
        for (key, value) in &self.0 {
            let pair = format!("{key}={}", plain(value));
            match lines.last_mut() {
                Some(line) if line.len() + 1 + pair.len() <= width => {
                    line.push(' ');
                    line.push_str(&pair);
                }
                _ => lines.push(pair),
            }
        }
        lines
    }
}

/// In the `--report` JSON, in the order above.
impl serde::Serialize for RunSettings {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

/// An `f32` setting as the number it was written as: `0.1`, not the `0.10000000149011612` that
/// widening its bits to `f64` would give.
fn number(x: f32) -> Value {
    x.to_string().parse::<f64>().map_or(Value::Null, Value::from)
}

/// A value as a flag would take it: text bare, lists comma-separated.
fn plain(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(plain).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_the_digits_they_were_given() {
        assert_eq!(number(0.1).to_string(), "0.1");
        assert_eq!(number(5e-4).to_string(), "0.0005");
        assert_eq!(number(0.25), Value::from(0.25));
    }

    #[test]
    fn lines_wrap_between_pairs() {
        let s = RunSettings(vec![
            ("dataset", "mnist".into()),
            ("layers", vec![784, 10].into()),
            ("lr", number(0.1)),
            ("drop-missing", false.into()),
        ]);
        assert_eq!(s.lines(200), ["dataset=mnist layers=784,10 lr=0.1 drop-missing=false"]);
        assert_eq!(s.lines(30), ["dataset=mnist layers=784,10", "lr=0.1 drop-missing=false"]);
        let json = serde_json::to_string(&s).unwrap();
        assert!(json.starts_with(r#"{"dataset":"mnist","layers":[784,10],"lr":0.1"#), "{json}");
    }
}

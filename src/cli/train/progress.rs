//! What a `train` run prints as it goes: the header (data, network, settings, engine), then a
//! progress bar during each epoch (on a terminal) and a line per epoch.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use scratchnet::train::{BatchInfo, EpochStats};
use scratchnet::{Network, Observer};

use super::plan::Plan;

/// Prints where a resumed run continues (`from` is its checkpoint), then the header.
pub fn print_start(out: &mut dyn Write, plan: &Plan) -> std::io::Result<()> {
    if let Some(state) = &plan.resume {
        let from = plan.outputs.checkpoint.display();
        writeln!(out, "resuming at epoch {}, batch {} (from {from})", state.epoch, state.batch)?;
    }
    print_header(out, plan)
}

/// Three lines (and the data's notes): the data, the network, the training; then every
/// setting by name.
fn print_header(out: &mut dyn Write, plan: &Plan) -> std::io::Result<()> {
    let (data, net, config) = (&plan.data, &plan.net, &plan.config);
    let count = |d: &Option<scratchnet::Dataset>, what: &str| {
        d.as_ref().map_or(String::new(), |d| format!(", {} {what}", d.len()))
    };
    writeln!(
        out,
        "dataset {}: {} training{}{} samples",
        plan.dataset,
        data.train.len(),
        count(&data.validation, "validation"),
        count(&data.test, "test")
    )?;
    for note in &data.notes {
        writeln!(out, "  {note}")?;
    }
    let biases = if net.layers().iter().all(|l| l.bias_mode() == scratchnet::Bias::Learned) {
        ""
    } else {
        ", no biases"
    };
    let s = &plan.settings;
    writeln!(
        out,
        "network {:?} ({} parameters{biases}), hidden {}, output {}, init {}",
        net.sizes(),
        net.param_count(),
        s.hidden,
        s.output,
        s.init
    )?;
    let wd = if config.weight_decay > 0.0 {
        format!(", weight decay {}", config.weight_decay)
    } else {
        String::new()
    };
    let threads = plan.threads();
    writeln!(
        out,
        "loss {}, optimizer {}, lr {} ({} schedule){wd}, batch {}, {} epochs, seed {}, engine {}, {threads} {}",
        config.loss,
        config.method.name(),
        config.lr,
        config.schedule.name(),
        config.batch_size,
        config.epochs,
        plan.seed,
        config.engine.name(),
        if threads == 1 { "thread" } else { "threads" }
    )?;
    print_settings(out, plan)
}

/// Every setting by its flag's name, a few to a line (what a config file would hold).
fn print_settings(out: &mut dyn Write, plan: &Plan) -> std::io::Result<()> {
    match &plan.config_file {
        Some(file) => writeln!(out, "settings ({} with the flags over it):", file.display())?,
        None => writeln!(out, "settings:")?,
    }
    for line in plan.run_settings.lines(SETTINGS_WIDTH) {
        writeln!(out, "  {line}")?;
    }
    Ok(())
}

/// The settings lines' width, indent included: a little under the usual 100-column terminal.
const SETTINGS_WIDTH: usize = 94;

/// Shows a progress bar during each epoch (on a terminal) and prints one line per epoch,
/// thinned to about 20 lines for runs of many short epochs.
pub struct Progress<'a> {
    out: &'a mut (dyn Write + Send),
    epochs: usize,
    bar: Option<ProgressBar>,
    samples: usize,
    loss_sum: f64,
    correct: Option<usize>,
}

impl Progress<'_> {
    /// Progress of a run of `epochs` epochs, printed to `out`.
    pub fn new(out: &mut (dyn Write + Send), epochs: usize) -> Progress<'_> {
        Progress { out, epochs, bar: None, samples: 0, loss_sum: 0.0, correct: None }
    }

    /// Whether to draw bars: on a terminal, for epochs of many batches.
    fn wants_bar(batches_per_epoch: usize) -> bool {
        batches_per_epoch >= 50 && std::io::stderr().is_terminal()
    }
}

impl Observer for Progress<'_> {
    fn on_batch(&mut self, info: &BatchInfo, _net: &Network) {
        if info.batch == 0 {
            (self.samples, self.loss_sum, self.correct) = (0, 0.0, None);
            if Progress::wants_bar(info.batches_per_epoch) {
                let bar = ProgressBar::new(info.batches_per_epoch as u64);
                let style = ProgressStyle::with_template("{prefix} [{bar:28}] {pos}/{len} {msg}")
                    .expect("a valid template")
                    .progress_chars("=> ");
                bar.set_style(style);
                bar.set_prefix(format!("epoch {}/{}", info.epoch, self.epochs));
                bar.enable_steady_tick(Duration::from_millis(200));
                self.bar = Some(bar);
            }
        }
        self.samples += info.samples;
        self.loss_sum += f64::from(info.loss) * info.samples as f64;
        if let Some(c) = info.correct {
            self.correct = Some(self.correct.unwrap_or(0) + c);
        }
        if let Some(bar) = &self.bar {
            bar.inc(1);
            if info.batch.is_multiple_of(20) || info.batch + 1 == info.batches_per_epoch {
                let rate = self.samples as f64 / bar.elapsed().as_secs_f64().max(1e-9);
                let mut msg = format!("loss {:.4}", self.loss_sum / self.samples as f64);
                if let Some(c) = self.correct {
                    msg += &format!("  acc {:.2}%", 100.0 * c as f64 / self.samples as f64);
                }
                bar.set_message(msg + &format!("  {rate:.0} samples/s"));
            }
        }
    }

    fn on_epoch(&mut self, stats: &EpochStats, _net: &Network) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
        let every = self.epochs.div_ceil(20).max(1);
        if !stats.epoch.is_multiple_of(every) && stats.epoch != self.epochs && stats.epoch != 1 {
            return;
        }
        let width = self.epochs.to_string().len();
        let mut line =
            format!("epoch {:>width$}/{}  train loss {:.4}", stats.epoch, self.epochs, stats.train_loss);
        if let Some(acc) = stats.train_accuracy {
            line += &format!("  acc {:6.2}%", 100.0 * acc);
        }
        if let Some(loss) = stats.val_loss {
            line += &format!("  val loss {loss:.4}");
        }
        if let Some(acc) = stats.val_accuracy {
            line += &format!("  val acc {:6.2}%", 100.0 * acc);
        }
        line += &format!("  lr {:.2e}  {:.2}s", stats.lr, stats.train_seconds);
        // standard output never fails here (see `Tolerant` in cli/mod.rs)
        let _ = writeln!(self.out, "{line}");
    }
}

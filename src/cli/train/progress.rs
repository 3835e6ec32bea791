//! What a `train` run prints as it goes: the header (data, network, settings, engine), then a
//! progress bar during each epoch (on a terminal) and a line per epoch.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use scratchnet::i18n;
use scratchnet::train::{BatchInfo, EpochStats};
use scratchnet::{Network, Observer, t};

use super::plan::Plan;

/// Prints where a resumed run continues (`from` is its checkpoint), then the header.
pub fn print_start(out: &mut dyn Write, plan: &Plan) -> std::io::Result<()> {
    if let Some(state) = &plan.resume {
        let from = plan.outputs.checkpoint.display();
        writeln!(out, "{}", t!("train.resuming", epoch = state.epoch, batch = state.batch, from = from))?;
    }
    print_header(out, plan)
}

/// Three lines (and the data's notes): the data, the network, the training; then every
/// setting by name.
fn print_header(out: &mut dyn Write, plan: &Plan) -> std::io::Result<()> {
    let (data, net, config) = (&plan.data, &plan.net, &plan.config);
    writeln!(out, "{}", data_line(plan))?;
    for note in &data.notes {
        writeln!(out, "  {note}")?;
    }
    let s = &plan.settings;
    let (sizes, params) = (format!("{:?}", net.sizes()), net.param_count());
    let (hidden, output, init) = (s.hidden, s.output, s.init);
    let network = if net.layers().iter().all(|l| l.bias_mode() == scratchnet::Bias::Learned) {
        t!(
            "train.header.network",
            sizes = sizes,
            params = params,
            hidden = hidden,
            output = output,
            init = init
        )
    } else {
        t!(
            "train.header.network-no-biases",
            sizes = sizes,
            params = params,
            hidden = hidden,
            output = output,
            init = init
        )
    };
    writeln!(out, "{network}")?;
    let wd = if config.weight_decay > 0.0 {
        t!("train.header.weight-decay", value = config.weight_decay)
    } else {
        String::new()
    };
    let training = t!(
        "train.header.training",
        loss = config.loss,
        optimizer = config.method.name(),
        lr = config.lr,
        schedule = config.schedule.name(),
        weight_decay = wd,
        batch = config.batch_size,
        epochs = config.epochs,
        seed = plan.seed,
        engine = config.engine.name(),
        threads = i18n::fill_n("train.header.threads", plan.threads(), &[]),
    );
    writeln!(out, "{training}")?;
    print_settings(out, plan)
}

/// "dataset NAME: N training, N validation, N test samples", naming the parts there are.
fn data_line(plan: &Plan) -> String {
    let data = &plan.data;
    let (name, train) = (&plan.dataset, data.train.len());
    match (data.validation.as_ref().map(|d| d.len()), data.test.as_ref().map(|d| d.len())) {
        (None, None) => t!("train.header.data", name = name, train = train),
        (Some(validation), None) => {
            t!("train.header.data-validation", name = name, train = train, validation = validation)
        }
        (None, Some(test)) => t!("train.header.data-test", name = name, train = train, test = test),
        (Some(validation), Some(test)) => t!(
            "train.header.data-validation-test",
            name = name,
            train = train,
            validation = validation,
            test = test
        ),
    }
}

/// Every setting by its flag's name, a few to a line (what a config file would hold).
fn print_settings(out: &mut dyn Write, plan: &Plan) -> std::io::Result<()> {
    match &plan.config_file {
        Some(file) => writeln!(out, "{}", t!("train.header.settings-file", file = file.display()))?,
        None => writeln!(out, "{}", t!("train.header.settings"))?,
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
                bar.set_prefix(t!("train.bar.epoch", epoch = info.epoch, epochs = self.epochs));
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
                let mut msg =
                    t!("train.bar.loss", loss = format!("{:.4}", self.loss_sum / self.samples as f64));
                if let Some(c) = self.correct {
                    let acc = format!("{:.2}", 100.0 * c as f64 / self.samples as f64);
                    msg += &format!("  {}", t!("train.bar.accuracy", accuracy = acc));
                }
                bar.set_message(msg + "  " + &t!("train.bar.rate", rate = format!("{rate:.0}")));
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
        // standard output never fails here (see `Tolerant` in cli/mod.rs)
        let _ = writeln!(self.out, "{}", epoch_line(stats, self.epochs));
    }
}

/// One epoch's line: its number, the training loss (and accuracy), the validation loss (and
/// accuracy), the learning rate and the time, two spaces apart. Numbers are formatted here,
/// so every language prints the same digits in the same widths.
fn epoch_line(stats: &EpochStats, epochs: usize) -> String {
    let width = epochs.to_string().len();
    let epoch = format!("{:>width$}", stats.epoch);
    let mut parts = vec![
        t!("train.epoch.epoch", epoch = epoch, epochs = epochs),
        t!("train.epoch.loss", loss = format!("{:.4}", stats.train_loss)),
    ];
    if let Some(acc) = stats.train_accuracy {
        parts.push(t!("train.epoch.accuracy", accuracy = format!("{:6.2}", 100.0 * acc)));
    }
    if let Some(loss) = stats.val_loss {
        parts.push(t!("train.epoch.val-loss", loss = format!("{loss:.4}")));
    }
    if let Some(acc) = stats.val_accuracy {
        parts.push(t!("train.epoch.val-accuracy", accuracy = format!("{:6.2}", 100.0 * acc)));
    }
    parts.push(t!("train.epoch.lr", lr = format!("{:.2e}", stats.lr)));
    parts.push(t!("train.epoch.seconds", seconds = format!("{:.2}", stats.train_seconds)));
    parts.join("  ")
}

//! Stage 2 of `train`, **run**: the training loop of a [`Plan`] with its observers (the
//! progress lines, the dashboard), checkpoints every N epochs and on Ctrl-C, and what happens
//! when it stops early (interrupted or diverged). Next: `report.rs`.

use std::io::Write;
use std::sync::atomic::Ordering;

use scratchnet::dashboard::Dashboard;
use scratchnet::dashboard::views::{RunFacts, Watch};
use scratchnet::io::Model;
use scratchnet::train::{Control, History, Outcome, RunState, fit_resumable};
use scratchnet::{Error, Network, Observer, t};

use super::plan::Plan;
use super::progress::{Progress, print_start};
use crate::cli::{STOP, TRAINING, out_err, wait_for_ctrl_c};

/// Trains the plan's network; returns its history and the dashboard, if one is served.
///
/// # Errors
/// [`Error::Interrupted`] after Ctrl-C (a checkpoint is written first), [`Error::Diverged`]
/// (with a dashboard: once the user has seen it and pressed Ctrl-C), or a failed write.
pub fn train(plan: &mut Plan, out: &mut (dyn Write + Send)) -> Result<(History, Option<Watch>), Error> {
    print_start(out, plan).map_err(out_err)?;
    let mut watch = match plan.dashboard {
        Some(addr) => Some(start_dashboard(out, plan, addr)?),
        None => None,
    };
    let mut written = None;
    let fitted = match fit(plan, out, watch.as_mut(), &mut written) {
        Ok(Outcome::Finished(history)) => Ok(history),
        Ok(Outcome::Stopped(state)) => {
            let (epoch, batch) =
                if state.batch == 0 { (state.epoch - 1, 0) } else { (state.epoch, state.batch) };
            let path = plan.outputs.checkpoint.display().to_string();
            return Err(Error::Interrupted { by: crate::cli::signals::stopped_by(), epoch, batch, path });
        }
        Err(e) => Err(e),
    };
    if let Some(epoch) = written {
        let path = plan.outputs.checkpoint.display();
        writeln!(out, "{}", t!("train.checkpoint", path = path, epoch = epoch)).map_err(out_err)?;
    }
    let history = match (fitted, watch.as_mut()) {
        (Ok(history), _) => history,
        (Err(Error::Diverged { epoch, batch, loss }), Some(watch)) => {
            watch.diverged(epoch, batch, loss);
            let error = Error::Diverged { epoch, batch, loss };
            writeln!(out, "{}", t!("cli.error", message = error)).map_err(out_err)?;
            wait_for_ctrl_c(out, &watch.url())?;
            return Err(error);
        }
        (Err(e), _) => return Err(e),
    };
    Ok((history, watch))
}

/// Runs [`fit_resumable`] with the progress lines (and `watch`) observing, a checkpoint every
/// `--checkpoint-every` epochs and on Ctrl-C; `written` gets the epoch of the last checkpoint.
fn fit(
    plan: &mut Plan,
    out: &mut (dyn Write + Send),
    watch: Option<&mut Watch>,
    written: &mut Option<usize>,
) -> Result<Outcome, Error> {
    let Plan { data, net, config, rng, model_info, resume, run_info, outputs, .. } = plan;
    let mut write_checkpoint = |net: &Network, state: &RunState| -> Result<(), Error> {
        if run_info.data.is_empty() {
            run_info.data = scratchnet::checkpoint::fingerprint(&data.train);
        }
        let model = Model { net: net.clone(), info: model_info.clone() };
        scratchnet::checkpoint::save(&outputs.checkpoint, &model, state, run_info)?;
        *written = Some(state.epoch - usize::from(state.batch == 0));
        Ok(())
    };
    let mut control = Control {
        resume: resume.take(),
        checkpoint_every: outputs.checkpoint_every,
        checkpoint: Some(&mut write_checkpoint),
        stop: Some(&STOP),
    };
    let mut progress = Progress::new(out, config.epochs);
    let mut both;
    let observer: &mut dyn Observer = match watch {
        Some(watch) => {
            both = (&mut progress, watch);
            &mut both
        }
        None => &mut progress,
    };
    TRAINING.store(true, Ordering::SeqCst);
    let validation = data.validation.as_ref();
    let fitted = fit_resumable(net, &data.train, validation, config, rng, observer, &mut control);
    TRAINING.store(false, Ordering::SeqCst);
    fitted
}

/// Starts the dashboard server, prints its address, and sends the run's facts.
fn start_dashboard(
    out: &mut dyn Write,
    plan: &Plan,
    addr: Option<std::net::SocketAddr>,
) -> Result<Watch, Error> {
    let dashboard = Dashboard::start(addr)?;
    writeln!(out, "{}", t!("cli.dashboard.train", url = dashboard.url())).map_err(out_err)?;
    out.flush().map_err(out_err)?;
    let (data, config) = (&plan.data, &plan.config);
    let facts = RunFacts {
        dataset: plan.dataset.clone(),
        layers: plan.net.sizes(),
        hidden: plan.settings.hidden.name().into(),
        output: plan.settings.output.name().into(),
        loss: config.loss.name().into(),
        optimizer: config.method.name().into(),
        lr: config.lr,
        schedule: config.schedule.name().into(),
        batch_size: config.batch_size,
        epochs: config.epochs,
        train_samples: data.train.len(),
    };
    let shown = data.test.as_ref().or(data.validation.as_ref());
    Ok(Watch::new(dashboard, facts, &data.train, shown))
}

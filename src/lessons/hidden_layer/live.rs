//! Lesson `hidden-layer` in the browser: the training watched on the live dashboard, slowed
//! down to about ten seconds.

use std::time::Duration;

use super::{Outcome, start, train_from};
use crate::Error;
use crate::dashboard::Dashboard;
use crate::dashboard::message::msg;
use crate::dashboard::views::{RunFacts, Watch};
use crate::loss::Loss;
use crate::t;
use crate::train;

/// Like [`super::train()`], with a live view in the browser.
///
/// # Errors
/// [`Error::Config`] if `epochs` is 0.
pub fn train_watched(seed: u64, epochs: usize, dashboard: &Dashboard) -> Result<Outcome, Error> {
    let start = start(seed, epochs);
    let config = &start.config;
    let facts = RunFacts {
        dataset: t!("lesson.hidden-layer.live.dataset").into(),
        layers: start.net.sizes(),
        hidden: "sigmoid".into(),
        output: "sigmoid".into(),
        loss: config.loss.name().into(),
        optimizer: config.method.name().into(),
        lr: config.lr,
        schedule: config.schedule.name().into(),
        batch_size: config.batch_size,
        epochs,
        train_samples: start.data.len(),
    };
    let pace = Duration::from_secs(10).div_f64(epochs.max(1) as f64); // 0 epochs: fit refuses them
    let mut watch = Watch::new(dashboard.clone(), facts, &start.data, None)
        .with_pace(pace)
        .with_view_every(Duration::from_millis(100));
    let outcome = train_from(start, &mut watch)?;
    let accuracy = train::evaluate(&outcome.net, &outcome.data, Loss::Mse)?.accuracy.unwrap_or(0.0);
    let done = msg!("dash.done.hill", percent = format!("{:.0}", 100.0 * accuracy));
    watch.finish(&outcome.net, &done);
    Ok(outcome)
}

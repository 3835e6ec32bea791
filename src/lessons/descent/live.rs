//! Lesson `descent` in the browser: the four runs replayed on the live dashboard.

use std::time::Duration;

use super::{RECIPES, START, line_network, run_recipe_watched};
use crate::Schedule;
use crate::dashboard::Dashboard;
use crate::dashboard::message::msg;
use crate::dashboard::views::{RunFacts, Watch};
use crate::data::Dataset;
use crate::loss::Loss;
use crate::t;

/// Replays every recipe in the browser, one after the other, each slowed to about six seconds
/// (the same runs as [`super::run_all`]: same seed, same path).
pub fn show_all(data: &Dataset, seed: u64, dashboard: &Dashboard) {
    for recipe in RECIPES {
        dashboard.publish("reset", serde_json::json!({ "recipe": recipe.name }));
        let facts = RunFacts {
            dataset: t!("lesson.descent.live.dataset", method = recipe.label()),
            layers: vec![1, 1],
            hidden: "identity".into(),
            output: "identity".into(),
            loss: Loss::Mse.name().into(),
            optimizer: recipe.method.name().into(),
            lr: recipe.lr,
            schedule: Schedule::Constant.name().into(),
            batch_size: recipe.batch_size,
            epochs: recipe.epochs,
            train_samples: data.len(),
        };
        let pace = Duration::from_secs(6).div_f64(recipe.epochs as f64);
        let mut watch = Watch::new(dashboard.clone(), facts, data, None)
            .with_pace(pace)
            .with_view_every(Duration::from_millis(30));
        let run = run_recipe_watched(recipe, data, START, seed, &mut watch);
        let (w, b) = run.last();
        let (w5, b5) = (format!("{w:.5}"), format!("{b:.5}"));
        let done = match recipe.name {
            "stochastic" => msg!("dash.done.line.stochastic", w = w5, b = b5),
            "batch" => msg!("dash.done.line.batch", w = w5, b = b5),
            "mini-batch" => msg!("dash.done.line.mini-batch", w = w5, b = b5),
            _ => msg!("dash.done.line.fixed-step", w = w5, b = b5),
        };
        watch.finish(&line_network(w as f32, b as f32), &done);
    }
}

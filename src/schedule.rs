//! Learning-rate schedules: the learning rate as a function of training progress.
//!
//! A constant rate is the tutorials' choice. A rate that starts high and ends low both moves
//! fast early and settles precisely late; on MNIST a one-cycle schedule is worth about half a
//! point of test accuracy over a constant rate (DESIGN.md's measurements).
//!
//! Read next: `train.rs`, which asks the schedule for a factor before every step.

use crate::Error;
use crate::math;

/// How the learning rate changes: the rate used at a step is `lr · factor(step)`.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Schedule {
    /// factor = 1.
    Constant,
    /// factor = γ^⌊epoch / every⌋: multiply by γ every `every` epochs.
    Step { every: usize, gamma: f32 },
    /// Cosine decay from 1 to 0 over the run: factor = (1 + cos(π·s/T)) / 2.
    Cosine,
    /// One-cycle (Smith 2018, as PyTorch's `OneCycleLR`): linear warm-up from 1/25 to 1 over the
    /// first `warmup` fraction of the steps, then cosine decay to 1/250000.
    OneCycle { warmup: f32 },
}

/// One-cycle starts at lr/25 ...
const ONE_CYCLE_START: f32 = 1.0 / 25.0;
/// ... and ends at lr/(25·10⁴), PyTorch's defaults.
const ONE_CYCLE_END: f32 = ONE_CYCLE_START / 1e4;

impl Schedule {
    /// The name used by the CLI.
    pub fn name(self) -> &'static str {
        match self {
            Schedule::Constant => "constant",
            Schedule::Step { .. } => "step",
            Schedule::Cosine => "cosine",
            Schedule::OneCycle { .. } => "one-cycle",
        }
    }

    /// The factor for step `step` (0-based) of `total_steps`, with `steps_per_epoch` steps in
    /// each epoch.
    pub fn factor(self, step: usize, total_steps: usize, steps_per_epoch: usize) -> f32 {
        let progress = step as f32 / total_steps.max(1) as f32; // in [0, 1)
        let cosine = |p: f32| (1.0 + math::cos_f32(std::f32::consts::PI * p.clamp(0.0, 1.0))) / 2.0;
        match self {
            Schedule::Constant => 1.0,
            Schedule::Step { every, gamma } => {
                let epoch = step / steps_per_epoch.max(1);
                gamma.powi((epoch / every.max(1)) as i32)
            }
            Schedule::Cosine => cosine(progress),
            Schedule::OneCycle { warmup } => {
                if progress < warmup {
                    ONE_CYCLE_START + (1.0 - ONE_CYCLE_START) * progress / warmup
                } else {
                    let p = (progress - warmup) / (1.0 - warmup).max(f32::EPSILON);
                    ONE_CYCLE_END + (1.0 - ONE_CYCLE_END) * cosine(p)
                }
            }
        }
    }

    /// Checks the settings (γ > 0, `every` ≥ 1, warm-up fraction in [0, 1)).
    ///
    /// # Errors
    /// [`Error::Config`] naming the setting.
    pub fn validate(self) -> Result<(), Error> {
        match self {
            Schedule::Step { every: 0, .. } => Err(Error::Config(crate::t!("error.schedule.every").into())),
            Schedule::Step { gamma, .. } if !(gamma > 0.0 && gamma.is_finite()) => {
                Err(Error::Config(crate::t!("error.schedule.gamma", value = gamma)))
            }
            Schedule::OneCycle { warmup } if !(0.0..1.0).contains(&warmup) => {
                Err(Error::Config(crate::t!("error.schedule.warmup", value = warmup)))
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_of_the_schedules() {
        assert_eq!(Schedule::Constant.factor(7, 10, 2), 1.0);
        let step = Schedule::Step { every: 2, gamma: 0.1 };
        // 5 steps per epoch: epochs 0–1 → 1, epochs 2–3 → 0.1, epoch 4 → 0.01
        assert_eq!(step.factor(9, 25, 5), 1.0);
        assert!((step.factor(10, 25, 5) - 0.1).abs() < 1e-7);
        assert!((step.factor(24, 25, 5) - 0.01).abs() < 1e-8);
        assert_eq!(Schedule::Cosine.factor(0, 100, 10), 1.0);
        assert!((Schedule::Cosine.factor(50, 100, 10) - 0.5).abs() < 1e-6);
        let one = Schedule::OneCycle { warmup: 0.3 };
        assert!((one.factor(0, 100, 10) - 0.04).abs() < 1e-6);
        assert!((one.factor(30, 100, 10) - 1.0).abs() < 1e-6);
        assert!(one.factor(99, 100, 10) < 0.001);
        // rises during warm-up, falls after it
        assert!(one.factor(10, 100, 10) < one.factor(20, 100, 10));
        assert!(one.factor(60, 100, 10) > one.factor(80, 100, 10));
    }

    #[test]
    fn bad_settings_are_rejected() {
        assert!(Schedule::Step { every: 0, gamma: 0.5 }.validate().is_err());
        assert!(Schedule::Step { every: 1, gamma: -1.0 }.validate().is_err());
        assert!(Schedule::OneCycle { warmup: 1.0 }.validate().is_err());
        assert!(Schedule::OneCycle { warmup: 0.3 }.validate().is_ok());
    }
}

//! Optimizers: how gradients become weight updates.
//!
//! The tutorials' rule is w ← w − lr·∂L/∂w (plain SGD). Momentum and Adam keep a little state
//! per parameter (a running average of past gradients) to move faster along consistent
//! directions and damp oscillation. Parameters arrive as [`Network::params_mut`]'s list, in its
//! fixed order; state `i` belongs to parameter `i`.
//!
//! Read next: `schedule.rs` (how the learning rate changes during training), then `train.rs`.
//!
//! [`Network::params_mut`]: crate::Network::params_mut

use crate::Error;
use crate::layer::Param;
use crate::t;

/// The update rule, with its own settings.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// θ ← θ − lr·g (tutorials 002–004).
    Sgd,
    /// Fixed-step descent (tutorial 004): θ ← θ − lr·sign(g). Every parameter moves by exactly
    /// `lr` against its slope (not at all where g = 0), however steep the slope: simple, and it
    /// ends zig-zagging a few steps from the minimum (in a narrow valley, more than one).
    Sign,
    /// Heavy-ball momentum, as PyTorch's SGD: v ← μv + g, then θ ← θ − lr·v;
    /// with Nesterov, θ ← θ − lr·(g + μv) (looks one step ahead along v).
    Momentum { momentum: f32, nesterov: bool },
    /// Adam: m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ),
    /// θ ← θ − lr·m̂/(√v̂ + ε). Bias correction (the hats) undoes the zero start of m and v.
    Adam { beta1: f32, beta2: f32, eps: f32 },
}

impl Method {
    /// Momentum 0.9, the usual choice.
    pub const MOMENTUM: Method = Method::Momentum { momentum: 0.9, nesterov: false };
    /// Nesterov momentum 0.9.
    pub const NESTEROV: Method = Method::Momentum { momentum: 0.9, nesterov: true };
    /// Adam with the paper's β₁ = 0.9, β₂ = 0.999, ε = 1e-8.
    pub const ADAM: Method = Method::Adam { beta1: 0.9, beta2: 0.999, eps: 1e-8 };

    /// The name used by the CLI: `sgd`, `sign`, `momentum`, `nesterov` or `adam`.
    pub fn name(self) -> &'static str {
        match self {
            Method::Sgd => "sgd",
            Method::Sign => "sign",
            Method::Momentum { nesterov: true, .. } => "nesterov",
            Method::Momentum { .. } => "momentum",
            Method::Adam { .. } => "adam",
        }
    }

    /// Checks the settings are in range (momentum and betas in [0, 1), ε > 0).
    ///
    /// # Errors
    /// [`Error::Config`] naming the setting.
    pub fn validate(self) -> Result<(), Error> {
        let in_unit = |name: &str, v: f32| {
            if (0.0..1.0).contains(&v) {
                Ok(())
            } else {
                Err(Error::Config(crate::t!("error.optim.unit", name = name, value = v)))
            }
        };
        match self {
            Method::Sgd | Method::Sign => Ok(()),
            Method::Momentum { momentum, .. } => in_unit("momentum", momentum),
            Method::Adam { beta1, beta2, eps } => {
                in_unit("beta1", beta1)?;
                in_unit("beta2", beta2)?;
                if eps > 0.0 && eps.is_finite() {
                    Ok(())
                } else {
                    Err(Error::Config(crate::t!("error.optim.eps", value = eps)))
                }
            }
        }
    }
}

impl std::str::FromStr for Method {
    type Err = Error;
    /// `sgd`, `momentum`, `nesterov`, `adam` or `sign`, with default settings.
    fn from_str(s: &str) -> Result<Self, Error> {
        let all = [Method::Sgd, Method::MOMENTUM, Method::NESTEROV, Method::ADAM, Method::Sign];
        let name = |m: Method| {
            if m == Method::NESTEROV { "nesterov" } else { m.name() }
        };
        crate::parse_name("optimizer", s, &all, name)
    }
}

/// An optimizer: a [`Method`], optional weight decay, and the per-parameter state.
#[derive(Clone, Debug)]
pub struct Optimizer {
    method: Method,
    weight_decay: f32,
    /// Steps taken so far (t in Adam's bias correction).
    steps: u64,
    /// Velocity (momentum) or first moment m (Adam), one buffer per parameter.
    first: Vec<Vec<f32>>,
    /// Second moment v (Adam), one buffer per parameter.
    second: Vec<Vec<f32>>,
}

impl Optimizer {
    pub fn new(method: Method) -> Optimizer {
        Optimizer { method, weight_decay: 0.0, steps: 0, first: Vec::new(), second: Vec::new() }
    }

    /// Adds weight decay λ: for SGD and momentum as an L2 penalty (g ← g + λθ, as PyTorch's
    /// SGD), for Adam decoupled (θ ← θ − lr·λθ, AdamW), which works better with Adam's scaling.
    pub fn with_weight_decay(mut self, weight_decay: f32) -> Optimizer {
        self.weight_decay = weight_decay;
        self
    }

    pub fn method(&self) -> Method {
        self.method
    }

    /// One update of every parameter from its `grad`, with learning rate `lr`, by the rule of
    /// the [`Method`]. The parameters must come in the same order at every step (their state
    /// is kept by position).
    pub fn step<'a>(&mut self, params: impl IntoIterator<Item = &'a mut Param>, lr: f32) {
        let rule = self.next_rule(lr);
        for (i, param) in params.into_iter().enumerate() {
            let (m, v) = self.state_for(i, param.value.len());
            rule.update(param.value.as_mut_slice(), param.grad.as_slice(), m, v);
        }
    }

    /// Counts a step and gives its rule with its constants (Adam's t counts this step).
    pub(crate) fn next_rule(&mut self, lr: f32) -> Rule {
        self.steps += 1;
        Rule { method: self.method, lr, wd: self.weight_decay, t: self.steps as i32 }
    }

    /// The state of parameter `i` (`n` numbers): velocity or first moment, second moment;
    /// zeros at the first step.
    pub(crate) fn state_for(&mut self, i: usize, n: usize) -> (&mut [f32], &mut [f32]) {
        if self.first.len() <= i {
            self.first.resize(i + 1, Vec::new());
            self.second.resize(i + 1, Vec::new());
        }
        let (m, v) = (&mut self.first[i], &mut self.second[i]);
        if m.len() != n {
            (*m, *v) = (vec![0.0; n], vec![0.0; n]);
        }
        (m, v)
    }

    /// True for SGD without weight decay: θ ← θ − lr·g with no state, which the fast engine
    /// applies inside the product that forms g (`fast/`).
    pub(crate) fn is_plain_sgd(&self) -> bool {
        self.method == Method::Sgd && self.weight_decay == 0.0
    }
}

/// An optimizer's memory, for checkpoints: the step count and the per-parameter buffers.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct OptimizerState {
    pub steps: u64,
    /// Velocity or first moment per parameter (empty before the first step).
    #[serde(skip)]
    pub first: Vec<Vec<f32>>,
    /// Second moment per parameter (Adam).
    #[serde(skip)]
    pub second: Vec<Vec<f32>>,
}

impl Optimizer {
    /// A copy of the optimizer's memory.
    pub fn state(&self) -> OptimizerState {
        OptimizerState { steps: self.steps, first: self.first.clone(), second: self.second.clone() }
    }

    /// Takes over `state` (from [`state`](Self::state)) for the parameters of `net`.
    ///
    /// # Errors
    /// [`Error::Config`] if the buffers do not match the network's parameters.
    pub fn restore(&mut self, state: &OptimizerState, net: &crate::Network) -> Result<(), Error> {
        let sizes: Vec<usize> = net.params().iter().map(|p| p.value.len()).collect();
        let fits = |buffers: &[Vec<f32>]| {
            buffers.is_empty()
                || (buffers.len() == sizes.len() && buffers.iter().zip(&sizes).all(|(b, &n)| b.len() == n))
        };
        if !fits(&state.first) || !fits(&state.second) || state.first.len() != state.second.len() {
            return Err(Error::Config(t!("error.optim.state").into()));
        }
        self.steps = state.steps;
        (self.first, self.second) = (state.first.clone(), state.second.clone());
        Ok(())
    }
}

/// One step's update rule with its constants.
#[derive(Clone, Copy)]
pub(crate) struct Rule {
    method: Method,
    lr: f32,
    wd: f32,
    /// Steps taken, counting this one.
    t: i32,
}

impl Rule {
    /// Updates the parameter θ from its gradient g, with the state m (velocity, or Adam's
    /// first moment) and v (Adam's second moment), element by element as [`Method`] says.
    #[inline(always)] // the fast engine compiles this loop for the processor at hand (`fast/optim.rs`)
    pub(crate) fn update(self, theta: &mut [f32], grad: &[f32], m: &mut [f32], v: &mut [f32]) {
        let Rule { lr, wd, t, .. } = self;
        let n = theta.len();
        let (grad, m, v) = (&grad[..n], &mut m[..n], &mut v[..n]);
        match self.method {
            Method::Sgd => {
                for j in 0..n {
                    theta[j] -= lr * (grad[j] + wd * theta[j]);
                }
            }
            Method::Sign => {
                for j in 0..n {
                    let g = grad[j] + wd * theta[j];
                    theta[j] -= lr * sign(g);
                }
            }
            Method::Momentum { momentum, nesterov } => {
                for j in 0..n {
                    let g = grad[j] + wd * theta[j];
                    m[j] = momentum * m[j] + g;
                    theta[j] -= lr * if nesterov { g + momentum * m[j] } else { m[j] };
                }
            }
            Method::Adam { beta1, beta2, eps } => {
                // m̂ = m/c1 and v̂ = v/c2, as multiplications by 1/c1 and 1/c2
                let (inv_c1, inv_c2) = (1.0 / (1.0 - beta1.powi(t)), 1.0 / (1.0 - beta2.powi(t)));
                for j in 0..n {
                    let g = grad[j];
                    m[j] = beta1 * m[j] + (1.0 - beta1) * g;
                    v[j] = beta2 * v[j] + (1.0 - beta2) * g * g;
                    let (m_hat, v_hat) = (m[j] * inv_c1, v[j] * inv_c2);
                    theta[j] -= lr * (m_hat / (v_hat.sqrt() + eps) + wd * theta[j]);
                }
            }
        }
    }
}

/// 1, −1 or 0 (for g = 0: a flat slope moves nothing), as fixed-step descent needs.
#[inline]
fn sign(g: f32) -> f32 {
    if g > 0.0 {
        1.0
    } else if g < 0.0 {
        -1.0
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tensor::Matrix;

    /// θ with the gradient of L = (θ − 4.2)², that is 2(θ − 4.2).
    fn param_with_grad(theta: f32) -> Param {
        let mut p = Param::new(Matrix::filled(1, 1, theta));
        p.grad = Matrix::filled(1, 1, 2.0 * (theta - 4.2));
        p
    }

    fn minimise(method: Method, lr: f32, steps: usize) -> f32 {
        let mut opt = Optimizer::new(method);
        let mut p = param_with_grad(0.0);
        for _ in 0..steps {
            p = param_with_grad(p.value.get(0, 0));
            opt.step(vec![&mut p], lr);
        }
        p.value.get(0, 0)
    }

    #[test]
    fn every_method_finds_the_minimum_of_a_parabola() {
        for (method, lr) in
            [(Method::Sgd, 0.1), (Method::MOMENTUM, 0.05), (Method::NESTEROV, 0.05), (Method::ADAM, 0.1)]
        {
            let theta = minimise(method, lr, 500);
            assert!((theta - 4.2).abs() < 1e-3, "{method:?} ended at {theta}");
        }
    }

    #[test]
    fn one_step_of_each_rule_by_hand() {
        // θ = 0, g = 2(0 − 4.2) = −8.4, lr = 0.1.
        assert!((minimise(Method::Sgd, 0.1, 1) - 0.84).abs() < 1e-6); // 0 − 0.1·(−8.4)
        // momentum: v = 0.9·0 + g = −8.4, θ = 0.84; Nesterov: θ = −0.1·(g + 0.9v) = 1.596
        assert!((minimise(Method::MOMENTUM, 0.1, 1) - 0.84).abs() < 1e-6);
        assert!((minimise(Method::NESTEROV, 0.1, 1) - 1.596).abs() < 1e-5);
        assert!((minimise(Method::Sign, 0.1, 1) - 0.1).abs() < 1e-6); // −0.1·sign(−8.4)
        // Adam's first step: m̂ = g, v̂ = g², so θ moves by lr·g/|g| = 0.1 against the sign of g
        assert!((minimise(Method::ADAM, 0.1, 1) - 0.1).abs() < 1e-6);
    }

    #[test]
    fn weight_decay_pulls_towards_zero() {
        for method in [Method::Sgd, Method::MOMENTUM, Method::ADAM] {
            let mut opt = Optimizer::new(method).with_weight_decay(0.5);
            let mut p = Param::new(Matrix::filled(1, 1, 2.0)); // zero gradient
            opt.step(vec![&mut p], 0.1);
            let w = p.value.get(0, 0);
            assert!((w - 1.9).abs() < 1e-6, "{method:?}: 2 − 0.1·0.5·2 = 1.9, got {w}");
        }
    }

    #[test]
    fn bad_settings_are_rejected() {
        assert!(Method::Momentum { momentum: 1.5, nesterov: false }.validate().is_err());
        assert!(Method::Adam { beta1: 0.9, beta2: 0.999, eps: 0.0 }.validate().is_err());
        assert_eq!("nesterov".parse::<Method>().unwrap(), Method::NESTEROV);
        assert!(
            "adamw"
                .parse::<Method>()
                .unwrap_err()
                .to_string()
                .contains("sgd, momentum, nesterov, adam, sign")
        );
    }
}

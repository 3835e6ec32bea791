//! The optimizer's update for the fast engine.
//!
//! Replaces [`Optimizer::step`] (`optim.rs`): every element goes through the reference's own
//! update rule (`Rule::update`), so the numbers are the reference's bits; what is faster is
//! that the loop is compiled for the processor at hand (`simd.rs`) and that a large parameter
//! is cut in halves between threads (each element is independent, so the cut changes nothing).

use super::simd::vectorised;
use super::threads::join;
use crate::network::Network;
use crate::optim::{Optimizer, Rule};

/// Below this many numbers an update stays on one thread.
const MIN_PARALLEL_UPDATE: usize = 1 << 15;

/// One update of every parameter of `net` from its `grad`, on `threads` threads.
pub(crate) fn step(optimizer: &mut Optimizer, net: &mut Network, lr: f32, threads: usize) {
    let rule = optimizer.next_rule(lr);
    // layer by layer rather than `Network::params_mut`, which collects into a new Vec
    let params = net.layers_mut().iter_mut().flat_map(|layer| layer.params_mut());
    for (i, param) in params.enumerate() {
        let (m, v) = optimizer.state_for(i, param.value.len());
        apply(rule, param.value.as_mut_slice(), param.grad.as_slice(), (m, v), threads);
    }
}

/// [`Rule::update`] cut in halves between `threads` threads.
fn apply(rule: Rule, theta: &mut [f32], grad: &[f32], (m, v): (&mut [f32], &mut [f32]), threads: usize) {
    if threads > 1 && theta.len() >= MIN_PARALLEL_UPDATE {
        let mid = theta.len() / 2;
        let (t1, t2) = theta.split_at_mut(mid);
        let (g1, g2) = grad.split_at(mid);
        let (m1, m2) = m.split_at_mut(mid);
        let (v1, v2) = v.split_at_mut(mid);
        let (a, b) = (threads - threads / 2, threads / 2);
        join(|| apply(rule, t1, g1, (m1, v1), a), || apply(rule, t2, g2, (m2, v2), b));
        return;
    }
    update(rule, theta, grad, m, v);
}

vectorised! {
    /// [`Rule::update`], compiled for the processor at hand.
    fn update(rule: Rule, theta: &mut [f32], grad: &[f32], m: &mut [f32], v: &mut [f32]) {
        rule.update(theta, grad, m, v);
    }
}

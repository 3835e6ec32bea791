//! The fast engine: the reference training step, engineered for speed.
//!
//! The concept files (`tensor.rs` … `train.rs`) hold the reference engine: one plain function
//! per idea, run on one thread. This folder computes the same training step several times
//! faster, and nothing outside it knows how: `train.rs` hands it a batch when
//! [`TrainConfig::engine`](crate::TrainConfig::engine) is [`Engine::Fast`](crate::Engine::Fast).
//! Each function names the reference function it replaces; `tests/engines.rs` proves the two
//! engines agree (bit for bit where the arithmetic is the same, within a derived tolerance
//! where it is not). What it does differently, file by file:
//!
//! | file | replaces | how it is faster |
//! |---|---|---|
//! | `threads.rs` | (one thread) | helper threads that spin while they wait, so a 50 µs piece of work starts at once |
//! | `gemm.rs` | `Matrix::matmul`, `t_matmul`, `matmul_t` | products cut between threads by output columns (each core keeps its half of W), or by inputs for 784 → 128; element-wise work fused into each block |
//! | `simd.rs` | (baseline loops) | element-wise loops compiled for AVX-512 and AVX2, picked at run time, same bits |
//! | `activation.rs` | `Activation::forward`, `backward` | those loops, on parts of a matrix, with the bias |
//! | `layer.rs` | `Dense::forward`, `backward` | fused forward and backward; plain SGD applied inside the gradient's product |
//! | `network.rs` | `Network::forward`, `backward` | reused buffers, no ∂L/∂x for the data, the next batch gathered during the later layers |
//! | `optim.rs` | `Optimizer::step` | the same rule, compiled for the processor and cut between threads |
//! | `gather.rs` | `Features::gather_into` | rows prefetched, columns converted by the core that uses them |
//! | `alloc.rs` | (the system allocator) | buffers start on a cache line: the two cores' halves of a row never share one, and faer's matrix-vector products (batch 1) run 1.8× faster |
//!
//! Read `train.rs`'s `reference_step` first: [`Trainer::step`] does exactly that, faster.
//!
//! A program that wants the last 5–45% (the most at batch 1) declares the allocator of
//! `alloc.rs` as the `scratchnet` binary does; without it every number is the same.
//!
//! ```ignore
//! #[global_allocator]
//! static ALLOC: scratchnet::fast::CacheLineAlloc = scratchnet::fast::CacheLineAlloc;
//! ```

mod activation;
pub mod alloc;
mod gather;
mod gemm;
mod layer;
mod network;
mod optim;
mod simd;
mod threads;

pub use alloc::CacheLineAlloc;

use crate::data::Features;
use crate::network::Network;
use crate::optim::Optimizer;
use crate::tensor::Matrix;
use crate::train::{TrainConfig, clip_gradient};
use network::{Passes, Update};

/// One batch for [`Trainer::step`]: the training inputs, the rows of this batch and of the
/// next (gathered while this one trains), and this batch's targets.
#[derive(Clone, Copy, Debug)]
pub struct Batch<'a> {
    pub inputs: &'a Features,
    pub indices: &'a [usize],
    pub next: Option<&'a [usize]>,
    pub targets: &'a Matrix,
}

/// The fast engine's state for a run: its thread count and its reused buffers.
#[derive(Debug)]
pub struct Trainer {
    threads: usize,
    passes: Passes,
    /// This step's inputs, and the next step's, gathered during this one.
    x: Matrix,
    x_next: Matrix,
    /// The rows whose inputs `x_next` holds.
    prefetched: Vec<usize>,
}

impl Trainer {
    /// A trainer on `threads` threads (at least 1), starting the helper threads it needs.
    pub fn new(threads: usize) -> Trainer {
        let threads = threads.max(1);
        threads::start(threads);
        let (x, x_next, prefetched) = (Matrix::default(), Matrix::default(), Vec::new());
        Trainer { threads, passes: Passes::default(), x, x_next, prefetched }
    }

    /// One training step on `batch`. Replaces [`crate::train::reference_step`], and gives the
    /// same numbers up to rounding: forward, loss, backward and the optimizer's step; for
    /// plain SGD (no weight decay, no clipping) the update is done inside the backward pass
    /// ([`layer::descend`]). Returns the loss; if it is not finite, no parameter is touched.
    pub fn step(
        &mut self,
        net: &mut Network,
        optimizer: &mut Optimizer,
        config: &TrainConfig,
        lr: f32,
        batch: Batch<'_>,
    ) -> f32 {
        let threads = self.threads;
        if self.prefetched != batch.indices {
            gather::gather(batch.inputs, batch.indices, &mut self.x, threads);
        }
        let fused = optimizer.is_plain_sgd() && config.clip_grad.is_none();
        let update = if fused { Update::Descend(lr) } else { Update::Store };
        let (x_next, prefetched) = (&mut self.x_next, &mut self.prefetched);
        let gather_next = || {
            prefetched.clear();
            if let Some(next) = batch.next {
                gather::gather(batch.inputs, next, x_next, threads);
                prefetched.extend_from_slice(next);
            }
        };
        let loss = self.passes.step_while(
            net,
            (&self.x, batch.targets),
            (config.loss, update),
            threads,
            gather_next,
        );
        std::mem::swap(&mut self.x, &mut self.x_next);
        if !loss.is_finite() {
            return loss;
        }
        if fused {
            optimizer.next_rule(lr); // counts the step that `descend` applied
        } else {
            if let Some(max) = config.clip_grad {
                clip_gradient(net, max);
            }
            optim::step(optimizer, net, lr, threads);
        }
        loss
    }

    /// The network's output for the last step's batch.
    pub fn output(&self) -> &Matrix {
        self.passes.output()
    }
}

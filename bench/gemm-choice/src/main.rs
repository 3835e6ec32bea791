//! faer vs matrixmultiply on the 8 products of one training step of 784-128-64-10
//! (3 forward x·W, 3 weight gradients xᵀ·dy, 2 input gradients dy·Wᵀ; the first layer's is
//! skipped), at batch sizes 1, 64, 128 and 1024, one thread. Best of 5 timed rounds.

use faer::{Accum, MatMut, MatRef, Par};
use std::time::Instant;

type Gemm = fn(bool, bool, usize, usize, usize, &[f32], &[f32], &mut [f32]);

/// c (m×n) = op(a) · op(b); all row-major.
#[allow(clippy::too_many_arguments)]
fn mm_faer(ta: bool, tb: bool, m: usize, n: usize, k: usize, a: &[f32], b: &[f32], c: &mut [f32]) {
    let a = if ta { MatRef::from_row_major_slice(a, k, m).transpose() } else { MatRef::from_row_major_slice(a, m, k) };
    let b = if tb { MatRef::from_row_major_slice(b, n, k).transpose() } else { MatRef::from_row_major_slice(b, k, n) };
    let c = MatMut::from_row_major_slice_mut(c, m, n);
    faer::linalg::matmul::matmul(c, Accum::Replace, a, b, 1.0f32, Par::Seq);
}

#[allow(clippy::too_many_arguments)]
fn mm_matrixmultiply(ta: bool, tb: bool, m: usize, n: usize, k: usize, a: &[f32], b: &[f32], c: &mut [f32]) {
    let (rsa, csa) = if ta { (1isize, m as isize) } else { (k as isize, 1) };
    let (rsb, csb) = if tb { (1isize, k as isize) } else { (n as isize, 1) };
    // SAFETY: the strides describe the slices' own row-major layouts and sizes.
    unsafe {
        matrixmultiply::sgemm(m, k, n, 1.0, a.as_ptr(), rsa, csa, b.as_ptr(), rsb, csb, 0.0, c.as_mut_ptr(), n as isize, 1)
    }
}

fn step(f: Gemm, n: usize, big: &[f32], out: &mut [f32]) {
    let sizes = [784usize, 128, 64, 10];
    for l in 0..3 {
        let (i, o) = (sizes[l], sizes[l + 1]);
        f(false, false, n, o, i, &big[..n * i], &big[..i * o], &mut out[..n * o]);
    }
    for l in 0..3 {
        let (i, o) = (sizes[l], sizes[l + 1]);
        f(true, false, i, o, n, &big[..n * i], &big[..n * o], &mut out[..i * o]);
    }
    for l in 1..3 {
        let (i, o) = (sizes[l], sizes[l + 1]);
        f(false, true, n, i, o, &big[..n * o], &big[..i * o], &mut out[..n * i]);
    }
}

fn main() {
    let big = vec![0.5f32; 1024 * 784];
    let mut out = vec![0f32; 1024 * 784];
    for n in [1usize, 64, 128, 1024] {
        for (name, f) in [("faer", mm_faer as Gemm), ("matrixmultiply", mm_matrixmultiply as Gemm)] {
            let reps = (200_000 / n).max(20);
            for _ in 0..reps / 10 {
                step(f, n, &big, &mut out);
            }
            let mut best = f64::MAX;
            for _ in 0..5 {
                let t = Instant::now();
                for _ in 0..reps {
                    step(f, n, &big, &mut out);
                }
                best = best.min(t.elapsed().as_secs_f64() / reps as f64);
            }
            let n_f = n as f64;
            let flops = 2.0 * n_f * (784.0 * 128.0 + 128.0 * 64.0 + 64.0 * 10.0) * 3.0 - 2.0 * n_f * 784.0 * 128.0;
            println!(
                "batch {n:5} {name:15} {:8.1} µs/step {:6.1} GFLOP/s  products of a 60k epoch {:.3} s",
                best * 1e6,
                flops / best / 1e9,
                best * 60000.0 / n_f
            );
        }
    }
}

//! Matrix products cut between threads, each piece finished where it was computed.
//!
//! Replaces the reference engine's products (`Matrix::matmul`, `t_matmul`, `matmul_t` in
//! `tensor.rs`) for the fast engine. Each output is cut into blocks of columns (or rows), and
//! each block is one sequential faer call on one thread, so every element's sum is computed by
//! one thread in one order: a seed and a thread count always give the same bits. Three things
//! make it faster than the reference besides the second core:
//! - a [`Finish`] runs on each block right after it is computed, while it is still in that
//!   core's cache (the bias and activation after x·W, the activation's derivative after dy·Wᵀ);
//! - products can add `alpha` times the result to the output (W += −lr·xᵀ·dy: the plain SGD
//!   step done inside the product that forms the gradient, `layer.rs` of this folder);
//! - a layer with many more inputs than outputs can cut the inner sum instead
//!   ([`inner_cut`]), so each core reads only its own columns of the batch and rows of W.
//!
//! The reference's products are sequential faer calls too: on one thread and without a cut,
//! these give exactly its bits (`tests/engines.rs`).

use faer::reborrow::ReborrowMut;
use faer::{MatMut, MatRef};

use super::threads::join;
use crate::tensor::Matrix;

/// Element-wise work on a product's output, done right after the product by the thread
/// that computed each part, while that part is still in its core's cache: a layer's bias and
/// activation after y = x·W, or the activation's derivative after dy·Wᵀ. Called as
/// `finish(row, first_col, values)` for each row of each thread's block: `values` are the
/// output's elements `(row, first_col..first_col + values.len())`. On two threads this keeps
/// each core's half of a layer's output in that core (it came back from the other core
/// otherwise), and the element-wise work is shared between the cores too.
pub type Finish<'a> = &'a (dyn Fn(usize, usize, &mut [f32]) + Sync);

/// How a product treats its output: overwrite it, or add `alpha` times the product to it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Accum {
    Replace,
    Add(f32),
}

fn view(m: &Matrix) -> MatRef<'_, f32> {
    MatRef::from_row_major_slice(m.as_slice(), m.rows(), m.cols())
}

fn view_mut(m: &mut Matrix) -> MatMut<'_, f32> {
    let (rows, cols) = m.shape();
    MatMut::from_row_major_slice_mut(m.as_mut_slice(), rows, cols)
}

/// `out = a·b`, then `finish` on every row of every block. Replaces [`Matrix::matmul`]
/// (and the bias and activation applied after it in a forward pass).
pub(crate) fn matmul_then(
    a: &Matrix,
    b: &Matrix,
    out: &mut Matrix,
    finish: Option<Finish<'_>>,
    threads: usize,
) {
    assert_eq!(a.cols(), b.rows(), "matmul: {:?} · {:?}", a.shape(), b.shape());
    out.reshape_for(a.rows(), b.cols());
    Product::replace(finish).run(view_mut(out), (0, 0), view(a), view(b), threads);
}

/// `out = a·bᵀ`, then `finish`. Replaces [`Matrix::matmul_t`] (∂L/∂x = dy·Wᵀ, and the
/// activation's derivative after it in a backward pass).
pub(crate) fn matmul_t_then(
    a: &Matrix,
    b: &Matrix,
    out: &mut Matrix,
    finish: Option<Finish<'_>>,
    threads: usize,
) {
    assert_eq!(a.cols(), b.cols(), "matmul_t: {:?} · {:?}ᵀ", a.shape(), b.shape());
    out.reshape_for(a.rows(), b.rows());
    Product::replace(finish).run(view_mut(out), (0, 0), view(a), view(b).transpose(), threads);
}

/// `out = aᵀ·b` or `out += alpha·aᵀ·b` (`out` already shaped), with the first cut between
/// rows `rows_at` and `rows_at + 1` of `out` if given. Replaces [`Matrix::t_matmul`]
/// (∂L/∂W = xᵀ·dy) and, with `Accum::Add(−lr)`, the SGD update after it.
pub(crate) fn t_matmul_into(
    a: &Matrix,
    b: &Matrix,
    out: &mut Matrix,
    accum: Accum,
    rows_at: Option<usize>,
    threads: usize,
) {
    assert_eq!(a.rows(), b.rows(), "t_matmul: {:?}ᵀ · {:?}", a.shape(), b.shape());
    assert_eq!(out.shape(), (a.cols(), b.cols()), "t_matmul: output shape");
    let job = match accum {
        Accum::Replace => Product::replace(None),
        Accum::Add(alpha) => Product::add(alpha),
    };
    Product { rows_at, ..job }.run(view_mut(out), (0, 0), view(a).transpose(), view(b), threads);
}

/// `out = a·b`, then `finish`, computed as two halves of the inner sum:
/// `a[:, ..at]·b[..at, :]` on this thread and `a[:, at..]·b[at.., :]` into `partial` on
/// another, then added up (and finished) block by block on both. Replaces [`Matrix::matmul`]
/// for a layer with many inputs (784 pixels): each core reads only its own columns of the
/// batch and its own rows of W, which it also updates (see [`inner_cut`]).
pub(crate) fn matmul_cut_inner_then(
    a: &Matrix,
    b: &Matrix,
    at: usize,
    (out, partial): (&mut Matrix, &mut Matrix),
    finish: Option<Finish<'_>>,
    threads: usize,
) {
    assert_eq!(a.cols(), b.rows(), "matmul: {:?} · {:?}", a.shape(), b.shape());
    assert!(0 < at && at < a.cols(), "inner cut {at} outside 1..{}", a.cols());
    out.reshape_for(a.rows(), b.cols());
    partial.reshape_for(a.rows(), b.cols());
    let (t1, t2) = (threads - threads / 2, (threads / 2).max(1));
    let (a1, a2) = view(a).split_at_col(at);
    let (b1, b2) = view(b).split_at_row(at);
    let job = Product::replace(None);
    let (dst, part) = (view_mut(out), view_mut(partial));
    join(|| job.run(dst, (0, 0), a1, b1, t1), || job.run(part, (0, 0), a2, b2, t2));
    add_then(view_mut(out), view(partial), (0, 0), finish, threads);
}

/// `dst += src`, then `finish` on each row of `dst`, cut between `threads` threads as
/// [`Product::run`] cuts an output.
fn add_then(
    mut dst: MatMut<'_, f32>,
    src: MatRef<'_, f32>,
    origin: (usize, usize),
    finish: Option<Finish<'_>>,
    threads: usize,
) {
    let (m, n) = (dst.nrows(), dst.ncols());
    if threads < 2 || m * n < MIN_PARALLEL_ADD {
        for i in 0..m {
            let row = row_of(dst.rb_mut(), i);
            let other = src.row(i).try_as_row_major().expect("a row-major matrix").as_slice();
            add_each_chunk(other, row);
            if let Some(finish) = finish {
                finish(origin.0 + i, origin.1, row);
            }
        }
        return;
    }
    let (t1, t2) = (threads - threads / 2, threads / 2);
    match Cut::of(m, n, threads) {
        Cut::Rows(mid) => {
            let ((d1, d2), (s1, s2)) = (dst.split_at_row_mut(mid), src.split_at_row(mid));
            join(
                || add_then(d1, s1, origin, finish, t1),
                || add_then(d2, s2, (origin.0 + mid, origin.1), finish, t2),
            );
        }
        Cut::Columns(mid) => {
            let ((d1, d2), (s1, s2)) = (dst.split_at_col_mut(mid), src.split_at_col(mid));
            join(
                || add_then(d1, s1, origin, finish, t1),
                || add_then(d2, s2, (origin.0, origin.1 + mid), finish, t2),
            );
        }
    }
}

/// Where a block of `m × n` outputs is cut between the first `threads − threads / 2` threads
/// and the others: by columns, or by rows if it has fewer than [`MIN_COLUMNS_TO_CUT`] columns
/// ([`Product::run`] says why).
#[derive(Clone, Copy)]
enum Cut {
    Rows(usize),
    Columns(usize),
}

impl Cut {
    fn of(m: usize, n: usize, threads: usize) -> Cut {
        let t1 = threads - threads / 2;
        if n < MIN_COLUMNS_TO_CUT { Cut::Rows(m * t1 / threads) } else { Cut::Columns(n * t1 / threads) }
    }
}

/// Row `i` of a row-major view, as a slice.
pub(crate) fn row_of(mat: MatMut<'_, f32>, i: usize) -> &mut [f32] {
    mat.row_mut(i).try_as_row_major_mut().expect("a row-major matrix").as_slice_mut()
}

/// Below this many elements [`add_then`] stays on one thread.
const MIN_PARALLEL_ADD: usize = 1 << 12;

/// Where to cut the inner dimension of `x·W` between threads, for an `m × k` batch `x` and a
/// `k × n` weight `W`, if the cut pays: on two or more threads, for enough work, and for a
/// layer with at least four times as many inputs as outputs (784 pixels → 128 units). The
/// first thread's share is rounded down to whole cache lines (16 floats), so the two shares of
/// each row of the batch never share a line. The training loop's gather of a batch cuts its
/// columns at [`input_cut`] too, so each core writes the part of the batch it reads.
pub(crate) fn inner_cut(m: usize, k: usize, n: usize, threads: usize) -> Option<usize> {
    let worth = threads > 1 && k >= 4 * n && m.saturating_mul(k).saturating_mul(n) >= MIN_PARALLEL_WORK;
    worth.then(|| input_cut(k, threads)).flatten()
}

/// The first thread's share of `k` inputs cut between `threads` threads, in whole cache lines
/// (`None` if one share would be empty).
pub(crate) fn input_cut(k: usize, threads: usize) -> Option<usize> {
    let t1 = threads - threads / 2;
    let at = k * t1 / threads / 16 * 16;
    (threads > 1 && 0 < at && at < k).then_some(at)
}

/// Below this many multiply-adds a product stays on one thread: splitting costs more.
const MIN_PARALLEL_WORK: usize = 1 << 18;

/// Outputs narrower than this are cut by rows; wider ones by columns (see [`Product::run`]).
const MIN_COLUMNS_TO_CUT: usize = 32;

/// The settings of one product, shared by all its pieces: overwrite the output or add
/// `alpha` times the product to it, what to finish it with, where to cut it first.
#[derive(Clone, Copy)]
struct Product<'a> {
    accum: faer::Accum,
    alpha: f32,
    finish: Option<Finish<'a>>,
    /// If set, the first cut is between these rows of the output instead of the usual one.
    rows_at: Option<usize>,
}

impl<'a> Product<'a> {
    /// `c ← a·b`, then `finish`.
    fn replace(finish: Option<Finish<'a>>) -> Product<'a> {
        Product { accum: faer::Accum::Replace, alpha: 1.0, finish, rows_at: None }
    }

    /// `c ← c + alpha·a·b`.
    fn add(alpha: f32) -> Product<'a> {
        Product { accum: faer::Accum::Add, alpha, finish: None, rows_at: None }
    }

    /// `dst ← lhs·rhs` or `dst ← dst + alpha·lhs·rhs` on `threads` threads, then `finish`; `dst`
    /// is the block of the whole output that starts at `origin` (row, column). The output is cut
    /// into blocks of columns (blocks of rows if it has fewer than [`MIN_COLUMNS_TO_CUT`]), each
    /// computed by one sequential faer call: every element's sum is done by one thread in one
    /// order, and the cut depends only on the shapes and the thread count, so a seed and a thread
    /// count always give the same result, whatever faer does inside. The second piece of each cut
    /// goes to a waiting helper thread (`threads.rs`).
    ///
    /// Why columns: in a layer, the columns of the output y = x·W, of the weight gradient xᵀ·dy
    /// and of W itself are the same units. Cutting all three the same way, each core computes,
    /// updates and reads back the same half of W, which stays in its own cache. Cutting the
    /// gradient by rows (the longer side of 784×128) made the halves cross between the cores at
    /// every step: an epoch at batch 64 took 0.32 s instead of 0.18 s.
    fn run(
        self,
        mut dst: MatMut<'_, f32>,
        origin: (usize, usize),
        lhs: MatRef<'_, f32>,
        rhs: MatRef<'_, f32>,
        threads: usize,
    ) {
        let (m, n, k) = (dst.nrows(), dst.ncols(), lhs.ncols());
        if threads < 2 || m.saturating_mul(n).saturating_mul(k) < MIN_PARALLEL_WORK {
            if m * n * k <= crate::tensor::SMALL_PRODUCT {
                small_product(dst.rb_mut(), self.accum, lhs, rhs, self.alpha);
            } else {
                faer::linalg::matmul::matmul(dst.rb_mut(), self.accum, lhs, rhs, self.alpha, faer::Par::Seq);
            }
            if let Some(finish) = self.finish {
                for i in 0..m {
                    finish(origin.0 + i, origin.1, row_of(dst.rb_mut(), i));
                }
            }
            return;
        }
        let (t1, t2) = (threads - threads / 2, threads / 2);
        let cut = match self.rows_at.filter(|&mid| mid > 0 && mid < m) {
            Some(mid) => Cut::Rows(mid),
            None => Cut::of(m, n, threads),
        };
        let rest = Product { rows_at: None, ..self }; // `rows_at` places the first cut only
        match cut {
            Cut::Rows(mid) => {
                let ((d1, d2), (l1, l2)) = (dst.split_at_row_mut(mid), lhs.split_at_row(mid));
                join(
                    || rest.run(d1, origin, l1, rhs, t1),
                    || rest.run(d2, (origin.0 + mid, origin.1), l2, rhs, t2),
                );
            }
            Cut::Columns(mid) => {
                let ((d1, d2), (r1, r2)) = (dst.split_at_col_mut(mid), rhs.split_at_col(mid));
                join(
                    || rest.run(d1, origin, lhs, r1, t1),
                    || rest.run(d2, (origin.0, origin.1 + mid), lhs, r2, t2),
                );
            }
        }
    }
}

super::simd::vectorised! {
    /// Adds each `out.len()`-long chunk of `data` to `out`, chunks in order.
    pub(crate) fn add_each_chunk(data: &[f32], out: &mut [f32]) {
        for chunk in data.chunks_exact(out.len()) {
            for (o, v) in out.iter_mut().zip(chunk) {
                *o += v;
            }
        }
    }
}

/// Replaces `tensor::gemm`'s small products: the same three loops, so both engines (and every
/// platform) give the same bits for the lessons' and the playground's small networks.
fn small_product(
    mut dst: MatMut<'_, f32>,
    accum: faer::Accum,
    lhs: MatRef<'_, f32>,
    rhs: MatRef<'_, f32>,
    alpha: f32,
) {
    for i in 0..dst.nrows() {
        for j in 0..dst.ncols() {
            let mut sum = 0.0f32;
            for p in 0..lhs.ncols() {
                sum += lhs[(i, p)] * rhs[(p, j)];
            }
            dst[(i, j)] = match accum {
                faer::Accum::Replace => sum,
                faer::Accum::Add => dst[(i, j)] + alpha * sum,
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Integers from −3 to 3: every sum of their products is exact in `f32`, so a product
    /// must give the same bits however it is cut between threads.
    fn small_integers(rows: usize, cols: usize, k: usize) -> Matrix {
        let data = (0..rows * cols).map(|i| ((i * k) % 7) as f32 - 3.0).collect();
        Matrix::from_vec(rows, cols, data).unwrap()
    }

    fn transpose(m: &Matrix) -> Matrix {
        let mut t = Matrix::zeros(m.cols(), m.rows());
        for r in 0..m.rows() {
            for c in 0..m.cols() {
                t.set(c, r, m.get(r, c));
            }
        }
        t
    }

    #[test]
    fn finish_sees_every_element_once_with_its_position_on_any_thread_count() {
        let (a, b) = (small_integers(64, 200, 3), small_integers(200, 96, 7));
        let bt = transpose(&b);
        let mark = |row: usize, col: usize, values: &mut [f32]| {
            for (j, v) in values.iter_mut().enumerate() {
                *v = *v * 10_000.0 + (row * 100 + col + j) as f32;
            }
        };
        let mut expected = a.matmul(&b);
        for r in 0..expected.rows() {
            mark(r, 0, expected.row_mut(r));
        }
        for threads in [1, 2, 3] {
            super::super::threads::start(threads);
            let mut out = Matrix::zeros(0, 0);
            matmul_then(&a, &b, &mut out, Some(&mark), threads);
            assert!(out == expected, "a·b then finish on {threads} threads");
            matmul_t_then(&a, &bt, &mut out, Some(&mark), threads);
            assert!(out == expected, "a·(bᵀ)ᵀ then finish on {threads} threads");
        }
    }

    #[test]
    fn a_product_cut_by_its_inner_dimension_is_the_product() {
        let (a, b) = (small_integers(40, 784, 3), small_integers(784, 128, 5));
        let expected = a.matmul(&b);
        let bias = |_row: usize, col: usize, values: &mut [f32]| {
            values.iter_mut().enumerate().for_each(|(j, v)| *v += (col + j) as f32 * 1000.0);
        };
        let mut with_bias = expected.clone();
        for r in 0..40 {
            for c in 0..128 {
                with_bias.set(r, c, expected.get(r, c) + c as f32 * 1000.0);
            }
        }
        for threads in [1, 2, 3] {
            super::super::threads::start(threads);
            let (mut out, mut partial) = (Matrix::zeros(0, 0), Matrix::zeros(0, 0));
            for at in [16, 384, 768] {
                matmul_cut_inner_then(&a, &b, at, (&mut out, &mut partial), None, threads);
                assert!(out == expected, "cut at {at} on {threads} threads");
                matmul_cut_inner_then(&a, &b, at, (&mut out, &mut partial), Some(&bias), threads);
                assert!(out == with_bias, "cut at {at} then finish, {threads} threads");
            }
        }
        assert_eq!(inner_cut(64, 784, 128, 2), Some(384), "whole cache lines for the first thread");
        assert_eq!(inner_cut(64, 128, 64, 2), None, "not for a layer with few inputs per output");
        assert_eq!(inner_cut(1, 784, 128, 2), None, "not for too little work");
        assert_eq!(inner_cut(64, 784, 128, 1), None, "not on one thread");
        assert_eq!(input_cut(784, 2), Some(384));
        assert_eq!(input_cut(10, 2), None);
    }

    #[test]
    fn an_added_product_is_the_product_added_and_cuts_change_no_exact_sum() {
        let (x, dy) = (small_integers(300, 700, 3), small_integers(300, 40, 5));
        let expected = x.t_matmul(&dy);
        for threads in [1, 2, 3] {
            super::super::threads::start(threads);
            let mut out = Matrix::filled(700, 40, 1.0);
            t_matmul_into(&x, &dy, &mut out, Accum::Add(-2.0), Some(384), threads);
            let mut sum = expected.clone();
            sum.as_mut_slice().iter_mut().for_each(|v| *v = 1.0 - 2.0 * *v);
            assert!(out == sum, "{threads} threads");
            t_matmul_into(&x, &dy, &mut out, Accum::Replace, None, threads);
            assert!(out == expected, "{threads} threads");
        }
    }
}

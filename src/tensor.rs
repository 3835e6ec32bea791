//! `Matrix`: a row-major `f32` matrix, and the few operations a network needs.
//!
//! A batch is `n × features`, one sample per row, everywhere in scratchnet. The heavy arithmetic
//! (matrix products) goes through one private function, `gemm`, backed by the `faer` crate:
//! the tutorials use numpy's `dot` the same way. Why `faer` and not another crate is measured in
//! `docs/decisions.md`. Everything else here is a plain loop over slices.
//!
//! Read next: `activation.rs` (the non-linearities applied to a matrix).

use crate::Error;
use crate::buffer::Buffer;

/// A row-major `f32` matrix: element (r, c) is `data[r * cols + c]`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Matrix {
    rows: usize,
    cols: usize,
    /// Starts on a cache line (`buffer.rs` says why).
    data: Buffer,
}

impl Matrix {
    /// A `rows × cols` matrix of zeros.
    pub fn zeros(rows: usize, cols: usize) -> Matrix {
        Matrix { rows, cols, data: Buffer::filled(rows * cols, 0.0) }
    }

    /// A `rows × cols` matrix with every element equal to `value`.
    pub fn filled(rows: usize, cols: usize, value: f32) -> Matrix {
        Matrix { rows, cols, data: Buffer::filled(rows * cols, value) }
    }

    /// Wraps row-major `data` as a `rows × cols` matrix.
    ///
    /// # Errors
    /// [`Error::Shape`] if `data.len() != rows * cols`.
    pub fn from_vec(rows: usize, cols: usize, data: Vec<f32>) -> Result<Matrix, Error> {
        if data.len() != rows * cols {
            return Err(Error::Shape(format!(
                "{} values cannot fill a {rows}×{cols} matrix (needs {})",
                data.len(),
                rows * cols
            )));
        }
        Ok(Matrix { rows, cols, data: Buffer::from_slice(&data) })
    }

    /// Builds a matrix from rows of equal length, e.g. `Matrix::from_rows(&[[2.0, 3.0]])`.
    ///
    /// # Panics
    /// If the rows differ in length (a literal in code, so a bug at the call site).
    pub fn from_rows<R: AsRef<[f32]>>(rows: &[R]) -> Matrix {
        let cols = rows.first().map_or(0, |r| r.as_ref().len());
        let mut data = Buffer::default();
        for (i, row) in rows.iter().enumerate() {
            let row = row.as_ref();
            assert_eq!(row.len(), cols, "row {i} has {} values, row 0 has {cols}", row.len());
            data.extend_from_slice(row);
        }
        Matrix { rows: rows.len(), cols, data }
    }

    pub fn rows(&self) -> usize {
        self.rows
    }

    pub fn cols(&self) -> usize {
        self.cols
    }

    /// `(rows, cols)`.
    pub fn shape(&self) -> (usize, usize) {
        (self.rows, self.cols)
    }

    /// Number of elements, `rows · cols`.
    pub fn len(&self) -> usize {
        self.data.len()
    }

    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    pub fn as_slice(&self) -> &[f32] {
        &self.data
    }

    pub fn as_mut_slice(&mut self) -> &mut [f32] {
        &mut self.data
    }

    pub fn into_vec(self) -> Vec<f32> {
        self.data.to_vec()
    }

    /// Row `r` as a slice.
    pub fn row(&self, r: usize) -> &[f32] {
        &self.data[r * self.cols..(r + 1) * self.cols]
    }

    pub fn row_mut(&mut self, r: usize) -> &mut [f32] {
        &mut self.data[r * self.cols..(r + 1) * self.cols]
    }

    /// Element (r, c).
    pub fn get(&self, r: usize, c: usize) -> f32 {
        assert!(r < self.rows && c < self.cols, "({r}, {c}) outside {}×{}", self.rows, self.cols);
        self.data[r * self.cols + c]
    }

    pub fn set(&mut self, r: usize, c: usize, value: f32) {
        assert!(r < self.rows && c < self.cols, "({r}, {c}) outside {}×{}", self.rows, self.cols);
        self.data[r * self.cols + c] = value;
    }

    /// Makes this matrix `rows × cols`, reusing its buffer (contents unspecified afterwards).
    /// Layers call it every batch; it allocates only when the buffer must grow.
    pub fn reshape_for(&mut self, rows: usize, cols: usize) {
        self.rows = rows;
        self.cols = cols;
        self.data.resize(rows * cols, 0.0);
    }

    /// Copies `other` into `self`, reusing `self`'s buffer.
    pub fn copy_from(&mut self, other: &Matrix) {
        self.rows = other.rows;
        self.cols = other.cols;
        self.data.clear();
        self.data.extend_from_slice(&other.data);
    }

    /// The rows with the given indices, in that order (a mini-batch from a shuffled order).
    pub fn gather_rows(&self, indices: &[usize]) -> Matrix {
        let mut out = Matrix::zeros(0, self.cols);
        self.gather_rows_into(indices, &mut out);
        out
    }

    /// Like [`gather_rows`](Self::gather_rows), into a reused buffer.
    pub fn gather_rows_into(&self, indices: &[usize], out: &mut Matrix) {
        out.reshape_for(indices.len(), self.cols);
        for (dst, &i) in out.data.chunks_exact_mut(self.cols.max(1)).zip(indices) {
            dst.copy_from_slice(self.row(i));
        }
    }

    /// `self · other` (n×k · k×m → n×m).
    ///
    /// # Panics
    /// If `self.cols() != other.rows()`: shapes are checked where data enters, so it is our bug.
    pub fn matmul(&self, other: &Matrix) -> Matrix {
        let mut out = Matrix::zeros(self.rows, other.cols);
        self.matmul_into(other, &mut out);
        out
    }

    /// `self · other` written into `out` (resized as needed).
    pub fn matmul_into(&self, other: &Matrix, out: &mut Matrix) {
        self.matmul_into_then(other, out, None);
    }

    /// [`matmul_into`](Self::matmul_into), then `finish` on every row of the output, done by
    /// the thread that computed that part of it (see [`Finish`]).
    pub fn matmul_into_then(&self, other: &Matrix, out: &mut Matrix, finish: Option<Finish<'_>>) {
        assert_eq!(self.cols, other.rows, "matmul: {:?} · {:?}", self.shape(), other.shape());
        out.reshape_for(self.rows, other.cols);
        gemm(Op::N, Op::N, self, other, out, Product::replace(finish));
    }

    /// `selfᵀ · other` without building the transpose (∂L/∂W = xᵀ·dy).
    pub fn t_matmul(&self, other: &Matrix) -> Matrix {
        let mut out = Matrix::zeros(self.cols, other.cols);
        self.t_matmul_add_into(other, &mut out);
        out
    }

    /// `out += selfᵀ · other` (accumulating ∂L/∂W over batches or samples).
    pub fn t_matmul_add_into(&self, other: &Matrix, out: &mut Matrix) {
        assert_eq!(self.rows, other.rows, "t_matmul: {:?}ᵀ · {:?}", self.shape(), other.shape());
        assert_eq!(out.shape(), (self.cols, other.cols), "t_matmul: output shape");
        gemm(Op::T, Op::N, self, other, out, Product::add(1.0));
    }

    /// `out += alpha · selfᵀ · other`: with alpha = −lr this is a gradient-descent step on a
    /// weight matrix done by the gradient's own product (W ← W − lr·xᵀ·dy), the gradient
    /// never stored. The first cut between threads falls between rows `rows_at` and
    /// `rows_at + 1` of `out` if given.
    pub(crate) fn t_matmul_scaled_add_into(
        &self,
        other: &Matrix,
        alpha: f32,
        out: &mut Matrix,
        rows_at: Option<usize>,
    ) {
        assert_eq!(self.rows, other.rows, "t_matmul: {:?}ᵀ · {:?}", self.shape(), other.shape());
        assert_eq!(out.shape(), (self.cols, other.cols), "t_matmul: output shape");
        gemm(Op::T, Op::N, self, other, out, Product { rows_at, ..Product::add(alpha) });
    }

    /// `selfᵀ · other` written into `out`, which must already have the right shape.
    pub fn t_matmul_into(&self, other: &Matrix, out: &mut Matrix) {
        self.t_matmul_cut_into(other, out, None);
    }

    /// [`t_matmul_into`](Self::t_matmul_into), with the first cut between threads between
    /// rows `rows_at` and `rows_at + 1` of `out` if given.
    pub(crate) fn t_matmul_cut_into(&self, other: &Matrix, out: &mut Matrix, rows_at: Option<usize>) {
        assert_eq!(self.rows, other.rows, "t_matmul: {:?}ᵀ · {:?}", self.shape(), other.shape());
        assert_eq!(out.shape(), (self.cols, other.cols), "t_matmul: output shape");
        gemm(Op::T, Op::N, self, other, out, Product { rows_at, ..Product::replace(None) });
    }

    /// `out = self · other`, then `finish`, computed as two halves of the inner sum:
    /// `self[:, ..at]·other[..at, :]` on this thread's side and `self[:, at..]·other[at.., :]`
    /// into `partial` on the other's, then added up (and finished) column block by column
    /// block on both. For a layer with many inputs (784 pixels): each core reads only its own
    /// columns of the batch and its own rows of W, which it also writes (see [`inner_cut`]).
    pub(crate) fn matmul_cut_inner_into_then(
        &self,
        other: &Matrix,
        at: usize,
        out: &mut Matrix,
        partial: &mut Matrix,
        finish: Option<Finish<'_>>,
    ) {
        use faer::{MatMut, MatRef};
        assert_eq!(self.cols, other.rows, "matmul: {:?} · {:?}", self.shape(), other.shape());
        assert!(0 < at && at < self.cols, "inner cut {at} outside 1..{}", self.cols);
        out.reshape_for(self.rows, other.cols);
        partial.reshape_for(self.rows, other.cols);
        let threads = crate::parallel::threads();
        let (t1, t2) = (threads - threads / 2, (threads / 2).max(1));
        let (a1, a2) = MatRef::from_row_major_slice(&self.data, self.rows, self.cols).split_at_col(at);
        let (b1, b2) = MatRef::from_row_major_slice(&other.data, other.rows, other.cols).split_at_row(at);
        let (rows, cols) = (self.rows, other.cols);
        let dst = MatMut::from_row_major_slice_mut(&mut out.data, rows, cols);
        let part = MatMut::from_row_major_slice_mut(&mut partial.data, rows, cols);
        let job = Product::replace(None);
        crate::parallel::join(|| job.run(dst, (0, 0), a1, b1, t1), || job.run(part, (0, 0), a2, b2, t2));
        let dst = MatMut::from_row_major_slice_mut(&mut out.data, rows, cols);
        let part = MatRef::from_row_major_slice(&partial.data, rows, cols);
        add_then(dst, part, (0, 0), finish, threads);
    }

    /// `self · otherᵀ` (∂L/∂x = dy·Wᵀ).
    pub fn matmul_t(&self, other: &Matrix) -> Matrix {
        let mut out = Matrix::zeros(self.rows, other.rows);
        self.matmul_t_into(other, &mut out);
        out
    }

    /// `self · otherᵀ` written into `out` (resized as needed).
    pub fn matmul_t_into(&self, other: &Matrix, out: &mut Matrix) {
        self.matmul_t_into_then(other, out, None);
    }

    /// [`matmul_t_into`](Self::matmul_t_into), then `finish` on every row of the output, as
    /// in [`matmul_into_then`](Self::matmul_into_then).
    pub fn matmul_t_into_then(&self, other: &Matrix, out: &mut Matrix, finish: Option<Finish<'_>>) {
        assert_eq!(self.cols, other.cols, "matmul_t: {:?} · {:?}ᵀ", self.shape(), other.shape());
        out.reshape_for(self.rows, other.rows);
        gemm(Op::N, Op::T, self, other, out, Product::replace(finish));
    }

    /// Adds the `1 × cols` row vector `row` to every row (the bias of a layer).
    pub fn add_row_to_each_row(&mut self, row: &Matrix) {
        assert_eq!((1, self.cols), row.shape(), "add_row_to_each_row: {:?}", self.shape());
        add_to_each_chunk(&mut self.data, &row.data);
    }

    /// `out += Σ_rows self`, a `1 × cols` sum over the batch (∂L/∂b = Σ dy).
    pub fn sum_rows_add_into(&self, out: &mut Matrix) {
        assert_eq!((1, self.cols), out.shape(), "sum_rows: {:?}", self.shape());
        add_each_chunk(&self.data, &mut out.data);
    }

    /// `self += other`, element by element.
    pub fn add_assign(&mut self, other: &Matrix) {
        assert_eq!(self.shape(), other.shape(), "add_assign: shapes differ");
        for (a, b) in self.data.iter_mut().zip(other.data.iter()) {
            *a += b;
        }
    }

    /// Sets every element to zero, keeping the shape.
    pub fn fill_zero(&mut self) {
        self.data.fill(0.0);
    }

    /// Index of the largest value in row `r` (the predicted class); the first on ties.
    pub fn argmax_row(&self, r: usize) -> usize {
        let row = self.row(r);
        let mut best = 0;
        for (i, &v) in row.iter().enumerate() {
            if v > row[best] {
                best = i;
            }
        }
        best
    }

    /// True if every element is finite (no NaN, no ±∞).
    pub fn is_finite(&self) -> bool {
        self.data.iter().all(|v| v.is_finite())
    }
}

crate::vectorised! {
    /// Adds `row` to each `row.len()`-long chunk of `data`.
    fn add_to_each_chunk(data: &mut [f32], row: &[f32]) {
        for chunk in data.chunks_exact_mut(row.len()) {
            for (v, b) in chunk.iter_mut().zip(row) {
                *v += b;
            }
        }
    }
}

crate::vectorised! {
    /// Adds each `out.len()`-long chunk of `data` to `out`, chunks in order.
    fn add_each_chunk(data: &[f32], out: &mut [f32]) {
        for chunk in data.chunks_exact(out.len()) {
            for (o, v) in out.iter_mut().zip(chunk) {
                *o += v;
            }
        }
    }
}

/// Element-wise work on a product's output, done right after the product by the thread
/// that computed each part, while that part is still in its core's cache: a layer's bias and
/// activation after y = x·W, or the activation's derivative after dy·Wᵀ. Called as
/// `finish(row, first_col, values)` for each row of each thread's block: `values` are the
/// output's elements `(row, first_col..first_col + values.len())`. On two threads this keeps
/// each core's half of a layer's output in that core (it came back from the other core
/// otherwise), and the element-wise work is shared between the cores too.
pub type Finish<'a> = &'a (dyn Fn(usize, usize, &mut [f32]) + Sync);

/// Whether [`gemm`] reads an operand as it is or transposed.
#[derive(Clone, Copy)]
enum Op {
    N,
    T,
}

/// `c ← op(a)·op(b)` or `c ← c + alpha·op(a)·op(b)`: the one matrix product of scratchnet.
///
/// The simple form is `c[i][j] = Σ_k a[i][k]·b[k][j]`; `faer` computes it with cache blocking
/// and SIMD. Row-major buffers are handed to faer as transposed column-major views: no copies.
/// `job` says whether to overwrite `c` or add to it, and how to cut it between threads.
fn gemm(op_a: Op, op_b: Op, a: &Matrix, b: &Matrix, c: &mut Matrix, job: Product<'_>) {
    use faer::{MatMut, MatRef};
    fn view(m: &Matrix, op: Op) -> MatRef<'_, f32> {
        let v = MatRef::from_row_major_slice(&m.data, m.rows, m.cols);
        match op {
            Op::N => v,
            Op::T => v.transpose(),
        }
    }
    let (lhs, rhs) = (view(a, op_a), view(b, op_b));
    let dst = MatMut::from_row_major_slice_mut(&mut c.data, c.rows, c.cols);
    job.run(dst, (0, 0), lhs, rhs, crate::parallel::threads());
}

/// `dst += src`, then `finish` on each row of `dst`, cut between `threads` threads as
/// [`Product::run`] cuts an output.
fn add_then(
    mut dst: faer::MatMut<'_, f32>,
    src: faer::MatRef<'_, f32>,
    origin: (usize, usize),
    finish: Option<Finish<'_>>,
    threads: usize,
) {
    use faer::reborrow::ReborrowMut;
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
            crate::parallel::join(
                || add_then(d1, s1, origin, finish, t1),
                || add_then(d2, s2, (origin.0 + mid, origin.1), finish, t2),
            );
        }
        Cut::Columns(mid) => {
            let ((d1, d2), (s1, s2)) = (dst.split_at_col_mut(mid), src.split_at_col(mid));
            crate::parallel::join(
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
pub(crate) fn row_of(mat: faer::MatMut<'_, f32>, i: usize) -> &mut [f32] {
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
pub(crate) fn inner_cut(m: usize, k: usize, n: usize) -> Option<usize> {
    let threads = crate::parallel::threads();
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

/// The settings of one [`gemm`] call, shared by all its pieces: overwrite the output or add
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
    /// goes to a waiting helper thread (`parallel.rs`).
    ///
    /// Why columns: in a layer, the columns of the output y = x·W, of the weight gradient xᵀ·dy
    /// and of W itself are the same units. Cutting all three the same way, each core computes,
    /// updates and reads back the same half of W, which stays in its own cache. Cutting the
    /// gradient by rows (the longer side of 784×128) made the halves cross between the cores at
    /// every step: an epoch at batch 64 took 0.32 s instead of 0.18 s.
    fn run(
        self,
        mut dst: faer::MatMut<'_, f32>,
        origin: (usize, usize),
        lhs: faer::MatRef<'_, f32>,
        rhs: faer::MatRef<'_, f32>,
        threads: usize,
    ) {
        use faer::reborrow::ReborrowMut;
        let (m, n, k) = (dst.nrows(), dst.ncols(), lhs.ncols());
        if threads < 2 || m.saturating_mul(n).saturating_mul(k) < MIN_PARALLEL_WORK {
            faer::linalg::matmul::matmul(dst.rb_mut(), self.accum, lhs, rhs, self.alpha, faer::Par::Seq);
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
                crate::parallel::join(
                    || rest.run(d1, origin, l1, rhs, t1),
                    || rest.run(d2, (origin.0 + mid, origin.1), l2, rhs, t2),
                );
            }
            Cut::Columns(mid) => {
                let ((d1, d2), (r1, r2)) = (dst.split_at_col_mut(mid), rhs.split_at_col(mid));
                crate::parallel::join(
                    || rest.run(d1, origin, lhs, r1, t1),
                    || rest.run(d2, (origin.0, origin.1 + mid), lhs, r2, t2),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The naive triple loop: what `gemm` must equal.
    fn naive(a: &Matrix, b: &Matrix) -> Matrix {
        let mut c = Matrix::zeros(a.rows, b.cols);
        for i in 0..a.rows {
            for j in 0..b.cols {
                let s: f32 = (0..a.cols).map(|k| a.get(i, k) * b.get(k, j)).sum();
                c.set(i, j, s);
            }
        }
        c
    }

    fn transpose(m: &Matrix) -> Matrix {
        let mut t = Matrix::zeros(m.cols, m.rows);
        for r in 0..m.rows {
            for c in 0..m.cols {
                t.set(c, r, m.get(r, c));
            }
        }
        t
    }

    fn counting(rows: usize, cols: usize, start: f32) -> Matrix {
        let data = (0..rows * cols).map(|i| start + (i % 7) as f32 * 0.5 - 1.0).collect();
        Matrix::from_vec(rows, cols, data).unwrap()
    }

    /// Integers from −3 to 3: every sum of their products is exact in `f32`, so a product
    /// must give the same bits however it is cut between threads.
    fn small_integers(rows: usize, cols: usize, k: usize) -> Matrix {
        let data = (0..rows * cols).map(|i| ((i * k) % 7) as f32 - 3.0).collect();
        Matrix::from_vec(rows, cols, data).unwrap()
    }

    fn assert_close(a: &Matrix, b: &Matrix) {
        assert_eq!(a.shape(), b.shape());
        for (x, y) in a.as_slice().iter().zip(b.as_slice()) {
            assert!((x - y).abs() < 1e-4 * y.abs().max(1.0), "{x} vs {y}");
        }
    }

    #[test]
    fn products_match_the_naive_loop_in_every_orientation() {
        for (n, k, m) in [(1, 3, 2), (4, 5, 3), (17, 33, 9)] {
            let a = counting(n, k, 0.25);
            let b = counting(k, m, -0.5);
            assert_close(&a.matmul(&b), &naive(&a, &b));
            let at = transpose(&a);
            assert_close(&at.t_matmul(&b), &naive(&a, &b));
            let bt = transpose(&b);
            assert_close(&a.matmul_t(&bt), &naive(&a, &b));
        }
    }

    #[test]
    fn threaded_products_are_close_to_sequential_ones_and_repeat_exactly() {
        let _count = crate::parallel::hold_thread_count();
        let (a, b) = (counting(200, 300, 0.1), counting(300, 150, -0.2));
        let (x, dy) = (counting(300, 700, 0.3), counting(300, 40, 0.5));
        let one = (a.matmul(&b), x.t_matmul(&dy));
        crate::parallel::set_threads(2);
        let two = (a.matmul(&b), x.t_matmul(&dy));
        let again = (a.matmul(&b), x.t_matmul(&dy));
        crate::parallel::set_threads(1);
        assert_close(&one.0, &two.0);
        assert_close(&one.1, &two.1);
        assert_eq!(two, again, "same thread count, same bits");
    }

    #[test]
    fn finish_sees_every_element_once_with_its_position_on_any_thread_count() {
        let _count = crate::parallel::hold_thread_count();
        let (a, b) = (small_integers(64, 200, 3), small_integers(200, 96, 7));
        let bt = transpose(&b);
        let mark = |row: usize, col: usize, values: &mut [f32]| {
            for (j, v) in values.iter_mut().enumerate() {
                *v = *v * 10_000.0 + (row * 100 + col + j) as f32;
            }
        };
        let expected = |product: &Matrix| {
            let mut m = product.clone();
            for r in 0..m.rows {
                mark(r, 0, m.row_mut(r));
            }
            m
        };
        for threads in [1, 2, 3] {
            crate::parallel::set_threads(threads);
            let mut out = Matrix::zeros(0, 0);
            a.matmul_into_then(&b, &mut out, Some(&mark));
            assert!(out == expected(&naive(&a, &b)), "a·b then finish on {threads} threads");
            a.matmul_t_into_then(&bt, &mut out, Some(&mark));
            assert!(out == expected(&naive(&a, &b)), "a·(bᵀ)ᵀ then finish on {threads} threads");
        }
        crate::parallel::set_threads(1);
    }

    #[test]
    fn a_product_cut_by_its_inner_dimension_is_the_product() {
        let _count = crate::parallel::hold_thread_count();
        let (a, b) = (small_integers(40, 784, 3), small_integers(784, 128, 5));
        let expected = naive(&a, &b);
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
            crate::parallel::set_threads(threads);
            let (mut out, mut partial) = (Matrix::zeros(0, 0), Matrix::zeros(0, 0));
            for at in [16, 384, 768] {
                a.matmul_cut_inner_into_then(&b, at, &mut out, &mut partial, None);
                assert!(out == expected, "cut at {at} on {threads} threads");
                a.matmul_cut_inner_into_then(&b, at, &mut out, &mut partial, Some(&bias));
                assert!(out == with_bias, "cut at {at} then finish, {threads} threads");
            }
        }
        crate::parallel::set_threads(2);
        assert_eq!(inner_cut(64, 784, 128), Some(384), "whole cache lines for the first thread");
        assert_eq!(inner_cut(64, 128, 64), None, "not for a layer with few inputs per output");
        assert_eq!(inner_cut(1, 784, 128), None, "not for too little work");
        crate::parallel::set_threads(1);
        assert_eq!(inner_cut(64, 784, 128), None, "not on one thread");
        assert_eq!(input_cut(784, 2), Some(384));
        assert_eq!(input_cut(10, 2), None);
    }

    #[test]
    fn t_matmul_add_accumulates() {
        let a = counting(3, 2, 1.0);
        let b = counting(3, 4, 2.0);
        let mut out = Matrix::filled(2, 4, 1.0);
        a.t_matmul_add_into(&b, &mut out);
        let mut expected = naive(&transpose(&a), &b);
        expected.as_mut_slice().iter_mut().for_each(|v| *v += 1.0);
        assert_close(&out, &expected);
    }

    #[test]
    fn from_vec_rejects_a_wrong_length() {
        let err = Matrix::from_vec(2, 3, vec![0.0; 5]).unwrap_err();
        assert!(err.to_string().contains("5 values cannot fill a 2×3"), "{err}");
    }

    #[test]
    fn bias_row_and_row_sums() {
        let mut m = Matrix::from_rows(&[[1.0, 2.0], [3.0, 4.0]]);
        m.add_row_to_each_row(&Matrix::from_rows(&[[10.0, 20.0]]));
        assert_eq!(m.as_slice(), &[11.0, 22.0, 13.0, 24.0]);
        let mut s = Matrix::zeros(1, 2);
        m.sum_rows_add_into(&mut s);
        assert_eq!(s.as_slice(), &[24.0, 46.0]);
        assert_eq!(m.argmax_row(0), 1);
        assert_eq!(m.gather_rows(&[1, 0]).as_slice(), &[13.0, 24.0, 11.0, 22.0]);
    }
}

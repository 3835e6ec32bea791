//! `Matrix`: a row-major `f32` matrix, and the few operations a network needs.
//!
//! A batch is `n × features`, one sample per row, everywhere in scratchnet. The heavy arithmetic
//! (matrix products) goes through one private function, [`gemm`], backed by the `faer` crate:
//! the tutorials use numpy's `dot` the same way. Why `faer` and not another crate is measured in
//! `docs/decisions.md`. Everything else here is a plain loop over slices.
//!
//! Read next: `activation.rs` (the non-linearities applied to a matrix).

use crate::Error;
use crate::t;

/// A row-major `f32` matrix: element (r, c) is `data[r * cols + c]`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Matrix {
    rows: usize,
    cols: usize,
    data: Vec<f32>,
}

impl Matrix {
    /// A `rows × cols` matrix of zeros.
    pub fn zeros(rows: usize, cols: usize) -> Matrix {
        Matrix::filled(rows, cols, 0.0)
    }

    /// A `rows × cols` matrix with every element equal to `value`.
    pub fn filled(rows: usize, cols: usize, value: f32) -> Matrix {
        Matrix { rows, cols, data: vec![value; rows * cols] }
    }

    /// Wraps row-major `data` as a `rows × cols` matrix.
    ///
    /// # Errors
    /// [`Error::Shape`] if `data.len() != rows * cols`.
    pub fn from_vec(rows: usize, cols: usize, data: Vec<f32>) -> Result<Matrix, Error> {
        if data.len() != rows * cols {
            return Err(Error::Shape(t!(
                "error.shape.fill",
                values = data.len(),
                rows = rows,
                cols = cols,
                needs = rows * cols
            )));
        }
        Ok(Matrix { rows, cols, data })
    }

    /// Builds a matrix from rows of equal length, e.g. `Matrix::from_rows(&[[2.0, 3.0]])`.
    ///
    /// # Panics
    /// If the rows differ in length (a literal in code, so a bug at the call site).
    pub fn from_rows<R: AsRef<[f32]>>(rows: &[R]) -> Matrix {
        let cols = rows.first().map_or(0, |r| r.as_ref().len());
        let mut data = Vec::with_capacity(rows.len() * cols);
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
        self.data
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

    /// Makes this matrix `rows × cols`, reusing its buffer (contents unspecified afterwards):
    /// a buffer filled again at every batch allocates only when it must grow.
    pub fn reshape_for(&mut self, rows: usize, cols: usize) {
        self.rows = rows;
        self.cols = cols;
        self.data.resize(rows * cols, 0.0);
    }

    /// Copies `other` into `self`, reusing `self`'s buffer.
    pub fn copy_from(&mut self, other: &Matrix) {
        self.reshape_for(other.rows, other.cols);
        self.data.copy_from_slice(&other.data);
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

    /// `self · other` (n×k · k×m → n×m): `out[i][j] = Σ_k self[i][k]·other[k][j]`.
    ///
    /// # Panics
    /// If `self.cols() != other.rows()`: shapes are checked where data enters, so it is our bug.
    pub fn matmul(&self, other: &Matrix) -> Matrix {
        assert_eq!(self.cols, other.rows, "matmul: {:?} · {:?}", self.shape(), other.shape());
        let mut out = Matrix::zeros(self.rows, other.cols);
        gemm(self.view(), other.view(), &mut out);
        out
    }

    /// `selfᵀ · other` without building the transpose (∂L/∂W = xᵀ·dy).
    pub fn t_matmul(&self, other: &Matrix) -> Matrix {
        assert_eq!(self.rows, other.rows, "t_matmul: {:?}ᵀ · {:?}", self.shape(), other.shape());
        let mut out = Matrix::zeros(self.cols, other.cols);
        gemm(self.view().transpose(), other.view(), &mut out);
        out
    }

    /// `self · otherᵀ` (∂L/∂x = dy·Wᵀ).
    pub fn matmul_t(&self, other: &Matrix) -> Matrix {
        assert_eq!(self.cols, other.cols, "matmul_t: {:?} · {:?}ᵀ", self.shape(), other.shape());
        let mut out = Matrix::zeros(self.rows, other.rows);
        gemm(self.view(), other.view().transpose(), &mut out);
        out
    }

    /// The matrix as faer sees it: a row-major buffer is a column-major one transposed, so
    /// handing it over copies nothing.
    fn view(&self) -> faer::MatRef<'_, f32> {
        faer::MatRef::from_row_major_slice(&self.data, self.rows, self.cols)
    }

    /// Adds the `1 × cols` row vector `row` to every row (the bias of a layer).
    pub fn add_row_to_each_row(&mut self, row: &Matrix) {
        assert_eq!((1, self.cols), row.shape(), "add_row_to_each_row: {:?}", self.shape());
        for chunk in self.data.chunks_exact_mut(self.cols.max(1)) {
            for (v, b) in chunk.iter_mut().zip(&row.data) {
                *v += b;
            }
        }
    }

    /// `Σ_rows self`, a `1 × cols` sum over the batch (∂L/∂b = Σ dy), rows added in order.
    pub fn sum_rows(&self) -> Matrix {
        let mut sum = Matrix::zeros(1, self.cols);
        for chunk in self.data.chunks_exact(self.cols.max(1)) {
            for (s, v) in sum.data.iter_mut().zip(chunk) {
                *s += v;
            }
        }
        sum
    }

    /// `self += other`, element by element.
    pub fn add_assign(&mut self, other: &Matrix) {
        assert_eq!(self.shape(), other.shape(), "add_assign: shapes differ");
        for (a, b) in self.data.iter_mut().zip(&other.data) {
            *a += b;
        }
    }

    /// `self ⊙= other`, element by element (the chain rule through an activation).
    pub fn mul_assign(&mut self, other: &Matrix) {
        assert_eq!(self.shape(), other.shape(), "mul_assign: shapes differ");
        for (a, b) in self.data.iter_mut().zip(&other.data) {
            *a *= b;
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

/// Products of at most this many multiply-adds are the three plain loops (see [`gemm`]).
pub(crate) const SMALL_PRODUCT: usize = 4096;

/// `c = a·b`: the one matrix product of the reference engine.
///
/// The simple form is `c[i][j] = Σ_k a[i][k]·b[k][j]`, three nested loops, and small products
/// (the lessons', the playground's) are just that: a sum in k order, one rounding per multiply
/// and per add, so the same bits on every platform. `faer` computes the larger ones in blocks
/// that fit the cache, on this thread, with fused multiply-adds where the CPU has them (x86-64
/// with AVX2, not WebAssembly): the last bit can differ there.
fn gemm(a: faer::MatRef<'_, f32>, b: faer::MatRef<'_, f32>, c: &mut Matrix) {
    let (n, k, m) = (a.nrows(), a.ncols(), b.ncols());
    if n * k * m <= SMALL_PRODUCT {
        for i in 0..n {
            for j in 0..m {
                let mut sum = 0.0;
                for p in 0..k {
                    sum += a[(i, p)] * b[(p, j)];
                }
                c.data[i * m + j] = sum;
            }
        }
        return;
    }
    let c = faer::MatMut::from_row_major_slice_mut(&mut c.data, c.rows, c.cols);
    faer::linalg::matmul::matmul(c, faer::Accum::Replace, a, b, 1.0, faer::Par::Seq);
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
    fn from_vec_rejects_a_wrong_length() {
        let err = Matrix::from_vec(2, 3, vec![0.0; 5]).unwrap_err();
        assert!(err.to_string().contains("5 values cannot fill a 2×3"), "{err}");
    }

    #[test]
    fn bias_row_and_row_sums() {
        let mut m = Matrix::from_rows(&[[1.0, 2.0], [3.0, 4.0]]);
        m.add_row_to_each_row(&Matrix::from_rows(&[[10.0, 20.0]]));
        assert_eq!(m.as_slice(), &[11.0, 22.0, 13.0, 24.0]);
        assert_eq!(m.sum_rows().as_slice(), &[24.0, 46.0]);
        assert_eq!(m.argmax_row(0), 1);
        assert_eq!(m.gather_rows(&[1, 0]).as_slice(), &[13.0, 24.0, 11.0, 22.0]);
        m.mul_assign(&Matrix::from_rows(&[[2.0, 0.5], [1.0, 0.0]]));
        assert_eq!(m.as_slice(), &[22.0, 11.0, 13.0, 0.0]);
    }
}

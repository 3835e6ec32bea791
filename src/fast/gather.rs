//! Gathering a batch of byte images as floats, for the fast engine.
//!
//! Replaces [`Features::gather_into`](crate::data::Features::gather_into) for MNIST-like data
//! stored as bytes: the same `f32::from(byte) · scale` for every value, but the rows of the
//! batch are asked of the memory system all at once (they are scattered through tens of
//! megabytes), the conversion loop is compiled for the processor at hand, and on several
//! threads each converts the columns its core will multiply.

use faer::reborrow::ReborrowMut;

use super::gemm;
use super::simd::vectorised;
use super::threads::join;
use crate::data::Features;
use crate::tensor::Matrix;

/// The rows `indices` of `features` as `f32`, into `out`, on `threads` threads.
pub(crate) fn gather(features: &Features, indices: &[usize], out: &mut Matrix, threads: usize) {
    match features {
        Features::F32(_) => features.gather_into(indices, out),
        Features::U8 { cols, bytes, scale, .. } => {
            out.reshape_for(indices.len(), *cols);
            gather_bytes(bytes, *cols, *scale, indices, out.as_mut_slice(), threads);
        }
    }
}

/// Rows `indices` of a byte matrix with `cols` columns, as floats times `scale`, into `out`.
///
/// With several threads, each converts a share of the *columns* of every row, cut where the
/// first layer's products cut their inputs ([`gemm::input_cut`]), so the core that
/// multiplies those columns finds them in its own cache. (During training the next batch is
/// gathered on one thread while the other works, see `mod.rs`; this cut serves the first
/// batch of each epoch.)
fn gather_bytes(bytes: &[u8], cols: usize, scale: f32, indices: &[usize], out: &mut [f32], threads: usize) {
    let out = faer::MatMut::from_row_major_slice_mut(out, indices.len(), cols);
    gather_columns(bytes, cols, scale, indices, out, 0, threads);
}

/// [`gather_bytes`] for the columns `first..first + out.ncols()`.
fn gather_columns(
    bytes: &[u8],
    cols: usize,
    scale: f32,
    indices: &[usize],
    mut out: faer::MatMut<'_, f32>,
    first: usize,
    threads: usize,
) {
    let width = out.ncols();
    let cut = gemm::input_cut(width, threads).filter(|_| indices.len() * width >= 1 << 14);
    if let Some(at) = cut {
        let (t1, t2) = (threads - threads / 2, threads / 2);
        let (left, right) = out.split_at_col_mut(at);
        join(
            || gather_columns(bytes, cols, scale, indices, left, first, t1),
            || gather_columns(bytes, cols, scale, indices, right, first + at, t2),
        );
        return;
    }
    for &i in indices {
        prefetch(&bytes[i * cols + first..i * cols + first + width]);
    }
    for (r, &i) in indices.iter().enumerate() {
        let dst = gemm::row_of(out.rb_mut(), r);
        bytes_to_f32(&bytes[i * cols + first..i * cols + first + width], scale, dst);
    }
}

/// Asks the memory system to start loading `bytes` into this core's cache, without waiting
/// (a hint: no effect on any value). A batch's rows are scattered through tens of megabytes:
/// asked for all at once, they arrive together instead of one row's wait after another.
#[cfg_attr(not(target_arch = "x86_64"), allow(unused_variables))] // a no-op elsewhere
fn prefetch(bytes: &[u8]) {
    #[cfg(target_arch = "x86_64")]
    for offset in (0..bytes.len()).step_by(64).chain(bytes.len().checked_sub(1)) {
        // SAFETY: a prefetch never faults and changes nothing (SSE, part of x86-64); the
        // address is inside `bytes`.
        unsafe {
            std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
                bytes.as_ptr().add(offset).cast(),
            )
        };
    }
}

vectorised! {
    /// `dst[i] = src[i] · scale`: one row of bytes to floats.
    fn bytes_to_f32(src: &[u8], scale: f32, dst: &mut [f32]) {
        for (d, &b) in dst.iter_mut().zip(src) {
            *d = f32::from(b) * scale;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_of_bytes_gathers_as_the_reference_does_on_any_thread_count() {
        let (rows, cols) = (300, 784);
        let bytes: Vec<u8> = (0..rows * cols).map(|i| (i * 31 % 256) as u8).collect();
        let features = Features::U8 { rows, cols, bytes, scale: 1.0 / 255.0 };
        let indices: Vec<usize> = (0..64).map(|i| i * 97 % rows).collect();
        let expected = features.gather(&indices);
        for threads in [1, 2, 3] {
            super::super::threads::start(threads);
            let mut out = Matrix::default();
            gather(&features, &indices, &mut out, threads);
            assert!(out == expected, "{threads} threads");
        }
    }
}

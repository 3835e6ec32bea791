//! `Buffer`: the storage of a [`Matrix`](crate::Matrix), a run of `f32` that starts on a
//! cache line.
//!
//! Two threads that compute the two halves of a layer's output (or of its weights) write to
//! memory side by side. The cache keeps memory in 64-byte lines, and a line that both cores
//! write bounces between them at every write. `Vec<f32>` starts wherever the allocator puts it
//! (16 bytes is all it promises), so the middle of a 128-unit row fell inside a line, and every
//! row of the first layer's weights had one line written by both cores: the second core's half
//! of the weight update took 20% longer than the first's. A buffer that starts on a line keeps
//! the halves of rows of 16·k floats apart.
//!
//! Read next: `tensor.rs`, its only user.

use std::ops::{Deref, DerefMut};

/// Floats per cache line.
const LINE: usize = 16;

/// One cache line of floats; the alignment makes every buffer start on a line.
#[derive(Clone, Copy)]
#[repr(C, align(64))]
struct Line([f32; LINE]);

/// A growable run of `f32` whose first element is at an address divisible by 64. It reads and
/// writes as a slice (`Deref<Target = [f32]>`).
#[derive(Clone, Default)]
pub(crate) struct Buffer {
    lines: Vec<Line>,
    len: usize,
}

impl Buffer {
    /// `len` copies of `value`.
    pub(crate) fn filled(len: usize, value: f32) -> Buffer {
        Buffer { lines: vec![Line([value; LINE]); len.div_ceil(LINE)], len }
    }

    /// A copy of `values`.
    pub(crate) fn from_slice(values: &[f32]) -> Buffer {
        let mut buffer = Buffer::default();
        buffer.extend_from_slice(values);
        buffer
    }

    /// Makes the buffer `len` long; new elements are `value`. Allocates only to grow.
    pub(crate) fn resize(&mut self, len: usize, value: f32) {
        let old = self.len;
        self.lines.resize(len.div_ceil(LINE), Line([value; LINE]));
        self.len = len;
        if len > old {
            self[old..len].fill(value); // the old last line may hold stale values
        }
    }

    /// Empties the buffer, keeping its memory.
    pub(crate) fn clear(&mut self) {
        self.len = 0;
    }

    /// Appends `values`.
    pub(crate) fn extend_from_slice(&mut self, values: &[f32]) {
        let old = self.len;
        self.resize(old + values.len(), 0.0);
        self[old..].copy_from_slice(values);
    }
}

impl Deref for Buffer {
    type Target = [f32];
    fn deref(&self) -> &[f32] {
        // SAFETY: `Line` is `repr(C)` around `[f32; LINE]`, so the lines are `LINE · lines.len()`
        // contiguous initialised floats, and `len` never exceeds that.
        unsafe { std::slice::from_raw_parts(self.lines.as_ptr().cast::<f32>(), self.len) }
    }
}

impl DerefMut for Buffer {
    fn deref_mut(&mut self) -> &mut [f32] {
        // SAFETY: as in `deref`, and the borrow of `self` is exclusive.
        unsafe { std::slice::from_raw_parts_mut(self.lines.as_mut_ptr().cast::<f32>(), self.len) }
    }
}

impl PartialEq for Buffer {
    fn eq(&self, other: &Buffer) -> bool {
        **self == **other
    }
}

impl std::fmt::Debug for Buffer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_buffer_starts_on_a_cache_line_and_holds_what_was_put_in() {
        let mut b = Buffer::filled(5, 1.5);
        assert_eq!(b.as_ptr() as usize % 64, 0);
        assert_eq!(&b[..], &[1.5; 5]);
        b[4] = 9.0;
        b.resize(3, 0.0);
        b.resize(20, 2.0); // the stale 9.0 in the first line must not come back
        assert_eq!(&b[..5], &[1.5, 1.5, 1.5, 2.0, 2.0]);
        assert_eq!(b.len(), 20);
        b.clear();
        b.extend_from_slice(&[3.0, 4.0]);
        assert_eq!(b, Buffer::from_slice(&[3.0, 4.0]));
        assert_eq!(b.as_ptr() as usize % 64, 0);
        assert!(Buffer::default().is_empty());
        assert_eq!(format!("{:?}", Buffer::from_slice(&[1.0])), "[1.0]");
    }
}

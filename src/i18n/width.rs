//! Display width: how many terminal columns a string takes, and padding by it.
//!
//! Rust's `format!("{:<12}", s)` pads by `char` count, but a Chinese character takes two
//! columns, so a table with a Chinese cell comes out ragged. These helpers count columns the
//! way terminals do (East Asian Wide and Fullwidth characters are 2, combining marks 0), by
//! `unicode-width`, which is `no_std` and already built for the progress bar.
//!
//! Ambiguous-width characters (`·`, `×`, `→`, Greek letters) count 1, as most terminals draw
//! them, even in a Chinese locale.

use unicode_width::UnicodeWidthStr;

/// The number of terminal columns `s` takes (`s` being one line).
///
/// ```
/// use scratchnet::i18n::width;
/// assert_eq!(width("yes"), 3);
/// assert_eq!(width("是"), 2);
/// assert_eq!(width("σ(w·x + b)"), 10);
/// ```
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// `s` followed by spaces up to `columns` columns (`s` itself if it is as wide already).
///
/// ```
/// use scratchnet::i18n::pad_right;
/// assert_eq!(pad_right("否", 4), "否  ");
/// assert_eq!(pad_right("no", 4), "no  ");
/// ```
pub fn pad_right(s: &str, columns: usize) -> String {
    let mut out = String::with_capacity(s.len() + columns);
    out.push_str(s);
    out.extend(std::iter::repeat_n(' ', columns.saturating_sub(width(s))));
    out
}

/// Spaces up to `columns` columns, then `s` (`s` itself if it is as wide already).
///
/// ```
/// use scratchnet::i18n::pad_left;
/// assert_eq!(pad_left("准确率", 8), "  准确率");
/// ```
pub fn pad_left(s: &str, columns: usize) -> String {
    let mut out: String = std::iter::repeat_n(' ', columns.saturating_sub(width(s))).collect();
    out.push_str(s);
    out
}

//! Messages in the user's language: English or Simplified Chinese (issue 14).
//!
//! The tutorials scratchnet grew from are Chinese, and so are many of the people who run its
//! lessons. Every sentence a user reads lives in one catalog per language (`src/i18n/en/*.txt`
//! and `src/i18n/zh/*.txt`: core, lessons, cli, dash and web files), looked up by key; the code never writes `if lang == Zh`. Numbers,
//! formulas, flag names and file names stay in the code, formatted once for both languages.
//!
//! ```
//! use scratchnet::i18n::{Lang, with_lang};
//! use scratchnet::t;
//!
//! let shown = with_lang(Lang::Zh, || t!("cli.error", message = "x.csv"));
//! assert_eq!(shown, "错误：x.csv");
//! assert_eq!(with_lang(Lang::En, || t!("lesson.summary.mse")), "the mean squared error, term by term");
//! ```
//!
//! - [`t!`](crate::t) (or [`text`], [`fill`], [`fill_n`]) gives a message in the current
//!   [`lang`]: the process default ([`set_default`], chosen by the binary with [`resolve`]), or
//!   a thread's override ([`with_lang`], for tests that run both languages side by side).
//! - [`width`], [`pad_right`], [`pad_left`] pad by terminal columns (a Chinese character is 2).
//! - [`entries`] lists a part of a catalog (the dashboard sends its messages to the page).
//!
//! The catalog format and how to add a message: `docs/i18n.md` and [`catalog`]. Asking for a
//! key that does not exist, or filling a message with the wrong placeholders, panics: that is
//! our bug, and the tests make it unreachable (both catalogs hold the same keys with the same
//! placeholders, and every literal key in `src/` is checked against them).

mod catalog;
mod choose;
mod width;

#[cfg(test)]
mod tests;

pub use choose::resolve;
pub use width::{pad_left, pad_right, width};

use std::cell::Cell;
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

use crate::Error;
use catalog::Catalog;

/// A language scratchnet speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    /// English, the default.
    En,
    /// Simplified Chinese (for every `zh` locale: the tutorials are in Simplified).
    Zh,
}

impl Lang {
    /// Every language, in the order `--lang` lists them.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// The code `--lang` and `SCRATCHNET_LANG` take: `en` or `zh`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// The catalog's folder and its files (path, text), as written in this crate: one file
    /// per part of the program, so that work on one part does not touch the others' files.
    fn sources(self) -> (&'static str, [(&'static str, &'static str); 5]) {
        macro_rules! files {
            ($dir:literal) => {
                (
                    concat!("src/i18n/", $dir, "/"),
                    [
                        (concat!("src/i18n/", $dir, "/core.txt"), include_str!(concat!($dir, "/core.txt"))),
                        (
                            concat!("src/i18n/", $dir, "/lessons.txt"),
                            include_str!(concat!($dir, "/lessons.txt")),
                        ),
                        (concat!("src/i18n/", $dir, "/cli.txt"), include_str!(concat!($dir, "/cli.txt"))),
                        (concat!("src/i18n/", $dir, "/dash.txt"), include_str!(concat!($dir, "/dash.txt"))),
                        (concat!("src/i18n/", $dir, "/web.txt"), include_str!(concat!($dir, "/web.txt"))),
                    ],
                )
            };
        }
        match self {
            Lang::En => files!("en"),
            Lang::Zh => files!("zh"),
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Lang {
    type Err = Error;

    /// `en` or `zh`, in any case; anything else is [`Error::UnknownName`] listing the two.
    fn from_str(s: &str) -> Result<Lang, Error> {
        Lang::parse_as("language", s)
    }
}

/// The process's language as its index in [`Lang::ALL`]: an atomic, so no lock is needed.
static DEFAULT: AtomicU8 = AtomicU8::new(0);

thread_local! {
    /// A language this thread uses instead of the default, while [`with_lang`] runs.
    static OVERRIDE: Cell<Option<Lang>> = const { Cell::new(None) };
}

/// Sets the language of the whole process; the binary calls it once, before printing.
pub fn set_default(lang: Lang) {
    DEFAULT.store(lang as u8, Ordering::Relaxed);
}

/// The language messages are given in on this thread: its [`with_lang`] override if any,
/// else the process default (English unless [`set_default`] was called).
pub fn lang() -> Lang {
    OVERRIDE.get().unwrap_or_else(|| Lang::ALL[usize::from(DEFAULT.load(Ordering::Relaxed))])
}

/// Runs `f` with this thread speaking `lang`, then restores what was before (even if `f`
/// panics). Tests use it to run a lesson in both languages at once, each on its own thread;
/// threads that `f` starts do not inherit it, they follow the process default.
pub fn with_lang<R>(lang: Lang, f: impl FnOnce() -> R) -> R {
    /// Puts the previous override back when dropped.
    struct Restore(Option<Lang>);
    impl Drop for Restore {
        fn drop(&mut self) {
            OVERRIDE.set(self.0);
        }
    }
    let _restore = Restore(OVERRIDE.replace(Some(lang)));
    f()
}

/// The parsed catalog of `lang`, parsed on first use.
fn catalog(lang: Lang) -> &'static Catalog {
    static PARSED: [OnceLock<Catalog>; 2] = [const { OnceLock::new() }; 2];
    PARSED[lang as usize].get_or_init(|| {
        let (origin, files) = lang.sources();
        // Unreachable: the unit tests parse both catalogs.
        catalog::parse_all(origin, &files).unwrap_or_else(|e| panic!("{e}"))
    })
}

/// The message `key`, which has no placeholders, in the current language.
///
/// # Panics
/// If there is no such key, or the message has placeholders (use [`fill`] or `t!(key, name = …)`).
pub fn text(key: &str) -> &'static str {
    catalog(lang()).text(key)
}

/// The message `key` in the current language, its `{name}` placeholders filled from
/// `args` (name, value).
///
/// # Panics
/// If there is no such key, a placeholder has no value, or a value has no placeholder.
pub fn fill(key: &str, args: &[(&str, &str)]) -> String {
    catalog(lang()).fill(key, args, None)
}

/// The plural form of `key` for the count `n`: `key.one` if `n` is 1, else `key.other`,
/// filled from `args` and `{n}` (which either form may use or leave out, as in "one thread" /
/// "{n} threads"). Chinese has one form, so its `.one` and `.other` may say the same.
///
/// # Panics
/// As [`fill`].
pub fn fill_n(key: &str, n: usize, args: &[(&str, &str)]) -> String {
    let count = n.to_string();
    let mut all = args.to_vec();
    all.push(("n", &count));
    catalog(lang()).fill(&catalog::plural_key(key, n), &all, Some("n"))
}

/// Every message of `lang` whose key starts with `prefix`, in key order, as (key, template):
/// templates keep their `{name}` placeholders and doubled `{{`/`}}` braces, for whoever fills
/// them (the dashboard page does it in JavaScript).
pub fn entries(lang: Lang, prefix: &str) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
    catalog(lang).with_prefix(prefix).map(|(key, entry)| (key, entry.template.as_str()))
}

/// Items joined as a list in the current language: "a, b, c" or "a、b、c" (`list.sep`).
pub fn list<S: AsRef<str>>(items: &[S]) -> String {
    let mut items = items.iter().map(AsRef::as_ref);
    let first = items.next().unwrap_or_default().to_string();
    items.fold(first, |a, b| fill("list.sep", &[("a", &a), ("b", b)]))
}

/// Items joined with "and" before the last: "a, b and c" or "a、b 和 c" (`list.and`).
pub fn list_and<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [init @ .., last] => fill("list.and", &[("a", &list(init)), ("b", last.as_ref())]),
    }
}

/// A message in the current language: `t!("key")` is a `&'static str`, and
/// `t!("key", name = value, …)` a `String` with each `{name}` replaced by `value`'s `Display`.
///
/// Format numbers before passing them (`loss = format!("{loss:.4}")`), so both languages print
/// the same digits. The key must be a literal: a test checks every `t!` in `src/` against both
/// catalogs, placeholders included.
///
/// ```
/// use scratchnet::i18n::{Lang, with_lang};
/// use scratchnet::t;
/// let err = "no such file";
/// assert_eq!(with_lang(Lang::En, || t!("cli.error", message = err)), "error: no such file");
/// assert_eq!(with_lang(Lang::Zh, || t!("cli.hint", message = 3)), "提示：3");
/// ```
#[macro_export]
macro_rules! t {
    ($key:literal $(,)?) => {
        $crate::i18n::text($key)
    };
    ($key:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::fill($key, &[$((stringify!($name), &*::std::string::ToString::to_string(&$value))),+])
    };
}

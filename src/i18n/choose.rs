//! Which language to speak: the `--lang` flag, else `SCRATCHNET_LANG`, else the locale.
//!
//! Only the binary reads the environment; the library's default is English until
//! [`super::set_default`] says otherwise. [`resolve`] takes the environment as a function, so it
//! is tested without `std::env::set_var` (which edition 2024 makes `unsafe`).

use super::Lang;
use crate::Error;

/// The locale variables in POSIX precedence: the first non-empty one decides.
const LOCALE_VARS: [&str; 3] = ["LC_ALL", "LC_MESSAGES", "LANG"];

/// Chooses the language: `flag` (the value of `--lang`) if given; else `SCRATCHNET_LANG` if set
/// and not empty; else the first non-empty of `LC_ALL`, `LC_MESSAGES`, `LANG`, Chinese when it
/// names Chinese (`zh_CN.UTF-8`, `zh_TW`, `zh`: all get Simplified Chinese); else English.
///
/// `env` looks a variable up: `|name| std::env::var(name).ok()` in the binary.
///
/// # Errors
/// [`Error::UnknownName`] listing `en, zh` if the flag or `SCRATCHNET_LANG` names another
/// language: an explicit choice that cannot be honoured is a mistake, a foreign locale is not.
///
/// ```
/// use scratchnet::i18n::{Lang, resolve};
/// let env = |name: &str| (name == "LANG").then(|| "zh_CN.UTF-8".to_string());
/// assert_eq!(resolve(None, env).unwrap(), Lang::Zh);
/// assert_eq!(resolve(Some("en"), env).unwrap(), Lang::En);
/// assert!(resolve(Some("fr"), env).is_err());
/// ```
pub fn resolve(flag: Option<&str>, env: impl Fn(&str) -> Option<String>) -> Result<Lang, Error> {
    if let Some(value) = flag {
        return Lang::parse_as("--lang value", value);
    }
    if let Some(value) = env("SCRATCHNET_LANG").filter(|v| !v.trim().is_empty()) {
        return Lang::parse_as("SCRATCHNET_LANG value", &value);
    }
    let locale = LOCALE_VARS.iter().find_map(|name| env(name).filter(|v| !v.is_empty()));
    Ok(locale.map_or(Lang::En, |l| Lang::from_locale(&l)))
}

impl Lang {
    /// The language a POSIX locale (`zh_CN.UTF-8`) or a browser language tag (`zh-Hans-CN`)
    /// names: Chinese if its language part is `zh`, English for everything else (`C`, `POSIX`,
    /// `en_US.UTF-8`, `fr_FR`), as those are the two we speak.
    ///
    /// ```
    /// use scratchnet::i18n::Lang;
    /// assert_eq!(Lang::from_locale("zh_CN.UTF-8"), Lang::Zh);
    /// assert_eq!(Lang::from_locale("C.UTF-8"), Lang::En);
    /// ```
    pub fn from_locale(locale: &str) -> Lang {
        let language = locale.split(['_', '-', '.', '@']).next().unwrap_or("");
        if language.eq_ignore_ascii_case("zh") { Lang::Zh } else { Lang::En }
    }

    /// Parses `en` or `zh` (any case); the error names the value as `kind`.
    pub(super) fn parse_as(kind: &'static str, s: &str) -> Result<Lang, Error> {
        crate::parse_name(kind, s, &Lang::ALL, Lang::code)
    }
}

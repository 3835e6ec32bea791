//! clap's own errors (an unknown flag, a bad value, a missing argument) in the user's language.
//!
//! In English clap's text is kept as it is, with its colours. In Chinese the same facts come
//! from the catalog: what is wrong, clap's suggestion if it has one, the usage line and where
//! help is. The usage line and `--help` stay clap's English (issue 14 allows it); a kind of
//! error not listed here keeps clap's English sentence after the Chinese `错误：`.

use std::io::Write;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use scratchnet::i18n::{self, Lang};
use scratchnet::t;

/// Prints `e` and ends the process with clap's exit status (0 for `--help` and `--version`,
/// 2 for a mistake).
pub(crate) fn exit(e: clap::Error) -> ! {
    let shown_as_is = matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion)
        || e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand;
    if shown_as_is || i18n::lang() == Lang::En {
        e.exit()
    }
    let mut text = t!("cli.error", message = what_is_wrong(&e));
    for value in
        strings(&e, ContextKind::SuggestedArg).iter().chain(&strings(&e, ContextKind::SuggestedSubcommand))
    {
        text += "\n";
        text += &t!("cli.usage.did-you-mean", suggestion = value);
    }
    if let Some(usage) = e.get(ContextKind::Usage) {
        let usage = usage.to_string();
        text += "\n\n";
        text += &t!("cli.usage.line", usage = usage.trim().trim_start_matches("Usage:").trim());
    }
    text += "\n";
    text += t!("cli.usage.help");
    // not eprintln!, which panics if standard error is gone
    let _ = writeln!(std::io::stderr(), "{text}");
    std::process::exit(2)
}

/// One sentence: the mistake, with the argument and value it concerns.
fn what_is_wrong(e: &clap::Error) -> String {
    let arg = string(e, ContextKind::InvalidArg);
    let value = string(e, ContextKind::InvalidValue);
    match e.kind() {
        ErrorKind::UnknownArgument => t!("cli.usage.unknown-argument", arg = arg),
        ErrorKind::InvalidSubcommand => {
            t!("cli.usage.unknown-command", command = string(e, ContextKind::InvalidSubcommand))
        }
        ErrorKind::InvalidValue if value.is_empty() => t!("cli.usage.no-value", arg = arg),
        ErrorKind::InvalidValue => t!(
            "cli.usage.not-one-of",
            arg = arg,
            value = value,
            expected = i18n::list(&strings(e, ContextKind::ValidValue))
        ),
        ErrorKind::ValueValidation => {
            // the reason comes from our own value parsers, already in the catalog's words
            let reason = std::error::Error::source(e).map(ToString::to_string).unwrap_or_default();
            t!("cli.usage.bad-value", arg = arg, value = value, reason = reason)
        }
        ErrorKind::MissingRequiredArgument => {
            t!("cli.usage.missing", args = i18n::list(&strings(e, ContextKind::InvalidArg)))
        }
        ErrorKind::MissingSubcommand => t!("cli.usage.no-command").to_string(),
        ErrorKind::ArgumentConflict => {
            t!("cli.usage.conflict", arg = arg, other = string(e, ContextKind::PriorArg))
        }
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => {
            t!("cli.usage.too-many", arg = arg, value = value)
        }
        _ => english_sentence(e),
    }
}

/// clap's sentence without its `error:` prefix, tips and usage lines.
fn english_sentence(e: &clap::Error) -> String {
    let rendered = e.render().to_string();
    let first = rendered.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or_default();
    first.trim_start_matches("error:").trim().to_string()
}

fn string(e: &clap::Error, kind: ContextKind) -> String {
    match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => i18n::list(v),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

fn strings(e: &clap::Error, kind: ContextKind) -> Vec<String> {
    match e.get(kind) {
        Some(ContextValue::String(s)) => vec![s.clone()],
        Some(ContextValue::Strings(v)) => v.clone(),
        _ => Vec::new(),
    }
}

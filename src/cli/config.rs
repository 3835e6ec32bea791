//! `scratchnet train CONFIG.toml [flags]`: a run's settings written in a file.
//!
//! The keys are `train`'s long flag names, read from clap's own description of the command, so
//! a new flag is a new key with nothing else to change, and a misspelt key is matched against
//! the real names. Each key becomes the flag it names, and clap parses the result like any
//! command line: one parser, one set of checks and messages for flags and files alike.
//!
//! | in the file               | becomes                   |
//! |---------------------------|---------------------------|
//! | `batch-size = 64`         | `--batch-size=64`         |
//! | `layers = [784, 128, 10]` | `--layers=784,128,10`     |
//! | `drop-missing = true`     | `--drop-missing`          |
//! | `drop-missing = false`    | (nothing: the default)    |
//!
//! A flag on the command line wins over the file: its key is skipped. A switch set to `true` in
//! the file therefore cannot be turned off by a flag (switches have no `--no-` form): set it to
//! `false` in the file, or remove the line. Paths in the file are relative to the folder the
//! command runs in, as on the command line.
//!
//! The result is also a command line ([`expand`]): `train`, the file's settings as flags, then
//! the flags given. Checkpoints record it, so `--resume` rebuilds the same run without the file
//! (and a file edited since cannot change a resumed run).

use std::path::Path;

use clap::parser::{ArgMatches, ValueSource};
use clap::{Arg, ArgAction, CommandFactory, Parser};
use scratchnet::{Error, i18n, t};
use toml::de::{DeTable, DeValue};

use super::Cli;
use super::train::TrainArgs;

/// The keys that take a list: the flags that take comma-separated values.
const LIST_KEYS: [&str; 2] = ["layers", "features"];

/// A config file and the command line around it, as one command line.
pub struct Expanded {
    /// The file's settings with the given flags over them, parsed.
    pub args: TrainArgs,
    /// `train`, the file's settings as flags, then the given flags (without the file's name):
    /// what a checkpoint records to resume the run.
    pub command: Vec<String>,
}

/// Reads the config file at `path` and merges it with `given`, the command's arguments after
/// the program name (`train`, the file's name, the flags).
///
/// # Errors
/// [`Error::ConfigFile`] for a file that cannot be read or is not TOML, an unknown key (with
/// the closest real one), or a value of the wrong kind for its key (naming key, file and line).
pub fn expand(path: &Path, given: &[String]) -> Result<Expanded, Error> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::ConfigFile { message: t!("cli.config.unreadable", file = file, error = e) })?;
    let table = DeTable::parse(&text).map_err(|e| syntax_error(&file, &text, &e))?;
    let train = train_command();
    let given_matches = train_matches(given)?;
    let mut command = vec!["train".to_string()];
    for (key, value) in table.get_ref() {
        let place = Place { file: &file, key: key.get_ref(), line: line_of(&text, key.span().start) };
        if let DeValue::Table(_) = value.get_ref() {
            return Err(place.error(t!("cli.config.table")));
        }
        let arg = find_key(&train, &place)?;
        if given_matches.value_source(arg.get_id().as_str()) == Some(ValueSource::CommandLine) {
            continue; // the command line's flag wins
        }
        let flags = to_flags(arg, value.get_ref(), &place)?;
        check_flags(&flags, &place)?;
        command.extend(flags);
    }
    command.extend(given_flags(&train, &given_matches));
    let args = parse(&command).map_err(|e| Error::ConfigFile {
        message: t!("cli.config.together", file = file, error = clap_message(&e)),
    })?;
    Ok(Expanded { args, command })
}

/// Where a key is, for messages: "`lr` in run.toml (line 3)".
struct Place<'a> {
    file: &'a str,
    key: &'a str,
    line: usize,
}

impl Place<'_> {
    fn error(&self, what: &str) -> Error {
        let (key, file, line) = (self.key, self.file, self.line);
        Error::ConfigFile { message: t!("cli.config.at", key = key, file = file, line = line, what = what) }
    }
}

/// `train`'s clap description: its arguments and their long names are the keys.
fn train_command() -> clap::Command {
    Cli::command().find_subcommand("train").expect("`train` is a subcommand").clone()
}

/// Parses a command line that starts with `train`.
fn parse(command: &[String]) -> Result<TrainArgs, clap::Error> {
    let cli = Cli::try_parse_from(std::iter::once("scratchnet").chain(command.iter().map(String::as_str)))?;
    match cli.command {
        super::Command::Train(args) => Ok(*args),
        _ => unreachable!("the command line starts with `train`"),
    }
}

/// clap's view of the given command line (already parsed once by `main`, so it parses).
fn train_matches(given: &[String]) -> Result<ArgMatches, Error> {
    let program = std::iter::once("scratchnet");
    let matches = Cli::command()
        .try_get_matches_from(program.chain(given.iter().map(String::as_str)))
        .map_err(|e| Error::Config(clap_message(&e)))?;
    matches
        .subcommand_matches("train")
        .cloned()
        .ok_or_else(|| Error::Config(t!("cli.config.not-train").into()))
}

/// The flags the user gave, rebuilt as `--name=value` (or `--name` for a switch) from what
/// clap parsed, leaving out the config file's name.
fn given_flags(train: &clap::Command, matches: &ArgMatches) -> Vec<String> {
    let mut flags = Vec::new();
    for arg in settable(train) {
        let (id, long) = (arg.get_id().as_str(), arg.get_long().expect("settable args have one"));
        if matches.value_source(id) != Some(ValueSource::CommandLine) {
            continue;
        }
        if is_switch(arg) {
            flags.push(format!("--{long}"));
        } else if let Some(raw) = matches.get_raw(id) {
            let values: Vec<String> = raw.map(|v| v.to_string_lossy().into_owned()).collect();
            flags.push(format!("--{long}={}", values.join(",")));
        }
    }
    flags
}

/// The arguments a file may set: every flag with a long name but help and `--resume`.
fn settable(train: &clap::Command) -> impl Iterator<Item = &Arg> {
    train.get_arguments().filter(|a| {
        a.get_long().is_some_and(|l| l != "resume")
            && !matches!(a.get_action(), ArgAction::Help | ArgAction::HelpLong | ArgAction::HelpShort)
    })
}

fn is_switch(arg: &Arg) -> bool {
    matches!(arg.get_action(), ArgAction::SetTrue)
}

/// The argument a key names, or an error naming the closest real key.
fn find_key<'c>(train: &'c clap::Command, place: &Place) -> Result<&'c Arg, Error> {
    if place.key == "resume" {
        return Err(place.error(t!("cli.config.resume")));
    }
    if let Some(arg) = settable(train).find(|a| a.get_long() == Some(place.key)) {
        return Ok(arg);
    }
    let names: Vec<&str> = settable(train).filter_map(Arg::get_long).collect();
    let (file, key, line) = (place.file, place.key, place.line);
    let message = match closest(key, &names) {
        Some(name) => t!("cli.config.unknown-key-near", key = key, file = file, line = line, name = name),
        None => t!("cli.config.unknown-key", key = key, file = file, line = line, names = names.join(", ")),
    };
    Err(Error::ConfigFile { message })
}

/// The name nearest to `key` by edit distance, if near enough to be what was meant: at most
/// a third of the key's letters changed (and always 2: `epoch` → `epochs`, `batch_size`).
fn closest<'n>(key: &str, names: &[&'n str]) -> Option<&'n str> {
    let limit = (key.chars().count() / 3).max(2);
    names
        .iter()
        .map(|name| (edit_distance(key, name), *name))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, _)| d)
        .map(|(_, name)| name)
}

/// Levenshtein distance: the fewest insertions, deletions and substitutions from `a` to `b`
/// (one row of the table at a time).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitute = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

/// The flags one key stands for (none for a switch set to false).
fn to_flags(arg: &Arg, value: &DeValue<'_>, place: &Place) -> Result<Vec<String>, Error> {
    let long = arg.get_long().expect("settable args have one");
    if is_switch(arg) {
        return match value {
            DeValue::Boolean(true) => Ok(vec![format!("--{long}")]),
            DeValue::Boolean(false) => Ok(Vec::new()),
            other => Err(place.error(&t!("cli.config.switch", kind = kind(other)))),
        };
    }
    let text = match value {
        DeValue::Array(items) if LIST_KEYS.contains(&long) => {
            items.iter().map(|item| scalar(item.get_ref(), place)).collect::<Result<Vec<_>, _>>()?.join(",")
        }
        DeValue::Array(_) => {
            return Err(place.error(&t!("cli.config.list", flag = long, lists = i18n::list_and(&LIST_KEYS))));
        }
        DeValue::Boolean(_) => {
            return Err(place.error(&t!("cli.config.not-switch", flag = long)));
        }
        other => scalar(other, place)?,
    };
    Ok(vec![format!("--{long}={text}")])
}

/// A string, integer or float as the text of a flag's value.
fn scalar(value: &DeValue<'_>, place: &Place) -> Result<String, Error> {
    match value {
        DeValue::String(s) => Ok(s.to_string()),
        DeValue::Integer(i) => i128::from_str_radix(i.as_str(), i.radix())
            .map(|n| n.to_string())
            .map_err(|_| place.error(t!("cli.config.too-large"))),
        DeValue::Float(f) => Ok(f.as_str().to_string()),
        other => Err(place.error(&t!("cli.config.scalar", kind = kind(other)))),
    }
}

/// What a TOML value is, in a message.
fn kind(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => t!("cli.config.kind.string"),
        DeValue::Integer(_) | DeValue::Float(_) => t!("cli.config.kind.number"),
        DeValue::Boolean(_) => t!("cli.config.kind.boolean"),
        DeValue::Datetime(_) => t!("cli.config.kind.date"),
        DeValue::Array(_) => t!("cli.config.kind.list"),
        DeValue::Table(_) => t!("cli.config.kind.table"),
    }
}

/// Parses one key's flags alone, so a bad value is reported with its key, file and line.
fn check_flags(flags: &[String], place: &Place) -> Result<(), Error> {
    let mut command = vec!["train".to_string()];
    command.extend_from_slice(flags);
    parse(&command).map(drop).map_err(|e| place.error(&clap_message(&e)))
}

/// clap's message without its `error:` prefix and its usage lines, on one line.
fn clap_message(e: &clap::Error) -> String {
    let text = e.to_string();
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .take_while(|l| !l.starts_with("Usage:") && !l.starts_with("For more information"))
        .filter(|l| !l.is_empty() && !l.starts_with("tip:"))
        .collect();
    lines.join(" ").trim_start_matches("error: ").to_string()
}

/// The 1-based line of byte offset `at` in `text`.
fn line_of(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].bytes().filter(|&b| b == b'\n').count() + 1
}

fn syntax_error(file: &str, text: &str, e: &toml::de::Error) -> Error {
    let what = e.message().lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("; ");
    let message = match e.span() {
        Some(s) => t!("cli.config.syntax-line", file = file, line = line_of(text, s.start), what = what),
        None => t!("cli.config.syntax", file = file, what = what),
    };
    Error::ConfigFile { message }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_by_hand() {
        assert_eq!(edit_distance("batchsize", "batch-size"), 1); // one insertion
        assert_eq!(edit_distance("kitten", "sitting"), 3); // k→s, e→i, +g
        assert_eq!(edit_distance("", "lr"), 2);
        assert_eq!(edit_distance("lr", "lr"), 0);
    }

    #[test]
    fn the_closest_real_key_is_suggested_and_far_ones_are_not() {
        let train = train_command();
        let names: Vec<&str> = settable(&train).filter_map(Arg::get_long).collect();
        assert_eq!(closest("batchsize", &names), Some("batch-size"));
        assert_eq!(closest("batch_size", &names), Some("batch-size"));
        assert_eq!(closest("epoch", &names), Some("epochs"));
        assert_eq!(closest("weightdecay", &names), Some("weight-decay"));
        assert_eq!(closest("learning-rate-of-doom", &names), None);
    }

    #[test]
    fn list_keys_and_switches_are_real_flags() {
        let train = train_command();
        for key in LIST_KEYS {
            let arg = settable(&train).find(|a| a.get_long() == Some(key));
            assert!(arg.is_some_and(|a| !is_switch(a)), "{key} is not a flag with a value");
        }
        let switches: Vec<&str> =
            settable(&train).filter(|a| is_switch(a)).filter_map(Arg::get_long).collect();
        assert!(switches.contains(&"drop-missing") && !switches.contains(&"lr"), "{switches:?}");
        assert!(!settable(&train).any(|a| a.get_long() == Some("resume")));
    }

    #[test]
    fn lines_are_counted_from_one() {
        assert_eq!(line_of("a = 1\nb = 2\n", 0), 1);
        assert_eq!(line_of("a = 1\nb = 2\n", 6), 2);
    }
}

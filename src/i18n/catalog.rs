//! The message catalog: a small text format, parsed here, and the lookups on one parsed file.
//!
//! One entry a line, `key = value` (the value is everything after the first ` = `); `# ` starts
//! a comment line; `[section]` prefixes the keys after it with `section.`. In values, `\n` is a
//! line break and `\\` a backslash; `{name}` is a placeholder filled by the code, `{{` and `}}`
//! are literal braces. Values never start or end with a space: indentation is layout, kept in
//! the code so that both languages indent alike. Numbers are formatted in the code too (there
//! is no `{x:.4}`), so the two languages cannot differ in a digit.
//!
//! We parse it ourselves (no serde, no std-only crate) so that the same catalog works in the
//! browser build. A mistake in a file is a [`ParseError`] naming the line; the unit tests parse
//! both shipped files, so at run time parsing cannot fail.

use std::collections::BTreeMap;
use std::fmt;

/// A parsed catalog: every key with its message.
#[derive(Debug)]
pub(crate) struct Catalog {
    /// Where the text came from, for panic messages (`src/i18n/zh/*.txt`).
    pub(crate) origin: &'static str,
    entries: BTreeMap<String, Entry>,
}

/// One message: its template and the pieces it is made of.
#[derive(Debug)]
pub(crate) struct Entry {
    /// The value as written, after the `\n` and `\\` escapes (braces still doubled).
    pub(crate) template: String,
    /// The value with `{{`/`}}` undoubled, if it has no placeholder (what `text` returns).
    pub(crate) plain: Option<String>,
    /// The placeholder names, each once, in order of first use.
    pub(crate) names: Vec<String>,
    /// The line of the file that defines it.
    pub(crate) line: usize,
    parts: Vec<Part>,
}

/// A run of literal text, or a placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Part {
    Text(String),
    Arg(String),
}

/// A mistake in a catalog file, at a line (counted from 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParseError {
    pub(crate) line: usize,
    pub(crate) message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// Parses a whole catalog file; `origin` names it in later panic messages.
pub(crate) fn parse(origin: &'static str, src: &str) -> Result<Catalog, ParseError> {
    let mut entries = BTreeMap::new();
    let mut section = String::new();
    for (i, raw) in src.lines().enumerate() {
        let line = i + 1;
        let error = |message: String| ParseError { line, message };
        if raw.trim().is_empty() || raw.starts_with('#') {
            continue;
        }
        if let Some(rest) = raw.strip_prefix('[') {
            let name = rest.strip_suffix(']').ok_or_else(|| error("a section is `[name]`".into()))?;
            check_key(name).map_err(error)?;
            section = name.to_string();
            continue;
        }
        let (key, value) = raw
            .split_once(" = ")
            .ok_or_else(|| error(format!("`{raw}` is not `key = value`, a `# comment` or a `[section]`")))?;
        check_key(key).map_err(error)?;
        let full = if section.is_empty() { key.to_string() } else { format!("{section}.{key}") };
        let entry = Entry::new(value, line).map_err(|m| error(format!("`{full}`: {m}")))?;
        if let Some(first) = entries.get(&full) {
            let first: &Entry = first;
            return Err(error(format!("`{full}` is already defined on line {}", first.line)));
        }
        entries.insert(full, entry);
    }
    Ok(Catalog { origin, entries })
}

/// Parses the files of one language (each `(path, text)`) into one catalog named `origin`; a
/// key defined in two files is an error, as within one file.
pub(crate) fn parse_all(origin: &'static str, files: &[(&'static str, &str)]) -> Result<Catalog, String> {
    let mut all = Catalog { origin, entries: BTreeMap::new() };
    for &(path, src) in files {
        let one = parse(path, src).map_err(|e| format!("{path}: {e}"))?;
        for (key, entry) in one.entries {
            if all.entries.contains_key(&key) {
                return Err(format!(
                    "{path}: line {}: `{key}` is already defined in another file of {origin}",
                    entry.line
                ));
            }
            all.entries.insert(key, entry);
        }
    }
    Ok(all)
}

/// Keys are lowercase ASCII words (`a-z`, `0-9`, `-`, `_`) joined by dots.
fn check_key(key: &str) -> Result<(), String> {
    let word = |w: &str| {
        !w.is_empty()
            && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
    };
    if key.split('.').all(word) {
        Ok(())
    } else {
        Err(format!(
            "`{key}` is not a key: use a-z, 0-9, `-` and `_`, in words joined by dots, no indentation"
        ))
    }
}

impl Entry {
    /// Checks and splits one value as written in the file.
    fn new(raw: &str, line: usize) -> Result<Entry, String> {
        if raw.trim().is_empty() {
            return Err("the value is empty".into());
        }
        if raw.starts_with(char::is_whitespace) || raw.ends_with(char::is_whitespace) {
            return Err("the value starts or ends with a space: keep layout in the code".into());
        }
        let template = unescape(raw)?;
        let parts = split(&template)?;
        let mut names: Vec<String> = Vec::new();
        for part in &parts {
            if let Part::Arg(name) = part
                && !names.contains(name)
            {
                names.push(name.clone());
            }
        }
        let plain = names
            .is_empty()
            .then(|| parts.iter().map(|p| if let Part::Text(t) = p { t.as_str() } else { "" }).collect());
        Ok(Entry { template, plain, names, line, parts })
    }

    /// Fills the placeholders from `args`; `Err` names the first one missing.
    pub(crate) fn render(&self, args: &[(&str, &str)]) -> Result<String, String> {
        let mut out = String::with_capacity(self.template.len() + 16);
        for part in &self.parts {
            match part {
                Part::Text(text) => out.push_str(text),
                Part::Arg(name) => {
                    let value = args.iter().find(|(n, _)| n == name).ok_or_else(|| name.clone())?;
                    out.push_str(value.1);
                }
            }
        }
        Ok(out)
    }
}

/// Replaces `\n` by a line break and `\\` by a backslash; any other backslash is a mistake.
fn unescape(raw: &str) -> Result<String, String> {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('\\') => out.push('\\'),
            other => {
                let after = other.map_or("the end".to_string(), |c| format!("`{c}`"));
                return Err(format!("a backslash before {after}: the escapes are \\n and \\\\"));
            }
        }
    }
    Ok(out)
}

/// Splits a template into literal text and `{name}` placeholders (`{{`/`}}` are braces).
pub(crate) fn split(template: &str) -> Result<Vec<Part>, String> {
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        text.push_str(&rest[..i]);
        let tail = &rest[i..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            text.push_str(&tail[..1]);
            rest = &tail[2..];
        } else if tail.starts_with('}') {
            return Err("a lone `}`: write `}}` for a brace".into());
        } else {
            let end = tail.find('}').ok_or("an unclosed `{`: write `{{` for a brace")?;
            let name = &tail[1..end];
            if !is_name(name) {
                return Err(format!(
                    "`{{{name}}}` is not a placeholder: write {{name}} with a-z, 0-9 and _ \
                     (numbers are formatted in the code, not here)"
                ));
            }
            if !text.is_empty() {
                parts.push(Part::Text(std::mem::take(&mut text)));
            }
            parts.push(Part::Arg(name.to_string()));
            rest = &tail[end + 1..];
        }
    }
    text.push_str(rest);
    if !text.is_empty() {
        parts.push(Part::Text(text));
    }
    Ok(parts)
}

/// A placeholder name: what `stringify!` gives for a Rust identifier, lowercase.
fn is_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_lowercase() || b == b'_')
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

impl Catalog {
    /// The message of `key`, if there is one.
    pub(crate) fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.get(key)
    }

    /// The message of `key`.
    ///
    /// # Panics
    /// If there is no such key: a typo in the code, which the tests catch.
    fn entry(&self, key: &str) -> &Entry {
        self.get(key).unwrap_or_else(|| panic!("no message `{key}` in {}", self.origin))
    }

    /// The message `key`, which must have no placeholders.
    pub(crate) fn text(&self, key: &str) -> &str {
        let entry = self.entry(key);
        entry.plain.as_deref().unwrap_or_else(|| {
            let names = entry.names.join("}, {");
            panic!("message `{key}` ({}) needs {{{names}}}: use t!(\"{key}\", name = value)", self.origin)
        })
    }

    /// The message `key` filled from `args`; `optional` names an argument it may leave unused.
    ///
    /// # Panics
    /// If there is no such key, a placeholder has no value, or a value has no placeholder.
    pub(crate) fn fill(&self, key: &str, args: &[(&str, &str)], optional: Option<&str>) -> String {
        let entry = self.entry(key);
        let unused = |name: &&str| !entry.names.iter().any(|n| n == name) && optional != Some(*name);
        if let Some((name, _)) = args.iter().find(|(name, _)| unused(name)) {
            panic!(
                "message `{key}` ({}) has no placeholder {{{name}}}; it has {:?}",
                self.origin, entry.names
            );
        }
        entry
            .render(args)
            .unwrap_or_else(|name| panic!("message `{key}` ({}) needs a value for {{{name}}}", self.origin))
    }

    /// Every entry whose key starts with `prefix`, in key order.
    pub(crate) fn with_prefix<'a, 'p>(
        &'a self,
        prefix: &'p str,
    ) -> impl Iterator<Item = (&'a str, &'a Entry)> + use<'a, 'p> {
        self.entries
            .range::<str, _>((std::ops::Bound::Included(prefix), std::ops::Bound::Unbounded))
            .take_while(move |(key, _)| key.starts_with(prefix))
            .map(|(key, entry)| (key.as_str(), entry))
    }
}

/// The key of the plural form of `key` for the count `n`: `key.one` or `key.other`.
pub(crate) fn plural_key(key: &str, n: usize) -> String {
    format!("{key}.{}", if n == 1 { "one" } else { "other" })
}

//! Tests of the catalog format, the lookups, the choice of language and the padding; and of
//! the two shipped catalogs: they parse, agree with each other and hold every key `src/` uses.

use std::collections::{BTreeMap, BTreeSet};
use std::panic::{AssertUnwindSafe, catch_unwind};

use super::catalog::{self, Catalog, ParseError};
use super::*;
use crate::t;

/// Parses a catalog written in the test.
fn parse(src: &str) -> Catalog {
    catalog::parse("test.txt", src).unwrap_or_else(|e| panic!("{e}"))
}

/// The parse error of a catalog written in the test.
fn parse_err(src: &str) -> ParseError {
    catalog::parse("test.txt", src).expect_err("a mistake")
}

/// The panic message of `f`.
fn panic_message<R>(f: impl FnOnce() -> R) -> String {
    let payload = catch_unwind(AssertUnwindSafe(f)).err().expect("a panic");
    payload.downcast_ref::<String>().cloned().unwrap_or_default()
}

// --- the format ---

#[test]
fn parses_sections_comments_escapes_and_braces() {
    let cat = parse(
        "# a comment\n\ntop = plain\n[lesson.neuron]\n\
         title = One neuron: y = σ(w·x + b)\nstep = z = {z}, then {y} and {z}\n\
         two = first\\nsecond \\\\ {{set}}\n[b]\nx = {{}}\r\n",
    );
    assert_eq!(cat.text("top"), "plain");
    assert_eq!(cat.text("lesson.neuron.title"), "One neuron: y = σ(w·x + b)");
    assert_eq!(cat.text("lesson.neuron.two"), "first\nsecond \\ {set}");
    assert_eq!(cat.text("b.x"), "{}");
    let step = cat.get("lesson.neuron.step").unwrap();
    assert_eq!(step.names, ["z", "y"]);
    assert_eq!(step.line, 6);
    assert_eq!(cat.fill("lesson.neuron.step", &[("y", "0.99"), ("z", "7")], None), "z = 7, then 0.99 and 7");
    // the template keeps the braces doubled, for whoever fills it
    assert_eq!(cat.get("lesson.neuron.two").unwrap().template, "first\nsecond \\ {{set}}");
    assert!(cat.get("title").is_none(), "keys after a section carry its prefix");
}

#[test]
fn mistakes_name_their_line() {
    let cases: [(&str, usize, &str); 14] = [
        ("a = 1\nb = 2\na = 3", 3, "already defined on line 1"),
        ("a = x\nb =", 2, "is not `key = value`"),
        ("a = ", 1, "empty"),
        ("a =  x", 1, "starts or ends with a space"),
        ("a = x ", 1, "starts or ends with a space"),
        ("  a = x", 1, "not a key"),
        ("A = x", 1, "not a key"),
        ("a..b = x", 1, "not a key"),
        ("[Sec]\na = x", 1, "not a key"),
        ("[sec\na = x", 1, "a section is `[name]`"),
        ("just words", 1, "is not `key = value`"),
        ("a = {x", 1, "unclosed `{`"),
        ("a = x}", 1, "lone `}`"),
        ("a = {x:.4}", 1, "not a placeholder"),
    ];
    for (src, line, words) in cases {
        let err = parse_err(src);
        assert_eq!(err.line, line, "{src:?}: {err}");
        assert!(err.message.contains(words), "{src:?}: {err}");
    }
    for bad in ["a = {}", "a = {X}", "a = {1x}", "a = tab\\t", "a = end\\"] {
        assert_eq!(parse_err(bad).line, 1, "{bad:?}");
    }
    assert_eq!(
        parse_err("a = {}").to_string(),
        "line 1: `a`: `{}` is not a placeholder: write {name} with a-z, 0-9 and _ (numbers are formatted in the code, not here)"
    );
}

#[test]
fn fill_panics_on_a_missing_or_unknown_placeholder_naming_the_key() {
    let cat = parse("greet = hello {name}\nplain = hi\ncount.one = one file\ncount.other = {n} files");
    let missing = panic_message(|| cat.fill("greet", &[], None));
    assert!(missing.contains("`greet`") && missing.contains("{name}"), "{missing}");
    let unknown = panic_message(|| cat.fill("greet", &[("name", "a"), ("nmae", "b")], None));
    assert!(unknown.contains("`greet`") && unknown.contains("{nmae}"), "{unknown}");
    let needs = panic_message(|| cat.text("greet"));
    assert!(needs.contains("`greet`") && needs.contains("{name}"), "{needs}");
    let absent = panic_message(|| cat.text("nope"));
    assert!(absent.contains("`nope`") && absent.contains("test.txt"), "{absent}");
    // the plural's optional {n}: "one file" leaves it out, "{n} files" uses it
    let n = [("n", "1")];
    assert_eq!(cat.fill(&catalog::plural_key("count", 1), &n, Some("n")), "one file");
    assert_eq!(cat.fill(&catalog::plural_key("count", 0), &[("n", "0")], Some("n")), "0 files");
    assert_eq!(catalog::plural_key("count", 2), "count.other");
}

#[test]
fn with_prefix_lists_one_section_in_key_order() {
    let cat = parse("a.z = 1\na.b = 2\nab = 3\nb = 4");
    let keys: Vec<&str> = cat.with_prefix("a.").map(|(k, _)| k).collect();
    assert_eq!(keys, ["a.b", "a.z"]);
    assert_eq!(cat.with_prefix("").count(), 4);
}

// --- the language ---

#[test]
fn lang_codes_parse_in_any_case_and_errors_list_the_choices() {
    assert_eq!(Lang::ALL.map(Lang::code), ["en", "zh"]);
    assert_eq!("ZH".parse::<Lang>().unwrap(), Lang::Zh);
    assert_eq!(" En ".parse::<Lang>().unwrap(), Lang::En);
    assert_eq!(Lang::Zh.to_string(), "zh");
    let err = "fr".parse::<Lang>().unwrap_err().to_string();
    assert_eq!(err, "unknown language `fr`; expected one of: en, zh");
}

#[test]
fn with_lang_overrides_this_thread_only_and_restores_even_after_a_panic() {
    // No test in the library sets the process default (tests/i18n_default.rs does, alone).
    assert_eq!(lang(), Lang::En);
    with_lang(Lang::Zh, || {
        assert_eq!(lang(), Lang::Zh);
        assert_eq!(with_lang(Lang::En, lang), Lang::En);
        assert_eq!(lang(), Lang::Zh, "nested override restored");
        assert_eq!(std::thread::spawn(lang).join().unwrap(), Lang::En, "other threads keep the default");
    });
    assert_eq!(lang(), Lang::En);
    let _ = catch_unwind(|| with_lang(Lang::Zh, || panic!("inside")));
    assert_eq!(lang(), Lang::En, "restored after a panic");
}

/// An environment of the given variables.
fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
    move |name| vars.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string())
}

#[test]
fn resolve_takes_the_flag_then_scratchnet_lang_then_the_locale() {
    let zh_locale = [("LANG", "zh_CN.UTF-8")];
    assert_eq!(resolve(Some("en"), env(&zh_locale)).unwrap(), Lang::En, "the flag wins");
    assert_eq!(resolve(Some("zh"), env(&[("SCRATCHNET_LANG", "en")])).unwrap(), Lang::Zh);
    assert_eq!(resolve(None, env(&[("SCRATCHNET_LANG", "en"), ("LANG", "zh_CN")])).unwrap(), Lang::En);
    assert_eq!(resolve(None, env(&[("SCRATCHNET_LANG", "ZH")])).unwrap(), Lang::Zh);
    assert_eq!(resolve(None, env(&[("SCRATCHNET_LANG", ""), ("LANG", "zh_CN")])).unwrap(), Lang::Zh);
    assert_eq!(resolve(None, env(&zh_locale)).unwrap(), Lang::Zh);
    assert_eq!(resolve(None, env(&[])).unwrap(), Lang::En, "nothing set: English");
    // POSIX precedence: the first non-empty of LC_ALL, LC_MESSAGES, LANG
    assert_eq!(resolve(None, env(&[("LC_ALL", "C"), ("LANG", "zh_CN.UTF-8")])).unwrap(), Lang::En);
    let messages = [("LC_ALL", ""), ("LC_MESSAGES", "zh_SG.UTF-8"), ("LANG", "en_US.UTF-8")];
    assert_eq!(resolve(None, env(&messages)).unwrap(), Lang::Zh);
    assert_eq!(
        resolve(None, env(&[("LANG", "fr_FR.UTF-8")])).unwrap(),
        Lang::En,
        "a foreign locale is no error"
    );
}

#[test]
fn resolve_rejects_an_explicit_choice_it_cannot_honour() {
    let err = resolve(Some("fr"), env(&[])).unwrap_err();
    assert_eq!(err.to_string(), "unknown --lang value `fr`; expected one of: en, zh");
    assert_eq!(err.hint(), "use one of the names listed above");
    let err = resolve(None, env(&[("SCRATCHNET_LANG", "zh_CN"), ("LANG", "zh_CN")])).unwrap_err();
    assert_eq!(err.to_string(), "unknown SCRATCHNET_LANG value `zh_CN`; expected one of: en, zh");
    assert!(resolve(Some(""), env(&[])).is_err(), "an empty --lang is a mistake");
}

#[test]
fn locales_name_chinese_by_their_language_part() {
    for zh in ["zh", "zh_CN.UTF-8", "zh_TW.Big5", "zh-Hans-CN", "ZH_cn", "zh@stroke"] {
        assert_eq!(Lang::from_locale(zh), Lang::Zh, "{zh}");
    }
    for en in ["", "C", "C.UTF-8", "POSIX", "en_US.UTF-8", "fr_FR", "zha_CN"] {
        assert_eq!(Lang::from_locale(en), Lang::En, "{en}");
    }
}

// --- padding ---

#[test]
fn padding_counts_terminal_columns() {
    assert_eq!(width("学习率 lr"), 9);
    assert_eq!(width("ŷ"), 1, "y + combining hat is one column");
    assert_eq!(pad_right("是", 4) + "|", "是  |");
    assert_eq!(pad_left("1.5", 5), "  1.5");
    assert_eq!(pad_right("准确率", 2), "准确率", "never cut");
    assert_eq!(pad_left("", 2), "  ");
    let cells = ["否", "no", "去徒步"];
    let w = cells.iter().map(|c| width(c)).max().unwrap();
    assert!(cells.iter().all(|c| width(&pad_right(c, w)) == 6));
}

// --- the shipped catalogs ---

#[test]
fn messages_come_in_the_current_language() {
    assert_eq!(with_lang(Lang::En, || t!("cli.hint", message = "x")), "hint: x");
    assert_eq!(with_lang(Lang::Zh, || t!("cli.error", message = 1.5)), "错误：1.5");
    assert_eq!(t!("cli.error", message = "{message} {{"), "error: {message} {{", "values are not templates");
    let summary = with_lang(Lang::Zh, || text("lesson.summary.mse"));
    assert_eq!(summary, "均方误差，一项一项地算");
    let key = "no.such.key";
    assert!(panic_message(|| text(key)).contains("no message `no.such.key` in src/i18n/en/"));
    let msg = panic_message(|| fill("cli.error", &[("mesage", "x")]));
    assert!(msg.contains("`cli.error`") && msg.contains("{mesage}"), "{msg}");
}

#[test]
fn lists_are_joined_in_the_current_language() {
    let three = ["[0.1, 0.2]", "[0.5, 0.6]", "[0.9, 1.0]"];
    assert_eq!(with_lang(Lang::En, || list_and(&three)), "[0.1, 0.2], [0.5, 0.6] and [0.9, 1.0]");
    assert_eq!(with_lang(Lang::Zh, || list_and(&three)), "[0.1, 0.2]、[0.5, 0.6] 和 [0.9, 1.0]");
    assert_eq!(with_lang(Lang::Zh, || list(&["a", "b", "c"])), "a、b、c");
    assert_eq!(with_lang(Lang::En, || list(&["a", "b"])), "a, b");
    assert_eq!(list_and(&["a", "b"]), "a and b");
    assert_eq!(list_and(&["only"]), "only");
    assert_eq!(list::<&str>(&[]), "");
    assert_eq!(list_and::<&str>(&[]), "");
}

#[test]
fn entries_list_a_section_with_raw_templates() {
    for lang in Lang::ALL {
        let summaries: Vec<_> = entries(lang, "lesson.summary.").collect();
        let keys: BTreeSet<String> = summaries.iter().map(|(k, _)| k.to_string()).collect();
        let lessons: BTreeSet<String> =
            crate::lessons::Lesson::ALL.iter().map(|l| format!("lesson.summary.{}", l.name())).collect();
        assert_eq!(keys, lessons, "{lang}: one summary per lesson");
    }
    let errors: Vec<_> =
        entries(Lang::Zh, "cli.").filter(|(k, _)| ["cli.error", "cli.hint"].contains(k)).collect();
    assert_eq!(errors, [("cli.error", "错误：{message}"), ("cli.hint", "提示：{message}")]);
}

/// Both shipped catalogs, parsed (a mistake fails here with its line, not at run time).
fn shipped() -> [Catalog; 2] {
    Lang::ALL.map(|lang| {
        let (origin, files) = lang.sources();
        catalog::parse_all(origin, &files).unwrap_or_else(|e| panic!("{e}"))
    })
}

/// Each key of a catalog with its placeholder names (as a set: word order differs).
fn keys(cat: &Catalog) -> BTreeMap<&str, BTreeSet<&str>> {
    cat.with_prefix("").map(|(k, e)| (k, e.names.iter().map(String::as_str).collect())).collect()
}

#[test]
fn both_catalogs_parse_and_hold_the_same_keys_with_the_same_placeholders() {
    let [en, zh] = shipped();
    let (en, zh) = (keys(&en), keys(&zh));
    let only = |a: &BTreeMap<&str, _>, b: &BTreeMap<&str, _>| -> Vec<String> {
        a.keys().filter(|k| !b.contains_key(*k)).map(|k| k.to_string()).collect()
    };
    assert_eq!(only(&en, &zh), Vec::<String>::new(), "keys in en/*.txt missing from zh/*.txt");
    assert_eq!(only(&zh, &en), Vec::<String>::new(), "keys in zh/*.txt missing from en/*.txt");
    for (key, names) in &en {
        assert_eq!(names, &zh[key], "`{key}`: en/*.txt and zh/*.txt use different placeholders");
    }
    for key in en.keys() {
        let sibling = key.strip_suffix(".one").map(|k| format!("{k}.other"));
        let sibling = sibling.or_else(|| key.strip_suffix(".other").map(|k| format!("{k}.one")));
        assert!(
            sibling.is_none_or(|s| en.contains_key(s.as_str())),
            "`{key}`: a plural needs .one and .other"
        );
    }
}

/// Keys whose Chinese may equal the English (formula-only lines, names). Keep it short.
const SAME_IN_BOTH: &[&str] = &[];

#[test]
fn chinese_messages_are_translated() {
    let [en, zh] = shipped();
    let same: Vec<&str> = en
        .with_prefix("")
        .filter(|(key, e)| {
            zh.get(key).is_some_and(|z| z.template == e.template) && !SAME_IN_BOTH.contains(key)
        })
        .map(|(key, _)| key)
        .collect();
    assert_eq!(same, Vec::<&str>::new(), "zh/*.txt repeats the English (translate, or add to SAME_IN_BOTH)");
    for key in SAME_IN_BOTH {
        assert!(en.get(key).is_some(), "SAME_IN_BOTH names `{key}`, which is not in the catalog");
    }
    let cjk = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    let english: Vec<&str> = en.with_prefix("").filter(|(_, e)| cjk(&e.template)).map(|(k, _)| k).collect();
    assert_eq!(english, Vec::<&str>::new(), "en/*.txt holds Chinese");
}

// --- every key the code uses exists ---

/// A literal key used in the source: where, by which call, and the `t!` argument names.
#[derive(Debug)]
struct Use {
    at: String,
    call: &'static str,
    key: String,
    args: Option<BTreeSet<String>>,
}

/// The calls whose first argument is a catalog key (`msg!` makes the dashboard's messages).
const CALLS: [&str; 5] = ["t!(", "text(", "fill(", "fill_n(", "msg!("];

/// The literal keys in one source file: code lines, and the code blocks of doc comments
/// (prose may say `t!("key")` without `key` being one). A call may span lines.
fn find_uses(file: &str, src: &str) -> Vec<Use> {
    let mut scanned = Vec::new(); // per line: code, or inside a doc comment's code block
    let mut in_doc_code = false;
    for line in src.lines() {
        let comment =
            line.trim_start().strip_prefix("//").map(|c| c.trim_start_matches(['/', '!']).trim_start());
        if comment.is_some_and(|c| c.starts_with("```")) {
            in_doc_code = !in_doc_code;
        }
        scanned.push(comment.is_none() || in_doc_code);
    }
    let mut uses = Vec::new();
    for call in CALLS {
        for (at, _) in src.match_indices(call) {
            let line = src[..at].matches('\n').count();
            let before = src[..at].chars().next_back();
            if !scanned[line] || before.is_some_and(|c| c.is_alphanumeric() || "_.\"".contains(c)) {
                continue; // in prose; or draw_text(, self.text(, "text(": not ours
            }
            if let Some(u) = parse_use(&src[at + call.len()..], call) {
                uses.push((at, Use { at: format!("{file}:{}", line + 1), ..u }));
            }
        }
    }
    uses.sort_by_key(|(at, _)| *at);
    uses.into_iter().map(|(_, u)| u).collect()
}

/// Reads `"key"` and, for `t!`, the `name = value` arguments up to the closing parenthesis.
fn parse_use(rest: &str, call: &'static str) -> Option<Use> {
    let rest = rest.trim_start().strip_prefix('"')?;
    let end = rest.find('"')?;
    let key = rest[..end].to_string();
    let args = matches!(call, "t!(" | "msg!(").then(|| macro_args(&rest[end + 1..]));
    Some(Use { at: String::new(), call, key, args })
}

/// The names before `=` of the top-level, comma-separated arguments, until the closing `)`.
fn macro_args(rest: &str) -> BTreeSet<String> {
    let (mut depth, mut in_str, mut escaped) = (0, false, false);
    let mut names = BTreeSet::new();
    let mut arg = String::new();
    for c in rest.chars() {
        match (in_str, c) {
            (true, '\\') if !escaped => escaped = true,
            (true, '"') if !escaped => in_str = false,
            (true, _) => escaped = false,
            (false, '"') => in_str = true,
            (false, '(' | '[' | '{') => depth += 1,
            (false, ')') if depth == 0 => break,
            (false, ')' | ']' | '}') => depth -= 1,
            (false, ',') if depth == 0 => {
                names.extend(arg_name(&arg));
                arg.clear();
                continue;
            }
            _ => {}
        }
        if depth == 0 && !in_str {
            arg.push(c);
        }
    }
    names.extend(arg_name(&arg));
    names
}

/// `name` of ` name = value`.
fn arg_name(arg: &str) -> Option<String> {
    let (name, _) = arg.split_once('=')?;
    Some(name.trim().to_string()).filter(|n| !n.is_empty())
}

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn the_scanner_finds_keys_and_macro_arguments() {
    let src = "let a = t!(\"k.a\");\nt!(\"k.b\", loss = format!(\"{x:.4}\"), lr = f(a, b),)\n\
               draw_text(\"no\"); self.text(\"no\"); i18n::fill_n(\"k.c\", 2, &[]);\n\
               // prose: t!(\"key\")\n/// ```\n/// t!(\"k.d\")\n/// ```\n";
    let uses = find_uses("x.rs", src);
    let found: Vec<(&str, &str, Option<Vec<&str>>)> = uses
        .iter()
        .map(|u| (u.call, u.key.as_str(), u.args.as_ref().map(|a| a.iter().map(String::as_str).collect())))
        .collect();
    assert_eq!(
        found,
        [
            ("t!(", "k.a", Some(vec![])),
            ("t!(", "k.b", Some(vec!["loss", "lr"])),
            ("fill_n(", "k.c", None),
            ("t!(", "k.d", Some(vec![]))
        ]
    );
    assert_eq!(uses[2].at, "x.rs:3");
    let uses = find_uses("d.rs", "let m = msg!(\"dash.a\", lr = lr / 3.0, now = format!(\"{x:.3}\"));");
    assert_eq!((uses[0].call, uses[0].key.as_str()), ("msg!(", "dash.a"));
    assert_eq!(uses[0].args, Some(BTreeSet::from(["lr".to_string(), "now".to_string()])));
}

#[test]
fn every_key_in_the_source_exists_with_the_placeholders_it_is_given() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let [en, zh] = shipped();
    let (mut checked, mut wrong) = (0, Vec::new());
    for path in files {
        let src = std::fs::read_to_string(&path).expect("a readable source file");
        let file = path.strip_prefix(root).unwrap_or(&path).display().to_string();
        for u in find_uses(&file, &src) {
            checked += 1;
            let keys = match u.call {
                "fill_n(" => vec![format!("{}.one", u.key), format!("{}.other", u.key)],
                _ => vec![u.key.clone()],
            };
            for key in keys {
                for cat in [&en, &zh] {
                    match cat.get(&key) {
                        None => wrong.push(format!("{}: `{key}` is not in {}", u.at, cat.origin)),
                        Some(e) if u.call == "text(" && !e.names.is_empty() => {
                            wrong.push(format!("{}: `{key}` has placeholders; use fill or t!", u.at))
                        }
                        Some(e) => {
                            // (zh/*.txt has the same placeholders: checked above)
                            let names: BTreeSet<String> = e.names.iter().cloned().collect();
                            if cat.origin == en.origin && u.args.as_ref().is_some_and(|a| *a != names) {
                                wrong.push(format!("{}: `{key}` takes {names:?}, given {:?}", u.at, u.args));
                            }
                        }
                    }
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(checked >= 3, "the scan found only {checked} uses: is it still reading src/?");
}

// --- the dashboard page: data-t="key" and T("key", {args}) in page.html ---

/// The keys the dashboard's page names: every `data-t="key"` (filled without arguments),
/// every `T("key", {name: …})` call (with the names it passes, when they are written out as
/// an object), and every other `"dash.…"` string (a key chosen at run time, as the status).
fn page_uses(src: &str) -> Vec<Use> {
    let line_of = |at: usize| format!("src/dashboard/page.html:{}", src[..at].matches('\n').count() + 1);
    let mut uses = Vec::new();
    for (at, _) in src.match_indices("data-t=\"") {
        let key = src[at + 8..].split('"').next().unwrap_or_default().to_string();
        uses.push(Use { at: line_of(at), call: "data-t=", key, args: Some(BTreeSet::new()) });
    }
    for (at, _) in src.match_indices("T(\"") {
        if src[..at].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
            continue; // another function whose name ends in T
        }
        let rest = &src[at + 3..];
        let Some(end) = rest.find('"') else { continue };
        let after = rest[end + 1..].trim_start();
        let args = if after.starts_with(')') {
            Some(BTreeSet::new())
        } else {
            after.strip_prefix(',').map(str::trim_start).and_then(|a| a.strip_prefix('{')).map(object_names)
        };
        uses.push(Use { at: line_of(at), call: "T(", key: rest[..end].to_string(), args });
    }
    for (at, _) in src.match_indices("\"dash.") {
        let key = src[at + 1..].split('"').next().unwrap_or_default();
        let named = src[..at].ends_with("data-t=") || src[..at].ends_with("T(");
        if !named && key.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)) {
            uses.push(Use { at: line_of(at), call: "\"", key: key.to_string(), args: None });
        }
    }
    uses
}

/// The property names of a JavaScript object literal, from just after its `{` to its `}`:
/// `name: value` or the shorthand `name`; values may hold strings, templates and brackets.
fn object_names(rest: &str) -> BTreeSet<String> {
    let (mut depth, mut quote, mut escaped) = (0, None::<char>, false);
    let (mut names, mut entry) = (BTreeSet::new(), String::new());
    let mut finish = |entry: &mut String| {
        let name = entry.split(':').next().unwrap_or_default().trim().to_string();
        if !name.is_empty() {
            names.insert(name);
        }
        entry.clear();
    };
    for c in rest.chars() {
        match (quote, c) {
            (Some(_), '\\') if !escaped => escaped = true,
            (Some(q), _) if c == q && !escaped => quote = None,
            (Some(_), _) => escaped = false,
            (None, '"' | '\'' | '`') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, '}') if depth == 0 => break,
            (None, ')' | ']' | '}') => depth -= 1,
            (None, ',') if depth == 0 => {
                finish(&mut entry);
                continue;
            }
            _ => {}
        }
        if depth == 0 && quote.is_none() {
            entry.push(c);
        }
    }
    finish(&mut entry);
    names
}

#[test]
fn the_page_scanner_finds_labels_calls_and_their_arguments() {
    let src = "<h2 data-t=\"dash.a\"></h2>\nT(\"dash.b\", { n: f(x, y), label: `z${k}`, a });\n\
               T(\"dash.c\"); T(\"dash.d\", args); M(m); const k = \"dash.e\"; getT(\"no\");";
    let uses = page_uses(src);
    let found: Vec<(&str, &str, Option<Vec<&str>>)> = uses
        .iter()
        .map(|u| (u.call, u.key.as_str(), u.args.as_ref().map(|a| a.iter().map(String::as_str).collect())))
        .collect();
    assert_eq!(
        found,
        [
            ("data-t=", "dash.a", Some(vec![])),
            ("T(", "dash.b", Some(vec!["a", "label", "n"])),
            ("T(", "dash.c", Some(vec![])),
            ("T(", "dash.d", None),
            ("\"", "dash.e", None),
        ]
    );
}

#[test]
fn every_key_the_dashboard_page_names_exists_and_every_dash_key_is_used() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let page = std::fs::read_to_string(root.join("src/dashboard/page.html")).expect("the page");
    let [en, _] = shipped();
    let mut wrong = Vec::new();
    let uses = page_uses(&page);
    for u in &uses {
        match en.get(&u.key) {
            None => wrong.push(format!("{}: `{}` is not in src/i18n/*/dash.txt", u.at, u.key)),
            Some(e) => {
                let names: BTreeSet<String> = e.names.iter().cloned().collect();
                if u.args.as_ref().is_some_and(|a| *a != names) {
                    wrong.push(format!("{}: `{}` takes {names:?}, given {:?}", u.at, u.key, u.args));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(uses.len() > 60, "the scan found only {} keys in page.html", uses.len());
    // the other way: each dash.* message is named by the page or by the server's code
    let mut code = page;
    let mut files = Vec::new();
    rust_files(&root.join("src/dashboard"), &mut files);
    rust_files(&root.join("src/lessons"), &mut files); // the lessons' live pages say how they ended
    for path in files {
        code += &std::fs::read_to_string(path).expect("a readable source file");
    }
    let unused: Vec<&str> =
        en.with_prefix("dash.").map(|(k, _)| k).filter(|k| !code.contains(&format!("\"{k}\""))).collect();
    assert_eq!(unused, Vec::<&str>::new(), "dash.txt holds messages nothing shows");
}

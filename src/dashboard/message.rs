//! Words the server sends to the page: a `dash.*` catalog key with its arguments.
//!
//! The page holds the dashboard's messages in both languages and a switch between them, so a
//! hint cannot be sent as finished text only: it is sent as its key and arguments, which the
//! page fills in the language the reader picked (and fills again when the reader switches).
//! The text in the run's language goes along too, for `/api/state` and for scripts that read
//! it. Numbers are formatted here, once, so both languages show the same digits.

use serde_json::{Map, Value, json};

use crate::i18n::{self, Lang};

/// A message for the page: a key of `src/i18n/*/dash.txt` and the values of its placeholders.
/// Made with [`msg!`](crate::dashboard::message::msg), whose literal keys the i18n tests check
/// against both catalogs.
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    key: &'static str,
    args: Vec<(&'static str, String)>,
}

impl Message {
    /// The message `key` with `args` (name, value already formatted).
    pub fn new(key: &'static str, args: Vec<(&'static str, String)>) -> Message {
        Message { key, args }
    }

    /// The catalog key.
    pub fn key(&self) -> &'static str {
        self.key
    }

    /// The message in `lang`.
    ///
    /// # Panics
    /// If the key or a placeholder is missing from the catalog (the i18n tests rule it out).
    pub fn render(&self, lang: Lang) -> String {
        let args: Vec<(&str, &str)> = self.args.iter().map(|(n, v)| (*n, v.as_str())).collect();
        i18n::with_lang(lang, || i18n::fill(self.key, &args))
    }

    /// `{"key": "dash.…", "args": {"name": "value", …}}`, what the page fills itself.
    pub fn to_json(&self) -> Value {
        let args: Map<String, Value> = self.args.iter().map(|(n, v)| (n.to_string(), json!(v))).collect();
        json!({ "key": self.key, "args": args })
    }
}

/// A [`Message`]: `msg!("dash.hint.rising.title", now = format!("{now:.3}"))`, each value
/// by `Display`. The key must be a literal, so that the i18n tests can check it.
macro_rules! msg {
    ($key:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::dashboard::message::Message::new(
            $key,
            vec![$((stringify!($name), ::std::string::ToString::to_string(&$value))),*],
        )
    };
}
pub(crate) use msg;

/// Named messages (a hint's title, text and fix) as JSON: each rendered in `lang` under its
/// name, and all of them as key and arguments under `"messages"`.
pub fn rendered(lang: Lang, parts: &[(&str, &Message)]) -> Map<String, Value> {
    let mut out = Map::new();
    let mut messages = Map::new();
    for (name, message) in parts {
        out.insert(name.to_string(), json!(message.render(lang)));
        messages.insert(name.to_string(), message.to_json());
    }
    out.insert("messages".into(), Value::Object(messages));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_renders_in_either_language_and_travels_as_key_and_arguments() {
        let m = msg!("dash.hint.rising.title", now = "0.512", lowest = format!("{:.3}", 0.2));
        assert_eq!(m.key(), "dash.hint.rising.title");
        assert_eq!(
            m.to_json(),
            json!({ "key": "dash.hint.rising.title", "args": { "now": "0.512", "lowest": "0.200" } })
        );
        let (en, zh) = (m.render(Lang::En), m.render(Lang::Zh));
        assert!(en.contains("0.512") && en.contains("0.200") && en.contains("rising"), "{en}");
        assert!(zh.contains("0.512") && zh.contains("0.200") && zh.contains("损失"), "{zh}");
        let parts = rendered(Lang::Zh, &[("title", &m)]);
        assert_eq!(parts["title"], json!(zh));
        assert_eq!(parts["messages"]["title"]["key"], "dash.hint.rising.title");
    }
}

//! The page as served: `page.html` in the run's language, with both languages inside.
//!
//! `page.html` holds no words of its own. Each element that shows a label carries the key of
//! its message (`<h2 data-t="dash.section.loss"></h2>`), and its script fills text with
//! `T(key, args)`. When the page is served, the server
//! - writes every `data-t` element's text in the run's language, and sets `<html lang>`, so
//!   the page reads right before any script runs (and to tools that fetch it);
//! - replaces the marker [`MARKER`] in the script with the `dash.*` messages of every language
//!   as JSON, `{"lang": "zh", "en": {key: template, …}, "zh": {…}}`, which the language switch
//!   on the page uses without asking the server again.
//!
//! Nothing is generated at build time, so the page cannot fall out of step with the catalog.

use serde_json::{Map, Value, json};

use crate::i18n::{self, Lang};

/// The page, HTML with its CSS and JavaScript inline, before the language is filled in.
const PAGE: &str = include_str!("page.html");

/// The drawing code the page shares with the web site (charts, the network), put in the
/// page's first script where it says [`DRAW`].
const DRAW_JS: &str = include_str!("draw.js");

/// Where the page takes draw.js.
pub const DRAW: &str = "/*DRAW*/";

/// What the script holds until the server puts the messages there.
pub const MARKER: &str = "/*I18N*/null";

/// The attribute naming an element's message.
const DATA_T: &str = "data-t=\"";

/// The page for a run in `lang`.
pub fn page(lang: Lang) -> String {
    let html = PAGE.replacen("<html lang=\"en\">", &format!("<html lang=\"{}\">", lang.code()), 1);
    let html = fill_labels(&html, lang);
    html.replacen(MARKER, &messages_json(lang), 1).replacen(DRAW, DRAW_JS, 1)
}

/// The `dash.*` messages of every language, and which one the run speaks, as JSON safe to put
/// inside a `<script>` (no `<`, so no `</script>` either).
pub fn messages_json(lang: Lang) -> String {
    let mut all = Map::new();
    all.insert("lang".into(), json!(lang.code()));
    for each in Lang::ALL {
        let entries: Map<String, Value> =
            i18n::entries(each, "dash.").map(|(key, template)| (key.to_string(), json!(template))).collect();
        all.insert(each.code().into(), Value::Object(entries));
    }
    Value::Object(all).to_string().replace('<', "\\u003c")
}

/// `html` with the text of every element carrying `data-t="key"` replaced by that message in
/// `lang` (the text runs from the end of the element's opening tag to the next `<`).
fn fill_labels(html: &str, lang: Lang) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 4);
    let mut rest = html;
    while let Some(at) = rest.find(DATA_T) {
        let after = &rest[at + DATA_T.len()..];
        let (Some(key_end), Some(tag_end)) = (after.find('"'), after.find('>')) else { break };
        let text_end = after[tag_end..].find('<').map_or(after.len(), |i| tag_end + i);
        let key = &after[..key_end];
        out.push_str(&rest[..at + DATA_T.len()]);
        out.push_str(&after[..=tag_end]);
        out.push_str(&escape(i18n::with_lang(lang, || i18n::text(key))));
        rest = &after[text_end..];
    }
    out.push_str(rest);
    out
}

/// Text safe between HTML tags.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Every key the page's elements name with `data-t` (for the tests).
pub fn label_keys() -> Vec<&'static str> {
    PAGE.split(DATA_T).skip(1).filter_map(|s| s.split('"').next()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_filled_in_the_language_asked_for() {
        let html = "<p data-t=\"dash.section.loss\"></p><b data-t=\"dash.fact.eta\" class=\"x\">old</b><i>";
        assert_eq!(
            fill_labels(html, Lang::En),
            "<p data-t=\"dash.section.loss\">Loss</p><b data-t=\"dash.fact.eta\" class=\"x\">ETA</b><i>"
        );
        let zh = fill_labels(html, Lang::Zh);
        assert!(zh.starts_with("<p data-t=\"dash.section.loss\">损失</p>"), "{zh}");
        assert!(!zh.contains("old"));
    }

    #[test]
    fn the_served_page_has_no_marker_left_and_both_languages_inside() {
        let html = page(Lang::Zh);
        assert!(html.starts_with("<!doctype html>\n<html lang=\"zh\">"));
        assert!(!html.contains(MARKER) && html.contains("\"lang\":\"zh\""));
        assert!(html.contains("<title data-t=\"dash.title\">scratchnet — "));
        let json: Value = serde_json::from_str(&messages_json(Lang::En)).unwrap();
        assert_eq!(json["lang"], "en");
        assert_eq!(json["zh"]["dash.section.loss"], "损失");
        assert_eq!(json["en"]["dash.section.loss"], "Loss");
        assert!(label_keys().len() > 30, "{:?}", label_keys());
    }

    #[test]
    fn html_and_script_breaking_characters_are_escaped() {
        assert_eq!(escape("a < b && c > d"), "a &lt; b &amp;&amp; c &gt; d");
        assert!(!messages_json(Lang::En).contains('<'));
    }
}

//! scratchnet in the browser: the functions the web pages call, compiled to WebAssembly.
//!
//! Every number a page shows comes from the same Rust code the terminal runs (the engine alone,
//! without default features), so `?lesson=descent&seed=7` prints what `scratchnet lesson
//! descent --seed 7` prints. web/build.sh builds it; the pages are in web/static/.

use scratchnet::i18n::{Lang, with_lang};
use scratchnet::lessons::{Lesson, LessonOptions};
use wasm_bindgen::prelude::*;

/// The language of a page's `lang` parameter: `zh` is Chinese, anything else English.
pub fn lang(code: &str) -> Lang {
    if code == "zh" { Lang::Zh } else { Lang::En }
}

/// What `scratchnet lesson NAME --seed SEED --lang LANG` prints, or the error it would give.
#[wasm_bindgen]
pub fn lesson_text(name: &str, seed: u64, lang_code: &str) -> Result<String, String> {
    with_lang(lang(lang_code), || {
        let lesson: Lesson = name.parse().map_err(|e: scratchnet::Error| e.to_string())?;
        let options = LessonOptions { seed, ..Default::default() };
        let mut out = Vec::new();
        lesson.run(&options, &mut out).map_err(|e| e.to_string())?;
        String::from_utf8(out).map_err(|e| e.to_string())
    })
}

pub mod lessons;
pub mod playground;

/// The pages' words in `lang_code`, as JSON `{key: template}`: the web site's own (`web.*`) and
/// the lessons' one-line summaries (`lesson.summary.*`) and the descent methods' names, from
/// the project's catalog.
#[wasm_bindgen]
pub fn messages(lang_code: &str) -> String {
    let lang = lang(lang_code);
    let words: serde_json::Map<String, serde_json::Value> = scratchnet::i18n::entries(lang, "web.")
        .chain(scratchnet::i18n::entries(lang, "lesson.summary."))
        .chain(scratchnet::i18n::entries(lang, "lesson.descent.method."))
        .map(|(key, template)| (key.to_string(), template.into()))
        .collect();
    serde_json::Value::Object(words).to_string()
}

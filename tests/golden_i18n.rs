//! The lessons in both languages (issue 14): for every lesson, the English and the Chinese
//! output have the same lines holding the same numbers in the same order; the English has no
//! Chinese, and every line of Chinese prose is Chinese. With `--out`, the Chinese pictures are
//! written, and they are not the English ones.

use std::thread;

use scratchnet::i18n::{Lang, with_lang};
use scratchnet::lessons::{Lesson, LessonOptions};

/// What `lesson` prints in `lang`.
fn output(lesson: Lesson, lang: Lang, options: &LessonOptions) -> String {
    with_lang(lang, || {
        let mut out = Vec::new();
        lesson.run(options, &mut out).unwrap_or_else(|e| panic!("{} in {lang}: {e}", lesson.name()));
        String::from_utf8(out).expect("UTF-8")
    })
}

/// The lesson's output in English and in Chinese, each made on its own thread at the same time.
fn both(lesson: Lesson, options: &LessonOptions) -> (String, String) {
    thread::scope(|s| {
        let zh = s.spawn(|| output(lesson, Lang::Zh, options));
        let en = output(lesson, Lang::En, options);
        (en, zh.join().expect("the Chinese run"))
    })
}

/// The numbers of a line, in order: `[-−+]?\d+(\.\d+)?(e[-+]?\d+)?` (digits are ASCII).
fn numbers(line: &str) -> Vec<String> {
    let chars: Vec<char> = line.chars().collect();
    let digits_from = |mut i: usize| {
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        i
    };
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = if i > 0 && "-−+".contains(chars[i - 1]) { i - 1 } else { i };
        let mut end = digits_from(i);
        if end + 1 < chars.len() && chars[end] == '.' && chars[end + 1].is_ascii_digit() {
            end = digits_from(end + 1);
        }
        if end < chars.len() && chars[end] == 'e' {
            let sign = usize::from(end + 1 < chars.len() && "-+".contains(chars[end + 1]));
            if end + 1 + sign < chars.len() && chars[end + 1 + sign].is_ascii_digit() {
                end = digits_from(end + 1 + sign);
            }
        }
        found.push(chars[start..end].iter().collect());
        i = end;
    }
    found
}

/// Han characters, CJK punctuation and full-width forms.
fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303f}' | '\u{4e00}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}')
}

/// Words that may stay English in a Chinese line: names and parts of identifiers.
const NAMES: [&str; 6] = ["youge", "share", "naive", "beyes", "true", "pred"];

/// A line left as in English must be made of formulas, numbers and names: no English word
/// (four or more letters) outside [`NAMES`].
fn english_words(line: &str) -> Vec<&str> {
    line.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| w.len() >= 4 && !NAMES.contains(w)).collect()
}

/// Checks one lesson run in both languages; `what` names it in failures.
fn check_pair(what: &str, en: &str, zh: &str) {
    assert!(!en.chars().any(is_cjk), "{what}: Chinese in the English output:\n{en}");
    let (en_lines, zh_lines): (Vec<&str>, Vec<&str>) = (en.lines().collect(), zh.lines().collect());
    assert_eq!(en_lines.len(), zh_lines.len(), "{what}: line counts differ\n{en}\n{zh}");
    let mut chinese = 0;
    for (n, (e, z)) in en_lines.iter().zip(&zh_lines).enumerate() {
        assert_eq!(numbers(e), numbers(z), "{what}, line {}: other numbers\n  en: {e}\n  zh: {z}", n + 1);
        if z.chars().any(is_cjk) {
            chinese += 1;
        } else {
            let words = english_words(z);
            assert!(words.is_empty(), "{what}, line {}: English {words:?} left in Chinese: {z}", n + 1);
        }
    }
    assert!(chinese >= 3, "{what}: only {chinese} Chinese lines:\n{zh}");
}

#[test]
fn the_number_scanner_reads_signs_decimals_and_exponents() {
    let line = "x1 = −2, e = 0.0028002; h = 1e-6, -0.25 · +0.11; 12%→88%, f32: 2-2-1 e^(−7)";
    let expected =
        ["1", "−2", "0.0028002", "1e-6", "-0.25", "+0.11", "12", "88", "32", "2", "-2", "-1", "−7"];
    assert_eq!(numbers(line), expected);
    assert_eq!(numbers("（第 10 轮，损失：0.2695）"), ["10", "0.2695"]);
    assert_eq!(english_words("  youge  -2  5  y_true (y_true − y_pred)²"), Vec::<&str>::new());
    assert_eq!(english_words("Epoch 10 loss: 0.2"), ["Epoch", "loss"]);
}

#[test]
fn every_lesson_says_the_same_numbers_in_both_languages() {
    let default = LessonOptions::default();
    let handles: Vec<_> = Lesson::ALL
        .into_iter()
        .map(|lesson| {
            let options = default.clone();
            thread::spawn(move || {
                let (en, zh) = both(lesson, &options);
                check_pair(lesson.name(), &en, &zh);
            })
        })
        .collect();
    for handle in handles {
        handle.join().expect("a lesson checked");
    }
}

#[test]
fn the_lessons_notes_for_a_stuck_run_and_other_seeds_are_translated_too() {
    let cases = [
        (Lesson::Gender, LessonOptions { seed: 3, ..Default::default() }, "note: the loss stayed at"),
        (
            Lesson::HiddenLayer,
            LessonOptions { epochs: Some(20), ..Default::default() },
            "note: this run is stuck",
        ),
        (Lesson::Descent, LessonOptions { seed: 7, ..Default::default() }, "seed 7"),
        (Lesson::Surface, LessonOptions { seed: 5, ..Default::default() }, "seed 5"),
    ];
    for (lesson, options, english) in cases {
        let (en, zh) = both(lesson, &options);
        assert!(en.contains(english), "{}: {en}", lesson.name());
        check_pair(
            &format!("{} (seed {}, {:?} epochs)", lesson.name(), options.seed, options.epochs),
            &en,
            &zh,
        );
    }
}

#[test]
fn the_lesson_list_is_translated() {
    for lesson in Lesson::ALL {
        let (en, zh) = (with_lang(Lang::En, || lesson.summary()), with_lang(Lang::Zh, || lesson.summary()));
        assert!(!en.chars().any(is_cjk) && zh.chars().any(is_cjk), "{en} / {zh}");
        assert_eq!(numbers(en), numbers(zh), "{}", lesson.name());
    }
}

/// The pictures (feature `plot`).
#[cfg(feature = "plot")]
mod pictures {
    use std::path::{Path, PathBuf};

    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("scratchnet-golden-i18n-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    /// Draws `lesson`'s pictures in `lang` into `dir`; returns the files the lesson says it wrote.
    fn draw(lesson: Lesson, lang: Lang, dir: &Path) -> Vec<PathBuf> {
        let options = LessonOptions { out: Some(dir.to_path_buf()), ..Default::default() };
        let text = output(lesson, lang, &options);
        let dir = dir.display().to_string();
        text.lines().filter_map(|l| l.find(&dir).map(|at| PathBuf::from(&l[at..]))).collect()
    }

    #[test]
    fn chinese_pictures_are_written_and_differ_from_the_english_ones() {
        let drawing: Vec<Lesson> = Lesson::ALL.into_iter().filter(|l| l.draws()).collect();
        assert_eq!(drawing.len(), 3);
        thread::scope(|s| {
            for lesson in drawing {
                s.spawn(move || {
                    let (zh_dir, en_dir) = (
                        temp_dir(&format!("{}-zh", lesson.name())),
                        temp_dir(&format!("{}-en", lesson.name())),
                    );
                    let zh = draw(lesson, Lang::Zh, &zh_dir);
                    let en = draw(lesson, Lang::En, &en_dir);
                    assert!(zh.len() >= 3 && zh.len() == en.len(), "{}: {zh:?} vs {en:?}", lesson.name());
                    for (z, e) in zh.iter().zip(&en) {
                        assert_eq!(
                            z.file_name(),
                            e.file_name(),
                            "file names stay the same in both languages"
                        );
                        let (zb, eb) = (std::fs::read(z).unwrap(), std::fs::read(e).unwrap());
                        assert!(zb.len() > 1000, "{} is nearly empty", z.display());
                        assert_ne!(zb, eb, "{} is the same picture in both languages", z.display());
                    }
                    let _ = (std::fs::remove_dir_all(&zh_dir), std::fs::remove_dir_all(&en_dir));
                });
            }
        });
    }
}

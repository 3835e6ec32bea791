//! The Chinese catalog against the CJK font the pictures will be drawn with
//! (`assets/fonts/scratchnet-cjk.ttf`, made by `tools/make-cjk-font.sh`): every character of
//! every Chinese message has a glyph, so no picture shows empty boxes (issue 14, point 4); and
//! the font holds no Chinese character the catalog does not use, so it stays small.
//!
//! It reads the font with `ab_glyph`, the crate plotters draws text with. A missing character
//! has glyph id 0, which ab_glyph draws as the `.notdef` box, so "has an outline" is not enough.

use std::collections::{BTreeMap, BTreeSet};

use ab_glyph::{Font, FontRef, PxScale};
use scratchnet::i18n::{self, Lang};

const FONT: &[u8] = include_bytes!("../assets/fonts/scratchnet-cjk.ttf");

/// What to do when a test below fails.
const REBUILD: &str = "run tools/make-cjk-font.sh and commit assets/fonts/ (docs/i18n.md)";

/// Characters Noto Sans SC lacks (the script prints them), which zh/*.txt may use in terminal
/// text (the chain-rule lesson's ŷ, xᵀ, w₁) but never in a picture.
const NOT_IN_NOTO: &str = "ŷȳᵀᵗᵢⱼⁿ⁶₁₂⌊⌋\u{302}\u{304}";

fn font() -> FontRef<'static> {
    FontRef::try_from_slice(FONT).expect("assets/fonts/scratchnet-cjk.ttf is a font ab_glyph reads")
}

/// Keys drawn in pictures: the training plots and the lessons' pictures.
fn drawn(key: &str) -> bool {
    key.starts_with("plot.") || key.contains(".pic.")
}

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

#[test]
fn every_character_of_every_chinese_message_is_in_the_font() {
    let font = font();
    let mut missing: BTreeMap<char, Vec<&str>> = BTreeMap::new();
    let mut checked = 0;
    for (key, template) in i18n::entries(Lang::Zh, "") {
        for c in template.chars().filter(|c| !c.is_control()) {
            checked += 1;
            let excused = NOT_IN_NOTO.contains(c) && !drawn(key);
            if font.glyph_id(c).0 == 0 && !excused {
                missing.entry(c).or_default().push(key);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "not in the font: {missing:?}; {REBUILD} (those of NOT_IN_NOTO cannot be added: keep them out of pictures)"
    );
    assert!(checked > 100, "only {checked} characters checked: is the catalog read?");
}

#[test]
fn the_font_holds_no_chinese_character_the_catalog_does_not_use() {
    let used: BTreeSet<char> =
        i18n::entries(Lang::Zh, "").flat_map(|(_, t)| t.chars()).filter(|&c| is_han(c)).collect();
    let font = font();
    let unused: BTreeSet<char> =
        font.codepoint_ids().map(|(_, c)| c).filter(|&c| is_han(c) && !used.contains(&c)).collect();
    assert!(unused.is_empty(), "the font holds {unused:?}, which zh/*.txt no longer uses; {REBUILD}");
}

#[test]
fn the_font_draws_latin_digits_and_the_formulas() {
    let font = font();
    let symbols = "·−×±²³°′→←≈≤≥∂Σσθηλμ√∞…–—，。：、（）“”％";
    let lacking: String = (' '..='~').chain(symbols.chars()).filter(|&c| font.glyph_id(c).0 == 0).collect();
    assert_eq!(lacking, "", "{REBUILD}");
    // and a Chinese glyph has a real outline that covers pixels
    let glyph = font.glyph_id('学').with_scale(PxScale::from(40.0));
    let outlined = font.outline_glyph(glyph).expect("学 has an outline");
    let mut covered = 0;
    outlined.draw(|_, _, c| covered += usize::from(c > 0.5));
    assert!(covered > 100, "学 covers {covered} pixels at 40 px");
}

#[test]
fn the_characters_excused_are_really_missing_from_noto() {
    let font = font();
    let present: String = NOT_IN_NOTO.chars().filter(|&c| font.glyph_id(c).0 != 0).collect();
    assert_eq!(present, "", "the font has these: take them off NOT_IN_NOTO");
}

//! v3.8's userID rule in the browser (crates/openim-protocol/src/rules.rs): letters and decimal
//! digits come from the JS engine's Unicode data there, and agree with the table the native
//! build (the emulator) uses.

#![cfg(target_arch = "wasm32")]

use openim_protocol::rules::is_legal_user_id_v38;
use unicode_general_category::{get_general_category, GeneralCategory};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn by_table(c: char) -> bool {
    c == '_'
        || matches!(
            get_general_category(c),
            GeneralCategory::UppercaseLetter
                | GeneralCategory::LowercaseLetter
                | GeneralCategory::TitlecaseLetter
                | GeneralCategory::ModifierLetter
                | GeneralCategory::OtherLetter
                | GeneralCategory::DecimalNumber
        )
}

/// Every character of the scripts an operator is likely to meet, and the marks, symbols,
/// spaces and number forms around them, one by one and behind an ASCII letter (which takes the
/// non-ASCII path).
#[wasm_bindgen_test]
fn letters_and_digits_agree_with_the_native_table() {
    let ranges = [
        0x00A0..=0x07FF,   // Latin-1 to NKo: Latin, Greek, Cyrillic, Hebrew, Arabic
        0x0900..=0x0DFF,   // Indic scripts with their own digits
        0x0E00..=0x0EFF,   // Thai, Lao
        0x2000..=0x218F,   // punctuation, letterlike symbols, number forms (Nl)
        0x3000..=0x30FF,   // CJK punctuation, kana
        0x4E00..=0x4FFF,   // CJK ideographs
        0xAC00..=0xACFF,   // Hangul
        0xFF00..=0xFFEF,   // fullwidth forms, fullwidth digits
        0x1F300..=0x1F3FF, // emoji
    ];
    let mut disagree = Vec::new();
    let mut checked = 0;
    // Characters the table does not know yet (assigned in a later Unicode than it, and than the
    // Go release OpenIM is built with) are the browser's to judge; OpenIM's answer then tells.
    let known = |c: &char| get_general_category(*c) != GeneralCategory::Unassigned;
    for c in ranges
        .into_iter()
        .flatten()
        .filter_map(char::from_u32)
        .filter(known)
    {
        checked += 1;
        let expected = by_table(c);
        for id in [c.to_string(), format!("a{c}")] {
            if is_legal_user_id_v38(&id) != expected {
                disagree.push(format!("U+{:04X}", c as u32));
            }
        }
    }
    assert!(checked > 4_000, "only {checked} characters checked");
    assert!(disagree.is_empty(), "the browser disagrees on {disagree:?}");
    assert!(is_legal_user_id_v38("张三_01"));
    assert!(!is_legal_user_id_v38("张三-01"));
    assert!(!is_legal_user_id_v38("Ⅷ"), "Nl is not a letter for Go");
}

//! Vietnamese text folding for search.
//!
//! Residents and officers type "dan phuong", "Đan Phượng" or "DAN PHUONG" for the same place.
//! Search compares a *folded* key: Unicode-normalised, lower-cased, diacritics stripped and
//! `đ`/`Đ` turned into `d` (which Unicode decomposition alone does not do, and which SQLite FTS5's
//! `remove_diacritics` misses). Every search in Langso stores `fold(name)` in a `search_key`
//! column and folds the query the same way; [`search_rank`] then puts exact-diacritic matches first.

use unicode_normalization::UnicodeNormalization;

/// Folds text to its search key: lower case, no diacritics, `đ` → `d`, runs of white space and
/// punctuation collapsed to one space, trimmed.
///
/// The result is plain ASCII for Vietnamese input, so `LIKE` comparisons in either database
/// behave the same.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for ch in text.nfd() {
        if unicode_normalization::char::is_combining_mark(ch) {
            continue;
        }
        if !ch.is_alphanumeric() {
            pending_space = true;
            continue;
        }
        let mut piece = [0u8; 4];
        let piece: &str = match ch {
            'đ' | 'Đ' => "d",
            _ if ch.is_ascii() => ch.encode_utf8(&mut piece),
            // Letters outside Vietnamese (e.g. "ø") still fold to something typeable.
            _ => deunicode::deunicode_char(ch).unwrap_or(""),
        };
        let mut letters = piece
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .peekable();
        if letters.peek().is_none() {
            continue;
        }
        if pending_space && !out.is_empty() {
            out.push(' ');
        }
        pending_space = false;
        out.extend(letters);
    }
    out
}

/// Lower-cases and NFC-normalises text without removing diacritics, so "Phượng" typed in
/// decomposed form still matches the stored precomposed name.
pub fn normalise(text: &str) -> String {
    text.nfc().collect::<String>().to_lowercase()
}

/// Ranks how well `name` answers `query`; lower is better, `None` means no match.
///
/// Order: the query as typed (diacritics kept, case ignored) is the whole name or a whole-word
/// part of it; then the query as typed appears anywhere; then the folded query matches at a word
/// start; then anywhere in the folded name. Within a tier shorter names come first (callers
/// break remaining ties by name).
pub fn search_rank(name: &str, query: &str) -> Option<u32> {
    let folded_query = fold(query);
    if folded_query.is_empty() {
        return None;
    }
    let folded_name = fold(name);
    let folded_pos = folded_name.find(&folded_query)?;
    let length = u32::try_from(name.chars().count())
        .unwrap_or(u32::MAX)
        .min(999);
    let typed = normalise(query.trim());
    let typed_name = normalise(name);
    let has_diacritics = typed != fold(&typed);
    let tier = if has_diacritics && typed_name.ends_with(&typed) {
        0
    } else if has_diacritics && typed_name.contains(&typed) {
        1
    } else if folded_pos == 0 || folded_name[..folded_pos].ends_with(' ') {
        2
    } else {
        3
    };
    Some(tier * 1000 + length)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn folds_vietnamese_names() {
        assert_eq!(fold("Xã Đan Phượng"), "xa dan phuong");
        assert_eq!(fold("Xã Song Phượng"), "xa song phuong");
        assert_eq!(fold("  THỊ TRẤN   Phùng "), "thi tran phung");
        assert_eq!(fold("Xã Ô Diên"), "xa o dien");
        assert_eq!(fold("đường Đồng Tháp, ngõ 5"), "duong dong thap ngo 5");
    }

    #[test]
    fn decomposed_input_folds_like_precomposed() {
        let decomposed: String = "Phượng".nfd().collect();
        assert_eq!(fold(&decomposed), fold("Phượng"));
    }

    #[test]
    fn exact_diacritics_rank_first() {
        let dan = search_rank("Xã Đan Phượng", "Đan Phượng");
        let dan_like = search_rank("Xã Dân Phương", "Đan Phượng");
        assert!(dan.is_some() && dan_like.is_some());
        assert!(dan < dan_like);
        // Without diacritics both match equally well.
        assert_eq!(
            search_rank("Xã Đan Phượng", "dan phuong").map(|r| r / 1000),
            search_rank("Xã Dân Phương", "dan phuong").map(|r| r / 1000)
        );
        assert_eq!(search_rank("Xã Hạ Mỗ", "song"), None);
        assert_eq!(search_rank("Xã Hạ Mỗ", "  "), None);
    }

    proptest! {
        #[test]
        fn fold_is_idempotent(s in "\\PC{0,40}") {
            let once = fold(&s);
            prop_assert_eq!(fold(&once), once.clone());
        }

        #[test]
        fn fold_has_no_uppercase_or_d_stroke(s in "[a-zA-ZàáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđĐ ÀÁẠẢÃÂẦẤẬẨẪĂẰẮẶẲẴÈÉẸẺẼÊỀẾỆỂỄÌÍỊỈĨÒÓỌỎÕÔỒỐỘỔỖƠỜỚỢỞỠÙÚỤỦŨƯỪỨỰỬỮỲÝỴỶỸ]{0,40}") {
            let folded = fold(&s);
            prop_assert!(folded.is_ascii());
            prop_assert!(!folded.chars().any(|c| c.is_ascii_uppercase()));
            prop_assert!(!folded.starts_with(' ') && !folded.ends_with(' '));
            prop_assert!(!folded.contains("  "));
        }

        #[test]
        fn case_never_matters(s in "[a-zA-Z0-9àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ ]{0,30}") {
            prop_assert_eq!(fold(&s.to_uppercase()), fold(&s.to_lowercase()));
        }

        #[test]
        fn a_name_always_finds_itself(s in "[a-zA-Zàáạảãđêôơư ]{1,20}") {
            prop_assume!(!fold(&s).is_empty());
            prop_assert!(search_rank(&s, &s).is_some());
        }
    }
}

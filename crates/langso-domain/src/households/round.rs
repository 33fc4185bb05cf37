//! The order a team member walks a round in: by hamlet, then alley, then house number, where
//! the numbers inside a name count as numbers ("Ngõ 2" before "Ngõ 10", house 3 before 16,
//! "5A" after "5" and before "6").
//!
//! Registers write alleys and houses as text ("Ngõ 10", "ngõ 2", "12B", "3/5"), so a plain
//! text sort walks the alley Ngõ 1, Ngõ 10, Ngõ 11, Ngõ 2 — back and forth along the road.
//! [`NaturalKey`] splits a text into runs of digits and runs of other characters, compares the
//! digit runs by value (any length, no overflow: leading zeros dropped, then the shorter
//! number first) and the other runs by their folded text (no accents, no case, "đ" as "d"),
//! so "Ngõ 2" and "ngo 2" stand together.

use std::cmp::Ordering;

use crate::text::fold;

/// One run of a name: numbers sort before words, as "2" before "A" on a street.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Part {
    /// A run of digits without its leading zeros, compared by length then digits: its value.
    Number { digits: usize, text: String },
    /// A run of anything else, folded.
    Word(String),
}

/// The sort key of a name in walking order. Keys compare as the natural order; texts that
/// differ only in accents, case, spacing or leading zeros compare equal (the caller breaks
/// ties, e.g. by household code).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct NaturalKey(Vec<Part>);

impl NaturalKey {
    /// The key of `text`.
    pub fn of(text: &str) -> Self {
        let mut parts = Vec::new();
        let mut digits = String::new();
        let mut word = String::new();
        let flush_word = |word: &mut String, parts: &mut Vec<Part>| {
            let folded = fold(word);
            if !folded.is_empty() {
                parts.push(Part::Word(folded));
            }
            word.clear();
        };
        let flush_number = |digits: &mut String, parts: &mut Vec<Part>| {
            if !digits.is_empty() {
                let value = digits.trim_start_matches('0').to_owned();
                parts.push(Part::Number {
                    digits: value.len(),
                    text: value,
                });
            }
            digits.clear();
        };
        for ch in text.chars() {
            if ch.is_ascii_digit() {
                flush_word(&mut word, &mut parts);
                digits.push(ch);
            } else {
                flush_number(&mut digits, &mut parts);
                word.push(ch);
            }
        }
        flush_word(&mut word, &mut parts);
        flush_number(&mut digits, &mut parts);
        NaturalKey(parts)
    }
}

/// Compares two names in natural order.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    NaturalKey::of(a).cmp(&NaturalKey::of(b))
}

/// Where a household stands on a round: hamlet, alley, house number, then its code so the
/// order is total. The village comes first and is the caller's (by name, as shown).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct RoundPlace {
    hamlet: NaturalKey,
    alley: NaturalKey,
    house: NaturalKey,
    code: NaturalKey,
    /// The code as written, so two codes that fold alike still differ.
    raw_code: String,
}

impl RoundPlace {
    /// The place of a household with these address fields and code.
    pub fn new(hamlet: &str, alley: &str, house_number: &str, code: &str) -> Self {
        RoundPlace {
            hamlet: NaturalKey::of(hamlet),
            alley: NaturalKey::of(alley),
            house: NaturalKey::of(house_number),
            code: NaturalKey::of(code),
            raw_code: code.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sorted(items: &[&str]) -> Vec<String> {
        let mut out: Vec<String> = items.iter().map(|s| (*s).to_owned()).collect();
        out.sort_by(|a, b| natural_cmp(a, b).then_with(|| a.cmp(b)));
        out
    }

    #[test]
    fn alleys_and_houses_sort_as_numbers() {
        assert_eq!(
            sorted(&["Ngõ 10", "Ngõ 2", "Ngõ 1", "Ngõ 11"]),
            ["Ngõ 1", "Ngõ 2", "Ngõ 10", "Ngõ 11"]
        );
        assert_eq!(
            sorted(&["16", "3", "5B", "5", "5A"]),
            ["3", "5", "5A", "5B", "16"]
        );
        assert_eq!(natural_cmp("007", "7"), Ordering::Equal);
        assert_eq!(natural_cmp("3/12", "3/5"), Ordering::Greater);
    }

    #[test]
    fn accents_and_case_do_not_split_an_alley() {
        assert_eq!(natural_cmp("Ngõ 2", "ngo 2"), Ordering::Equal);
        assert_eq!(natural_cmp("Xóm Đông", "xom dong"), Ordering::Equal);
        assert_eq!(natural_cmp("Ngách 1", "Ngõ 2"), Ordering::Less);
    }

    #[test]
    fn numbers_longer_than_any_integer_still_compare() {
        let big = "9".repeat(60);
        let bigger = format!("1{}", "0".repeat(60));
        assert_eq!(natural_cmp(&big, &bigger), Ordering::Less);
    }

    #[test]
    fn a_round_walks_hamlet_then_alley_then_house() {
        let mut places = [
            RoundPlace::new("Xóm 2", "Ngõ 1", "1", "H4"),
            RoundPlace::new("Xóm 1", "Ngõ 10", "3", "H3"),
            RoundPlace::new("Xóm 1", "Ngõ 2", "16", "H2"),
            RoundPlace::new("Xóm 1", "Ngõ 2", "3", "H1"),
        ];
        places.sort();
        let codes: Vec<&str> = places.iter().map(|p| p.raw_code.as_str()).collect();
        assert_eq!(codes, ["H1", "H2", "H3", "H4"]);
    }

    proptest! {
        #[test]
        fn numbers_keep_their_order(a in 0u64..1_000_000, b in 0u64..1_000_000, prefix in "[a-zA-Z ]{0,8}") {
            let order = natural_cmp(&format!("{prefix}{a}"), &format!("{prefix}{b}"));
            prop_assert_eq!(order, a.cmp(&b));
            let padded = natural_cmp(&format!("{prefix}{a:08}"), &format!("{prefix}{b}"));
            prop_assert_eq!(padded, a.cmp(&b));
        }

        #[test]
        fn the_order_is_total_and_consistent(a in "\\PC{0,16}", b in "\\PC{0,16}", c in "\\PC{0,16}") {
            let (ka, kb, kc) = (NaturalKey::of(&a), NaturalKey::of(&b), NaturalKey::of(&c));
            prop_assert_eq!(ka.cmp(&kb), kb.cmp(&ka).reverse());
            if ka <= kb && kb <= kc {
                prop_assert!(ka <= kc);
            }
            prop_assert_eq!(ka.cmp(&ka), Ordering::Equal);
        }
    }
}

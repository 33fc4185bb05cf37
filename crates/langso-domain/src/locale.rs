//! Local conventions for what people read: dates `dd/mm/yyyy`, times in Vietnam time (UTC+7)
//! to the minute, numbers grouped the Vietnamese way (1.015; 99,9 %), and names sorted in the
//! Vietnamese alphabet (a ă â b c d đ e ê …) rather than by bytes, where "Đ" would follow "Z".
//!
//! Stored times stay UTC (DESIGN.md); only what is shown is converted here.

use std::cmp::Ordering;

use time::{Date, OffsetDateTime, UtcOffset};
use unicode_normalization::UnicodeNormalization;

/// Vietnam's offset: UTC+7 all year (no daylight saving).
pub const VIETNAM: UtcOffset = match UtcOffset::from_hms(7, 0, 0) {
    Ok(offset) => offset,
    Err(_) => UtcOffset::UTC,
};

/// How numbers are written: the page's language decides the separators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumberStyle {
    /// 1.015 and 99,9 (Vietnamese).
    Vietnamese,
    /// 1,015 and 99.9 (English).
    English,
}

impl NumberStyle {
    fn separators(self) -> (char, char) {
        match self {
            NumberStyle::Vietnamese => ('.', ','),
            NumberStyle::English => (',', '.'),
        }
    }
}

/// A day as `dd/mm/yyyy`.
pub fn day(date: Date) -> String {
    format!(
        "{:02}/{:02}/{:04}",
        date.day(),
        u8::from(date.month()),
        date.year()
    )
}

/// A moment as `dd/mm/yyyy HH:MM` in Vietnam time.
pub fn minute(at: OffsetDateTime) -> String {
    let local = at.to_offset(VIETNAM);
    format!(
        "{} {:02}:{:02}",
        day(local.date()),
        local.hour(),
        local.minute()
    )
}

/// A whole number with thousands grouped: 1.015 (vi) or 1,015 (en).
pub fn count(value: i64, style: NumberStyle) -> String {
    let (group, _) = style.separators();
    let digits = value.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if value < 0 {
        out.push('-');
    }
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(group);
        }
        out.push(digit);
    }
    out
}

/// A number with `decimals` places: 99,9 (vi) or 99.9 (en); the whole part grouped.
pub fn decimal(value: f64, decimals: usize, style: NumberStyle) -> String {
    if !value.is_finite() {
        return "—".to_owned();
    }
    let (_, point) = style.separators();
    let text = format!("{:.*}", decimals, value.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let whole: i64 = whole.parse().unwrap_or(0);
    let negative = value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0');
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str(&count(whole, style));
    if !fraction.is_empty() {
        out.push(point);
        out.push_str(fraction);
    }
    out
}

/// A share as a percentage with one decimal: "99,9 %" (vi) or "99.9%" (en), and "100 %" only
/// when the part is the whole. Never rounds an
/// incomplete share up to 100 (18,250 of 18,253 is 99,9 %, not 100 %), nor a non-zero one
/// down to 0.
///
/// A part above the whole (a value that cannot be true, listed for correction elsewhere) is
/// shown as the whole: a share is never above 100 %.
pub fn percent(part: i64, whole: i64, style: NumberStyle) -> String {
    if whole <= 0 {
        return "—".to_owned();
    }
    let part = part.clamp(0, whole);
    if part == whole {
        return match style {
            NumberStyle::Vietnamese => "100 %".to_owned(),
            NumberStyle::English => "100%".to_owned(),
        };
    }
    let exact = part as f64 * 100.0 / whole as f64;
    let mut shown = (exact * 10.0).round() / 10.0;
    if part < whole && shown >= 100.0 {
        shown = 99.9;
    } else if part > 0 && shown <= 0.0 {
        shown = 0.1;
    }
    let number = decimal(shown, 1, style);
    match style {
        NumberStyle::Vietnamese => format!("{number} %"),
        NumberStyle::English => format!("{number}%"),
    }
}

/// `part` of `whole` as a share 0–1 for a bar or a spreadsheet cell, to a tenth of a percent
/// and with the same rules as [`percent`]: never above 1, never 1 for unfinished work (18,250
/// of 18,253 is 0.999), never 0 for a non-zero part; 0 when there is no whole.
pub fn share(part: i64, whole: i64) -> f64 {
    if whole <= 0 {
        return 0.0;
    }
    let part = part.clamp(0, whole);
    if part == whole {
        return 1.0;
    }
    let tenths = ((part as f64 * 1000.0 / whole as f64).round() as i64).clamp(1, 999);
    tenths as f64 / 1000.0
}

/// The position of a character in the Vietnamese alphabet, after the marks that make a letter
/// (breve, circumflex, horn) are applied: spaces first (so names sort word by word), then
/// digits, then letters, then anything else by code point.
fn letter_rank(base: char, modifier: Option<char>) -> u32 {
    const ALPHABET: [&str; 29] = [
        "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n",
        "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v",
    ];
    const TAIL: [char; 4] = ['w', 'x', 'y', 'z'];
    let lower = base.to_lowercase().next().unwrap_or(base);
    let letter: String = match (lower, modifier) {
        ('a', Some('\u{306}')) => "ă".into(),
        ('a', Some('\u{302}')) => "â".into(),
        ('e', Some('\u{302}')) => "ê".into(),
        ('o', Some('\u{302}')) => "ô".into(),
        ('o', Some('\u{31B}')) => "ơ".into(),
        ('u', Some('\u{31B}')) => "ư".into(),
        (c, _) => c.to_string(),
    };
    const FIRST_LETTER: u32 = 11;
    if let Some(index) = ALPHABET.iter().position(|l| *l == letter) {
        return FIRST_LETTER + index as u32;
    }
    if let Some(index) = TAIL.iter().position(|c| letter.starts_with(*c)) {
        return FIRST_LETTER + (ALPHABET.len() + index) as u32;
    }
    if lower.is_whitespace() {
        return 0;
    }
    if let Some(digit) = lower.to_digit(10) {
        return 1 + digit;
    }
    0x1000 + lower as u32
}

/// The tone of a syllable, in the order Vietnamese dictionaries use: none, huyền, hỏi, ngã,
/// sắc, nặng.
fn tone_rank(mark: char) -> Option<u32> {
    match mark {
        '\u{300}' => Some(1),
        '\u{309}' => Some(2),
        '\u{303}' => Some(3),
        '\u{301}' => Some(4),
        '\u{323}' => Some(5),
        _ => None,
    }
}

/// A key that sorts names in Vietnamese alphabetical order: letters first (đ after d, ă and â
/// after a), then tones, then case, then the text itself so that different names never tie.
pub fn sort_key(name: &str) -> (Vec<u32>, Vec<u32>, Vec<bool>, String) {
    let mut letters = Vec::with_capacity(name.len());
    let mut tones = Vec::new();
    let mut cases = Vec::new();
    let decomposed: Vec<char> = name.nfd().collect();
    let mut index = 0;
    while index < decomposed.len() {
        let base = decomposed[index];
        index += 1;
        let mut modifier = None;
        let mut tone = 0;
        while let Some(&mark) = decomposed.get(index) {
            if let Some(rank) = tone_rank(mark) {
                tone = rank;
            } else if matches!(mark, '\u{306}' | '\u{302}' | '\u{31B}') {
                modifier = Some(mark);
            } else {
                break;
            }
            index += 1;
        }
        letters.push(letter_rank(base, modifier));
        tones.push(tone);
        cases.push(base.is_uppercase());
    }
    (letters, tones, cases, name.to_owned())
}

/// Compares two names in Vietnamese alphabetical order.
pub fn compare(a: &str, b: &str) -> Ordering {
    sort_key(a).cmp(&sort_key(b))
}

/// Sorts items by a name in Vietnamese alphabetical order (each key computed once).
pub fn sort_by_name<T>(items: &mut [T], name: impl Fn(&T) -> &str) {
    items.sort_by_cached_key(|item| sort_key(name(item)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::{date, datetime};

    #[test]
    fn days_and_minutes_read_the_vietnamese_way_in_vietnam_time() {
        assert_eq!(day(date!(2025 - 07 - 01)), "01/07/2025");
        // 15:43 UTC is 22:43 in Hà Nội; 20:00 UTC on the 6th is already the 7th there.
        assert_eq!(
            minute(datetime!(2026-12-06 15:43:37.26095543 UTC)),
            "06/12/2026 22:43"
        );
        assert_eq!(minute(datetime!(2026-12-06 20:00 UTC)), "07/12/2026 03:00");
    }

    #[test]
    fn numbers_are_grouped_per_language() {
        assert_eq!(count(1015, NumberStyle::Vietnamese), "1.015");
        assert_eq!(count(1015, NumberStyle::English), "1,015");
        assert_eq!(count(27_000_000, NumberStyle::Vietnamese), "27.000.000");
        assert_eq!(count(-1234, NumberStyle::Vietnamese), "-1.234");
        assert_eq!(count(999, NumberStyle::Vietnamese), "999");
        assert_eq!(decimal(1234.5, 1, NumberStyle::Vietnamese), "1.234,5");
        assert_eq!(percent(999, 1000, NumberStyle::Vietnamese), "99,9 %");
        assert_eq!(percent(999, 1000, NumberStyle::English), "99.9%");
    }

    #[test]
    fn incomplete_work_is_never_shown_as_done() {
        assert_eq!(percent(18_250, 18_253, NumberStyle::Vietnamese), "99,9 %");
        assert_eq!(percent(18_253, 18_253, NumberStyle::Vietnamese), "100 %");
        assert_eq!(percent(1, 100_000, NumberStyle::Vietnamese), "0,1 %");
        assert_eq!(percent(0, 0, NumberStyle::Vietnamese), "—");
        assert_eq!(percent(18_260, 18_253, NumberStyle::Vietnamese), "100 %");
        assert_eq!(share(18_250, 18_253), 0.999);
        assert_eq!(share(18_253, 18_253), 1.0);
        assert_eq!(share(20_000, 18_253), 1.0);
        assert_eq!(share(1, 100_000), 0.001);
        assert_eq!(share(1, 0), 0.0);
    }

    #[test]
    fn names_sort_in_the_vietnamese_alphabet() {
        let mut names = vec![
            "Xã Ô Diên",
            "Xã Đan Phượng",
            "Xã Liên Hồng",
            "Thôn Ấp",
            "Thôn An",
            "Thôn Ân",
            "Thôn Ă",
            "Zeta",
            "Xã Dương Liễu",
            "Thôn Hòa Bình",
            "Thôn Hóa",
            "Thôn Hoa",
        ];
        names.sort_by(|a, b| compare(a, b));
        assert_eq!(
            names,
            vec![
                "Thôn An",
                "Thôn Ă",
                "Thôn Ân",
                "Thôn Ấp",
                "Thôn Hoa",
                "Thôn Hóa",
                "Thôn Hòa Bình",
                "Xã Dương Liễu",
                "Xã Đan Phượng",
                "Xã Liên Hồng",
                "Xã Ô Diên",
                "Zeta",
            ]
        );
    }

    proptest! {
        #[test]
        fn sorting_is_a_total_order_consistent_with_equality(a in "\\PC{0,12}", b in "\\PC{0,12}") {
            prop_assert_eq!(compare(&a, &b), compare(&b, &a).reverse());
            prop_assert_eq!(compare(&a, &b) == Ordering::Equal, a == b);
        }

        #[test]
        fn grouped_counts_read_back(value in any::<i64>()) {
            let text = count(value, NumberStyle::Vietnamese);
            prop_assert_eq!(text.replace('.', "").parse::<i64>().ok(), Some(value));
        }

        #[test]
        fn a_share_below_the_whole_never_reads_100(part in 0i64..1_000_000, extra in 1i64..1_000) {
            let text = percent(part, part + extra, NumberStyle::Vietnamese);
            prop_assert!(!text.starts_with("100"));
        }
    }
}

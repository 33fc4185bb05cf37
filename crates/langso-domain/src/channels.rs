//! Text rules of the delivery channels: phone numbers in the `84…` form Zalo and SMS gateways
//! take, and SMS length counted in segments.
//!
//! An SMS carries 140 bytes. In the GSM-7 alphabet that is 160 characters (153 per part once a
//! message is split, the rest holding the part header); any character outside GSM-7 forces
//! UCS-2, 70 characters (67 per part). Vietnamese letters with diacritics are outside GSM-7, so
//! each unit chooses: send as written in UCS-2 (no loss, about 2.3 times the segments), or
//! transliterate to GSM-7 by the stated rule of [`transliterate`].

use unicode_normalization::UnicodeNormalization;

/// How an SMS is encoded, as the unit's setting says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmsEncoding {
    /// Vietnamese as written: UCS-2, 70 characters, 67 per part.
    Ucs2,
    /// Transliterated to the GSM-7 alphabet: 160 characters, 153 per part.
    Gsm7,
}

impl SmsEncoding {
    /// The setting's value: `ucs2` or `gsm7`; anything else is UCS-2 (no loss).
    pub fn parse(text: &str) -> SmsEncoding {
        if text.trim().eq_ignore_ascii_case("gsm7") {
            SmsEncoding::Gsm7
        } else {
            SmsEncoding::Ucs2
        }
    }

    /// The setting's value.
    pub fn as_str(self) -> &'static str {
        match self {
            SmsEncoding::Ucs2 => "ucs2",
            SmsEncoding::Gsm7 => "gsm7",
        }
    }
}

/// The GSM 03.38 basic character set (one septet each).
const GSM7_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?\
¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/// The GSM 03.38 extension table (two septets each: an escape, then the character).
const GSM7_EXTENDED: &str = "^{}\\[~]|€\u{c}";

/// Septets a character takes in GSM-7, or None when GSM-7 cannot carry it.
fn septets(c: char) -> Option<usize> {
    if GSM7_BASIC.contains(c) {
        Some(1)
    } else if GSM7_EXTENDED.contains(c) {
        Some(2)
    } else {
        None
    }
}

/// Whether GSM-7 carries the whole text.
pub fn is_gsm7(text: &str) -> bool {
    text.chars().all(|c| septets(c).is_some())
}

/// The stated transliteration rule: `đ`→`d`, `Đ`→`D`; every other letter loses its diacritics
/// (decomposed, combining marks dropped: `ế`→`e`, `Ư`→`U`); typographic quotes and dashes
/// become their ASCII forms; whatever GSM-7 still cannot carry becomes `?`.
pub fn transliterate(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            'đ' => out.push('d'),
            'Đ' => out.push('D'),
            '‘' | '’' => out.push('\''),
            '“' | '”' => out.push('"'),
            '–' | '—' => out.push('-'),
            '…' => out.push_str("..."),
            '\t' => out.push(' '),
            c if c.is_ascii() && septets(c).is_some() => out.push(c),
            c => {
                for d in c.to_string().nfd() {
                    if unicode_normalization::char::is_combining_mark(d) {
                        continue;
                    }
                    out.push(if d.is_ascii() && septets(d).is_some() {
                        d
                    } else {
                        '?'
                    });
                }
            }
        }
    }
    out
}

/// The text as the gateway receives it in `encoding`.
pub fn sms_text(text: &str, encoding: SmsEncoding) -> String {
    match encoding {
        SmsEncoding::Ucs2 => text.to_owned(),
        SmsEncoding::Gsm7 => transliterate(text),
    }
}

/// The length of an SMS as sent: the units it takes (septets or UTF-16 code units) and the
/// segments (parts) it is split into. An empty text is one segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SmsLength {
    /// Septets (GSM-7) or UTF-16 code units (UCS-2).
    pub units: usize,
    /// Parts billed and sent.
    pub segments: usize,
    /// The encoding the text goes in: GSM-7 only when it carries every character.
    pub encoding: SmsEncoding,
}

/// Counts `text` (already as sent, see [`sms_text`]) in segments: GSM-7 when it carries every
/// character (160 single, 153 per part), else UCS-2 (70 single, 67 per part).
pub fn sms_length(text: &str) -> SmsLength {
    let gsm: Option<usize> = text.chars().map(septets).sum();
    let (units, single, part, encoding) = match gsm {
        Some(n) => (n, 160, 153, SmsEncoding::Gsm7),
        None => (text.encode_utf16().count(), 70, 67, SmsEncoding::Ucs2),
    };
    let segments = if units <= single {
        1
    } else {
        units.div_ceil(part)
    };
    SmsLength {
        units,
        segments,
        encoding,
    }
}

/// A Vietnamese mobile number in the `84…` form (84 and nine digits) from what people write:
/// `0912 345 678`, `+84 912.345.678`, `84912345678`. None when it is not one.
pub fn phone_84(text: &str) -> Option<String> {
    if text.len() > 32 {
        return None;
    }
    let trimmed = text.trim();
    let plus = trimmed.starts_with('+');
    let digits: String = trimmed
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')' | '+'))
        .collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let national = if let Some(rest) = digits.strip_prefix("84").filter(|r| r.len() == 9) {
        rest
    } else if plus {
        return None;
    } else {
        digits.strip_prefix('0')?
    };
    let first = national.chars().next()?;
    (national.len() == 9 && matches!(first, '3' | '5' | '7' | '8' | '9'))
        .then(|| format!("84{national}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn vietnamese_is_transliterated_by_the_stated_rule() {
        assert_eq!(
            transliterate("Đường thôn Đại Phùng – đã sửa xong “hôm nay”…"),
            "Duong thon Dai Phung - da sua xong \"hom nay\"..."
        );
        assert_eq!(transliterate("Ưu tiên: Ấp Bắc"), "Uu tien: Ap Bac");
        assert_eq!(transliterate("日本"), "??");
        assert!(is_gsm7(&transliterate(
            "Nước sạch, điện, đường, trường, trạm"
        )));
    }

    #[test]
    fn segments_follow_the_gsm7_and_ucs2_sizes() {
        let a160 = "a".repeat(160);
        assert_eq!(sms_length(&a160).segments, 1);
        assert_eq!(sms_length(&"a".repeat(161)).segments, 2);
        assert_eq!(sms_length(&"a".repeat(306)).segments, 2);
        assert_eq!(sms_length(&"a".repeat(307)).segments, 3);
        // An extension character takes two septets.
        assert_eq!(sms_length(&format!("{}€", "a".repeat(159))).segments, 2);
        let vi = "ệ".repeat(70);
        let length = sms_length(&vi);
        assert_eq!((length.units, length.segments), (70, 1));
        assert_eq!(length.encoding, SmsEncoding::Ucs2);
        assert_eq!(sms_length(&"ệ".repeat(71)).segments, 2);
        assert_eq!(sms_length(&"ệ".repeat(134)).segments, 2);
        assert_eq!(sms_length(&"ệ".repeat(135)).segments, 3);
        assert_eq!(sms_length("").segments, 1);
    }

    #[test]
    fn phones_take_the_84_form() {
        assert_eq!(phone_84("0912 345 678").as_deref(), Some("84912345678"));
        assert_eq!(phone_84("+84 912.345.678").as_deref(), Some("84912345678"));
        assert_eq!(phone_84("84386123456").as_deref(), Some("84386123456"));
        assert_eq!(phone_84("0243 123 4567"), None);
        assert_eq!(phone_84("+1 912 345 678"), None);
        assert_eq!(phone_84("091234567"), None);
        assert_eq!(phone_84("09123456789"), None);
        assert_eq!(phone_84("abc"), None);
    }

    proptest! {
        #[test]
        fn transliterated_text_always_fits_gsm7(text in "\\PC{0,300}") {
            prop_assert!(is_gsm7(&transliterate(&text)));
            prop_assert_eq!(sms_length(&sms_text(&text, SmsEncoding::Gsm7)).encoding, SmsEncoding::Gsm7);
        }

        #[test]
        fn segments_are_the_fewest_that_hold_the_text(text in "\\PC{0,600}") {
            let length = sms_length(&text);
            let (single, part) = match length.encoding {
                SmsEncoding::Gsm7 => (160, 153),
                SmsEncoding::Ucs2 => (70, 67),
            };
            prop_assert!(length.segments >= 1);
            if length.units <= single {
                prop_assert_eq!(length.segments, 1);
            } else {
                prop_assert!(length.segments * part >= length.units);
                prop_assert!((length.segments - 1) * part < length.units);
            }
        }

        #[test]
        fn phone_84_is_idempotent(text in "[+0-9 .-]{0,20}") {
            if let Some(phone) = phone_84(&text) {
                prop_assert_eq!(phone.len(), 11);
                prop_assert_eq!(phone_84(&phone), Some(phone.clone()));
            }
        }
    }
}

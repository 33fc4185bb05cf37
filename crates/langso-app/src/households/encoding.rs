//! The text encodings a CSV file from a Vietnamese office may be in, told apart by what the
//! bytes say rather than by what the file claims: UTF-8 (Excel's "CSV UTF-8", with or without
//! a BOM), UTF-16 (Excel's "Unicode Text", which starts with a BOM), and the single-byte
//! encodings offices still use: Windows-1258 (Excel's plain "CSV" on a Vietnamese Windows),
//! TCVN3 (ABC, the ".Vn" fonts) and VNI (the "VNI-" fonts). A file in none of them is refused
//! saying so, rather than imported as mojibake.
//!
//! The single-byte ones cannot be told apart by their bytes alone (every byte is valid in all
//! three): the file is read each way and the reading whose words are Vietnamese words (letters
//! of the Vietnamese alphabet, at most one tone mark) wins. Each is then a byte map, so the
//! file is converted while it streams, and each cell is composed (NFC) once read.

use encoding_rs::{Decoder, Encoding, UTF_16BE, UTF_16LE, WINDOWS_1258};
use unicode_normalization::UnicodeNormalization;

/// How a CSV file's bytes become text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextEncoding {
    /// UTF-8 (a BOM, if any, is dropped with the header).
    Utf8,
    /// UTF-16, little-endian (BOM FF FE).
    Utf16Le,
    /// UTF-16, big-endian (BOM FE FF).
    Utf16Be,
    /// Windows-1258 (Vietnamese Windows code page).
    Windows1258,
    /// TCVN 5712:1993 VN3 ("ABC", fonts .VnTime).
    Tcvn3,
    /// VNI Windows (fonts VNI-Times): a base letter followed by its marks.
    Vni,
}

impl TextEncoding {
    /// The name people know the encoding by (shown when a file was converted).
    pub fn name(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf16Le | TextEncoding::Utf16Be => "UTF-16 (Unicode Text)",
            TextEncoding::Windows1258 => "Windows-1258",
            TextEncoding::Tcvn3 => "TCVN3 (ABC)",
            TextEncoding::Vni => "VNI",
        }
    }

    /// Whether cells need composing (NFC) after conversion: the legacy encodings write marks
    /// as separate characters.
    pub(super) fn composes(self) -> bool {
        matches!(
            self,
            TextEncoding::Windows1258 | TextEncoding::Tcvn3 | TextEncoding::Vni
        )
    }
}

/// TCVN3 (VN3): the bytes that are Vietnamese letters; the rest read as Windows-1252.
/// Capitals with tone marks have no code of their own (the ".VnTimeH" fonts draw the small
/// letters as capitals), so they come back as small letters.
const TCVN3: &[(u8, char)] = &[
    (0xA1, 'Ă'),
    (0xA2, 'Â'),
    (0xA3, 'Ê'),
    (0xA4, 'Ô'),
    (0xA5, 'Ơ'),
    (0xA6, 'Ư'),
    (0xA7, 'Đ'),
    (0xA8, 'ă'),
    (0xA9, 'â'),
    (0xAA, 'ê'),
    (0xAB, 'ô'),
    (0xAC, 'ơ'),
    (0xAD, 'ư'),
    (0xAE, 'đ'),
    (0xB5, 'à'),
    (0xB6, 'ả'),
    (0xB7, 'ã'),
    (0xB8, 'á'),
    (0xB9, 'ạ'),
    (0xBB, 'ằ'),
    (0xBC, 'ẳ'),
    (0xBD, 'ẵ'),
    (0xBE, 'ắ'),
    (0xC6, 'ặ'),
    (0xC7, 'ầ'),
    (0xC8, 'ẩ'),
    (0xC9, 'ẫ'),
    (0xCA, 'ấ'),
    (0xCB, 'ậ'),
    (0xCC, 'è'),
    (0xCE, 'ẻ'),
    (0xCF, 'ẽ'),
    (0xD0, 'é'),
    (0xD1, 'ẹ'),
    (0xD2, 'ề'),
    (0xD3, 'ể'),
    (0xD4, 'ễ'),
    (0xD5, 'ế'),
    (0xD6, 'ệ'),
    (0xD7, 'ì'),
    (0xD8, 'ỉ'),
    (0xDC, 'ĩ'),
    (0xDD, 'í'),
    (0xDE, 'ị'),
    (0xDF, 'ò'),
    (0xE1, 'ỏ'),
    (0xE2, 'õ'),
    (0xE3, 'ó'),
    (0xE4, 'ọ'),
    (0xE5, 'ồ'),
    (0xE6, 'ổ'),
    (0xE7, 'ỗ'),
    (0xE8, 'ố'),
    (0xE9, 'ộ'),
    (0xEA, 'ờ'),
    (0xEB, 'ở'),
    (0xEC, 'ỡ'),
    (0xED, 'ớ'),
    (0xEE, 'ợ'),
    (0xEF, 'ù'),
    (0xF1, 'ủ'),
    (0xF2, 'ũ'),
    (0xF3, 'ú'),
    (0xF4, 'ụ'),
    (0xF5, 'ừ'),
    (0xF6, 'ử'),
    (0xF7, 'ữ'),
    (0xF8, 'ứ'),
    (0xF9, 'ự'),
    (0xFA, 'ỳ'),
    (0xFB, 'ỷ'),
    (0xFC, 'ỹ'),
    (0xFD, 'ý'),
    (0xFE, 'ỵ'),
];

const ACUTE: &str = "\u{301}";
const GRAVE: &str = "\u{300}";
const HOOK: &str = "\u{309}";
const TILDE: &str = "\u{303}";
const DOT: &str = "\u{323}";

/// VNI: small-letter bytes (the capital forms are 0x20 lower) and what they write: a mark
/// for the letter before (composed later), or a letter of their own.
const VNI: &[(u8, &str)] = &[
    (0xF9, ACUTE),
    (0xF8, GRAVE),
    (0xFB, HOOK),
    (0xF5, TILDE),
    (0xEF, DOT),
    (0xE2, "\u{302}"),
    (0xE1, "\u{302}\u{301}"),
    (0xE0, "\u{302}\u{300}"),
    (0xE5, "\u{302}\u{309}"),
    (0xE3, "\u{302}\u{303}"),
    (0xE4, "\u{302}\u{323}"),
    (0xEA, "\u{306}"),
    (0xE9, "\u{306}\u{301}"),
    (0xE8, "\u{306}\u{300}"),
    (0xFA, "\u{306}\u{309}"),
    (0xFC, "\u{306}\u{303}"),
    (0xEB, "\u{306}\u{323}"),
    (0xF4, "ơ"),
    (0xF6, "ư"),
    (0xF1, "đ"),
    (0xED, "í"),
    (0xEC, "ì"),
    (0xE6, "ỉ"),
    (0xF3, "ĩ"),
    (0xF2, "ị"),
];

/// A byte map for the high half (0x80–0xFF) of a single-byte encoding.
pub(super) struct ByteMap(Vec<String>);

impl ByteMap {
    pub(super) fn new(encoding: TextEncoding) -> Option<ByteMap> {
        let windows = |encoding: &'static Encoding, byte: u8| {
            encoding.decode_without_bom_handling(&[byte]).0.into_owned()
        };
        let table = (0x80u8..=0xFF)
            .map(|byte| match encoding {
                TextEncoding::Windows1258 => windows(WINDOWS_1258, byte),
                TextEncoding::Tcvn3 => TCVN3.iter().find(|(b, _)| *b == byte).map_or_else(
                    || windows(encoding_rs::WINDOWS_1252, byte),
                    |(_, c)| c.to_string(),
                ),
                TextEncoding::Vni => {
                    let small = VNI.iter().find(|(b, _)| *b == byte);
                    let capital = VNI.iter().find(|(b, _)| *b == byte.wrapping_add(0x20));
                    match (small, capital) {
                        (Some((_, text)), _) => (*text).to_owned(),
                        (None, Some((_, text))) if byte >= 0xC0 => text.to_uppercase(),
                        _ => windows(encoding_rs::WINDOWS_1252, byte),
                    }
                }
                _ => String::new(),
            })
            .collect();
        matches!(
            encoding,
            TextEncoding::Windows1258 | TextEncoding::Tcvn3 | TextEncoding::Vni
        )
        .then_some(ByteMap(table))
    }

    /// `bytes` as UTF-8, appended to `out`.
    pub(super) fn decode_into(&self, bytes: &[u8], out: &mut Vec<u8>) {
        for byte in bytes {
            if byte.is_ascii() {
                out.push(*byte);
            } else {
                out.extend_from_slice(self.0[usize::from(byte - 0x80)].as_bytes());
            }
        }
    }
}

/// Text as read in a legacy encoding, composed: "Vie" + mark → "Việ".
pub fn compose(text: &str) -> String {
    text.nfc().collect()
}

/// `bytes` read in `encoding`, composed.
pub fn decode(bytes: &[u8], encoding: TextEncoding) -> String {
    let mut out = Vec::new();
    // Reading from a slice cannot fail.
    let _ = std::io::Read::read_to_end(&mut Decoding::new(bytes, encoding), &mut out);
    compose(&String::from_utf8_lossy(&out))
}

/// The Vietnamese letters with a diacritic, and whether each carries a tone mark.
fn vietnamese_letter(c: char) -> Option<bool> {
    const PLAIN: &str = "ăâêôơưđĂÂÊÔƠƯĐ";
    if c.is_ascii_alphabetic() {
        return Some(false);
    }
    if PLAIN.contains(c) {
        return Some(false);
    }
    let lower = c.to_lowercase().next().unwrap_or(c);
    const TONED: &str = "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ";
    TONED.contains(lower).then_some(true)
}

/// Whether a word (small letters) is shaped as a Vietnamese syllable: an initial consonant,
/// one to three vowels, a final consonant ("nguyễn": ng-uyê-n).
fn syllable(word: &str) -> bool {
    const INITIALS: &[&str] = &[
        "ngh", "ng", "gh", "gi", "kh", "nh", "ph", "qu", "th", "tr", "ch", "b", "c", "d", "đ", "g",
        "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x",
    ];
    const FINALS: &[&str] = &["", "c", "ch", "m", "n", "ng", "nh", "p", "t"];
    let rest = INITIALS
        .iter()
        .find_map(|initial| word.strip_prefix(initial))
        .unwrap_or(word);
    // A vowel is a, e, i, o, u or y under its marks.
    let vowel = |c: char| {
        std::iter::once(c)
            .nfd()
            .next()
            .is_some_and(|b| "aeiouy".contains(b))
    };
    let vowels = rest.chars().take_while(|c| vowel(*c)).count();
    let end: String = rest.chars().skip(vowels).collect();
    (1..=3).contains(&vowels) && FINALS.contains(&end.as_str())
}

/// How Vietnamese a reading of the file is: Vietnamese syllables (Vietnamese letters, at most
/// one tone mark) count for it, other words (other letters, loose marks, two tones, shapes no
/// syllable has) against it. Only words with a letter outside ASCII count either way.
fn score(text: &str) -> (usize, usize) {
    let (mut good, mut bad) = (0, 0);
    for word in
        text.split(|c: char| c.is_ascii_punctuation() || c.is_whitespace() || c.is_ascii_digit())
    {
        if word.is_ascii() {
            continue;
        }
        let mut tones = 0;
        let mut fine = true;
        for c in word.chars() {
            match vietnamese_letter(c) {
                Some(toned) => tones += usize::from(toned),
                None => fine = false,
            }
        }
        if fine && tones <= 1 && syllable(&word.to_lowercase()) {
            good += 1;
        } else {
            bad += 1;
        }
    }
    (good, bad)
}

/// Which encoding a file that is not UTF-8 is in, read from `sample` (bytes of the file
/// holding non-ASCII bytes): the single-byte reading that is most Vietnamese, if it is
/// clearly Vietnamese, else `None`.
pub fn guess_legacy(sample: &[u8]) -> Option<TextEncoding> {
    let mut best: Option<(TextEncoding, i64)> = None;
    for encoding in [
        TextEncoding::Windows1258,
        TextEncoding::Tcvn3,
        TextEncoding::Vni,
    ] {
        let map = ByteMap::new(encoding)?;
        let mut bytes = Vec::with_capacity(sample.len() * 2);
        map.decode_into(sample, &mut bytes);
        let text = compose(&String::from_utf8_lossy(&bytes));
        let (good, bad) = score(&text);
        // Clearly Vietnamese: most words that have a letter outside ASCII are Vietnamese.
        if good == 0 || bad * 4 > good {
            continue;
        }
        let value = good as i64 - 2 * bad as i64;
        if best.is_none_or(|(_, b)| value > b) {
            best = Some((encoding, value));
        }
    }
    best.map(|(encoding, _)| encoding)
}

/// A reader converting a file to UTF-8 as it streams.
pub(super) struct Decoding<R> {
    inner: R,
    kind: Kind,
    raw: Vec<u8>,
    out: Vec<u8>,
    at: usize,
    ended: bool,
}

enum Kind {
    Same,
    Map(ByteMap),
    Utf16(Box<Decoder>),
}

impl<R: std::io::Read> Decoding<R> {
    pub(super) fn new(inner: R, encoding: TextEncoding) -> Self {
        let kind = match encoding {
            TextEncoding::Utf8 => Kind::Same,
            TextEncoding::Utf16Le => Kind::Utf16(Box::new(UTF_16LE.new_decoder_with_bom_removal())),
            TextEncoding::Utf16Be => Kind::Utf16(Box::new(UTF_16BE.new_decoder_with_bom_removal())),
            other => ByteMap::new(other).map_or(Kind::Same, Kind::Map),
        };
        Decoding {
            inner,
            kind,
            raw: vec![0; 16 * 1024],
            out: Vec::new(),
            at: 0,
            ended: false,
        }
    }

    fn refill(&mut self) -> std::io::Result<()> {
        self.out.clear();
        self.at = 0;
        while self.out.is_empty() && !self.ended {
            let n = self.inner.read(&mut self.raw)?;
            let last = n == 0;
            self.ended = last;
            match &mut self.kind {
                Kind::Same => self.out.extend_from_slice(&self.raw[..n]),
                Kind::Map(map) => map.decode_into(&self.raw[..n], &mut self.out),
                Kind::Utf16(decoder) => {
                    let room = decoder.max_utf8_buffer_length(n).unwrap_or(n * 3 + 16);
                    self.out.resize(room, 0);
                    let (_, _, written, _) =
                        decoder.decode_to_utf8(&self.raw[..n], &mut self.out, last);
                    self.out.truncate(written);
                }
            }
        }
        Ok(())
    }
}

impl<R: std::io::Read> std::io::Read for Decoding<R> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        if let Kind::Same = self.kind {
            return self.inner.read(buffer);
        }
        if self.at >= self.out.len() {
            self.refill()?;
        }
        let n = buffer.len().min(self.out.len() - self.at);
        buffer[..n].copy_from_slice(&self.out[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::io::Read;

    fn decode(encoding: TextEncoding, bytes: &[u8]) -> String {
        let mut out = String::new();
        Decoding::new(bytes, encoding)
            .read_to_string(&mut out)
            .unwrap();
        compose(&out)
    }

    /// "Nguyễn Văn Hùng, Thôn Hòa Bình, Việt Nam" as each office encoding writes it.
    const TCVN3_BYTES: &[u8] =
        b"Nguy\xd4n V\xa8n H\xefng, Th\xabn H\xdfa B\xd7nh, Vi\xd6t Nam, \xa7\xab \xaei";
    const VNI_BYTES: &[u8] =
        b"Nguye\xe3n Va\xean Hu\xf8ng, Tho\xe2n Ho\xf8a B\xecnh, Vie\xe4t Nam, \xd1o\xe2 \xf1i";
    const CP1258_BYTES: &[u8] =
        b"Nguy\xea\xden V\xe3n H\xf9ng, Th\xf4n Ho\xcca Bi\xccnh, Vi\xea\xf2t Nam, \xd0\xf4 \xf0i";
    const TEXT: &str = "Nguyễn Văn Hùng, Thôn Hòa Bình, Việt Nam, Đô đi";

    #[test]
    fn each_office_encoding_is_recognised_and_converted() {
        for (encoding, bytes) in [
            (TextEncoding::Tcvn3, TCVN3_BYTES),
            (TextEncoding::Vni, VNI_BYTES),
            (TextEncoding::Windows1258, CP1258_BYTES),
        ] {
            assert_eq!(guess_legacy(bytes), Some(encoding), "{encoding:?}");
            assert_eq!(decode(encoding, bytes), TEXT, "{encoding:?}");
        }
    }

    #[test]
    fn other_text_is_not_taken_for_vietnamese() {
        // Latin-1 German, and Shift-JIS-like noise.
        assert_eq!(guess_legacy(b"Gr\xfc\xdfe aus M\xfcnchen, \xdcbung"), None);
        assert_eq!(
            guess_legacy(b"\x82\xa0\x82\xa2\x82\xa4\x83\x41\x83\x43"),
            None
        );
    }

    #[test]
    fn utf16_is_converted() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "Mã hộ\tThôn\n".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(decode(TextEncoding::Utf16Le, &bytes), "Mã hộ\tThôn\n");
    }

    proptest! {
        /// Any bytes convert to valid text of bounded length in every encoding (a byte
        /// becomes at most three characters), and the guess never fails.
        #[test]
        fn decoders_take_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = guess_legacy(&bytes);
            for encoding in [
                TextEncoding::Windows1258,
                TextEncoding::Tcvn3,
                TextEncoding::Vni,
                TextEncoding::Utf16Le,
            ] {
                let mut out = Vec::new();
                Decoding::new(bytes.as_slice(), encoding).read_to_end(&mut out).unwrap();
                prop_assert!(std::str::from_utf8(&out).is_ok());
                prop_assert!(out.len() <= bytes.len() * 6 + 8);
            }
        }

        /// Vietnamese text written as TCVN3 reads back the same (small letters: TCVN3 has
        /// no toned capitals).
        #[test]
        fn tcvn3_round_trips(text in "[a-zăâêôơưđàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ ]{0,64}") {
            let bytes: Vec<u8> = text.chars().map(|c| {
                TCVN3.iter().find(|(_, t)| *t == c).map_or(c as u8, |(b, _)| *b)
            }).collect();
            prop_assert_eq!(decode(TextEncoding::Tcvn3, &bytes), text);
        }
    }
}

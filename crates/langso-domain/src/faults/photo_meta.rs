//! A report's photo is published, so what the camera wrote inside it is removed before it is
//! stored: EXIF (with the GPS position of the phone, often the reporter's home, and the
//! phone's make and serial), XMP, IPTC, comments, text chunks and anything after the image's
//! end (phones append motion clips there). The pixels, colour profile and the segments a
//! decoder needs are kept byte for byte, so nothing is re-encoded and nothing is lost.
//!
//! The parser reads outside input: it walks at most [`MAX_PARTS`] segments or chunks, never
//! reads past the end, and refuses what it cannot follow (the report is then refused with a
//! message, not stored with its metadata).

/// The most segments (JPEG) or chunks (PNG, WebP) a photo may have.
pub const MAX_PARTS: usize = 10_000;

/// Why a photo's metadata could not be removed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StripError {
    /// The file is cut short or its structure does not hold together.
    Malformed,
    /// More than [`MAX_PARTS`] segments or chunks.
    TooManyParts,
}

impl StripError {
    /// The catalogue key of the refusal.
    pub fn key(self) -> &'static str {
        match self {
            StripError::Malformed => "faults-photo-unreadable",
            StripError::TooManyParts => "faults-photo-too-many-parts",
        }
    }
}

/// The photo without its metadata (JPEG, PNG or WebP, told by [`super::photo_type`]).
pub fn strip_metadata(bytes: &[u8]) -> Result<Vec<u8>, StripError> {
    match super::photo_type(bytes) {
        Some("image/jpeg") => strip_jpeg(bytes),
        Some("image/png") => strip_png(bytes),
        Some("image/webp") => strip_webp(bytes),
        _ => Err(StripError::Malformed),
    }
}

fn slice(bytes: &[u8], from: usize, len: usize) -> Result<&[u8], StripError> {
    bytes
        .get(from..from.checked_add(len).ok_or(StripError::Malformed)?)
        .ok_or(StripError::Malformed)
}

fn be16(bytes: &[u8], at: usize) -> Result<usize, StripError> {
    let b = slice(bytes, at, 2)?;
    Ok(usize::from(b[0]) << 8 | usize::from(b[1]))
}

/// JPEG markers dropped: APP1 (EXIF, XMP), APP3–APP13 (maker data, IPTC), APP15, comments.
/// APP0 (JFIF), APP2 (ICC colour profile) and APP14 (Adobe colour transform) are kept.
fn jpeg_drops(marker: u8) -> bool {
    marker == 0xE1 || (0xE3..=0xED).contains(&marker) || marker == 0xEF || marker == 0xFE
}

fn strip_jpeg(bytes: &[u8]) -> Result<Vec<u8>, StripError> {
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(slice(bytes, 0, 2)?);
    let mut at = 2;
    let mut parts = 0;
    loop {
        parts += 1;
        if parts > MAX_PARTS {
            return Err(StripError::TooManyParts);
        }
        if slice(bytes, at, 1)?[0] != 0xFF {
            return Err(StripError::Malformed);
        }
        // Fill bytes before a marker.
        while slice(bytes, at + 1, 1)?[0] == 0xFF {
            at += 1;
        }
        let marker = slice(bytes, at + 1, 1)?[0];
        match marker {
            0xD9 => {
                // The end of the image: anything after it is dropped.
                out.extend_from_slice(&[0xFF, 0xD9]);
                return Ok(out);
            }
            0x01 | 0xD0..=0xD7 => {
                out.extend_from_slice(&[0xFF, marker]);
                at += 2;
            }
            0x00 | 0xD8 => return Err(StripError::Malformed),
            _ => {
                let len = be16(bytes, at + 2)?;
                if len < 2 {
                    return Err(StripError::Malformed);
                }
                let segment = slice(bytes, at, 2 + len)?;
                if !jpeg_drops(marker) {
                    out.extend_from_slice(segment);
                }
                at += 2 + len;
                if marker == 0xDA {
                    // Entropy-coded data up to the next marker: 0xFF is followed there by a
                    // stuffed 0x00, a restart marker or more 0xFF.
                    let start = at;
                    loop {
                        let byte = *bytes.get(at).ok_or(StripError::Malformed)?;
                        if byte == 0xFF {
                            let next = *bytes.get(at + 1).ok_or(StripError::Malformed)?;
                            if next == 0x00 || (0xD0..=0xD7).contains(&next) {
                                at += 2;
                                continue;
                            }
                            if next == 0xFF {
                                at += 1;
                                continue;
                            }
                            break;
                        }
                        at += 1;
                    }
                    out.extend_from_slice(slice(bytes, start, at - start)?);
                }
            }
        }
    }
}

/// PNG chunks dropped: text of any kind, EXIF and the modification time.
const PNG_DROPS: [&[u8; 4]; 5] = [b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"];

fn strip_png(bytes: &[u8]) -> Result<Vec<u8>, StripError> {
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(slice(bytes, 0, 8)?);
    let mut at = 8;
    for _ in 0..MAX_PARTS {
        let head = slice(bytes, at, 8)?;
        let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
        let kind = [head[4], head[5], head[6], head[7]];
        let chunk = slice(bytes, at, len.checked_add(12).ok_or(StripError::Malformed)?)?;
        if !PNG_DROPS.contains(&&kind) {
            out.extend_from_slice(chunk);
        }
        at += chunk.len();
        if &kind == b"IEND" {
            return Ok(out);
        }
    }
    Err(StripError::TooManyParts)
}

fn strip_webp(bytes: &[u8]) -> Result<Vec<u8>, StripError> {
    let declared = slice(bytes, 4, 4)?;
    let declared =
        u32::from_le_bytes([declared[0], declared[1], declared[2], declared[3]]) as usize;
    let end = declared.checked_add(8).ok_or(StripError::Malformed)?;
    if end > bytes.len() || end < 12 {
        return Err(StripError::Malformed);
    }
    let mut body = Vec::with_capacity(end);
    body.extend_from_slice(b"WEBP");
    let mut at = 12;
    let mut parts = 0;
    while at < end {
        parts += 1;
        if parts > MAX_PARTS {
            return Err(StripError::TooManyParts);
        }
        let head = slice(bytes, at, 8)?;
        let len = u32::from_le_bytes([head[4], head[5], head[6], head[7]]) as usize;
        let padded = len.checked_add(len % 2).ok_or(StripError::Malformed)?;
        let chunk = slice(bytes, at, 8 + padded)?;
        if at + chunk.len() > end {
            return Err(StripError::Malformed);
        }
        match &head[..4] {
            b"EXIF" | b"XMP " => {}
            b"VP8X" => {
                let mut copy = chunk.to_vec();
                // The extended header's flags say which metadata follow: none now.
                if let Some(flags) = copy.get_mut(8) {
                    *flags &= !(0x08 | 0x04);
                }
                body.extend_from_slice(&copy);
            }
            _ => body.extend_from_slice(chunk),
        }
        at += chunk.len();
    }
    let mut out = Vec::with_capacity(body.len() + 8);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(&body);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
        let mut s = vec![0xFF, marker];
        s.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
        s.extend_from_slice(payload);
        s
    }

    /// A JPEG's structure: JFIF, EXIF with a GPS tag, a quantisation table, a scan with a
    /// stuffed byte and a restart marker, the end, and a trailer.
    fn jpeg(exif: &[u8]) -> Vec<u8> {
        let mut j = vec![0xFF, 0xD8];
        j.extend(segment(0xE0, b"JFIF\0\x01\x01"));
        j.extend(segment(0xE1, exif));
        j.extend(segment(0xDB, &[0; 65]));
        j.extend(segment(0xFE, b"made by phone"));
        j.extend(segment(0xDA, &[1, 1, 0, 0, 63, 0]));
        j.extend_from_slice(&[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56]);
        j.extend_from_slice(&[0xFF, 0xD9]);
        j.extend_from_slice(b"MotionPhoto GPS trailer");
        j
    }

    #[test]
    fn a_jpeg_loses_its_exif_comment_and_trailer_and_keeps_its_image() {
        let photo = jpeg(b"Exif\0\0GPSLatitude 21.1");
        let clean = strip_metadata(&photo).unwrap();
        let text = String::from_utf8_lossy(&clean);
        assert!(!text.contains("Exif") && !text.contains("GPS") && !text.contains("phone"));
        assert!(text.contains("JFIF"));
        assert!(clean.ends_with(&[0x56, 0xFF, 0xD9]));
        assert!(clean.windows(4).any(|w| w == [0x12, 0xFF, 0x00, 0x34]));
        assert_eq!(strip_metadata(&clean).unwrap(), clean);
    }

    fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut c = (data.len() as u32).to_be_bytes().to_vec();
        c.extend_from_slice(kind);
        c.extend_from_slice(data);
        c.extend_from_slice(&[0, 0, 0, 0]);
        c
    }

    #[test]
    fn a_png_loses_its_text_and_exif_chunks_only() {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend(chunk(b"IHDR", &[0; 13]));
        png.extend(chunk(b"eXIf", b"GPS"));
        png.extend(chunk(b"tEXt", b"Author\0Lan"));
        png.extend(chunk(b"IDAT", &[1, 2, 3]));
        png.extend(chunk(b"IEND", &[]));
        let clean = strip_metadata(&png).unwrap();
        let mut expected = b"\x89PNG\r\n\x1a\n".to_vec();
        expected.extend(chunk(b"IHDR", &[0; 13]));
        expected.extend(chunk(b"IDAT", &[1, 2, 3]));
        expected.extend(chunk(b"IEND", &[]));
        assert_eq!(clean, expected);
        assert_eq!(strip_metadata(&expected).unwrap(), expected);
    }

    #[test]
    fn a_webp_loses_its_exif_and_xmp_and_their_flags() {
        let mut body = b"WEBP".to_vec();
        body.extend_from_slice(b"VP8X");
        body.extend_from_slice(&10u32.to_le_bytes());
        body.extend_from_slice(&[0x0C, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        body.extend_from_slice(b"VP8 ");
        body.extend_from_slice(&3u32.to_le_bytes());
        body.extend_from_slice(&[1, 2, 3, 0]);
        body.extend_from_slice(b"EXIF");
        body.extend_from_slice(&3u32.to_le_bytes());
        body.extend_from_slice(b"GPS\0");
        let mut webp = b"RIFF".to_vec();
        webp.extend_from_slice(&(body.len() as u32).to_le_bytes());
        webp.extend_from_slice(&body);
        let clean = strip_metadata(&webp).unwrap();
        assert!(!String::from_utf8_lossy(&clean).contains("GPS"));
        assert_eq!(clean[20], 0);
        assert_eq!(
            u32::from_le_bytes([clean[4], clean[5], clean[6], clean[7]]) as usize,
            clean.len() - 8
        );
    }

    #[test]
    fn cut_or_foreign_files_are_refused() {
        let photo = jpeg(b"Exif");
        assert_eq!(strip_metadata(&photo[..20]), Err(StripError::Malformed));
        assert_eq!(strip_metadata(b"GIF89a"), Err(StripError::Malformed));
        let mut many = vec![0xFF, 0xD8];
        for _ in 0..=MAX_PARTS {
            many.extend(segment(0xE0, b""));
        }
        assert_eq!(strip_metadata(&many), Err(StripError::TooManyParts));
    }

    proptest! {
        #[test]
        fn any_bytes_are_stripped_or_refused_never_grown(
            head in prop::sample::select(vec![
                b"\xFF\xD8\xFF".to_vec(),
                b"\x89PNG\r\n\x1a\n".to_vec(),
                b"RIFF\x20\0\0\0WEBP".to_vec(),
            ]),
            tail in prop::collection::vec(any::<u8>(), 0..400),
        ) {
            let mut bytes = head;
            bytes.extend(tail);
            if let Ok(clean) = strip_metadata(&bytes) {
                prop_assert!(clean.len() <= bytes.len());
                prop_assert_eq!(strip_metadata(&clean), Ok(clean.clone()));
            }
        }

        #[test]
        fn any_exif_inside_a_jpeg_is_gone(exif in prop::collection::vec(any::<u8>(), 0..300)) {
            let mut marked = b"Exif\0\0SECRET".to_vec();
            marked.extend(exif);
            let clean = strip_metadata(&jpeg(&marked)).unwrap();
            prop_assert!(!clean.windows(6).any(|w| w == b"SECRET"));
        }
    }
}

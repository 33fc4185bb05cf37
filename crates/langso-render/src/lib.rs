//! Langso documents: QR codes (PNG and SVG), printable PDF posters, and SVG charts drawn on the
//! server so they print and work offline.
//!
//! This crate knows nothing of the database or the web: callers hand it plain values (texts,
//! URLs, numbers) and get bytes back. Text is Vietnamese first, so every PDF embeds DejaVu Sans,
//! which carries every Vietnamese letter, and wraps lines by measuring with that font.

/// The asset map (issue 7): points coloured by status.
pub mod asset_map;
/// The shareable image card of an announcement (h17b).
pub mod card;
pub mod chart;
/// The printable consent form of a household.
pub mod consent_form;
pub mod poster;
pub mod qr;
pub mod sheet;
mod wrap;
// --- dashboard ---
pub mod bars;
pub mod map;
pub mod official;
mod pen;
pub mod report;

pub use wrap::TextMeasure;

/// Why a document could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The text does not fit in a QR code (far longer than any URL we encode).
    #[error("QR: {0}")]
    Qr(String),
    /// PNG encoding failed.
    #[error("PNG: {0}")]
    Png(String),
    /// The embedded font could not be read.
    #[error("font: {0}")]
    Font(String),
    /// PDF writing failed.
    #[error("PDF: {0}")]
    Pdf(String),
    /// XLSX writing failed.
    #[error("XLSX: {0}")]
    Sheet(String),
}

/// Result of a rendering.
pub type RenderResult<T> = Result<T, RenderError>;

/// Escapes text for XML (SVG) content and attributes, and replaces the characters XML 1.0
/// forbids (see [`langso_domain::public_text::xml_safe`]): a unit or asset name holding a
/// vertical tab would otherwise make the whole map unreadable.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in langso_domain::public_text::xml_safe(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

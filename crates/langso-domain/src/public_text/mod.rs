//! Rules for text that leaves the house: where a redirect may go, what a published document
//! may contain, and what a spreadsheet may be given.
//!
//! Each rule is pure so it can be tested exhaustively and applied at every boundary the same
//! way: a `next`/`back` parameter ([`same_site_path`]), free text the public can read
//! ([`mask_personal_data`]), XML, Atom and SVG ([`xml_safe`]), CSV exports ([`csv_safe_cell`]).

mod mask;

use std::borrow::Cow;

pub use mask::mask_personal_data;

/// The longest redirect target kept; anything longer goes home.
pub const MAX_REDIRECT_LEN: usize = 2048;

/// `target` if it is a path on this site, else `/`.
///
/// A `next` or `back` parameter comes from the address bar, so it may name another site
/// (`//evil.example`, `/\evil.example`, `https://…`) or carry bytes a `Location` header cannot
/// hold (a newline would split the response; axum's `Redirect` panics on it). Only visible
/// ASCII is kept, which is what a percent-encoded path and query consist of: browsers treat a
/// backslash as a slash and drop tabs and newlines inside URLs, so neither may appear anywhere.
pub fn same_site_path(target: &str) -> &str {
    let bytes = target.as_bytes();
    let local = bytes.first() == Some(&b'/')
        && !matches!(bytes.get(1), Some(b'/' | b'\\'))
        && bytes.len() <= MAX_REDIRECT_LEN
        && bytes.iter().all(|b| b.is_ascii_graphic() && *b != b'\\');
    if local { target } else { "/" }
}

/// Whether XML 1.0 allows `c` in a document (its `Char` production). Rust strings cannot hold
/// surrogates, so what remains forbidden is the C0 controls other than tab, newline and
/// carriage return, and the two non-characters U+FFFE and U+FFFF.
pub fn xml_allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// `text` with every character XML 1.0 forbids replaced: a control by a space (a vertical
/// tab or form feed reads as one), U+FFFE/U+FFFF by U+FFFD.
///
/// Escaping cannot help here: `&#xB;` is as forbidden as the raw byte, and one such character
/// makes the whole document unreadable for every client (an Open311 list, a village's Atom
/// feed, an SVG map). Borrowed when nothing needed replacing, which is nearly always.
pub fn xml_safe(text: &str) -> Cow<'_, str> {
    if text.chars().all(xml_allowed) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match c {
                c if xml_allowed(c) => c,
                c if c < '\u{20}' => ' ',
                _ => '\u{FFFD}',
            })
            .collect(),
    )
}

/// A CSV cell that a spreadsheet program will show, not run.
///
/// Excel, LibreOffice and Google Sheets evaluate a cell beginning with `=`, `+`, `-` or `@`
/// (and strip a leading tab or carriage return before looking), so a household name like
/// `=HYPERLINK(…)` would become a link or a command on an officer's computer. Such a cell is
/// prefixed with an apostrophe, as OWASP recommends. A plain signed number or phone number
/// (`-5`, `+84 912 345 678`) runs nothing and is left as it is, so figures stay figures.
pub fn csv_safe_cell(cell: &str) -> Cow<'_, str> {
    let Some(first) = cell.chars().next() else {
        return Cow::Borrowed(cell);
    };
    let risky = matches!(first, '=' | '+' | '-' | '@' | '\t' | '\r');
    let numeric = matches!(first, '+' | '-')
        && cell.len() > 1
        && cell[1..]
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | ','));
    if risky && !numeric {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn local_paths_are_kept() {
        for ok in [
            "/",
            "/households?unit=1&page=2",
            "/thu-tuc/1.001",
            "/a%2F%2Fb",
            "/x//y",
        ] {
            assert_eq!(same_site_path(ok), ok);
        }
    }

    #[test]
    fn other_sites_and_odd_bytes_go_home() {
        for bad in [
            "",
            "//evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "https://evil.example/",
            "javascript:alert(1)",
            "evil.example",
            "/\t/evil.example",
            "/\n/x",
            "/a\r\nSet-Cookie: x=1",
            "/a b",
            "/a\\b",
            "/đường",
            "/\u{0}",
            "/\u{7f}",
            " /x",
        ] {
            assert_eq!(same_site_path(bad), "/", "{bad:?}");
        }
        assert_eq!(
            same_site_path(&format!("/{}", "a".repeat(MAX_REDIRECT_LEN))),
            "/"
        );
    }

    #[test]
    fn forbidden_xml_characters_are_replaced() {
        assert!(matches!(xml_safe("Đèn hỏng\tở ngõ\n3"), Cow::Borrowed(_)));
        assert_eq!(xml_safe("a\u{b}b\u{0}c"), "a b c");
        assert_eq!(xml_safe("x\u{FFFE}\u{FFFF}"), "x\u{FFFD}\u{FFFD}");
        assert_eq!(
            xml_safe("\u{1F4A1}\u{E000}\u{85}"),
            "\u{1F4A1}\u{E000}\u{85}"
        );
    }

    #[test]
    fn formula_cells_are_neutralised_and_numbers_kept() {
        assert_eq!(csv_safe_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_safe_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_safe_cell("+cmd|' /C calc'!A0"), "'+cmd|' /C calc'!A0");
        assert_eq!(csv_safe_cell("-2+3"), "'-2+3");
        assert_eq!(csv_safe_cell("\t=1"), "'\t=1");
        assert_eq!(csv_safe_cell("\r=1"), "'\r=1");
        assert_eq!(csv_safe_cell("-"), "'-");
        for kept in [
            "",
            "-5",
            "+84 912 345 678",
            "-1.5",
            "Nguyễn Văn A",
            "0912345678",
            "a=b",
        ] {
            assert_eq!(csv_safe_cell(kept), kept);
        }
    }

    proptest! {
        #[test]
        fn a_kept_target_is_a_local_visible_path(s in "\\PC{0,40}|[/\\\\\\t\\n a-z:.]{0,12}") {
            let kept = same_site_path(&s);
            prop_assert!(kept.starts_with('/'));
            prop_assert!(!kept.starts_with("//") && !kept.contains('\\'));
            prop_assert!(kept.bytes().all(|b| b.is_ascii_graphic()));
            prop_assert!(kept == "/" || kept == s);
        }

        #[test]
        fn xml_safe_leaves_only_allowed_characters(s in any::<String>()) {
            let safe = xml_safe(&s);
            prop_assert!(safe.chars().all(xml_allowed));
            prop_assert_eq!(safe.chars().count(), s.chars().count());
            if s.chars().all(xml_allowed) {
                prop_assert_eq!(safe.as_ref(), s.as_str());
            }
        }

        #[test]
        fn no_safe_cell_starts_a_formula(s in any::<String>()) {
            let cell = csv_safe_cell(&s);
            let first = cell.chars().next();
            if matches!(first, Some('=' | '@' | '\t' | '\r')) {
                prop_assert!(false, "{cell:?}");
            }
            if matches!(first, Some('+' | '-')) {
                prop_assert!(cell[1..].chars().all(|c| c.is_ascii_digit() || " .,".contains(c)));
            }
            let quoted = format!("'{}", s);
            prop_assert!(cell == s || cell.as_ref() == quoted);
        }
    }
}

//! Announcement bodies: Markdown (CommonMark, parsed by pulldown-cmark) rendered once per
//! channel, in this one place. Officers type what they already know from chat apps (`**bold**`,
//! `- item`, `[text](link)`, a blank line between paragraphs); the old hand-written subset was
//! a part of it, so bodies written before keep their look.
//!
//! Safety is by construction, not by cleaning afterwards: [`html`] writes its own tags from the
//! parser's events (a fixed set, no attributes but `href`), drops every raw HTML event, keeps
//! links only to `http`, `https`, `mailto` or a path of this site, and escapes all text. The
//! plain renderings ([`plain`], [`sms`], [`zalo`]) carry no markup at all. Input is cut at
//! [`MAX_INPUT_BYTES`], so no body, however typed, costs more than a bounded amount of work.

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

/// The most of a body any renderer reads (bodies are limited to 5,000 characters on input;
/// Vietnamese takes up to 3 bytes a character).
pub const MAX_INPUT_BYTES: usize = 20_000;

/// `text` cut to at most [`MAX_INPUT_BYTES`], on a character boundary.
fn bounded(text: &str) -> &str {
    if text.len() <= MAX_INPUT_BYTES {
        return text;
    }
    let mut end = MAX_INPUT_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Escapes text for HTML element content and attribute values.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

/// Whether a link may be followed from an announcement: the web, e-mail, or a page of this
/// site (`/huong-dan/…`, never `//host`). `javascript:`, `data:` and the rest are dropped.
pub fn safe_href(href: &str) -> bool {
    let lower = href.trim().to_ascii_lowercase();
    let local = lower.starts_with('/') && !lower.starts_with("//") && !lower.starts_with("/\\");
    (local
        || lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("mailto:"))
        && !href.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn parser(body: &str) -> Parser<'_> {
    Parser::new_ext(bounded(body), Options::ENABLE_STRIKETHROUGH)
}

/// Splits text into plain runs and bare `http(s)://` addresses, so that an address typed as
/// is becomes a link, as it did in the old format.
fn bare_links(text: &str) -> Vec<(bool, &str)> {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(start) = find_url(rest) {
        if start > 0 {
            parts.push((false, &rest[..start]));
        }
        let tail = &rest[start..];
        let end = tail
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"'))
            .unwrap_or(tail.len());
        // A sentence's full stop or comma after an address is not part of it.
        let url = tail[..end].trim_end_matches(['.', ',', ';', ':', ')', '!', '?']);
        let url = if url.is_empty() { &tail[..end] } else { url };
        parts.push((true, url));
        rest = &tail[url.len()..];
    }
    if !rest.is_empty() {
        parts.push((false, rest));
    }
    parts
}

fn find_url(text: &str) -> Option<usize> {
    let a = text.find("https://");
    let b = text.find("http://");
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The body as safe HTML for the announcement page, the village feed and its Atom entries.
/// A single line break stays a line break (`<br>`), as officers type line by line.
pub fn html(body: &str) -> String {
    let mut out = String::with_capacity(body.len() + body.len() / 4);
    // For each open link: whether it was written as an anchor (a refused link keeps its text).
    let mut links: Vec<bool> = Vec::new();
    let mut in_raw = 0usize;
    let mut in_image = 0usize;
    for event in parser(body) {
        match event {
            Event::Start(Tag::HtmlBlock) => in_raw += 1,
            Event::End(TagEnd::HtmlBlock) => in_raw = in_raw.saturating_sub(1),
            Event::Html(_) | Event::InlineHtml(_) => {}
            _ if in_raw > 0 => {}
            Event::Start(tag) => match tag {
                Tag::Paragraph => out.push_str("<p>"),
                Tag::Heading { level, .. } => {
                    // The page's own title is h1 and its sections h2.
                    let n = (level as usize + 2).min(6);
                    out.push_str(&format!("<h{n}>"));
                }
                Tag::BlockQuote(_) => out.push_str("<blockquote>"),
                Tag::CodeBlock(_) => out.push_str("<pre><code>"),
                Tag::List(Some(_)) => out.push_str("<ol>"),
                Tag::List(None) => out.push_str("<ul>"),
                Tag::Item => out.push_str("<li>"),
                Tag::Emphasis => out.push_str("<em>"),
                Tag::Strong => out.push_str("<strong>"),
                Tag::Strikethrough => out.push_str("<s>"),
                Tag::Link {
                    link_type,
                    dest_url,
                    ..
                } => {
                    let ok = in_image == 0 && safe_href(&dest_url);
                    if ok {
                        out.push_str("<a href=\"");
                        escape_into(&mut out, dest_url.trim());
                        out.push('"');
                        if !dest_url.starts_with('/') || link_type == LinkType::Autolink {
                            out.push_str(" rel=\"nofollow\"");
                        }
                        out.push('>');
                    }
                    links.push(ok);
                }
                // No image is loaded from a body: its description is shown instead.
                Tag::Image { .. } => in_image += 1,
                _ => {}
            },
            Event::End(tag) => match tag {
                TagEnd::Paragraph => out.push_str("</p>"),
                TagEnd::Heading(level) => {
                    let n = (level as usize + 2).min(6);
                    out.push_str(&format!("</h{n}>"));
                }
                TagEnd::BlockQuote(_) => out.push_str("</blockquote>"),
                TagEnd::CodeBlock => out.push_str("</code></pre>"),
                TagEnd::List(true) => out.push_str("</ol>"),
                TagEnd::List(false) => out.push_str("</ul>"),
                TagEnd::Item => out.push_str("</li>"),
                TagEnd::Emphasis => out.push_str("</em>"),
                TagEnd::Strong => out.push_str("</strong>"),
                TagEnd::Strikethrough => out.push_str("</s>"),
                TagEnd::Link if links.pop() == Some(true) => out.push_str("</a>"),
                TagEnd::Image => in_image = in_image.saturating_sub(1),
                _ => {}
            },
            Event::Text(text) => {
                if links.is_empty() && in_image == 0 {
                    for (is_url, part) in bare_links(&text) {
                        if is_url {
                            out.push_str("<a href=\"");
                            escape_into(&mut out, part);
                            out.push_str("\" rel=\"nofollow\">");
                            escape_into(&mut out, part);
                            out.push_str("</a>");
                        } else {
                            escape_into(&mut out, part);
                        }
                    }
                } else {
                    escape_into(&mut out, &text);
                }
            }
            Event::Code(text) => {
                out.push_str("<code>");
                escape_into(&mut out, &text);
                out.push_str("</code>");
            }
            Event::SoftBreak | Event::HardBreak => out.push_str("<br>"),
            Event::Rule => out.push_str("<hr>"),
            _ => {}
        }
    }
    // A refused or unterminated construct never leaves a tag open: pulldown-cmark balances
    // every Start with an End, and the counters above only skip.
    out
}

/// The body as plain text with paragraphs, list items and link addresses kept: relative links
/// are made absolute with `base` (the site's public address), since a text message has no page
/// to be relative to.
pub fn plain(body: &str, base: &str) -> String {
    plain_with(body, base, true)
}

/// The body as read aloud (the commune radio's script): plain text, links by their words only.
pub fn spoken(body: &str) -> String {
    plain_with(body, "", false)
}

fn plain_with(body: &str, base: &str, addresses: bool) -> String {
    let mut out = String::with_capacity(body.len());
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut links: Vec<(String, usize)> = Vec::new();
    let mut in_raw = 0usize;
    let block_gap = |out: &mut String| {
        let trimmed = out.trim_end_matches([' ', '\n']).len();
        out.truncate(trimmed);
        if !out.is_empty() {
            out.push_str("\n\n");
        }
    };
    for event in parser(body) {
        match event {
            Event::Start(Tag::HtmlBlock) => in_raw += 1,
            Event::End(TagEnd::HtmlBlock) => in_raw = in_raw.saturating_sub(1),
            Event::Html(_) | Event::InlineHtml(_) => {}
            _ if in_raw > 0 => {}
            Event::Start(tag) => match tag {
                Tag::Paragraph | Tag::Heading { .. } | Tag::BlockQuote(_) | Tag::CodeBlock(_)
                    if lists.is_empty() =>
                {
                    block_gap(&mut out)
                }
                Tag::List(start) => {
                    if lists.is_empty() {
                        block_gap(&mut out);
                    }
                    lists.push(start);
                }
                Tag::Item => {
                    if !out.is_empty() && !out.ends_with('\n') {
                        out.push('\n');
                    }
                    let depth = lists.len().saturating_sub(1);
                    out.push_str(&"  ".repeat(depth));
                    match lists.last_mut() {
                        Some(Some(n)) => {
                            out.push_str(&format!("{n}. "));
                            *n += 1;
                        }
                        _ => out.push_str("- "),
                    }
                }
                Tag::Link { dest_url, .. } => {
                    let href = dest_url.trim();
                    let href = if href.starts_with('/') && safe_href(href) {
                        format!("{}{href}", base.trim_end_matches('/'))
                    } else if safe_href(href) {
                        href.trim_start_matches("mailto:").to_owned()
                    } else {
                        String::new()
                    };
                    links.push((href, out.len()));
                }
                _ => {}
            },
            Event::End(tag) => match tag {
                TagEnd::List(_) => {
                    lists.pop();
                }
                TagEnd::Link => {
                    if let Some((href, from)) = links.pop() {
                        let text = out.get(from..).unwrap_or_default().trim().to_owned();
                        if addresses && !href.is_empty() && text != href {
                            out.push_str(&format!(" ({href})"));
                        }
                    }
                }
                _ => {}
            },
            Event::Text(text) | Event::Code(text) => out.push_str(&text),
            Event::SoftBreak | Event::HardBreak => out.push('\n'),
            Event::Rule => {
                block_gap(&mut out);
                out.push_str("———");
            }
            _ => {}
        }
    }
    out.trim().to_owned()
}

/// The text of an SMS: the title, the body in plain text and the short link, on one screen's
/// worth of lines (blank lines squeezed: every character costs).
pub fn sms(title: &str, body: &str, base: &str, short_link: &str) -> String {
    let text = plain(body, base);
    let squeezed: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let mut out = format!("{}\n{}", title.trim(), squeezed.join("\n"));
    if !short_link.is_empty() {
        out.push('\n');
        out.push_str(short_link);
    }
    out
}

/// The post for a village's Zalo group, which an officer copies and pastes: Zalo shows text
/// as typed, so the title stands in capitals, then the body, then where it comes from and the
/// short link (which Zalo turns into a preview card).
pub fn zalo(unit: &str, date: &str, title: &str, body: &str, base: &str, link: &str) -> String {
    let mut out = format!(
        "📢 {}\n\n{}",
        title.trim().to_uppercase(),
        plain(body, base)
    );
    out.push_str(&format!("\n\n— {}, {date}", unit.trim()));
    if !link.is_empty() {
        out.push_str(&format!("\n👉 {link}"));
    }
    out
}

/// How an SMS text is encoded and how many segments it takes (the channel's own count,
/// [`crate::channels::sms_length`], so that the preview and the gateway agree).
pub fn sms_segments(text: &str) -> (SmsEncoding, usize) {
    let length = crate::channels::sms_length(text);
    (length.encoding, length.segments)
}

pub use crate::channels::SmsEncoding;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn old_bodies_render_as_before() {
        let out = html(
            "Kính gửi bà con,\n**Chú ý**: mang CCCD.\n\n- Bước 1\n- Bước 2\n\nXem [hướng dẫn](/huong-dan/vneid) hoặc https://dichvucong.gov.vn.",
        );
        assert_eq!(
            out,
            "<p>Kính gửi bà con,<br><strong>Chú ý</strong>: mang CCCD.</p>\
             <ul><li>Bước 1</li><li>Bước 2</li></ul>\
             <p>Xem <a href=\"/huong-dan/vneid\">hướng dẫn</a> hoặc \
             <a href=\"https://dichvucong.gov.vn\" rel=\"nofollow\">https://dichvucong.gov.vn</a>.</p>"
        );
    }

    #[test]
    fn raw_html_and_bad_links_are_dropped() {
        let out = html(
            "<script>alert(1)</script>\n\nHi <b onclick=x>there</b> [x](javascript:alert(1)) \
             ![img](https://e.example/p.png) <https://ok.example> [m](mailto:a@b.vn) [d](data:text/html,1)",
        );
        assert!(!out.contains("<script"), "{out}");
        assert!(!out.contains("<b"), "{out}");
        assert!(!out.contains("javascript"), "{out}");
        assert!(!out.contains("<img"), "{out}");
        assert!(!out.contains("data:"), "{out}");
        assert!(
            out.contains("<a href=\"https://ok.example\" rel=\"nofollow\">"),
            "{out}"
        );
        assert!(out.contains("<a href=\"mailto:a@b.vn\""), "{out}");
        assert!(out.contains(">x<") || out.contains(" x "), "{out}");
    }

    #[test]
    fn headings_sit_below_the_page_title() {
        assert_eq!(html("# Lịch\n\ntext"), "<h3>Lịch</h3><p>text</p>");
    }

    #[test]
    fn plain_keeps_lists_and_link_addresses() {
        let text = plain(
            "**Chú ý**: mang CCCD.\nĐến UBND.\n\n1. Một\n2. Hai\n\nXem [hướng dẫn](/huong-dan/vneid) <b>x</b>",
            "https://langso.example/",
        );
        assert_eq!(
            text,
            "Chú ý: mang CCCD.\nĐến UBND.\n\n1. Một\n2. Hai\n\nXem hướng dẫn (https://langso.example/huong-dan/vneid) x"
        );
    }

    #[test]
    fn spoken_text_has_no_addresses() {
        assert_eq!(
            spoken("Xem [hướng dẫn](/huong-dan/vneid).\n\n- Một"),
            "Xem hướng dẫn.\n\n- Một"
        );
    }

    #[test]
    fn sms_and_zalo_texts() {
        let s = sms(
            "Họp thôn",
            "Tối nay **19h**.\n\nMang CCCD.",
            "https://l.vn",
            "https://l.vn/a/x",
        );
        assert_eq!(s, "Họp thôn\nTối nay 19h.\nMang CCCD.\nhttps://l.vn/a/x");
        let z = zalo(
            "Thôn 1",
            "07/12/2026",
            "Họp thôn",
            "Tối nay.",
            "",
            "https://l.vn/a/x",
        );
        assert!(z.starts_with("📢 HỌP THÔN\n\nTối nay."));
        assert!(z.ends_with("— Thôn 1, 07/12/2026\n👉 https://l.vn/a/x"));
    }

    #[test]
    fn segments() {
        assert_eq!(sms_segments("Hop thon toi nay"), (SmsEncoding::Gsm7, 1));
        assert_eq!(sms_segments(&"a".repeat(160)), (SmsEncoding::Gsm7, 1));
        assert_eq!(sms_segments(&"a".repeat(161)), (SmsEncoding::Gsm7, 2));
        assert_eq!(sms_segments(&"[".repeat(80)), (SmsEncoding::Gsm7, 1));
        assert_eq!(sms_segments("Họp thôn"), (SmsEncoding::Ucs2, 1));
        assert_eq!(sms_segments(&"ộ".repeat(70)), (SmsEncoding::Ucs2, 1));
        assert_eq!(sms_segments(&"ộ".repeat(71)), (SmsEncoding::Ucs2, 2));
        assert_eq!(sms_segments(&"ộ".repeat(135)), (SmsEncoding::Ucs2, 3));
        assert_eq!(sms_segments(""), (SmsEncoding::Gsm7, 1));
    }

    #[test]
    fn input_is_bounded() {
        let long = "a ".repeat(MAX_INPUT_BYTES);
        assert!(html(&long).len() < MAX_INPUT_BYTES + 100);
        let vi = "ộ".repeat(MAX_INPUT_BYTES);
        assert!(plain(&vi, "").len() <= MAX_INPUT_BYTES);
    }

    /// Every tag in `out` is one this module writes, and every `href` is a safe one.
    fn only_our_tags(out: &str) -> Result<(), String> {
        const TAGS: [&str; 16] = [
            "p",
            "br",
            "h3",
            "h4",
            "h5",
            "h6",
            "blockquote",
            "pre",
            "code",
            "ol",
            "ul",
            "li",
            "em",
            "strong",
            "s",
            "hr",
        ];
        for part in out.split('<').skip(1) {
            let inner = part.split('>').next().unwrap_or_default();
            let name = inner.trim_start_matches('/');
            if let Some(rest) = name.strip_prefix("a href=\"") {
                let href = rest.split('"').next().unwrap_or_default();
                let href = href.replace("&amp;", "&");
                if !safe_href(&href) {
                    return Err(format!("unsafe href {href} in {out}"));
                }
                let tail = &rest[rest.find('"').map_or(0, |i| i + 1)..];
                if !(tail.is_empty() || tail == " rel=\"nofollow\"") {
                    return Err(format!("attribute {tail} in {out}"));
                }
            } else if !(name == "a" || TAGS.contains(&name)) {
                return Err(format!("tag <{inner}> in {out}"));
            }
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn no_raw_html_ever_passes(body in "([<>a-z/\"' =\\[\\]()*_`!\n:#&-]|script|onerror|javascript:|https://|<img src=x>|<a href=|\n\n){0,80}") {
            let out = html(&body);
            prop_assert!(only_our_tags(&out).is_ok(), "{:?}", only_our_tags(&out));
            prop_assert!(plain(&body, "https://x.vn").len() <= body.len() * 4 + 64);
        }

        #[test]
        fn any_text_is_safe(body in any::<String>()) {
            let out = html(&body);
            prop_assert!(only_our_tags(&out).is_ok(), "{:?}", only_our_tags(&out));
        }
    }
}

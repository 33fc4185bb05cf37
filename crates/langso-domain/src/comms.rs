//! Communications: the village groups a team runs, announcements and how they are delivered.
//!
//! The source district reaches every household through 569 Zalo groups with one representative
//! per household. Langso keeps their roster, measures coverage, and delivers announcements to
//! public feeds and to webhook adapters (Zalo OA, SMS gateways) without losing or duplicating
//! one. This module holds the rules that need no database: the kinds, the safe rendering of an
//! announcement's simple formatting, and the retry schedule.

use serde::{Deserialize, Serialize};

/// Where a village group lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    /// Zalo (most village groups).
    Zalo,
    /// Facebook group.
    Facebook,
    /// Telegram group.
    Telegram,
    /// Anything else (Viber, a loudspeaker list…).
    Other,
}

impl Platform {
    /// Every platform.
    pub const ALL: [Platform; 4] = [
        Platform::Zalo,
        Platform::Facebook,
        Platform::Telegram,
        Platform::Other,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Zalo => "zalo",
            Platform::Facebook => "facebook",
            Platform::Telegram => "telegram",
            Platform::Other => "other",
        }
    }

    /// Parses a stored name.
    pub fn parse(text: &str) -> Result<Platform, CommsError> {
        Platform::ALL
            .into_iter()
            .find(|p| p.as_str() == text.trim())
            .ok_or_else(|| CommsError::UnknownPlatform(text.trim().to_owned()))
    }
}

/// What an announcement is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// How to use a digital service.
    Guidance,
    /// An administrative procedure.
    Procedure,
    /// Security and order (scams, theft).
    Security,
    /// Storms, floods, outages: shown first.
    Emergency,
    /// A meeting, a training, an outreach day.
    Event,
}

impl Category {
    /// Every category.
    pub const ALL: [Category; 5] = [
        Category::Guidance,
        Category::Procedure,
        Category::Security,
        Category::Emergency,
        Category::Event,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Guidance => "guidance",
            Category::Procedure => "procedure",
            Category::Security => "security",
            Category::Emergency => "emergency",
            Category::Event => "event",
        }
    }

    /// Parses a stored name.
    pub fn parse(text: &str) -> Result<Category, CommsError> {
        Category::ALL
            .into_iter()
            .find(|c| c.as_str() == text.trim())
            .ok_or_else(|| CommsError::UnknownCategory(text.trim().to_owned()))
    }
}

/// Where an announcement stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Waiting for an officer's approval (it goes beyond one village).
    Pending,
    /// Approved (or needing no approval) and waiting for its publication time.
    Scheduled,
    /// Published: in the feeds, and its outbox rows written.
    Published,
    /// Refused by an officer.
    Rejected,
}

impl Status {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Scheduled => "scheduled",
            Status::Published => "published",
            Status::Rejected => "rejected",
        }
    }

    /// Parses a stored name.
    pub fn parse(text: &str) -> Option<Status> {
        [
            Status::Pending,
            Status::Scheduled,
            Status::Published,
            Status::Rejected,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// How many delivery attempts a webhook message gets before it is marked failed.
pub const MAX_ATTEMPTS: i64 = 12;

/// Seconds to wait after the `attempt`-th failed attempt (1-based): 10 s doubling each time,
/// capped at 6 hours, so a receiver down for a day still gets the message and a receiver down
/// for a minute gets it within a minute.
pub fn backoff_seconds(attempt: i64) -> i64 {
    let exponent = u32::try_from(attempt.clamp(1, 32) - 1).unwrap_or(0);
    10_i64
        .saturating_mul(2_i64.saturating_pow(exponent))
        .min(6 * 3600)
}

/// Escapes text for HTML and XML (both attribute values and element content).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
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
    out
}

/// Renders an announcement's simple formatting as HTML, escaping everything else: blank lines
/// separate paragraphs, lines starting with "- " form a list, `**text**` is bold, and
/// `http(s)://` addresses or local paths in `[text](/path)` become links. No tag typed by the
/// author survives, so a body can never carry a script.
pub fn render_body(body: &str) -> String {
    let mut html = String::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut list: Vec<&str> = Vec::new();
    let flush = |html: &mut String, paragraph: &mut Vec<&str>, list: &mut Vec<&str>| {
        if !paragraph.is_empty() {
            let lines: Vec<String> = paragraph.iter().map(|l| inline(l)).collect();
            html.push_str(&format!("<p>{}</p>", lines.join("<br>")));
            paragraph.clear();
        }
        if !list.is_empty() {
            html.push_str("<ul>");
            for item in list.iter() {
                html.push_str(&format!("<li>{}</li>", inline(item)));
            }
            html.push_str("</ul>");
            list.clear();
        }
    };
    for line in body.lines() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            flush(&mut html, &mut paragraph, &mut list);
        } else if let Some(item) = line.trim_start().strip_prefix("- ") {
            if !paragraph.is_empty() {
                let mut none = Vec::new();
                flush(&mut html, &mut paragraph, &mut none);
            }
            list.push(item);
        } else {
            if !list.is_empty() {
                let mut none = Vec::new();
                flush(&mut html, &mut none, &mut list);
            }
            paragraph.push(line);
        }
    }
    flush(&mut html, &mut paragraph, &mut list);
    html
}

/// Plain text of a body (formatting marks removed), for SMS and previews.
pub fn plain_text(body: &str) -> String {
    body.replace("**", "")
}

/// One line: escape, then bold and links.
fn inline(line: &str) -> String {
    let mut out = String::new();
    let mut bold = false;
    let mut rest = line;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("**") {
            out.push_str(if bold { "</strong>" } else { "<strong>" });
            bold = !bold;
            rest = after;
            continue;
        }
        if let Some((text, href, after)) = markdown_link(rest) {
            out.push_str(&format!(
                "<a href=\"{}\">{}</a>",
                escape(href),
                escape(text)
            ));
            rest = after;
            continue;
        }
        if rest.starts_with("http://") || rest.starts_with("https://") {
            let end = rest
                .find(|c: char| c.is_whitespace() || c == '<' || c == '"')
                .unwrap_or(rest.len());
            let url = &rest[..end];
            out.push_str(&format!(
                "<a href=\"{}\" rel=\"nofollow\">{}</a>",
                escape(url),
                escape(url)
            ));
            rest = &rest[end..];
            continue;
        }
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            out.push_str(&escape(&c.to_string()));
        }
        rest = chars.as_str();
    }
    if bold {
        out.push_str("</strong>");
    }
    out
}

/// `[text](href)` at the start of `text`, for a local path or an http(s) address only.
fn markdown_link(text: &str) -> Option<(&str, &str, &str)> {
    let inner = text.strip_prefix('[')?;
    let close = inner.find("](")?;
    let label = &inner[..close];
    let after = &inner[close + 2..];
    let end = after.find(')')?;
    let href = &after[..end];
    let safe = (href.starts_with('/') && !href.starts_with("//"))
        || href.starts_with("https://")
        || href.starts_with("http://");
    if !safe || label.contains('[') || href.chars().any(char::is_whitespace) {
        return None;
    }
    Some((label, href, &after[end + 1..]))
}

/// Checks an announcement's optional link: a guide of the library (`/huong-dan/{slug}`) or a
/// procedure guide (`/thu-tuc/{code}`). Returns the link, trimmed, or `None` for an empty one.
pub fn parse_link(text: &str) -> Result<Option<String>, CommsError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let ok = |rest: &str| {
        !rest.is_empty()
            && rest
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
    };
    match (
        text.strip_prefix("/huong-dan/"),
        text.strip_prefix("/thu-tuc/"),
    ) {
        (Some(slug), _) if ok(slug) => Ok(Some(text.to_owned())),
        (_, Some(code)) if ok(code) => Ok(Some(text.to_owned())),
        _ => Err(CommsError::BadLink),
    }
}

/// Why a communications input is refused. People read [`CommsError::message`]; the `Display`
/// text is English for logs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommsError {
    /// Not a platform.
    #[error("unknown platform: \"{0}\" (zalo, facebook, telegram, other)")]
    UnknownPlatform(String),
    /// Not a category.
    #[error("unknown category: \"{0}\" (guidance, procedure, security, emergency, event)")]
    UnknownCategory(String),
    /// A link that is neither a guide nor a procedure.
    #[error("the link must be /huong-dan/… or /thu-tuc/…")]
    BadLink,
}

impl CommsError {
    /// The refusal as a catalogue key with its arguments.
    pub fn message(&self) -> crate::Message {
        use crate::Message;
        match self {
            CommsError::UnknownPlatform(value) => {
                Message::new("comms-platform-unknown", &[("value", value)])
            }
            CommsError::UnknownCategory(value) => {
                Message::new("comms-category-unknown", &[("value", value)])
            }
            CommsError::BadLink => Message::new("comms-link-invalid", &[]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn kinds_round_trip() {
        for p in Platform::ALL {
            assert_eq!(Platform::parse(p.as_str()), Ok(p));
        }
        for c in Category::ALL {
            assert_eq!(Category::parse(c.as_str()), Ok(c));
        }
        assert!(Platform::parse("myspace").is_err());
        assert!(Category::parse("gossip").is_err());
        assert_eq!(Status::parse("published"), Some(Status::Published));
    }

    #[test]
    fn backoff_doubles_and_caps() {
        assert_eq!(backoff_seconds(1), 10);
        assert_eq!(backoff_seconds(2), 20);
        assert_eq!(backoff_seconds(5), 160);
        assert_eq!(backoff_seconds(40), 6 * 3600);
    }

    #[test]
    fn body_formatting() {
        let html = render_body(
            "Kính gửi bà con,\n**Chú ý**: mang CCCD.\n\n- Bước 1\n- Bước 2\nXem [hướng dẫn](/huong-dan/vneid) hoặc https://dichvucong.gov.vn",
        );
        assert_eq!(
            html,
            "<p>Kính gửi bà con,<br><strong>Chú ý</strong>: mang CCCD.</p>\
             <ul><li>Bước 1</li><li>Bước 2</li></ul>\
             <p>Xem <a href=\"/huong-dan/vneid\">hướng dẫn</a> hoặc \
             <a href=\"https://dichvucong.gov.vn\" rel=\"nofollow\">https://dichvucong.gov.vn</a></p>"
        );
    }

    #[test]
    fn body_never_carries_markup() {
        let html = render_body("<script>alert(1)</script> [x](javascript:alert(1)) \"q\"");
        assert!(!html.contains("<script"));
        assert!(!html.contains("href=\"javascript"));
        assert!(html.contains("&lt;script&gt;"));
    }

    #[test]
    fn links_are_guides_or_procedures() {
        assert_eq!(
            parse_link(" /thu-tuc/1.001193 "),
            Ok(Some("/thu-tuc/1.001193".into()))
        );
        assert_eq!(parse_link(""), Ok(None));
        assert!(parse_link("https://evil.example").is_err());
        assert!(parse_link("/huong-dan/").is_err());
    }

    proptest! {
        #[test]
        fn no_tag_survives(body in ".{0,200}") {
            let html = render_body(&body);
            let stripped = html
                .replace("<p>", "").replace("</p>", "").replace("<br>", "")
                .replace("<ul>", "").replace("</ul>", "").replace("<li>", "").replace("</li>", "")
                .replace("<strong>", "").replace("</strong>", "").replace("</a>", "");
            // Whatever is left that opens a tag must be one of our links.
            for part in stripped.split('<').skip(1) {
                prop_assert!(part.starts_with("a href=\""), "unexpected tag in {html}");
            }
        }
    }
}

//! Communications: the village groups a team runs, announcements and how they are delivered.
//!
//! The source district reaches every household through 569 Zalo groups with one representative
//! per household. Langso keeps their roster, measures coverage, and delivers announcements to
//! public feeds and to webhook adapters (Zalo OA, SMS gateways) without losing or duplicating
//! one. This module holds the rules that need no database: the kinds and the retry schedule;
//! bodies are rendered per channel by [`crate::markdown`].

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

/// Links to this site written as paths (`/work-orders/…`, as officers' notices and digests
/// carry them, the address people reach the server at being known only to the server) made
/// absolute with `public_url`, so the link in an e-mail or SMS opens. A word is a link when it
/// starts with `/` and a letter or digit; text stays as it is when `public_url` is empty.
pub fn absolute_site_links(text: &str, public_url: &str) -> String {
    let base = public_url.trim_end_matches('/');
    if base.is_empty() {
        return text.to_owned();
    }
    let word = |w: &str| {
        let mut chars = w.chars();
        if chars.next() == Some('/') && chars.next().is_some_and(|c| c.is_ascii_alphanumeric()) {
            format!("{base}{w}")
        } else {
            w.to_owned()
        }
    };
    text.split('\n')
        .map(|line| line.split(' ').map(word).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
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

/// Renders an announcement's body (Markdown) as safe HTML: see [`crate::markdown::html`], the
/// one renderer (raw HTML dropped, links only to the web, e-mail or this site).
pub fn render_body(body: &str) -> String {
    crate::markdown::html(body)
}

/// Plain text of a body (formatting marks removed), for previews.
pub fn plain_text(body: &str) -> String {
    crate::markdown::plain(body, "")
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
    fn site_paths_become_links_and_other_slashes_stay() {
        let text = "Phản ánh mới tại ngõ 5/12, mở 24/7\n/work-orders/01a2\nXem /assets/7 // /";
        assert_eq!(
            absolute_site_links(text, "https://langso.odien.vn/"),
            "Phản ánh mới tại ngõ 5/12, mở 24/7\nhttps://langso.odien.vn/work-orders/01a2\n\
             Xem https://langso.odien.vn/assets/7 // /"
        );
        assert_eq!(absolute_site_links(text, ""), text);
    }

    #[test]
    fn backoff_doubles_and_caps() {
        assert_eq!(backoff_seconds(1), 10);
        assert_eq!(backoff_seconds(2), 20);
        assert_eq!(backoff_seconds(5), 160);
        assert_eq!(backoff_seconds(40), 6 * 3600);
    }

    #[test]
    fn body_never_carries_markup() {
        let html = render_body("<script>alert(1)</script>\n\n[x](javascript:alert(1)) \"q\"");
        assert!(!html.contains("<script"));
        assert!(!html.contains("href=\"javascript"));
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
}

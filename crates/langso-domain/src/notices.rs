//! Notifications to people who work in the programme (a new fault report, a raised alarm,
//! follow-ups due) and the rules they follow: each person's channels, quiet hours (Vietnam
//! time) and, per kind, at once or in a daily digest; where a person is reached (an e-mail
//! address, a phone in `84…` form); and households' consent to be contacted.

use time::{Duration, OffsetDateTime, Time};

use crate::Message;
use crate::locale::VIETNAM;

/// Channels a person may choose, in the order shown.
pub const CHANNELS: [&str; 3] = ["email", "sms", "zns"];
/// The kinds of notification, each with its own mode.
pub const KINDS: [&str; 3] = ["fault", "alarm", "follow_up"];
/// Modes: sent at once, gathered into the morning digest, or not sent.
pub const MODES: [&str; 3] = ["immediate", "digest", "off"];
pub use crate::consent::{METHODS, PURPOSES};
/// Default quiet hours: 21:00 to 06:00.
pub const QUIET_DEFAULT: (i64, i64) = (21 * 60, 6 * 60);
/// The morning job's time, Vietnam time (follow-ups due and digests).
pub const MORNING: Time = match Time::from_hms(7, 0, 0) {
    Ok(t) => t,
    Err(_) => Time::MIDNIGHT,
};

/// One person's preferences.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Preferences {
    /// Chosen channels, among [`CHANNELS`].
    pub channels: Vec<String>,
    /// Quiet hours start, minutes after midnight (Vietnam time).
    pub quiet_start: i64,
    /// Quiet hours end, minutes after midnight; equal to the start: no quiet hours.
    pub quiet_end: i64,
    /// Mode for a new fault report.
    pub fault: String,
    /// Mode for a raised alarm.
    pub alarm: String,
    /// Mode for follow-ups due.
    pub follow_up: String,
}

impl Default for Preferences {
    fn default() -> Self {
        Preferences {
            channels: vec!["email".to_owned()],
            quiet_start: QUIET_DEFAULT.0,
            quiet_end: QUIET_DEFAULT.1,
            fault: "immediate".to_owned(),
            alarm: "immediate".to_owned(),
            follow_up: "immediate".to_owned(),
        }
    }
}

impl Preferences {
    /// The mode for `kind` (one of [`KINDS`]).
    pub fn mode(&self, kind: &str) -> &str {
        match kind {
            "fault" => &self.fault,
            "alarm" => &self.alarm,
            _ => &self.follow_up,
        }
    }

    /// When a message written at `now` may go: `now`, or the end of quiet hours when `now`
    /// falls inside them (an emergency never waits).
    pub fn not_before(&self, now: OffsetDateTime, emergency: bool) -> OffsetDateTime {
        if emergency || self.quiet_start == self.quiet_end {
            return now;
        }
        let local = now.to_offset(VIETNAM);
        let minute = i64::from(local.hour()) * 60 + i64::from(local.minute());
        let (start, end) = (self.quiet_start, self.quiet_end);
        let quiet = if start < end {
            minute >= start && minute < end
        } else {
            minute >= start || minute < end
        };
        if !quiet {
            return now;
        }
        let midnight = local.replace_time(Time::MIDNIGHT);
        let mut until = midnight + Duration::minutes(end);
        if until <= local {
            until += Duration::days(1);
        }
        until.to_offset(time::UtcOffset::UTC)
    }
}

/// Parses "HH:MM" into minutes after midnight.
pub fn parse_clock(text: &str) -> Option<i64> {
    let (h, m) = text.trim().split_once(':')?;
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    ((0..24).contains(&h) && (0..60).contains(&m)).then_some(h * 60 + m)
}

/// Minutes after midnight as "HH:MM".
pub fn clock(minutes: i64) -> String {
    format!(
        "{:02}:{:02}",
        minutes.div_euclid(60) % 24,
        minutes.rem_euclid(60)
    )
}

/// Checks an e-mail address (at most 254 characters, one `@`, a dotted domain, no spaces);
/// returned trimmed and lower-cased.
pub fn validate_email(text: &str) -> Result<String, Message> {
    let email = text.trim().to_lowercase();
    let ok = email.len() <= 254
        && email.split('@').count() == 2
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains("..")
        })
        && email
            .chars()
            .all(|c| c.is_ascii_graphic() && !matches!(c, '<' | '>' | ',' | ';' | '"'));
    if ok {
        Ok(email)
    } else {
        Err(Message::new("comms-email-invalid", &[]))
    }
}

/// A Vietnamese phone number in the `84…` form the SMS and ZNS providers take: written as
/// `0912 345 678`, `+84 912…` or `84912…`; nine or ten digits after the country code.
pub fn phone_84(text: &str) -> Result<String, Message> {
    crate::channels::phone_84(text).ok_or_else(|| Message::new("comms-phone-invalid", &[]))
}

/// The Vietnamese words for a work order's status, in messages sent out (the officers' pages
/// use the catalogue; a message is written in the transaction, before anyone reads it).
pub fn status_words(status: &str) -> &'static str {
    match status {
        "new" => "đã tiếp nhận",
        "assigned" => "đã giao người xử lý",
        "in_progress" => "đang xử lý",
        "fixed" => "đã sửa xong",
        "closed" => "đã đóng",
        _ => "đã cập nhật",
    }
}

/// The Vietnamese name of an asset kind (or `other`) in messages sent out.
pub fn service_words(code: &str) -> &'static str {
    match code {
        "camera" => "camera an ninh",
        "solar_light" => "đèn năng lượng mặt trời",
        "grid_light" => "đèn đường",
        "wifi" => "wifi miễn phí",
        "loudspeaker" => "loa truyền thanh",
        "billboard" => "pano",
        _ => "sự cố khác",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::datetime;

    #[test]
    fn phones_take_the_84_form() {
        assert_eq!(phone_84("0912 345 678").unwrap(), "84912345678");
        assert_eq!(phone_84("+84 912.345.678").unwrap(), "84912345678");
        assert_eq!(phone_84("84912345678").unwrap(), "84912345678");
        assert!(phone_84("12345").is_err());
        assert!(phone_84("0912abc").is_err());
    }

    #[test]
    fn emails_are_checked_and_lowered() {
        assert_eq!(validate_email(" Lan@Xa.VN ").unwrap(), "lan@xa.vn");
        for bad in [
            "lan",
            "lan@xa",
            "a@b@c.vn",
            "lan @xa.vn",
            "@xa.vn",
            "lan@.vn",
        ] {
            assert!(validate_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn quiet_hours_defer_to_their_end() {
        let p = Preferences::default();
        // 22:30 Vietnam = 15:30 UTC: waits until 06:00 Vietnam = 23:00 UTC.
        let late = datetime!(2026-12-07 15:30 UTC);
        assert_eq!(p.not_before(late, false), datetime!(2026-12-07 23:00 UTC));
        // 05:00 Vietnam = 22:00 UTC the day before: the same morning's 06:00.
        let early = datetime!(2026-12-06 22:00 UTC);
        assert_eq!(p.not_before(early, false), datetime!(2026-12-06 23:00 UTC));
        // 10:00 Vietnam: at once; an emergency never waits.
        let day = datetime!(2026-12-07 03:00 UTC);
        assert_eq!(p.not_before(day, false), day);
        assert_eq!(p.not_before(late, true), late);
        let none = Preferences {
            quiet_start: 0,
            quiet_end: 0,
            ..Preferences::default()
        };
        assert_eq!(none.not_before(late, false), late);
    }

    #[test]
    fn clocks_read_and_write() {
        assert_eq!(parse_clock("21:00"), Some(1260));
        assert_eq!(parse_clock("6:05"), Some(365));
        assert_eq!(parse_clock("24:00"), None);
        assert_eq!(clock(1260), "21:00");
    }

    proptest! {
        #[test]
        fn parsers_never_panic(text in ".{0,300}") {
            let _ = phone_84(&text);
            let _ = validate_email(&text);
            let _ = parse_clock(&text);
        }

        #[test]
        fn the_wait_never_exceeds_a_day(secs in 0i64..4_000_000_000, s in 0i64..1440, e in 0i64..1440) {
            let now = OffsetDateTime::from_unix_timestamp(secs).unwrap();
            let p = Preferences { quiet_start: s, quiet_end: e, ..Preferences::default() };
            let at = p.not_before(now, false);
            prop_assert!(at >= now && at - now <= Duration::days(1));
        }
    }
}

//! The commune radio (đài truyền thanh cơ sở): bulletins of three priorities read at the
//! commune's broadcast times. Vendors' loudspeaker systems speak proprietary protocols, so what
//! Langso shares is the schedule (as an iCalendar file, RFC 5545, and an Atom feed) and a script
//! for the announcer. This module holds the rules: priorities, slots, and iCalendar text.

use time::{Date, Duration, OffsetDateTime, Time, Weekday};

use crate::locale::VIETNAM;

/// How urgent a bulletin is (Thông tư 39/2020/TT-BTTTT's three kinds).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Priority {
    /// Read first, and at once: storms, floods, fires.
    Emergency,
    /// Read before the ordinary bulletins of its slot.
    Priority,
    /// Read in its slot, in order.
    Normal,
}

impl Priority {
    /// Every priority, most urgent first.
    pub const ALL: [Priority; 3] = [Priority::Emergency, Priority::Priority, Priority::Normal];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Emergency => "emergency",
            Priority::Priority => "priority",
            Priority::Normal => "normal",
        }
    }

    /// Parses a stored name.
    pub fn parse(text: &str) -> Option<Priority> {
        Priority::ALL
            .into_iter()
            .find(|p| p.as_str() == text.trim())
    }

    /// Its order within a slot: emergency first (0).
    pub fn rank(self) -> i64 {
        match self {
            Priority::Emergency => 0,
            Priority::Priority => 1,
            Priority::Normal => 2,
        }
    }

    /// The iCalendar PRIORITY (1 highest, 9 lowest).
    pub fn ics(self) -> u8 {
        match self {
            Priority::Emergency => 1,
            Priority::Priority => 5,
            Priority::Normal => 9,
        }
    }
}

/// One broadcast time of a commune: a weekday (1 = Monday … 7 = Sunday) and a minute of the
/// day, in Vietnam time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Slot {
    /// 1 = Monday … 7 = Sunday.
    pub weekday: u8,
    /// Minutes after midnight, Vietnam time.
    pub minute: u16,
}

impl Slot {
    /// A slot from a weekday number and `HH:MM`; `None` when either is out of range.
    pub fn parse(weekday: &str, time: &str) -> Option<Slot> {
        let weekday: u8 = weekday
            .trim()
            .parse()
            .ok()
            .filter(|d| (1..=7).contains(d))?;
        let (h, m) = time.trim().split_once(':')?;
        let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
        (h < 24 && m < 60).then_some(Slot {
            weekday,
            minute: h * 60 + m,
        })
    }

    /// `HH:MM`.
    pub fn time_text(self) -> String {
        format!("{:02}:{:02}", self.minute / 60, self.minute % 60)
    }

    /// The instants this slot falls on from `from` (inclusive) for `days` days.
    fn occurrences(self, from: OffsetDateTime, days: i64) -> Vec<OffsetDateTime> {
        let start = from.to_offset(VIETNAM).date();
        let time = Time::from_hms(
            u8::try_from(self.minute / 60).unwrap_or(0),
            (self.minute % 60) as u8,
            0,
        )
        .unwrap_or(Time::MIDNIGHT);
        (0..days)
            .filter_map(|d| start.checked_add(Duration::days(d)))
            .filter(|d: &Date| weekday_number(d.weekday()) == self.weekday)
            .map(|d| d.with_time(time).assume_offset(VIETNAM))
            .filter(|at| *at >= from)
            .collect()
    }
}

/// 1 = Monday … 7 = Sunday.
pub fn weekday_number(day: Weekday) -> u8 {
    day.number_from_monday()
}

/// The broadcast times of `slots` from `from` for `days` days, soonest first, at most `limit`.
pub fn upcoming(
    slots: &[Slot],
    from: OffsetDateTime,
    days: i64,
    limit: usize,
) -> Vec<OffsetDateTime> {
    let mut all: Vec<OffsetDateTime> = slots
        .iter()
        .flat_map(|s| s.occurrences(from, days.clamp(0, 60)))
        .collect();
    all.sort();
    all.dedup();
    all.truncate(limit);
    all
}

/// An iCalendar TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma escaped, line
/// breaks as `\n`, other control characters dropped.
pub fn ics_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds one content line at 75 octets (RFC 5545 §3.1), never inside a UTF-8 character, and
/// ends every physical line with CRLF.
pub fn ics_fold(line: &str, out: &mut String) {
    let mut width = 0usize;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

/// An instant as an iCalendar UTC DATE-TIME (`20261207T060000Z`).
pub fn ics_time(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// One broadcast as an iCalendar event.
#[derive(Clone, Debug)]
pub struct IcsEvent {
    /// A stable unique id (the broadcast's id and the host).
    pub uid: String,
    /// When the slot starts.
    pub start: OffsetDateTime,
    /// Minutes it is expected to take.
    pub minutes: i64,
    /// The title read.
    pub summary: String,
    /// The script.
    pub description: String,
    /// The announcement's public page.
    pub url: String,
    /// Its priority.
    pub priority: Priority,
}

/// The most events a calendar carries, and the most characters of one description: a schedule
/// is read by radio systems with small buffers and by people on phones.
pub const MAX_EVENTS: usize = 500;
/// See [`MAX_EVENTS`].
pub const MAX_DESCRIPTION_CHARS: usize = 4000;

/// A VCALENDAR of broadcasts (at most [`MAX_EVENTS`]), CRLF lines folded at 75 octets.
pub fn ics_calendar(name: &str, stamp: OffsetDateTime, events: &[IcsEvent]) -> String {
    let mut out = String::new();
    let mut line = |text: &str| ics_fold(text, &mut out);
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line("PRODID:-//Langso//Commune radio//VI");
    line("CALSCALE:GREGORIAN");
    line("METHOD:PUBLISH");
    line(&format!("X-WR-CALNAME:{}", ics_text(name)));
    for e in events.iter().take(MAX_EVENTS) {
        let description: String = e.description.chars().take(MAX_DESCRIPTION_CHARS).collect();
        line("BEGIN:VEVENT");
        line(&format!("UID:{}", ics_text(&e.uid)));
        line(&format!("DTSTAMP:{}", ics_time(stamp)));
        line(&format!("DTSTART:{}", ics_time(e.start)));
        line(&format!(
            "DTEND:{}",
            ics_time(e.start + Duration::minutes(e.minutes.clamp(1, 240)))
        ));
        line(&format!("SUMMARY:{}", ics_text(&e.summary)));
        line(&format!("DESCRIPTION:{}", ics_text(&description)));
        line(&format!("PRIORITY:{}", e.priority.ics()));
        line(&format!(
            "CATEGORIES:{}",
            e.priority.as_str().to_uppercase()
        ));
        if !e.url.is_empty() && !e.url.chars().any(|c| c.is_whitespace() || c.is_control()) {
            line(&format!("URL:{}", e.url));
        }
        line("END:VEVENT");
    }
    line("END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::datetime;

    #[test]
    fn priorities_order_emergency_first() {
        let mut all = vec![Priority::Normal, Priority::Emergency, Priority::Priority];
        all.sort_by_key(|p| p.rank());
        assert_eq!(all, Priority::ALL);
        assert_eq!(Priority::parse("emergency"), Some(Priority::Emergency));
        assert_eq!(Priority::parse("loud"), None);
    }

    #[test]
    fn slots_parse_and_recur() {
        assert_eq!(
            Slot::parse("1", "06:30"),
            Some(Slot {
                weekday: 1,
                minute: 390
            })
        );
        assert_eq!(Slot::parse("8", "06:30"), None);
        assert_eq!(Slot::parse("1", "24:00"), None);
        // 2026-12-07 is a Monday; 05:00 Vietnam time is 22:00 UTC the day before.
        let from = datetime!(2026-12-06 22:00 UTC);
        let next = upcoming(
            &[
                Slot {
                    weekday: 1,
                    minute: 390,
                },
                Slot {
                    weekday: 2,
                    minute: 1020,
                },
            ],
            from,
            14,
            10,
        );
        assert_eq!(next.len(), 4);
        assert_eq!(next[0], datetime!(2026-12-07 06:30 +7));
        assert_eq!(next[1], datetime!(2026-12-08 17:00 +7));
    }

    #[test]
    fn text_is_escaped_and_lines_folded() {
        assert_eq!(ics_text("a,b;c\\d\r\ne\u{7}"), "a\\,b\\;c\\\\d\\ne");
        let mut out = String::new();
        ics_fold(&format!("SUMMARY:{}", "ộ".repeat(40)), &mut out);
        for line in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{line}");
        }
        assert_eq!(
            out.replace("\r\n ", ""),
            format!("SUMMARY:{}\r\n", "ộ".repeat(40))
        );
    }

    #[test]
    fn a_calendar_is_well_formed() {
        let ics = ics_calendar(
            "Đài xã",
            datetime!(2026-12-07 00:00 UTC),
            &[IcsEvent {
                uid: "x@langso".into(),
                start: datetime!(2026-12-07 06:30 +7),
                minutes: 10,
                summary: "Bão số 3, khẩn".into(),
                description: "Bà con chú ý;\nsơ tán".into(),
                url: "https://l.vn/a/abc".into(),
                priority: Priority::Emergency,
            }],
        );
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(ics.contains("DTSTART:20261206T233000Z\r\n"));
        assert!(ics.contains("SUMMARY:Bão số 3\\, khẩn\r\n"));
        assert!(ics.contains("PRIORITY:1\r\n"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
    }

    proptest! {
        #[test]
        fn any_text_stays_one_property(text in any::<String>()) {
            let mut out = String::new();
            ics_fold(&format!("DESCRIPTION:{}", ics_text(&text)), &mut out);
            // Unfolded, it is one line with no bare CR or LF.
            let unfolded = out.replace("\r\n ", "");
            prop_assert!(unfolded.ends_with("\r\n"));
            let body = &unfolded[..unfolded.len() - 2];
            prop_assert!(!body.contains('\r') && !body.contains('\n'));
            for line in out.split("\r\n") {
                prop_assert!(line.len() <= 75);
            }
        }
    }
}

//! What a page shows of days, moments and numbers, in the local conventions of
//! `langso_domain::locale`: dates `dd/mm/yyyy`, times in Vietnam time to the minute, counts
//! grouped for the page's language. Templates call these on `chrome` (`chrome.minute(at)`), so
//! no template formats a date or a number itself.

use langso_domain::locale::{self, NumberStyle};
use time::{Date, OffsetDateTime};

use super::Chrome;
use crate::messages::Lang;

/// Something shown as a day: a date as stored, or a moment's day in Vietnam time.
pub trait Day {
    /// The calendar day, in Vietnam.
    fn local_day(&self) -> Date;
}

impl Day for Date {
    fn local_day(&self) -> Date {
        *self
    }
}

impl Day for OffsetDateTime {
    fn local_day(&self) -> Date {
        self.to_offset(locale::VIETNAM).date()
    }
}

impl<T: Day + ?Sized> Day for &T {
    fn local_day(&self) -> Date {
        (**self).local_day()
    }
}

/// A moment (stored in UTC).
pub trait Moment {
    /// The moment itself.
    fn moment(&self) -> OffsetDateTime;
}

impl Moment for OffsetDateTime {
    fn moment(&self) -> OffsetDateTime {
        *self
    }
}

impl<T: Moment + ?Sized> Moment for &T {
    fn moment(&self) -> OffsetDateTime {
        (**self).moment()
    }
}

/// A whole number shown as a count.
pub trait Count {
    /// The number, widened.
    fn whole(&self) -> i64;
}

macro_rules! counts {
    ($($t:ty),*) => {$(
        impl Count for $t {
            fn whole(&self) -> i64 {
                i64::try_from(*self).unwrap_or(i64::MAX)
            }
        }
    )*};
}
counts!(i32, i64, u32, u64, usize);

impl<T: Count + ?Sized> Count for &T {
    fn whole(&self) -> i64 {
        (**self).whole()
    }
}

impl Lang {
    /// How this language writes numbers.
    pub fn number_style(self) -> NumberStyle {
        match self {
            Lang::Vi => NumberStyle::Vietnamese,
            Lang::En => NumberStyle::English,
        }
    }
}

impl Chrome {
    /// A day as `dd/mm/yyyy` (a moment's day in Vietnam time).
    pub fn day(&self, day: impl Day) -> String {
        locale::day(day.local_day())
    }

    /// A moment as `dd/mm/yyyy HH:MM`, Vietnam time.
    pub fn minute(&self, at: impl Moment) -> String {
        locale::minute(at.moment())
    }

    /// A count grouped for the page's language (1.015 / 1,015).
    pub fn count(&self, value: impl Count) -> String {
        locale::count(value.whole(), self.lang.number_style())
    }

    /// `part` over `whole` as an average to one decimal ("2,7" smartphones a household): how
    /// a count reads, never as a share.
    pub fn average(&self, part: impl Count, whole: impl Count) -> String {
        let (part, whole) = (part.whole(), whole.whole());
        if whole <= 0 {
            return "—".to_owned();
        }
        locale::decimal(part as f64 / whole as f64, 1, self.lang.number_style())
    }

    /// `part` of `whole` as a percentage that never rounds unfinished work up to 100.
    pub fn percent(&self, part: impl Count, whole: impl Count) -> String {
        locale::percent(part.whole(), whole.whole(), self.lang.number_style())
    }
}

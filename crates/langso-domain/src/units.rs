//! Administrative units: kinds, official codes, validity periods and lineage.
//!
//! GSO codes (QĐ 124/2004) have 2 digits for a province, 3 for a district and 5 for a commune;
//! units below the commune (thôn, tổ dân phố, …) have no national code and get a local code that
//! is unique within their commune. A code can name different territories in different periods
//! (09784 was Thị trấn Phùng until 2025-06-30 and is Xã Đan Phượng since), so every unit carries
//! a [`Validity`].

use serde::{Deserialize, Serialize};
use time::Date;
use uuid::Uuid;

/// An administrative unit as stored: one territory under one code for one period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Unit {
    /// UUIDv7.
    pub id: Uuid,
    /// GSO code, or a local code below the commune.
    pub code: String,
    /// Official name with its prefix ("Xã Song Phượng").
    pub name: String,
    /// Level and type.
    pub kind: UnitKind,
    /// The days this unit exists.
    pub validity: Validity,
    /// Latitude of the unit's centre (WGS84), where known.
    pub latitude: Option<f64>,
    /// Longitude of the unit's centre (WGS84), where known.
    pub longitude: Option<f64>,
    /// Free note (e.g. "code taken over by the new Xã Đan Phượng").
    pub note: Option<String>,
}

/// The level a unit sits at in the administrative tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// Tỉnh / thành phố trực thuộc trung ương.
    Province,
    /// Huyện / quận / thị xã: abolished on 2025-07-01, kept for history.
    District,
    /// Xã.
    Commune,
    /// Phường.
    Ward,
    /// Thị trấn.
    Town,
    /// Đặc khu.
    SpecialZone,
    /// Thôn.
    Village,
    /// Tổ dân phố.
    StreetGroup,
    /// Cụm dân cư.
    ResidentialCluster,
    /// Xóm / ấp / bản.
    Hamlet,
}

/// The three levels that decide how a code is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// Province: 2-digit GSO code.
    Province,
    /// District: 3-digit GSO code.
    District,
    /// Commune, ward, town or special zone: 5-digit GSO code.
    Commune,
    /// Below the commune: a local code.
    Village,
}

impl UnitKind {
    /// Every kind, in tree order.
    pub const ALL: [UnitKind; 10] = [
        UnitKind::Province,
        UnitKind::District,
        UnitKind::Commune,
        UnitKind::Ward,
        UnitKind::Town,
        UnitKind::SpecialZone,
        UnitKind::Village,
        UnitKind::StreetGroup,
        UnitKind::ResidentialCluster,
        UnitKind::Hamlet,
    ];

    /// The name used in files, URLs and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Province => "province",
            UnitKind::District => "district",
            UnitKind::Commune => "commune",
            UnitKind::Ward => "ward",
            UnitKind::Town => "town",
            UnitKind::SpecialZone => "special_zone",
            UnitKind::Village => "village",
            UnitKind::StreetGroup => "street_group",
            UnitKind::ResidentialCluster => "residential_cluster",
            UnitKind::Hamlet => "hamlet",
        }
    }

    /// Parses the name used in files and the database.
    pub fn parse(text: &str) -> Result<Self, UnitError> {
        let text = text.trim();
        UnitKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == text)
            .ok_or_else(|| UnitError::UnknownKind(text.to_owned()))
    }

    /// The level of this kind.
    pub fn level(self) -> Level {
        match self {
            UnitKind::Province => Level::Province,
            UnitKind::District => Level::District,
            UnitKind::Commune | UnitKind::Ward | UnitKind::Town | UnitKind::SpecialZone => {
                Level::Commune
            }
            UnitKind::Village
            | UnitKind::StreetGroup
            | UnitKind::ResidentialCluster
            | UnitKind::Hamlet => Level::Village,
        }
    }

    /// Whether a unit of this kind may sit directly under a unit of kind `parent`.
    ///
    /// Provinces are roots; districts sit under provinces; communes under a district or (since
    /// 2025) directly under a province; village-level units under a commune-level unit, and a
    /// hamlet may also sit under a village.
    pub fn may_sit_under(self, parent: Option<UnitKind>) -> bool {
        match (self.level(), parent.map(UnitKind::level)) {
            (Level::Province, None) => true,
            (Level::District, Some(Level::Province)) => true,
            (Level::Commune, Some(Level::Province | Level::District)) => true,
            (Level::Village, Some(Level::Commune)) => true,
            (Level::Village, Some(Level::Village)) => {
                self == UnitKind::Hamlet && parent != Some(UnitKind::Hamlet)
            }
            _ => false,
        }
    }
}

/// The commune-level kind a new unit's name announces: "Xã …", "Phường …", "Thị trấn …",
/// "Đặc khu …"; `None` when the name has none of these prefixes.
pub fn commune_kind_from_name(name: &str) -> Option<UnitKind> {
    let folded = crate::text::fold(name);
    [
        ("xa ", UnitKind::Commune),
        ("phuong ", UnitKind::Ward),
        ("thi tran ", UnitKind::Town),
        ("dac khu ", UnitKind::SpecialZone),
    ]
    .into_iter()
    .find(|(prefix, _)| folded.starts_with(prefix))
    .map(|(_, kind)| kind)
}

/// Checks a unit code against its kind and returns it trimmed.
///
/// GSO codes are all digits of the level's length (leading zeros kept: "01", "09784"); local
/// codes are 1–20 letters, digits, `-`, `.` or `_`.
pub fn validate_code(kind: UnitKind, code: &str) -> Result<String, UnitError> {
    let code = code.trim();
    let digits = |n: usize| code.len() == n && code.bytes().all(|b| b.is_ascii_digit());
    let ok = match kind.level() {
        Level::Province => digits(2),
        Level::District => digits(3),
        Level::Commune => digits(5),
        Level::Village => {
            (1..=20).contains(&code.len())
                && code
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
        }
    };
    if ok {
        Ok(code.to_owned())
    } else {
        Err(UnitError::BadCode {
            kind,
            code: code.to_owned(),
        })
    }
}

/// Checks a unit name: 1–200 characters (not bytes) after trimming.
pub fn validate_name(name: &str) -> Result<String, UnitError> {
    let name = name.trim();
    let chars = name.chars().count();
    if chars == 0 || chars > 200 {
        return Err(UnitError::BadName);
    }
    Ok(name.to_owned())
}

/// The days a unit (or a parent link) is in force: `from` inclusive, `to` inclusive or open.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validity {
    /// First day in force.
    pub from: Date,
    /// Last day in force; `None` while still in force.
    pub to: Option<Date>,
}

impl Validity {
    /// A period, refused when it ends before it starts.
    pub fn new(from: Date, to: Option<Date>) -> Result<Self, UnitError> {
        match to {
            Some(to) if to < from => Err(UnitError::BadPeriod { from, to }),
            _ => Ok(Validity { from, to }),
        }
    }

    /// Whether `date` falls inside the period.
    pub fn contains(&self, date: Date) -> bool {
        self.from <= date && self.to.is_none_or(|to| date <= to)
    }

    /// Whether two periods share at least one day.
    pub fn overlaps(&self, other: &Validity) -> bool {
        let starts_before_other_ends = other.to.is_none_or(|to| self.from <= to);
        let ends_after_other_starts = self.to.is_none_or(|to| other.from <= to);
        starts_before_other_ends && ends_after_other_starts
    }
}

/// How much of an old unit's territory went into a new one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Share {
    /// The whole old unit.
    Whole,
    /// Part of the old unit.
    Part,
}

impl Share {
    /// The name used in files and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Share::Whole => "whole",
            Share::Part => "part",
        }
    }

    /// Parses `whole` or `part`.
    pub fn parse(text: &str) -> Result<Self, UnitError> {
        match text.trim() {
            "whole" => Ok(Share::Whole),
            "part" => Ok(Share::Part),
            other => Err(UnitError::BadShare(other.to_owned())),
        }
    }
}

/// Parses an ISO date (`2025-07-01`).
pub fn parse_date(text: &str) -> Result<Date, UnitError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text.trim(), format).map_err(|_| UnitError::BadDate(text.trim().to_owned()))
}

/// Why a unit or a reorganisation is refused. People read [`UnitError::message`] (import
/// reports, API problems, form errors); the `Display` text is English for logs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UnitError {
    /// The kind is not one of [`UnitKind::ALL`].
    #[error("unknown unit kind: \"{0}\"")]
    UnknownKind(String),
    /// The code does not fit the kind.
    #[error(
        "invalid code for a {kind:?}: \"{code}\" (province 2 digits, district 3, commune 5; village: an internal code of at most 20 characters)"
    )]
    BadCode {
        /// The unit's kind.
        kind: UnitKind,
        /// The code given.
        code: String,
    },
    /// Empty or too long name.
    #[error("a unit name needs 1–200 characters")]
    BadName,
    /// Not an ISO date.
    #[error("invalid date (YYYY-MM-DD): \"{0}\"")]
    BadDate(String),
    /// A period that ends before it starts.
    #[error("period ends ({to}) before it starts ({from})")]
    BadPeriod {
        /// Start.
        from: Date,
        /// End.
        to: Date,
    },
    /// Not `whole` or `part`.
    #[error("share must be whole or part: \"{0}\"")]
    BadShare(String),
}

impl UnitError {
    /// The refusal as a catalogue key with its arguments. The code's kind is passed as its
    /// code (`commune`), which the catalogue words.
    pub fn message(&self) -> crate::Message {
        use crate::Message;
        match self {
            UnitError::UnknownKind(value) => {
                Message::new("units-kind-unknown", &[("value", value)])
            }
            UnitError::BadCode { kind, code } => Message::new(
                "units-code-invalid",
                &[("kind", &kind.as_str()), ("code", code)],
            ),
            UnitError::BadName => Message::new("units-name-invalid", &[]),
            UnitError::BadDate(value) => Message::new("units-date-invalid", &[("value", value)]),
            UnitError::BadPeriod { from, to } => {
                Message::new("units-period-reversed", &[("from", from), ("to", to)])
            }
            UnitError::BadShare(value) => Message::new("units-share-invalid", &[("value", value)]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    #[test]
    fn gso_codes_follow_the_level() {
        assert!(validate_code(UnitKind::Province, "01").is_ok());
        assert!(validate_code(UnitKind::District, "273").is_ok());
        assert!(validate_code(UnitKind::Commune, "09784").is_ok());
        assert!(validate_code(UnitKind::Town, " 09784 ").is_ok());
        assert!(validate_code(UnitKind::Commune, "9784").is_err());
        assert!(validate_code(UnitKind::Province, "1").is_err());
        assert!(validate_code(UnitKind::District, "27a").is_err());
        assert!(validate_code(UnitKind::Village, "09829-T01").is_ok());
        assert!(validate_code(UnitKind::Village, "").is_err());
        assert!(validate_code(UnitKind::Village, "thôn 1").is_err());
    }

    #[test]
    fn commune_kind_follows_the_name() {
        assert_eq!(commune_kind_from_name("Xã Ô Diên"), Some(UnitKind::Commune));
        assert_eq!(
            commune_kind_from_name("Phường Hà Đông"),
            Some(UnitKind::Ward)
        );
        assert_eq!(
            commune_kind_from_name("Thị trấn Phùng"),
            Some(UnitKind::Town)
        );
        assert_eq!(
            commune_kind_from_name("Đặc khu Phú Quốc"),
            Some(UnitKind::SpecialZone)
        );
        assert_eq!(commune_kind_from_name("Thôn Tháp Thượng"), None);
    }

    #[test]
    fn kinds_round_trip_and_nest() {
        for kind in UnitKind::ALL {
            assert_eq!(UnitKind::parse(kind.as_str()), Ok(kind));
        }
        assert!(UnitKind::parse("county").is_err());
        assert!(UnitKind::Commune.may_sit_under(Some(UnitKind::Province)));
        assert!(UnitKind::Commune.may_sit_under(Some(UnitKind::District)));
        assert!(!UnitKind::Village.may_sit_under(Some(UnitKind::Province)));
        assert!(UnitKind::Hamlet.may_sit_under(Some(UnitKind::Village)));
        assert!(!UnitKind::Province.may_sit_under(Some(UnitKind::Province)));
        assert!(!UnitKind::Commune.may_sit_under(None));
    }

    #[test]
    fn validity_periods() {
        let old = Validity::new(date!(1976 - 01 - 01), Some(date!(2025 - 06 - 30))).ok();
        let new = Validity::new(date!(2025 - 07 - 01), None).ok();
        let (Some(old), Some(new)) = (old, new) else {
            unreachable!("valid periods")
        };
        assert!(!old.overlaps(&new));
        assert!(old.contains(date!(2025 - 06 - 01)));
        assert!(!old.contains(date!(2025 - 07 - 01)));
        assert!(new.contains(date!(2030 - 01 - 01)));
        assert!(Validity::new(date!(2025 - 07 - 01), Some(date!(2025 - 06 - 30))).is_err());
    }

    fn any_date() -> impl Strategy<Value = Date> {
        (0i32..20_000).prop_map(|d| date!(1970 - 01 - 01) + time::Duration::days(i64::from(d)))
    }

    fn any_validity() -> impl Strategy<Value = Validity> {
        (any_date(), proptest::option::of(0i64..5_000)).prop_map(|(from, len)| Validity {
            from,
            to: len.map(|l| from + time::Duration::days(l)),
        })
    }

    proptest! {
        #[test]
        fn overlap_means_a_shared_day(a in any_validity(), b in any_validity()) {
            prop_assert_eq!(a.overlaps(&b), b.overlaps(&a));
            let shared = if a.from > b.from { a.from } else { b.from };
            prop_assert_eq!(a.overlaps(&b), a.contains(shared) && b.contains(shared));
        }

        #[test]
        fn five_digit_codes_are_commune_codes(n in 0u32..100_000) {
            let code = format!("{n:05}");
            prop_assert!(validate_code(UnitKind::Commune, &code).is_ok());
            prop_assert!(validate_code(UnitKind::Province, &code).is_err());
        }
    }
}

//! Community digital teams (Tổ công nghệ số cộng đồng) and their outreach.
//!
//! One team per commune and one per village-level unit (thôn, tổ dân phố, cụm dân cư), set up
//! by a decision of the commune; members have a role in the team and come from a mass
//! organisation. Trainings and outreach (conferences, billboards, loudspeaker broadcasts) are
//! what the programme reports upward every month, so each is a dated record with attendance.

use crate::Message;
use serde::{Deserialize, Serialize};

/// Defines a closed list of codes with its Vietnamese and English labels.
macro_rules! code_list {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal, $vi:literal, $en:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant,)+ }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The code used in files, the API and the database.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }

            /// Vietnamese label.
            pub fn label_vi(self) -> &'static str {
                match self { $($name::$variant => $vi,)+ }
            }

            /// English label.
            pub fn label_en(self) -> &'static str {
                match self { $($name::$variant => $en,)+ }
            }

            /// Parses a code; the error lists the accepted ones.
            pub fn parse(text: &str) -> Result<$name, TeamError> {
                let text = text.trim();
                Self::ALL.iter().copied().find(|v| v.as_str() == text).ok_or_else(|| {
                    TeamError::Unknown(
                        text.to_owned(),
                        Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", "),
                    )
                })
            }
        }
    };
}

code_list! {
    /// Where a team works.
    TeamLevel {
        /// The commune's team.
        Commune = "commune", "Tổ CNSCĐ cấp xã", "Commune team";
        /// A village's (or cluster's, street group's) team.
        Village = "village", "Tổ CNSCĐ thôn/tổ dân phố", "Village team";
    }
}

code_list! {
    /// A member's role in the team.
    MemberRole {
        /// Tổ trưởng (usually the village head).
        Leader = "leader", "Tổ trưởng", "Leader";
        /// Tổ phó.
        Deputy = "deputy", "Tổ phó", "Deputy";
        /// Thành viên.
        Member = "member", "Thành viên", "Member";
    }
}

code_list! {
    /// The organisation a member comes from.
    Affiliation {
        /// Đoàn thanh niên.
        YouthUnion = "youth_union", "Đoàn thanh niên", "Youth union";
        /// Hội liên hiệp phụ nữ.
        WomensUnion = "womens_union", "Hội phụ nữ", "Women's union";
        /// Chi bộ.
        PartyCell = "party_cell", "Chi bộ", "Party cell";
        /// Công an.
        Police = "police", "Công an", "Police";
        /// Giáo viên.
        Teacher = "teacher", "Giáo viên", "Teacher";
        /// Khác.
        Other = "other", "Khác", "Other";
    }
}

code_list! {
    /// A training or outreach event.
    OutreachKind {
        /// Tập huấn.
        Training = "training", "Tập huấn", "Training";
        /// Hội nghị.
        Conference = "conference", "Hội nghị", "Conference";
        /// Pano, áp phích.
        Billboard = "billboard", "Pano, áp phích", "Billboard";
        /// Phát trên loa truyền thanh.
        Loudspeaker = "loudspeaker", "Phát thanh trên loa", "Loudspeaker broadcast";
    }
}

/// Why a team input is refused. People read [`TeamError::message`]; the `Display` text is
/// English for logs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TeamError {
    /// Not one of the accepted codes.
    #[error("unknown value: \"{0}\" ({1})")]
    Unknown(String, String),
    /// A required text is missing or too long.
    #[error("required, at most {0} characters")]
    Text(usize),
    /// Attendance out of range.
    #[error("attendance must be 0–100000")]
    Attendance,
}

impl TeamError {
    /// The refusal as a catalogue key with its arguments.
    pub fn message(&self) -> Message {
        match self {
            TeamError::Unknown(value, accepted) => Message::new(
                "teams-value-unknown",
                &[("value", value), ("accepted", accepted)],
            ),
            TeamError::Text(max) => Message::new("teams-text-required", &[("max", max)]),
            TeamError::Attendance => Message::new("teams-attendance-range", &[]),
        }
    }
}

/// Checks a required text of at most `max` characters (not bytes: "ộ" is one).
pub fn required_text(text: &str, max: usize) -> Result<String, TeamError> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > max {
        Err(TeamError::Text(max))
    } else {
        Ok(text.to_owned())
    }
}

/// Checks an attendance figure.
pub fn check_attendance(attendance: i64) -> Result<i64, TeamError> {
    if (0..=100_000).contains(&attendance) {
        Ok(attendance)
    } else {
        Err(TeamError::Attendance)
    }
}

/// The counter key of outreach events of a kind.
pub fn outreach_key(kind: OutreachKind) -> String {
    format!("outreach:{}", kind.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_refusals_name_the_choices() {
        for kind in OutreachKind::ALL {
            assert_eq!(OutreachKind::parse(kind.as_str()), Ok(*kind));
        }
        assert_eq!(MemberRole::parse(" deputy "), Ok(MemberRole::Deputy));
        let err = Affiliation::parse("army").unwrap_err().to_string();
        assert!(err.contains("youth_union") && err.contains("army"), "{err}");
        assert_eq!(TeamLevel::Village.label_vi(), "Tổ CNSCĐ thôn/tổ dân phố");
    }

    #[test]
    fn texts_count_characters() {
        assert!(required_text("  ", 10).is_err());
        assert_eq!(required_text(" Tổ CNSCĐ ", 8), Ok("Tổ CNSCĐ".to_owned()));
        assert!(required_text("Tổ CNSCĐ thôn", 8).is_err());
        assert!(check_attendance(-1).is_err() && check_attendance(120).is_ok());
    }
}

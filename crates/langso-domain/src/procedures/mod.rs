//! Administrative procedures (thủ tục hành chính), their versions, and the places where a QR
//! code points residents to their guides.
//!
//! A procedure has a national code (`1.001193`); its content (steps, documents, fees, where to
//! file) changes over time, so each change is a new [`ProcedureContent`] version with its
//! effective date, and the old ones are kept. Fees are quoted verbatim from the source, and a
//! fee is never shown without its exemptions ([`ProcedureContent::fee_lines`]).

mod placement;

pub use placement::*;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// The national public-service portal's page for a procedure, by code.
pub const PORTAL_PROCEDURE_URL: &str =
    "https://dichvucong.gov.vn/p/home/dvc-chi-tiet-thu-tuc-hanh-chinh.html?ma_thu_tuc=";

/// A national procedure code: digits, a dot, six digits (`1.001193`, `2.000815`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ProcedureCode(String);

impl ProcedureCode {
    /// Parses a code as printed on the national portal.
    pub fn parse(text: &str) -> Result<Self, ProcedureError> {
        let text = text.trim();
        let valid = match text.split_once('.') {
            Some((head, tail)) => {
                !head.is_empty()
                    && head.len() <= 2
                    && head.bytes().all(|b| b.is_ascii_digit())
                    && tail.len() == 6
                    && tail.bytes().all(|b| b.is_ascii_digit())
            }
            None => false,
        };
        if valid {
            Ok(ProcedureCode(text.to_owned()))
        } else {
            Err(ProcedureError::BadCode(text.to_owned()))
        }
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The "file online" link: the procedure's page on the national portal.
    pub fn portal_url(&self) -> String {
        format!("{PORTAL_PROCEDURE_URL}{}", self.0)
    }
}

impl std::fmt::Display for ProcedureCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where a resident can file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// The commune's one-stop office (bộ phận một cửa, UBND xã).
    OneStop,
    /// The national public-service portal (dichvucong.gov.vn).
    Portal,
    /// The VNeID app (level 2 e-ID for the linked services).
    Vneid,
}

impl Channel {
    /// Every channel, in the order guides list them.
    pub const ALL: [Channel; 3] = [Channel::OneStop, Channel::Portal, Channel::Vneid];

    /// The name used in files and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::OneStop => "one_stop",
            Channel::Portal => "portal",
            Channel::Vneid => "vneid",
        }
    }

    /// Parses [`Channel::as_str`].
    pub fn parse(text: &str) -> Result<Self, ProcedureError> {
        let text = text.trim();
        Channel::ALL
            .into_iter()
            .find(|c| c.as_str() == text)
            .ok_or_else(|| ProcedureError::BadChannel(text.to_owned()))
    }
}

/// The content of one version of a procedure guide. Lists are kept in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ProcedureContent {
    /// Official Vietnamese name ("Đăng ký khai sinh").
    pub name_vi: String,
    /// English name ("Birth registration").
    pub name_en: String,
    /// Short steps, Vietnamese.
    pub steps_vi: Vec<String>,
    /// The same steps in English (may be empty: the page then shows the Vietnamese).
    pub steps_en: Vec<String>,
    /// Documents to bring, Vietnamese.
    pub documents_vi: Vec<String>,
    /// The fee, quoted verbatim from the source (Vietnamese).
    pub fee_vi: String,
    /// Exemptions from the fee, quoted verbatim; shown wherever the fee is.
    pub exemptions_vi: Option<String>,
    /// Processing time, Vietnamese.
    pub processing_time_vi: String,
    /// Processing time, English.
    pub processing_time_en: String,
    /// Where to file.
    pub channels: Vec<Channel>,
    /// Legal basis (laws, decrees, circulars).
    pub legal_basis: String,
    /// The linked VNeID service, Vietnamese (birth and death registration).
    pub vneid_service_vi: Option<String>,
    /// The linked VNeID service, English.
    pub vneid_service_en: Option<String>,
    /// Related procedures, as quoted in the source.
    pub related: Option<String>,
}

impl ProcedureContent {
    /// Every problem with this content, as (field, problem). Empty when valid.
    pub fn problems(&self) -> Vec<(&'static str, ProcedureError)> {
        let mut out = Vec::new();
        let required = [
            ("name_vi", &self.name_vi),
            ("name_en", &self.name_en),
            ("fee_vi", &self.fee_vi),
            ("processing_time_vi", &self.processing_time_vi),
            ("legal_basis", &self.legal_basis),
        ];
        for (field, value) in required {
            if value.trim().is_empty() {
                out.push((field, ProcedureError::Missing(field)));
            }
        }
        if self.steps_vi.iter().all(|s| s.trim().is_empty()) {
            out.push(("steps_vi", ProcedureError::Missing("steps_vi")));
        }
        if !self.steps_en.is_empty() && self.steps_en.len() != self.steps_vi.len() {
            out.push(("steps_en", ProcedureError::StepsMismatch));
        }
        if self.channels.is_empty() {
            out.push(("channels", ProcedureError::Missing("channels")));
        }
        if self.channels.contains(&Channel::Vneid) && self.vneid_service_vi.is_none() {
            out.push((
                "vneid_service_vi",
                ProcedureError::Missing("vneid_service_vi"),
            ));
        }
        out
    }

    /// The fee as printed: the verbatim fee, then its exemptions if any. Use this, never
    /// `fee_vi` alone, so a fee is never shown without the exemptions.
    pub fn fee_lines(&self) -> Vec<String> {
        let mut lines = vec![self.fee_vi.trim().to_owned()];
        if let Some(exemptions) = self
            .exemptions_vi
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty())
        {
            lines.push(exemptions.to_owned());
        }
        lines
    }
}

/// One stored version of a procedure's guide.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProcedureVersion {
    /// This version's id.
    pub id: Uuid,
    /// The procedure's id (stable across versions).
    pub procedure_id: Uuid,
    /// The national code.
    pub code: ProcedureCode,
    /// 1, 2, 3… per procedure.
    pub version: i64,
    /// The first day this version is in force.
    pub effective_from: Date,
    /// What the guide says.
    pub content: ProcedureContent,
    /// Why this version was made (officers' history).
    pub note: Option<String>,
    /// When it was recorded.
    pub created_at: OffsetDateTime,
}

/// Why a procedure or a placement is refused. People read [`ProcedureError::message`]; the
/// `Display` text is English for logs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProcedureError {
    /// Not a national procedure code.
    #[error("invalid procedure code (like 1.001193): \"{0}\"")]
    BadCode(String),
    /// Unknown filing channel.
    #[error("unknown channel (one_stop, portal, vneid): \"{0}\"")]
    BadChannel(String),
    /// Unknown place kind.
    #[error("unknown place kind: \"{0}\"")]
    BadPlaceKind(String),
    /// A required field is empty.
    #[error("required: {0}")]
    Missing(&'static str),
    /// English steps do not match the Vietnamese ones.
    #[error("English steps must match the Vietnamese steps one for one")]
    StepsMismatch,
    /// Coordinates outside Vietnam.
    #[error("coordinates outside Vietnam")]
    OutsideVietnam,
    /// Only one of latitude and longitude.
    #[error("give both latitude and longitude")]
    HalfCoordinates,
}

impl ProcedureError {
    /// The refusal as a catalogue key with its arguments.
    pub fn message(&self) -> crate::Message {
        use crate::Message;
        match self {
            ProcedureError::BadCode(value) => {
                Message::new("procedures-code-invalid", &[("value", value)])
            }
            ProcedureError::BadChannel(value) => {
                Message::new("procedures-channel-unknown", &[("value", value)])
            }
            ProcedureError::BadPlaceKind(value) => {
                Message::new("procedures-place-kind-unknown", &[("value", value)])
            }
            ProcedureError::Missing(field) => {
                Message::new("procedures-field-required", &[("field", field)])
            }
            ProcedureError::StepsMismatch => Message::new("procedures-steps-mismatch", &[]),
            ProcedureError::OutsideVietnam => Message::new("procedures-outside-vietnam", &[]),
            ProcedureError::HalfCoordinates => Message::new("procedures-half-coordinates", &[]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_parse_and_link_to_the_portal() {
        let code = ProcedureCode::parse(" 1.001193 ").unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(
            code.portal_url(),
            "https://dichvucong.gov.vn/p/home/dvc-chi-tiet-thu-tuc-hanh-chinh.html?ma_thu_tuc=1.001193"
        );
        for bad in [
            "",
            "1001193",
            "1.00119",
            "a.001193",
            "1.0011933",
            "123.001193",
        ] {
            assert!(ProcedureCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_fee_always_comes_with_its_exemptions() {
        let content = ProcedureContent {
            fee_vi: "8.000 đồng".to_owned(),
            exemptions_vi: Some("Miễn cho hộ nghèo".to_owned()),
            ..ProcedureContent::default()
        };
        assert_eq!(content.fee_lines(), vec!["8.000 đồng", "Miễn cho hộ nghèo"]);
        let problems: Vec<_> = content.problems().into_iter().map(|(f, _)| f).collect();
        assert!(problems.contains(&"name_vi") && problems.contains(&"steps_vi"));
    }
}

//! Assets: cameras, solar and grid street lights, wifi points, loudspeakers, billboards; who paid
//! for them and who keeps them; the status readings devices send, and the alarms they raise.
//!
//! Kinds, place types, funding and statuses are closed lists here so that the API, the import
//! and the database agree; a new kind is one line in [`AssetKind::ALL`].

mod payload;
mod telemetry;

pub use payload::*;
pub use telemetry::*;

use serde::{Deserialize, Serialize};

/// Why an asset input is refused. People read [`AssetError::message`]; the `Display` text is
/// English for logs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AssetError {
    /// Not a known kind.
    #[error("unknown asset kind: \"{0}\"")]
    BadKind(String),
    /// Not a known place type.
    #[error("unknown place type: \"{0}\"")]
    BadPlace(String),
    /// Not a known funding source.
    #[error("unknown funding: \"{0}\"")]
    BadFunding(String),
    /// Not a known status.
    #[error("unknown status: \"{0}\"")]
    BadStatus(String),
    /// Not a known lamp type.
    #[error("unknown lamp type: \"{0}\"")]
    BadLamp(String),
    /// A bad asset code.
    #[error("an asset code needs 3–40 characters of A-Z, 0-9, -")]
    BadCode,
    /// A reading that cannot be used: which value is out of its range (a data code such as
    /// `battery 0–100`, shown as it is).
    #[error("bad reading: {0}")]
    BadReading(&'static str),
    /// A reading's time too far ahead of the server's clock ([`MAX_CLOCK_AHEAD`]).
    #[error("reading time more than 5 minutes ahead of the server")]
    ClockAhead,
    /// A reading's time older than [`MAX_READING_AGE`].
    #[error("reading time older than 30 days")]
    TooOld,
}

impl AssetError {
    /// The refusal as a catalogue key with its arguments.
    pub fn message(&self) -> crate::Message {
        use crate::Message;
        match self {
            AssetError::BadKind(value) => Message::new("assets-kind-unknown", &[("value", value)]),
            AssetError::BadPlace(value) => {
                Message::new("assets-place-unknown", &[("value", value)])
            }
            AssetError::BadFunding(value) => {
                Message::new("assets-funding-unknown", &[("value", value)])
            }
            AssetError::BadStatus(value) => {
                Message::new("assets-status-unknown", &[("value", value)])
            }
            AssetError::BadLamp(value) => Message::new("assets-lamp-unknown", &[("value", value)]),
            AssetError::BadCode => Message::new("assets-code-invalid", &[]),
            AssetError::BadReading(what) => {
                Message::new("assets-reading-invalid", &[("what", what)])
            }
            AssetError::ClockAhead => Message::new(
                "assets-reading-ahead",
                &[("minutes", &MAX_CLOCK_AHEAD.whole_minutes())],
            ),
            AssetError::TooOld => Message::new(
                "assets-reading-too-old",
                &[("days", &MAX_READING_AGE.whole_days())],
            ),
        }
    }
}

macro_rules! closed_list {
    ($(#[$meta:meta])* $name:ident, $error:ident, [$($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)?]) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name used in files, the API and the database.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// Parses [`Self::as_str`] (surrounding spaces ignored).
            pub fn parse(text: &str) -> Result<Self, AssetError> {
                let text = text.trim();
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == text)
                    .ok_or_else(|| AssetError::$error(text.to_owned()))
            }
        }
    };
}

closed_list!(
    /// What an asset is.
    AssetKind, BadKind, [
        /// Camera an ninh.
        Camera = "camera",
        /// Đèn năng lượng mặt trời.
        SolarLight = "solar_light",
        /// Đèn đường lưới điện.
        GridLight = "grid_light",
        /// Điểm wifi miễn phí.
        Wifi = "wifi",
        /// Loa truyền thanh.
        Loudspeaker = "loudspeaker",
        /// Pano tuyên truyền.
        Billboard = "billboard",
    ]
);

closed_list!(
    /// Where an asset stands.
    PlaceType, BadPlace, [
        /// Ngã tư, ngã ba.
        Intersection = "intersection",
        /// Trục đường chính.
        MainRoad = "main_road",
        /// Trong xóm.
        Hamlet = "hamlet",
        /// Ngõ.
        Alley = "alley",
        /// Nhà văn hóa.
        CulturalHouse = "cultural_house",
    ]
);

closed_list!(
    /// Who paid for an asset.
    Funding, BadFunding, [
        /// Ngân sách nhà nước.
        StateBudget = "state_budget",
        /// Xã hội hóa: residents and businesses together; contributors are listed.
        Community = "community",
        /// One household.
        Household = "household",
        /// A company.
        Company = "company",
    ]
);

closed_list!(
    /// The register's status of an asset (what people decided, not what the device says).
    AssetStatus, BadStatus, [
        /// In service.
        Active = "active",
        /// Known broken, waiting for repair or replacement.
        Broken = "broken",
        /// Taken out of service; no longer counted.
        Retired = "retired",
    ]
);

closed_list!(
    /// What lamp a light carries: households replace broken old bulbs with solar ones.
    LampType, BadLamp, [
        /// Bóng sợi đốt / compact: the old bulbs.
        OldBulb = "old_bulb",
        /// LED on the grid.
        Led = "led",
        /// Solar lamp with its own panel and battery.
        Solar = "solar",
    ]
);

impl AssetKind {
    /// Whether the kind carries a lamp (and so a lamp type and replacements).
    pub fn is_light(self) -> bool {
        matches!(self, AssetKind::SolarLight | AssetKind::GridLight)
    }

    /// The code part used in generated asset codes (`09805-T01-CAM-001`).
    pub fn code_part(self) -> &'static str {
        match self {
            AssetKind::Camera => "CAM",
            AssetKind::SolarLight => "SOL",
            AssetKind::GridLight => "DEN",
            AssetKind::Wifi => "WIFI",
            AssetKind::Loudspeaker => "LOA",
            AssetKind::Billboard => "PANO",
        }
    }

    /// How often a device of this kind reports by default, in seconds (0: it does not).
    pub fn default_heartbeat_seconds(self) -> i64 {
        match self {
            AssetKind::Camera | AssetKind::Wifi => 60,
            AssetKind::SolarLight | AssetKind::GridLight => 300,
            AssetKind::Loudspeaker | AssetKind::Billboard => 0,
        }
    }

    /// The `unit_counters` key this kind is counted under.
    pub fn counter_key(self) -> String {
        format!("asset:{}", self.as_str())
    }
}

/// The `unit_counters` key of open (not cleared, not resolved) alarms.
pub const OPEN_ALARMS_KEY: &str = "alarm:open";

/// Checks and normalises an asset code: 3–40 characters of A–Z, 0–9 and `-`, upper-cased.
pub fn validate_code(code: &str) -> Result<String, AssetError> {
    let code = code.trim().to_uppercase();
    let ok = (3..=40).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
        && !code.starts_with('-');
    if ok {
        Ok(code)
    } else {
        Err(AssetError::BadCode)
    }
}

/// One contributor to a community-funded asset.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contributor {
    /// Name as it should be thanked ("Hộ ông Nguyễn Văn A", "Công ty X").
    pub name: String,
    /// Amount given, in đồng.
    pub amount_vnd: i64,
}

/// Distance in metres between two WGS84 points (haversine): to find the asset nearest a
/// reported fault.
pub fn distance_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    let r = 6_371_000.0_f64;
    let (lat1, lat2) = (a.0.to_radians(), b.0.to_radians());
    let dlat = (b.0 - a.0).to_radians();
    let dlon = (b.1 - a.1).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * r * h.sqrt().asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_round_trip() {
        for kind in AssetKind::ALL {
            assert_eq!(AssetKind::parse(kind.as_str()), Ok(*kind));
        }
        for place in PlaceType::ALL {
            assert_eq!(PlaceType::parse(place.as_str()), Ok(*place));
        }
        assert!(AssetKind::parse("drone").is_err());
        assert!(Funding::parse("community").is_ok());
        assert!(AssetKind::SolarLight.is_light());
        assert!(!AssetKind::Camera.is_light());
        assert_eq!(AssetKind::Camera.counter_key(), "asset:camera");
    }

    #[test]
    fn codes() {
        assert_eq!(
            validate_code(" 09805-t01-cam-001 "),
            Ok("09805-T01-CAM-001".to_owned())
        );
        assert!(validate_code("ab").is_err());
        assert!(validate_code("CAM 1").is_err());
        assert!(validate_code("-CAM").is_err());
    }

    #[test]
    fn distances() {
        let a = (21.0889, 105.6689);
        assert!(distance_m(a, a) < 0.001);
        // 0.0001° of latitude is about 11 m.
        let d = distance_m(a, (21.0890, 105.6689));
        assert!((10.0..12.5).contains(&d), "{d}");
    }
}

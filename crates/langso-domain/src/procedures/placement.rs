//! Placements: where a QR poster is put up, and the short token of its public URL.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{ProcedureCode, ProcedureError};

/// Where a QR poster is put up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    /// Nhà văn hóa thôn.
    CulturalHouse,
    /// Bộ phận một cửa of the commune.
    OneStopOffice,
    /// A market, a health station, a school gate…
    PublicPlace,
    /// Đầu ngõ: an alley entrance.
    AlleyEntrance,
    /// Pano: a billboard.
    Billboard,
}

impl PlaceKind {
    /// Every kind, in display order.
    pub const ALL: [PlaceKind; 5] = [
        PlaceKind::CulturalHouse,
        PlaceKind::OneStopOffice,
        PlaceKind::PublicPlace,
        PlaceKind::AlleyEntrance,
        PlaceKind::Billboard,
    ];

    /// The name used in files, the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            PlaceKind::CulturalHouse => "cultural_house",
            PlaceKind::OneStopOffice => "one_stop_office",
            PlaceKind::PublicPlace => "public_place",
            PlaceKind::AlleyEntrance => "alley_entrance",
            PlaceKind::Billboard => "billboard",
        }
    }

    /// Parses [`PlaceKind::as_str`].
    pub fn parse(text: &str) -> Result<Self, ProcedureError> {
        let text = text.trim();
        PlaceKind::ALL
            .into_iter()
            .find(|k| k.as_str() == text)
            .ok_or_else(|| ProcedureError::BadPlaceKind(text.to_owned()))
    }
}

/// The letters of a placement token: no 0/O or 1/I, so a token read aloud or typed from a
/// poster is not mistaken.
pub const TOKEN_ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/// Length of a placement token (40 random bits).
pub const TOKEN_LEN: usize = 8;

/// A placement token from random bytes (the caller supplies the randomness).
pub fn token_from_random(random: u64) -> String {
    (0..TOKEN_LEN)
        .map(|i| TOKEN_ALPHABET[((random >> (5 * i)) & 31) as usize] as char)
        .collect()
}

/// Whether `text` could be a placement token (checked before any database lookup).
pub fn is_token(text: &str) -> bool {
    text.len() == TOKEN_LEN && text.bytes().all(|b| TOKEN_ALPHABET.contains(&b))
}

/// Checks a placement's coordinates: both or neither, and inside Vietnam's bounding box.
pub fn check_coordinates(
    latitude: Option<f64>,
    longitude: Option<f64>,
) -> Result<(), ProcedureError> {
    match (latitude, longitude) {
        (None, None) => Ok(()),
        (Some(lat), Some(lon)) if (8.0..=24.0).contains(&lat) && (102.0..=110.5).contains(&lon) => {
            Ok(())
        }
        (Some(_), Some(_)) => Err(ProcedureError::OutsideVietnam),
        _ => Err(ProcedureError::HalfCoordinates),
    }
}

/// A QR placement as stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Placement {
    /// Id (UUIDv7).
    pub id: Uuid,
    /// The short token of `/q/{token}`.
    pub token: String,
    /// The unit (usually a village) where it is posted.
    pub unit_id: Uuid,
    /// What kind of place.
    pub kind: PlaceKind,
    /// The place's name ("Nhà văn hóa thôn Tháp Thượng").
    pub label: String,
    /// Latitude (WGS84).
    pub latitude: Option<f64>,
    /// Longitude (WGS84).
    pub longitude: Option<f64>,
    /// False once the poster is taken down (its URL then shows the list of all guides).
    pub active: bool,
    /// When it was recorded.
    pub created_at: OffsetDateTime,
    /// The procedures it points to, in poster order.
    pub procedures: Vec<ProcedureCode>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_use_an_unambiguous_alphabet() {
        let token = token_from_random(0x0123_4567_89ab_cdef);
        assert!(is_token(&token), "{token}");
        assert!(!is_token("ABCD0123") && !is_token("ABC") && !is_token("abcdefgh"));
        for c in "0O1I".chars() {
            assert!(!TOKEN_ALPHABET.contains(&(c as u8)));
        }
    }

    #[test]
    fn coordinates_are_checked() {
        assert!(check_coordinates(Some(21.09), Some(105.67)).is_ok());
        assert!(check_coordinates(None, None).is_ok());
        assert_eq!(
            check_coordinates(Some(21.0), None),
            Err(ProcedureError::HalfCoordinates)
        );
        assert_eq!(
            check_coordinates(Some(48.8), Some(2.3)),
            Err(ProcedureError::OutsideVietnam)
        );
    }
}

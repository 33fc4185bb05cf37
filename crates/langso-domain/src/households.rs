//! Households and the digital-adoption indicators a door-to-door visit records.
//!
//! The programme counts households ("hộ gia đình"), not people: each has a head, a
//! representative who joins the village group, a number of members and of adults, and for each
//! indicator a current value (how many adults have VNeID level 2, whether the representative is
//! in the group, …). Values come only from visits, so the history explains every figure.

use serde::{Deserialize, Serialize};

/// How an indicator is measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorKind {
    /// Có / không (0 or 1).
    YesNo,
    /// How many of the household's adults (0 ..= adults).
    AdultCount,
    /// A count (0 ..= 50), e.g. smartphones.
    Count,
    /// A level (0, 1 or 2).
    Level,
}

impl IndicatorKind {
    /// The name used in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            IndicatorKind::YesNo => "yes_no",
            IndicatorKind::AdultCount => "adult_count",
            IndicatorKind::Count => "count",
            IndicatorKind::Level => "level",
        }
    }

    /// Parses the database name.
    pub fn parse(text: &str) -> Option<IndicatorKind> {
        [
            IndicatorKind::YesNo,
            IndicatorKind::AdultCount,
            IndicatorKind::Count,
            IndicatorKind::Level,
        ]
        .into_iter()
        .find(|k| k.as_str() == text)
    }

    /// Checks a value for a household with `adults` adults.
    pub fn check(self, value: i64, adults: i64) -> Result<i64, HouseholdError> {
        let max = match self {
            IndicatorKind::YesNo => 1,
            IndicatorKind::AdultCount => adults,
            IndicatorKind::Count => 50,
            IndicatorKind::Level => 2,
        };
        if (0..=max).contains(&value) {
            Ok(value)
        } else {
            Err(HouseholdError::OutOfRange { value, max })
        }
    }
}

/// One indicator of the catalogue (the seed of version 1; later versions are data).
#[derive(Clone, Copy, Debug)]
pub struct IndicatorSeed {
    /// Stable code.
    pub code: &'static str,
    /// How it is measured.
    pub kind: IndicatorKind,
    /// Vietnamese label.
    pub label_vi: &'static str,
    /// English label.
    pub label_en: &'static str,
    /// Vietnamese help text for the team member at the door.
    pub help_vi: &'static str,
    /// English help text.
    pub help_en: &'static str,
    /// Only for business households (shops, production).
    pub business_only: bool,
}

const fn seed(
    code: &'static str,
    kind: IndicatorKind,
    label_vi: &'static str,
    label_en: &'static str,
    help_vi: &'static str,
    help_en: &'static str,
    business_only: bool,
) -> IndicatorSeed {
    IndicatorSeed {
        code,
        kind,
        label_vi,
        label_en,
        help_vi,
        help_en,
        business_only,
    }
}

/// The indicators every province starts with (DOMAIN.md, "Facts that shape the data model").
pub const INDICATOR_SEEDS: [IndicatorSeed; 11] = [
    seed(
        "smartphones",
        IndicatorKind::Count,
        "Số điện thoại thông minh trong hộ",
        "Smartphones in the household",
        "Đếm cả máy của người đi làm xa nhưng vẫn ở trong hộ.",
        "Count phones of members living elsewhere who still belong to the household.",
        false,
    ),
    seed(
        "vneid_1",
        IndicatorKind::AdultCount,
        "Người lớn có VNeID mức 1",
        "Adults with VNeID level 1",
        "Tài khoản định danh điện tử mức 1 (tự đăng ký trên ứng dụng).",
        "E-ID account level 1 (self-registered in the app).",
        false,
    ),
    seed(
        "vneid_2",
        IndicatorKind::AdultCount,
        "Người lớn có VNeID mức 2",
        "Adults with VNeID level 2",
        "Mức 2: đã đăng ký tại công an, có vân tay; mở các dịch vụ liên thông.",
        "Level 2: registered at the police with fingerprints; unlocks linked services.",
        false,
    ),
    seed(
        "vssid",
        IndicatorKind::AdultCount,
        "Người lớn dùng VssID",
        "Adults using VssID",
        "Ứng dụng bảo hiểm xã hội số.",
        "The social-insurance app.",
        false,
    ),
    seed(
        "ehealth",
        IndicatorKind::AdultCount,
        "Người lớn có Sổ sức khỏe điện tử",
        "Adults with an e-health record",
        "Sổ sức khỏe điện tử trên VNeID.",
        "E-health record in VNeID.",
        false,
    ),
    seed(
        "dvc_account",
        IndicatorKind::AdultCount,
        "Người lớn có tài khoản Dịch vụ công quốc gia",
        "Adults with a national public-service account",
        "Đăng nhập được Cổng dịch vụ công quốc gia.",
        "Can log in to the national public-service portal.",
        false,
    ),
    seed(
        "epayment",
        IndicatorKind::AdultCount,
        "Người lớn có tài khoản thanh toán điện tử",
        "Adults with an e-payment account",
        "Tài khoản ngân hàng có ứng dụng, ví điện tử hoặc Mobile Money.",
        "A bank account with an app, an e-wallet or Mobile Money.",
        false,
    ),
    seed(
        "in_village_group",
        IndicatorKind::YesNo,
        "Đại diện hộ trong nhóm Zalo của thôn",
        "Representative in the village group",
        "Một đại diện mỗi hộ trong nhóm của thôn.",
        "One representative per household in the village group.",
        false,
    ),
    seed(
        "digital_address",
        IndicatorKind::YesNo,
        "Hộ có địa chỉ số",
        "Household has a digital address",
        "Địa chỉ số gắn với bản đồ số quốc gia.",
        "A digital address on the national digital map.",
        false,
    ),
    seed(
        "cashless",
        IndicatorKind::YesNo,
        "Nhận thanh toán không dùng tiền mặt",
        "Accepts cashless payment",
        "Cửa hàng có mã QR chuyển khoản hoặc ví điện tử.",
        "The shop shows a transfer QR code or takes an e-wallet.",
        true,
    ),
    seed(
        "sells_online",
        IndicatorKind::YesNo,
        "Bán hàng trực tuyến",
        "Sells online",
        "Bán trên sàn thương mại điện tử hoặc mạng xã hội.",
        "Sells on a marketplace or social network.",
        true,
    ),
];

/// Help a team member gives at the door (recorded with the visit).
pub const HELP_KINDS: [(&str, &str, &str); 8] = [
    ("installed_vneid", "Cài VNeID", "Installed VNeID"),
    (
        "vneid_level2",
        "Hướng dẫn lên VNeID mức 2",
        "Guided to VNeID level 2",
    ),
    (
        "opened_epayment",
        "Mở tài khoản thanh toán",
        "Opened an e-payment account",
    ),
    (
        "added_to_group",
        "Thêm vào nhóm thôn",
        "Added to the village group",
    ),
    ("installed_vssid", "Cài VssID", "Installed VssID"),
    (
        "ehealth",
        "Kích hoạt Sổ sức khỏe điện tử",
        "Activated the e-health record",
    ),
    (
        "dvc_account",
        "Tạo tài khoản Dịch vụ công",
        "Created a public-service account",
    ),
    (
        "digital_address",
        "Gắn địa chỉ số",
        "Set up a digital address",
    ),
];

/// Normalises a Vietnamese phone number: digits only, `+84`/`84` turned into a leading 0, and a
/// leading 0 put back when a spreadsheet stored the number as a number (9 digits starting with
/// 3, 5, 7, 8 or 9). Accepts mobiles (10 digits: 03, 05, 07, 08, 09) and landlines (11 digits
/// starting 02).
pub fn normalise_phone(text: &str) -> Result<String, HouseholdError> {
    let trimmed = text.trim();
    let mut digits: String = trimmed
        .trim_end_matches(".0")
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')' | '\u{a0}'))
        .collect();
    if let Some(rest) = digits
        .strip_prefix("+84")
        .or_else(|| digits.strip_prefix("0084"))
    {
        digits = format!("0{rest}");
    } else if digits.len() == 11 && digits.starts_with("84") {
        digits = format!("0{}", &digits[2..]);
    }
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(HouseholdError::BadPhone(trimmed.to_owned()));
    }
    if digits.len() == 9 && digits.starts_with(['3', '5', '7', '8', '9']) {
        digits.insert(0, '0');
    }
    let mobile = digits.len() == 10
        && digits.starts_with('0')
        && digits[1..].starts_with(['3', '5', '7', '8', '9']);
    let landline = digits.len() == 11 && digits.starts_with("02");
    if mobile || landline {
        Ok(digits)
    } else {
        Err(HouseholdError::BadPhone(trimmed.to_owned()))
    }
}

/// Checks a citizen-ID (CCCD) number: 12 digits.
pub fn validate_citizen_id(text: &str) -> Result<String, HouseholdError> {
    let digits: String = text.trim().chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() == 12 && digits.chars().all(|c| c.is_ascii_digit()) {
        Ok(digits)
    } else {
        Err(HouseholdError::BadCitizenId)
    }
}

/// Checks a household code: 1–30 letters, digits, `-`, `.`, `/` or `_`.
pub fn validate_household_code(text: &str) -> Result<String, HouseholdError> {
    let code = text.trim();
    let ok = (1..=30).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'/' | b'_'));
    if ok {
        Ok(code.to_owned())
    } else {
        Err(HouseholdError::BadCode(code.to_owned()))
    }
}

/// Why household data is refused. People read [`HouseholdError::message`]; the `Display` text
/// is English for logs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HouseholdError {
    /// Not a Vietnamese phone number.
    #[error("invalid phone number: \"{0}\"")]
    BadPhone(String),
    /// Not 12 digits.
    #[error("a citizen-ID number has 12 digits")]
    BadCitizenId,
    /// Bad household code.
    #[error("invalid household code: \"{0}\"")]
    BadCode(String),
    /// A value outside its range.
    #[error("value {value} outside 0–{max}")]
    OutOfRange {
        /// The value given.
        value: i64,
        /// The largest allowed.
        max: i64,
    },
}

impl HouseholdError {
    /// The refusal as a catalogue key with its arguments.
    pub fn message(&self) -> crate::Message {
        use crate::Message;
        match self {
            HouseholdError::BadPhone(value) => {
                Message::new("households-phone-invalid", &[("value", value)])
            }
            HouseholdError::BadCitizenId => Message::new("households-citizen-id-invalid", &[]),
            HouseholdError::BadCode(value) => {
                Message::new("households-code-invalid", &[("value", value)])
            }
            HouseholdError::OutOfRange { value, max } => Message::new(
                "households-value-out-of-range",
                &[("value", value), ("max", max)],
            ),
        }
    }
}

/// Values that cannot be true together, whatever each one's range: more adults with VNeID
/// level 2 than with level 1 (level 2 is an upgrade of level 1). `values` are a household's
/// values after the change; each refusal names the indicator to correct.
pub fn check_together(
    values: &std::collections::BTreeMap<String, i64>,
) -> Vec<(&'static str, crate::Message)> {
    let get = |code: &str| values.get(code).copied().unwrap_or(0);
    let mut refused = Vec::new();
    if get("vneid_2") > get("vneid_1") {
        refused.push((
            "vneid_2",
            crate::Message::new(
                "households-vneid2-above-vneid1",
                &[("level2", &get("vneid_2")), ("level1", &get("vneid_1"))],
            ),
        ));
    }
    refused
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_two_never_above_level_one() {
        let values = |pairs: &[(&str, i64)]| {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), *v))
                .collect::<std::collections::BTreeMap<_, _>>()
        };
        assert!(check_together(&values(&[("vneid_1", 2), ("vneid_2", 2)])).is_empty());
        assert!(check_together(&values(&[("smartphones", 3)])).is_empty());
        let refused = check_together(&values(&[("vneid_1", 1), ("vneid_2", 2)]));
        assert_eq!(refused.len(), 1);
        assert_eq!(refused[0].0, "vneid_2");
        assert_eq!(check_together(&values(&[("vneid_2", 1)])).len(), 1);
    }
    use proptest::prelude::*;

    #[test]
    fn phones_are_normalised() {
        assert_eq!(normalise_phone("0912 345 678"), Ok("0912345678".into()));
        assert_eq!(
            normalise_phone("912345678"),
            Ok("0912345678".into()),
            "Excel lost the 0"
        );
        assert_eq!(normalise_phone("912345678.0"), Ok("0912345678".into()));
        assert_eq!(normalise_phone("+84 912.345.678"), Ok("0912345678".into()));
        assert_eq!(normalise_phone("84912345678"), Ok("0912345678".into()));
        assert_eq!(normalise_phone("024 3825 1234"), Ok("02438251234".into()));
        assert!(normalise_phone("0123").is_err());
        assert!(normalise_phone("0112345678").is_err());
        assert!(normalise_phone("09123abc78").is_err());
    }

    #[test]
    fn values_respect_their_kind() {
        assert_eq!(IndicatorKind::AdultCount.check(2, 3), Ok(2));
        assert!(IndicatorKind::AdultCount.check(4, 3).is_err());
        assert!(IndicatorKind::YesNo.check(2, 3).is_err());
        assert!(IndicatorKind::Level.check(-1, 3).is_err());
        assert_eq!(
            validate_citizen_id("001 203 004 567"),
            Ok("001203004567".into())
        );
        assert!(validate_citizen_id("12345").is_err());
        assert!(validate_household_code("HM1-0012").is_ok());
        assert!(validate_household_code("hộ 1").is_err());
        let codes: std::collections::BTreeSet<_> = INDICATOR_SEEDS.iter().map(|s| s.code).collect();
        assert_eq!(codes.len(), INDICATOR_SEEDS.len());
    }

    proptest! {
        #[test]
        fn every_mobile_survives_excel(prefix in "[35789]", rest in "[0-9]{8}") {
            let number = format!("0{prefix}{rest}");
            let as_number = format!("{prefix}{rest}");
            prop_assert_eq!(normalise_phone(&as_number), Ok(number.clone()));
            prop_assert_eq!(normalise_phone(&number), Ok(number));
        }
    }
}

pub mod round;

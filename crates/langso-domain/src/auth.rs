//! Accounts and roles: who may do what, where.
//!
//! A user holds roles on units; each role covers the unit's whole subtree. The right to see
//! citizen-ID and phone numbers unmasked (`pii`) is granted separately from any role, because
//! the Personal Data Protection Law (91/2025/QH15) asks for the minimum exposure by default.

use serde::{Deserialize, Serialize};

/// A role held on a unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, including accounts and reorganisations, under its unit.
    Admin,
    /// A province or commune culture & information officer: people, teams, assets, accounts of
    /// the units below.
    Officer,
    /// Trưởng thôn: one village's households, visits, groups, announcements.
    VillageHead,
    /// Tổ CNSCĐ member: visits households of one village.
    TeamMember,
    /// Read-only dashboards: no people's data.
    Viewer,
}

/// What an action needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permission {
    /// Read figures and dashboards.
    ReadDashboard,
    /// Read people's data (households, members, visits).
    ReadPeople,
    /// Change people's data and the programme's records.
    WritePeople,
    /// Export lists of people's data.
    ExportPeople,
    /// Read the audit log.
    ReadAudit,
    /// Create and manage accounts and API tokens.
    ManageAccounts,
    /// Change the administrative tree.
    ManageUnits,
    /// Put up, take down and print QR placements (posters) under a unit.
    ManagePlacements,
    /// Publish new versions of procedure guides: the catalogue is shared by every unit, so
    /// this needs the permission on a province.
    ManageCatalogue,
    // --- teams, criteria ---
    /// Run the programme: digital teams, outreach, smart-village proposals and, held on a
    /// province, criteria sets and recognition decisions.
    ManageProgramme,
    // --- comms ---
    /// Approve an announcement that goes beyond one village (officers and administrators).
    ApproveAnnouncements,
}

impl Role {
    /// Every role, most powerful first.
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Officer,
        Role::VillageHead,
        Role::TeamMember,
        Role::Viewer,
    ];

    /// The name used in files, the CLI and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Officer => "officer",
            Role::VillageHead => "village_head",
            Role::TeamMember => "team_member",
            Role::Viewer => "viewer",
        }
    }

    /// Parses a role name.
    pub fn parse(text: &str) -> Result<Role, AuthError> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == text.trim())
            .ok_or_else(|| AuthError::UnknownRole(text.trim().to_owned()))
    }

    /// Whether this role carries `permission` (within its unit's subtree).
    pub fn allows(self, permission: Permission) -> bool {
        use Permission::*;
        match self {
            Role::Admin => true,
            Role::Officer => !matches!(permission, ManageUnits | ManageCatalogue),
            Role::VillageHead => matches!(
                permission,
                ReadDashboard | ReadPeople | WritePeople | ExportPeople | ReadAudit
            ),
            Role::TeamMember => matches!(permission, ReadDashboard | ReadPeople | WritePeople),
            Role::Viewer => matches!(permission, ReadDashboard),
        }
    }

    /// Whether a holder of this role may grant `other` (never more than it has itself).
    pub fn may_grant(self, other: Role) -> bool {
        match self {
            Role::Admin => true,
            Role::Officer => other != Role::Admin,
            _ => false,
        }
    }
}

/// Checks a login name: 3–64 characters of a–z, 0–9, `.`, `_`, `-`; returned lower-cased.
pub fn validate_login(login: &str) -> Result<String, AuthError> {
    let login = login.trim().to_lowercase();
    let ok = (3..=64).contains(&login.len())
        && login.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
        });
    if ok {
        Ok(login)
    } else {
        Err(AuthError::BadLogin)
    }
}

/// Checks a new password: 10–200 characters (not bytes: "mật khẩu" counts 8).
pub fn validate_password(password: &str) -> Result<(), AuthError> {
    let chars = password.chars().count();
    if (10..=200).contains(&chars) {
        Ok(())
    } else {
        Err(AuthError::WeakPassword)
    }
}

/// Masks a personal number (phone, citizen ID) for people without the `pii` right: keeps the
/// first three and last two digits, hides the rest ("0912345678" → "091*****78"). The one
/// masking function every page, API answer and export uses.
pub fn mask_personal(value: &str) -> String {
    let chars: Vec<char> = value.trim().chars().collect();
    if chars.len() <= 5 {
        return "*".repeat(chars.len());
    }
    let hidden = chars.len() - 5;
    chars[..3]
        .iter()
        .chain(std::iter::repeat_n(&'*', hidden))
        .chain(chars[chars.len() - 2..].iter())
        .collect()
}

/// Why an account input is refused. People read [`AuthError::message`]; the `Display` text is
/// English for logs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// Not one of [`Role::ALL`].
    #[error("unknown role: \"{0}\" (admin, officer, village_head, team_member, viewer)")]
    UnknownRole(String),
    /// Bad login name.
    #[error("a login needs 3–64 characters of a-z, 0-9, . _ -")]
    BadLogin,
    /// Too short or too long.
    #[error("a password needs 10–200 characters")]
    WeakPassword,
}

impl AuthError {
    /// The refusal as a catalogue key with its arguments.
    pub fn message(&self) -> crate::Message {
        use crate::Message;
        match self {
            AuthError::UnknownRole(value) => Message::new("auth-role-unknown", &[("value", value)]),
            AuthError::BadLogin => Message::new("auth-login-invalid", &[]),
            AuthError::WeakPassword => Message::new("auth-password-length", &[]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn roles_round_trip_and_nest() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        assert!(Role::parse("root").is_err());
        assert!(Role::Officer.allows(Permission::WritePeople));
        assert!(!Role::Officer.allows(Permission::ManageUnits));
        assert!(!Role::Viewer.allows(Permission::ReadPeople));
        assert!(!Role::TeamMember.allows(Permission::ExportPeople));
        assert!(Role::Officer.may_grant(Role::VillageHead));
        assert!(!Role::Officer.may_grant(Role::Admin));
        assert!(!Role::VillageHead.may_grant(Role::TeamMember));
    }

    #[test]
    fn logins_and_passwords() {
        assert_eq!(
            validate_login(" Truong.Thon-01 "),
            Ok("truong.thon-01".to_owned())
        );
        assert!(validate_login("ab").is_err());
        assert!(validate_login("trưởng thôn").is_err());
        assert!(validate_password("mật khẩu dài").is_ok());
        assert!(validate_password("ngắn").is_err());
    }

    #[test]
    fn masks_phone_and_citizen_numbers() {
        assert_eq!(mask_personal("0912345678"), "091*****78");
        assert_eq!(mask_personal("001203004567"), "001*******67");
        assert_eq!(mask_personal("123"), "***");
    }

    proptest! {
        #[test]
        fn masking_hides_the_middle_and_keeps_the_length(value in "[0-9]{6,15}") {
            let masked = mask_personal(&value);
            prop_assert_eq!(masked.chars().count(), value.len());
            prop_assert_eq!(&masked[..3], &value[..3]);
            prop_assert_eq!(&masked[masked.len() - 2..], &value[value.len() - 2..]);
            prop_assert!(masked[3..masked.len() - 2].chars().all(|c| c == '*'));
        }
    }
}

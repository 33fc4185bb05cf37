//! The phones holding a copy of a member's offline round, as the account page and the user's
//! admin page list them (`templates/device_list.html`): the same list on both, with "forget"
//! on one's own account and "revoke" for an officer.

use langso_app::households::offline::Device;

use super::Chrome;

/// One phone, in the reader's words.
pub struct DeviceLine {
    /// The phone's id.
    pub id: String,
    /// From its User-Agent ("Android · Chrome").
    pub label: String,
    /// When it last took a copy (empty: never).
    pub last_pack: String,
    /// When it last synced (empty: never).
    pub last_sync: String,
    /// Revoked: the phone deletes its copy when it next asks.
    pub revoked: bool,
}

/// The lines of `devices`.
pub fn device_lines(chrome: &Chrome, devices: &[Device]) -> Vec<DeviceLine> {
    devices
        .iter()
        .map(|d| DeviceLine {
            id: d.id.to_string(),
            label: d.label.clone(),
            last_pack: d
                .last_pack_at
                .map(|at| chrome.minute(at))
                .unwrap_or_default(),
            last_sync: d
                .last_sync_at
                .map(|at| chrome.minute(at))
                .unwrap_or_default(),
            revoked: d.revoked_at.is_some(),
        })
        .collect()
}

//! Status readings from devices and what they change: the latest state per device, a ledger
//! row only when the status changes, and the alarms a fault raises or clears.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::AssetError;

/// Readings one request may carry.
pub const MAX_READINGS: usize = 500;

/// One status reading, as a device sends it over HTTP or MQTT.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reading {
    /// The asset's code (may be left out over MQTT, where the topic names it, or with a token
    /// bound to one device).
    #[serde(default)]
    pub asset: String,
    /// When it was measured (UTC, RFC 3339); the server's time of arrival when absent.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub at: Option<OffsetDateTime>,
    /// Whether the device works (a device reporting `false` is up but out of service).
    #[serde(default = "yes")]
    pub online: bool,
    /// Battery charge, 0–100 %.
    #[serde(default)]
    pub battery: Option<i64>,
    /// Whether the lamp is lit.
    #[serde(default)]
    pub lamp_on: Option<bool>,
    /// A fault code reported by the device ("E12"); none or empty when healthy.
    #[serde(default)]
    pub fault: Option<String>,
    /// Wifi clients connected.
    #[serde(default)]
    pub clients: Option<i64>,
}

fn yes() -> bool {
    true
}

impl Reading {
    /// Checks ranges and trims the fault code (empty means none).
    pub fn normalise(mut self) -> Result<Reading, AssetError> {
        if self.battery.is_some_and(|b| !(0..=100).contains(&b)) {
            return Err(AssetError::BadReading("battery 0–100"));
        }
        if self.clients.is_some_and(|c| !(0..=100_000).contains(&c)) {
            return Err(AssetError::BadReading("clients ≥ 0"));
        }
        self.fault = self
            .fault
            .map(|f| f.trim().to_owned())
            .filter(|f| !f.is_empty());
        if self
            .fault
            .as_ref()
            .is_some_and(|f| f.len() > 32 || !f.bytes().all(|b| b.is_ascii_graphic()))
        {
            return Err(AssetError::BadReading("fault: 1–32 printable ASCII"));
        }
        self.asset = self.asset.trim().to_uppercase();
        Ok(self)
    }
}

/// The latest state of a device: one row per device, replaced by each reading.
#[derive(Clone, Debug, PartialEq)]
pub struct DeviceState {
    /// Reported working.
    pub online: bool,
    /// Battery %.
    pub battery: Option<i64>,
    /// Lamp lit.
    pub lamp_on: Option<bool>,
    /// Current fault code.
    pub fault: Option<String>,
    /// Wifi clients.
    pub clients: Option<i64>,
    /// When the last reading was measured.
    pub last_seen_at: OffsetDateTime,
    /// Readings received in all.
    pub heartbeats: i64,
    /// Declared silent by the offline detector (an offline alarm is open).
    pub silent: bool,
}

impl DeviceState {
    /// The status the ledger records: `silent`, `down` (reported not working), `fault:<code>`
    /// or `ok`.
    pub fn status(&self) -> String {
        if self.silent {
            "silent".to_owned()
        } else if !self.online {
            "down".to_owned()
        } else if let Some(fault) = &self.fault {
            format!("fault:{fault}")
        } else {
            "ok".to_owned()
        }
    }
}

/// What a reading did besides replacing the state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Effects {
    /// The status changed: (old, new) for the ledger (old is `None` for a first reading).
    pub change: Option<(Option<String>, String)>,
    /// A fault code appeared or changed: raise a fault alarm with it.
    pub raise_fault: Option<String>,
    /// The fault went away or changed: clear the open fault alarm.
    pub clear_fault: bool,
    /// The device was silent and speaks again: clear its offline alarm.
    pub clear_offline: bool,
}

/// Applies a reading to the previous state. A reading older than the state counts as a
/// heartbeat but changes nothing else (devices resend buffered readings out of order).
pub fn apply(
    previous: Option<&DeviceState>,
    reading: &Reading,
    at: OffsetDateTime,
) -> (DeviceState, Effects) {
    let mut effects = Effects::default();
    if let Some(prev) = previous
        && at < prev.last_seen_at
    {
        let mut kept = prev.clone();
        kept.heartbeats += 1;
        return (kept, effects);
    }
    let next = DeviceState {
        online: reading.online,
        battery: reading.battery,
        lamp_on: reading.lamp_on,
        fault: reading.fault.clone(),
        clients: reading.clients,
        last_seen_at: at,
        heartbeats: previous.map_or(0, |p| p.heartbeats) + 1,
        silent: false,
    };
    let old_status = previous.map(DeviceState::status);
    let new_status = next.status();
    if old_status.as_deref() != Some(new_status.as_str()) {
        effects.change = Some((old_status, new_status));
    }
    let old_fault = previous.and_then(|p| p.fault.clone());
    if old_fault != next.fault {
        effects.clear_fault = old_fault.is_some();
        effects.raise_fault = next.fault.clone();
    }
    effects.clear_offline = previous.is_some_and(|p| p.silent);
    (next, effects)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reading(fault: Option<&str>) -> Reading {
        Reading {
            asset: "x".into(),
            at: None,
            online: true,
            battery: Some(80),
            lamp_on: None,
            fault: fault.map(str::to_owned),
            clients: None,
        }
    }

    #[test]
    fn only_changes_reach_the_ledger_and_faults_raise_and_clear() {
        let t0 = OffsetDateTime::UNIX_EPOCH;
        let (s1, e1) = apply(None, &reading(None), t0);
        assert_eq!(e1.change, Some((None, "ok".to_owned())));
        let (s2, e2) = apply(Some(&s1), &reading(None), t0 + time::Duration::SECOND);
        assert_eq!(e2, Effects::default());
        assert_eq!(s2.heartbeats, 2);
        let (s3, e3) = apply(
            Some(&s2),
            &reading(Some("E12")),
            t0 + time::Duration::MINUTE,
        );
        assert_eq!(e3.raise_fault.as_deref(), Some("E12"));
        assert!(!e3.clear_fault);
        let (s4, e4) = apply(Some(&s3), &reading(None), t0 + time::Duration::HOUR);
        assert!(e4.clear_fault && e4.raise_fault.is_none());
        let silent = DeviceState { silent: true, ..s4 };
        let (_, e5) = apply(Some(&silent), &reading(None), t0 + time::Duration::DAY);
        assert!(e5.clear_offline);
        assert_eq!(e5.change, Some((Some("silent".into()), "ok".into())));
        let (old, e6) = apply(Some(&silent), &reading(Some("E1")), t0);
        assert!(old.silent && e6 == Effects::default());
    }

    #[test]
    fn readings_are_checked() {
        let mut r = reading(Some("  "));
        r.asset = " cam-1 ".into();
        let r = r.normalise().unwrap_or_else(|_| reading(Some("bad")));
        assert_eq!((r.asset.as_str(), r.fault), ("CAM-1", None));
        let mut bad = reading(None);
        bad.battery = Some(140);
        assert!(bad.normalise().is_err());
    }
}

//! What a node knows of the alerts in memory: the open alerts as last read from the database
//! (refreshed after each check and at most every few seconds on demand, so a banner costs no
//! query on most pages), the units at the top of the tree, the figures of its last check, the
//! MQTT subscriber's link, and a database outage the node could not write down.

use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use langso_domain::auth::Role;
use langso_domain::ops::{Condition, Facts};
use langso_store::ops::AlertRow;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Actor, Db};

/// How long the open alerts read from the database are trusted for banners and metrics.
const FRESH: Duration = Duration::from_secs(5);

/// One alert as pages and metrics see it.
#[derive(Clone, Debug, PartialEq)]
pub struct Alert {
    /// What went wrong.
    pub condition: Condition,
    /// Where: a path, a file, a node, a broker's address, `webhooks` or `messages`.
    pub subject: String,
    /// First seen.
    pub opened_at: OffsetDateTime,
    /// Seen at the latest check.
    pub last_seen_at: OffsetDateTime,
    /// Cleared, for past alerts.
    pub resolved_at: Option<OffsetDateTime>,
    /// Its figures.
    pub facts: Facts,
}

impl Alert {
    /// The alert stored as `row` (a row of a condition this version does not know: none).
    pub fn from_row(row: AlertRow) -> Option<Alert> {
        let condition = Condition::parse(&row.condition)?;
        Some(Alert {
            condition,
            facts: Facts::from_columns(condition, row.figure, row.figure_extra),
            subject: row.subject,
            opened_at: row.opened_at,
            last_seen_at: row.last_seen_at,
            resolved_at: row.resolved_at,
        })
    }
}

/// The figures of a node's latest check, for Prometheus.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Gauges {
    /// Per watched path: bytes free to Langso and the filesystem's size.
    pub disks: Vec<(String, u64, u64)>,
    /// Per outbox (`webhooks`, `messages`): seconds the oldest due message has waited (0:
    /// none due) and messages given up on in the last day.
    pub outboxes: Vec<(String, i64, i64)>,
    /// The latest successful backup (Unix seconds).
    pub backup_last_success: Option<i64>,
    /// Per certificate file: the end of its validity (Unix seconds), when it could be read.
    pub certificates: Vec<(String, Option<i64>)>,
    /// Whether the database answered the latest check (none before the first).
    pub database_up: Option<bool>,
}

/// A database outage seen by this node.
#[derive(Clone, Debug)]
pub(super) struct Outage {
    pub(super) since: OffsetDateTime,
    pub(super) last: OffsetDateTime,
    pub(super) detail: String,
}

#[derive(Default)]
struct Snapshot {
    read_at: Option<Instant>,
    open: Vec<Alert>,
    top_units: Vec<Uuid>,
}

/// The MQTT subscriber's link to its broker, as the subscriber reports it.
#[derive(Clone, Debug, Default)]
pub struct BrokerLink(Arc<LinkState>);

#[derive(Debug, Default)]
struct LinkState {
    address: Mutex<Option<String>>,
    connected: AtomicBool,
    /// Unix ms of the first failure since the link was last up; 0 when up (or never tried).
    down_since_ms: AtomicI64,
}

impl BrokerLink {
    /// The subscriber starts towards `address` (`host:port`).
    pub fn configure(&self, address: &str) {
        if let Ok(mut slot) = self.0.address.lock() {
            *slot = Some(address.to_owned());
        }
        self.lost();
    }

    /// The broker accepted the connection.
    pub fn connected(&self) {
        self.0.connected.store(true, Ordering::Relaxed);
        self.0.down_since_ms.store(0, Ordering::Relaxed);
    }

    /// The connection failed or was lost (the first failure starts the outage).
    pub fn lost(&self) {
        self.0.connected.store(false, Ordering::Relaxed);
        let now = langso_store::comms::millis(OffsetDateTime::now_utc());
        let _ = self.0.down_since_ms.compare_exchange(
            0,
            now.max(1),
            Ordering::Relaxed,
            Ordering::Relaxed,
        );
    }

    /// The broker's address, when a subscriber runs.
    pub fn address(&self) -> Option<String> {
        self.0.address.lock().ok().and_then(|a| a.clone())
    }

    /// Whether the subscriber is connected.
    pub fn is_connected(&self) -> bool {
        self.0.connected.load(Ordering::Relaxed)
    }

    /// Since when the broker has been unreachable (Unix ms), if it is.
    pub fn down_since_ms(&self) -> Option<i64> {
        match self.0.down_since_ms.load(Ordering::Relaxed) {
            0 => None,
            since => Some(since),
        }
    }
}

/// A node's view of the alerts; one per running server, shared by the checker, the pages,
/// `/metrics` and the MQTT subscriber.
pub struct Board {
    node: String,
    broker: BrokerLink,
    snapshot: RwLock<Snapshot>,
    gauges: RwLock<Gauges>,
    outage: Mutex<Option<Outage>>,
    /// Seconds an outage must last before it is an alert (set by the checker).
    pub(super) unreachable_after: AtomicI64,
}

impl Board {
    /// The board of node `node` (its name in alerts it opens).
    pub fn new(node: &str) -> Board {
        Board {
            node: node.to_owned(),
            broker: BrokerLink::default(),
            snapshot: RwLock::new(Snapshot::default()),
            gauges: RwLock::new(Gauges::default()),
            outage: Mutex::new(None),
            unreachable_after: AtomicI64::new(0),
        }
    }

    /// This node's name.
    pub fn node(&self) -> &str {
        &self.node
    }

    /// The MQTT subscriber's link, to hand to the subscriber.
    pub fn broker(&self) -> &BrokerLink {
        &self.broker
    }

    /// Reads the open alerts and the top units again when the copy is older than a few
    /// seconds; keeps the old copy when the database does not answer.
    pub async fn refresh(&self, db: &Db) {
        let stale = self
            .snapshot
            .read()
            .map(|s| s.read_at.is_none_or(|at| at.elapsed() >= FRESH))
            .unwrap_or(true);
        if stale {
            self.reload(db).await;
        }
    }

    /// Reads the open alerts and the top units now.
    pub async fn reload(&self, db: &Db) {
        let open = langso_store::ops::open_alerts(db).await;
        let top = super::top_units(db).await;
        match (open, top) {
            (Ok(open), Ok(top_units)) => {
                if let Ok(mut snapshot) = self.snapshot.write() {
                    *snapshot = Snapshot {
                        read_at: Some(Instant::now()),
                        open: open.into_iter().filter_map(Alert::from_row).collect(),
                        top_units,
                    };
                }
            }
            (Err(error), _) => tracing::debug!(%error, "open alerts not read"),
            (_, Err(error)) => tracing::debug!(%error, "top units not read"),
        }
    }

    /// Whether `actor` administers a unit at the top of the tree (as last read).
    pub fn is_root_admin(&self, actor: &Actor) -> bool {
        let Ok(snapshot) = self.snapshot.read() else {
            return false;
        };
        actor
            .grants
            .iter()
            .any(|g| g.role == Role::Admin && snapshot.top_units.contains(&g.unit_id))
    }

    /// The alerts a page shows `actor` at its top: the open ones, for root admins only.
    pub async fn banner(&self, db: &Db, actor: &Actor) -> Vec<Alert> {
        if !actor.grants.iter().any(|g| g.role == Role::Admin) {
            return Vec::new();
        }
        self.refresh(db).await;
        if !self.is_root_admin(actor) {
            return Vec::new();
        }
        self.open()
    }

    /// The open alerts as last read, with this node's database outage when it lasts long
    /// enough to count.
    pub fn open(&self) -> Vec<Alert> {
        let mut open: Vec<Alert> = self.outage_alert().into_iter().collect();
        if let Ok(snapshot) = self.snapshot.read() {
            open.extend(snapshot.open.iter().cloned());
        }
        open
    }

    /// Which conditions have an open alert (for `langso_alert_active`).
    pub fn active(&self) -> Vec<(Condition, bool)> {
        let open = self.open();
        Condition::ALL
            .into_iter()
            .map(|c| (c, open.iter().any(|a| a.condition == c)))
            .collect()
    }

    /// The figures of the latest check.
    pub fn gauges(&self) -> Gauges {
        self.gauges.read().map(|g| g.clone()).unwrap_or_default()
    }

    pub(super) fn set_gauges(&self, gauges: Gauges) {
        if let Ok(mut slot) = self.gauges.write() {
            *slot = gauges;
        }
    }

    /// This node's database outage as an alert, once it has lasted the allowed time.
    pub fn outage_alert(&self) -> Option<Alert> {
        let outage = self.outage.lock().ok()?.clone()?;
        let after = self.unreachable_after.load(Ordering::Relaxed);
        if (outage.last - outage.since).whole_seconds() < after {
            return None;
        }
        Some(Alert {
            condition: Condition::Database,
            subject: self.node.clone(),
            opened_at: outage.since,
            last_seen_at: outage.last,
            resolved_at: None,
            facts: Facts::None,
        })
    }

    /// The database did not answer at `now`.
    pub(super) fn database_failed(&self, now: OffsetDateTime, detail: String) {
        if let Ok(mut slot) = self.outage.lock() {
            match slot.as_mut() {
                Some(outage) => {
                    outage.last = now;
                    outage.detail = detail;
                }
                None => {
                    *slot = Some(Outage {
                        since: now,
                        last: now,
                        detail,
                    });
                }
            }
        }
    }

    /// The outage this node kept, if any (the database answers again).
    pub(super) fn outage(&self) -> Option<Outage> {
        self.outage.lock().ok().and_then(|o| o.clone())
    }

    /// The outage was written down.
    pub(super) fn outage_recorded(&self) {
        if let Ok(mut slot) = self.outage.lock() {
            *slot = None;
        }
    }
}

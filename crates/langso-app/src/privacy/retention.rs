//! Retention: each kind of personal data is kept for its rule's period, then anonymised or
//! deleted by a daily job (claimed once across nodes, like the morning job). A dry run counts
//! what would go, through the same conditions as the real run, so the two agree; every run,
//! dry or real, is recorded with its counts. The audit log is never deleted: its rule can only
//! anonymise the names in it.

use std::time::Duration as StdDuration;

use langso_store::privacy::retention::{self as store, KINDS};
pub use langso_store::privacy::retention::{CountRow, RuleRow, RunRow};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::audit::{self, Change};
use crate::{Actor, AppError, AppResult, Db};

/// The job's name in `comm_job_runs`.
pub const JOB: &str = "retention";

/// How many rows a dry run shows per rule.
pub const SAMPLE: i64 = 5;

/// One rule's outcome in a run.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleOutcome {
    /// The rule.
    pub rule: RuleRow,
    /// Rows older than this are affected.
    pub cutoff: OffsetDateTime,
    /// How many (would be) anonymised or deleted.
    pub items: i64,
    /// Some of them: (id, the moment their period counts from) (dry runs).
    pub sample: Vec<(Uuid, OffsetDateTime)>,
}

/// Which actions a kind of data allows: (anonymise, delete).
pub fn actions(kind: &str) -> (bool, bool) {
    store::kind(kind).map_or((false, false), |k| (k.anonymise.is_some(), k.delete))
}

/// The rules, in the order of [`KINDS`].
pub async fn rules(db: &Db) -> AppResult<Vec<RuleRow>> {
    let stored = store::rules(db).await?;
    Ok(KINDS
        .iter()
        .filter_map(|k| stored.iter().find(|r| r.kind == k.kind).cloned())
        .collect())
}

/// Changes a rule (administrators): a period of 1 to 36,500 days and an action the kind allows
/// (the audit log and the rows counters depend on are only anonymised). Audited.
pub async fn set_rule(
    db: &Db,
    actor: &Actor,
    kind: &str,
    days: i64,
    action: &str,
) -> AppResult<()> {
    super::calendar::root_admin(db, actor).await?;
    if store::kind(kind).is_none() {
        return Err(AppError::NotFound);
    }
    if !(1..=36_500).contains(&days) {
        return Err(AppError::refused_key(
            "privacy-retention-days-refused",
            &[("max", &36_500)],
        ));
    }
    let (anonymise, delete) = actions(kind);
    let allowed = match action {
        "anonymise" => anonymise,
        "delete" => delete,
        _ => false,
    };
    if !allowed {
        return Err(AppError::refused_key(
            "privacy-retention-action-refused",
            &[],
        ));
    }
    let mut tx = db.begin().await?;
    let rule = RuleRow {
        kind: kind.to_owned(),
        days,
        action: action.to_owned(),
        updated_by: actor.label.clone(),
    };
    store::set_rule(&mut tx, &rule).await?;
    audit::record(
        &mut tx,
        actor,
        Change {
            action: "privacy.retention.rule",
            target_type: "retention_rule",
            target_id: kind.to_owned(),
            unit_id: None,
            summary: format!("{days} days, then {action}"),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Runs the rules as of `now`: counts and samples only when `dry`, else anonymises or
/// deletes, in one transaction; records the run and its counts.
pub async fn run(
    db: &Db,
    node: &str,
    label: &str,
    dry: bool,
    now: OffsetDateTime,
) -> AppResult<(RunRow, Vec<RuleOutcome>)> {
    let rules = rules(db).await?;
    let mut tx = db.begin().await?;
    let mut outcomes = Vec::new();
    for rule in rules {
        let Some(kind) = store::kind(&rule.kind) else {
            continue;
        };
        let cutoff = now - Duration::days(rule.days);
        let (items, sample) = if dry {
            let items = store::count_expired(&mut tx, kind, cutoff).await?;
            (
                items,
                store::sample_expired(&mut tx, kind, cutoff, SAMPLE).await?,
            )
        } else {
            let n = store::apply_expired(&mut tx, kind, rule.action == "delete", cutoff).await?;
            (i64::try_from(n).unwrap_or(i64::MAX), Vec::new())
        };
        outcomes.push(RuleOutcome {
            rule,
            cutoff,
            items,
            sample,
        });
    }
    let run = RunRow {
        id: Uuid::now_v7(),
        started_at: now,
        node: node.to_owned(),
        actor_label: label.to_owned(),
        dry,
        items: outcomes.iter().map(|o| o.items).sum(),
    };
    let counts: Vec<CountRow> = outcomes
        .iter()
        .map(|o| CountRow {
            run_id: run.id,
            kind: o.rule.kind.clone(),
            action: o.rule.action.clone(),
            cutoff: o.cutoff,
            items: o.items,
        })
        .collect();
    store::insert_run(&mut tx, &run, &counts).await?;
    tx.commit().await?;
    Ok((run, outcomes))
}

/// A dry run by an administrator.
pub async fn dry_run(
    db: &Db,
    actor: &Actor,
    now: OffsetDateTime,
) -> AppResult<(RunRow, Vec<RuleOutcome>)> {
    super::calendar::root_admin(db, actor).await?;
    run(db, "web", &actor.label, true, now).await
}

/// The latest runs with their counts.
pub async fn history(
    db: &Db,
    actor: &Actor,
    limit: i64,
) -> AppResult<Vec<(RunRow, Vec<CountRow>)>> {
    super::calendar::root_admin(db, actor).await?;
    let mut out = Vec::new();
    for run in store::runs(db, limit.clamp(1, 200)).await? {
        let counts = store::counts(db, run.id).await?;
        out.push((run, counts));
    }
    Ok(out)
}

/// The daily real run, once a day across every node: the (job, day) row is claimed in its own
/// transaction first. Returns the run when this node did it.
pub async fn run_daily(db: &Db, node: &str, now: OffsetDateTime) -> AppResult<Option<RunRow>> {
    let day = now.to_offset(langso_domain::locale::VIETNAM).date();
    if langso_store::comms::job_run(db, JOB, day).await?.is_some() {
        return Ok(None);
    }
    let mut tx = db.begin().await?;
    if !langso_store::comms::claim_job_run(&mut tx, JOB, day, node).await? {
        return Ok(None);
    }
    tx.commit().await?;
    let (run, _) = run(db, node, "retention job", false, now).await?;
    let mut tx = db.begin().await?;
    langso_store::comms::finish_job_run(&mut tx, JOB, day, run.items).await?;
    tx.commit().await?;
    Ok(Some(run))
}

/// Every `every`: overdue requests flagged, and the daily retention run.
pub fn start_privacy(db: Db, node: String, every: StdDuration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let now = OffsetDateTime::now_utc();
            match super::requests::flag_overdue(&db, crate::today(), now).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(requests = n, "overdue data-subject requests flagged"),
                Err(error) => tracing::warn!(%error, "overdue requests not flagged"),
            }
            match run_daily(&db, &node, now).await {
                Ok(Some(run)) => tracing::info!(items = run.items, "retention rules applied"),
                Ok(None) => {}
                Err(error) => tracing::warn!(%error, "retention rules not applied"),
            }
        }
    })
}

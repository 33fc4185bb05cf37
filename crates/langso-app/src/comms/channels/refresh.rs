//! The Zalo OA access token renewed ahead of its expiry by the channel worker, not only when a
//! send finds it near its end: a quiet OA whose token lapsed for long would otherwise need
//! its refresh token, which Zalo also expires (three months), before the next message.

use langso_store::comms::{self as store, millis};
use time::OffsetDateTime;

use super::{ChannelConfig, Context, Outcome, zns};
use crate::{AppResult, Db};

/// Renews every enabled ZNS token pair expiring within the refresh margin (ten minutes), each
/// under its settings row's lock as a send would (a node that finds it fresh already leaves
/// it). Returns how many were looked at; a refusal is logged and left for the next check.
pub async fn refresh_expiring_tokens(
    db: &Db,
    http: &reqwest::Client,
    config: &ChannelConfig,
) -> AppResult<usize> {
    let before = millis(OffsetDateTime::now_utc()) + zns::REFRESH_MARGIN_MS;
    let rows = store::zns_tokens_expiring(db, before).await?;
    let cx = Context { db, http, config };
    for row in &rows {
        if let Err(outcome) = zns::access_token(&cx, row, None).await {
            let reason = match outcome {
                Outcome::Retry { reason, .. } | Outcome::Failed { reason, .. } => reason,
                Outcome::Sent { .. } => String::new(),
            };
            tracing::warn!(unit = %row.unit_id, %reason, "zns: the token could not be renewed ahead");
        }
    }
    Ok(rows.len())
}

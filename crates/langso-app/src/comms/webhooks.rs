//! Webhook endpoints: adapters (a Zalo OA bridge, an SMS gateway) that receive the
//! announcements of a unit's subtree as signed JSON. They hold a secret, so managing them
//! needs the accounts right.

use langso_domain::auth::Permission;
use langso_store::comms::{self as store, AttemptRow, WebhookRow};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::audit::{self, Change};
use crate::auth::{Actor, policy};
use crate::{AppError, AppResult, CellError, Db, today};

/// An endpoint as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct NewWebhook {
    /// Its announcements are those to this unit, above it or under it.
    pub unit_id: Option<Uuid>,
    /// Name.
    pub name: String,
    /// `http://` or `https://` address to POST to.
    pub url: String,
    /// The HMAC key (at least 16 characters); generated when empty.
    #[serde(default)]
    pub secret: String,
}

/// Records an endpoint; the answer carries the secret once.
pub async fn create_webhook(db: &Db, actor: &Actor, input: &NewWebhook) -> AppResult<WebhookRow> {
    let unit_id = input.unit_id.ok_or_else(|| {
        AppError::Invalid(vec![CellError::keyed(0, "unit_id", "comms-required", &[])])
    })?;
    policy::require(db, actor, Permission::ManageAccounts, unit_id).await?;
    let mut errors = Vec::new();
    let name = input.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 120 {
        errors.push(CellError::keyed(
            0,
            "name",
            "comms-webhook-name-length",
            &[],
        ));
    }
    let url = input.url.trim().to_owned();
    if !(url.starts_with("http://") || url.starts_with("https://")) || url.len() > 500 {
        errors.push(CellError::keyed(0, "url", "comms-webhook-url-invalid", &[]));
    }
    let secret = match input.secret.trim() {
        "" => crate::auth::random_token("whsec_")?,
        s if s.chars().count() >= 16 => s.to_owned(),
        _ => {
            errors.push(CellError::keyed(
                0,
                "secret",
                "comms-webhook-secret-short",
                &[],
            ));
            String::new()
        }
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let row = WebhookRow {
        id: Uuid::now_v7(),
        unit_id,
        name,
        url,
        secret,
        active: true,
        created_at: OffsetDateTime::now_utc(),
    };
    let mut tx = db.begin().await?;
    store::insert_webhook(&mut tx, &row).await?;
    audit::record(
        &mut tx,
        actor,
        Change {
            action: "webhook.create",
            target_type: "webhook",
            target_id: row.id.to_string(),
            unit_id: Some(unit_id),
            summary: format!("{} → {}", row.name, row.url),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}

/// Endpoints under `unit` (secrets blanked).
pub async fn list_webhooks(db: &Db, actor: &Actor, unit: Uuid) -> AppResult<Vec<WebhookRow>> {
    policy::require(db, actor, Permission::ManageAccounts, unit).await?;
    Ok(store::list_webhooks(db, unit, today())
        .await?
        .into_iter()
        .map(|mut w| {
            w.secret = String::new();
            w
        })
        .collect())
}

/// An endpoint (secret blanked) with its latest delivery attempts, newest first.
#[derive(Clone, Debug)]
pub struct WebhookDetail {
    /// The endpoint.
    pub webhook: WebhookRow,
    /// Up to 50 attempts.
    pub attempts: Vec<AttemptRow>,
}

/// One endpoint and its recent attempts, so whoever manages it sees why a receiver is failing.
pub async fn webhook(db: &Db, actor: &Actor, id: Uuid) -> AppResult<WebhookDetail> {
    let mut webhook = store::get_webhook(db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::ManageAccounts, webhook.unit_id).await?;
    webhook.secret = String::new();
    let attempts = store::webhook_attempts(db, id, 50).await?;
    Ok(WebhookDetail { webhook, attempts })
}

/// Switches an endpoint off: it gets no new messages (those already queued still go out, so
/// a receiver never misses one it was promised). Switching off twice changes nothing.
pub async fn deactivate_webhook(db: &Db, actor: &Actor, id: Uuid) -> AppResult<WebhookRow> {
    let mut row = store::get_webhook(db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::ManageAccounts, row.unit_id).await?;
    let mut tx = db.begin().await?;
    if store::deactivate_webhook(&mut tx, id).await? {
        audit::record(
            &mut tx,
            actor,
            Change {
                action: "webhook.deactivate",
                target_type: "webhook",
                target_id: row.id.to_string(),
                unit_id: Some(row.unit_id),
                summary: format!("{} → {}", row.name, row.url),
            },
        )
        .await?;
    }
    tx.commit().await?;
    row.active = false;
    row.secret = String::new();
    Ok(row)
}

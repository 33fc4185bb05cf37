//! Providers' delivery reports, which turn a SENT message DELIVERED or FAILED from the
//! provider's own word:
//! - eSMS.vn calls the `CallbackUrl` sent with each message by HTTP GET once the message
//!   reaches its final state (developers.esms.vn, "Callback Url"), with query parameters
//!   `SMSID`, `RequestId` (our idempotency key), `SendStatus` (4: rejected, 5: sent
//!   successfully; 1, 2 and 7 are on the way), `SendSuccess`, `SendFailed`, and for Zalo
//!   messages `error_info`; it retries up to five times. eSMS signs nothing, so the callback's
//!   path carries an unguessable token of the unit's SMS settings.
//! - Zalo posts its OA webhook events as JSON (`event_name`, `app_id`, `timestamp`, for
//!   `user_received_message` a `message.msg_id`) with `X-ZEvent-Signature` = SHA-256 hex of
//!   app id + body + timestamp + the OA secret key (not the app's secret key); Zalo expects 200
//!   for every event it sends, so events we do not use are answered 200 and change nothing.
//!
//! A report changes only a SENT message of the unit whose settings it authenticated with (or
//! a unit under it), once: a repeat, or a report on a message already final, changes nothing.

use langso_store::comms::{self as store, Report};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::comms::aim::own_reason;
use crate::{AppError, AppResult, Db, today};

/// The longest eSMS query string read (their callbacks are a few hundred bytes).
pub const MAX_QUERY: usize = 4_096;
/// The most query parameters read.
pub const MAX_PARAMS: usize = 40;
/// The longest value of one parameter.
pub const MAX_VALUE: usize = 1_024;
/// The largest Zalo event body read.
pub const MAX_EVENT_BODY: usize = 16 * 1024;

/// Why a report was not taken.
#[derive(Debug, PartialEq)]
pub enum ReportError {
    /// Past a limit or not the documented shape (the key says which).
    Invalid(&'static str),
    /// No such token or message (or not ours to change).
    NotFound,
    /// The signature does not match any OA secret of the app.
    Unauthorized,
    /// The message is not accepted yet (still being sent): the provider should try again.
    NotYet,
    /// Our storage failed.
    Failed(String),
}

impl From<AppError> for ReportError {
    fn from(error: AppError) -> Self {
        ReportError::Failed(error.to_string())
    }
}

impl From<langso_store::StoreError> for ReportError {
    fn from(error: langso_store::StoreError) -> Self {
        ReportError::Failed(error.to_string())
    }
}

/// What a report did.
#[derive(Debug, PartialEq)]
pub enum ReportAnswer {
    /// Recorded on the message.
    Recorded,
    /// Nothing to record: an intermediate state, an event we do not use, or a repeat.
    Unchanged,
}

/// An eSMS callback's parameters that matter.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EsmsReport {
    /// eSMS's id of the message.
    pub smsid: Option<String>,
    /// Our `RequestId`.
    pub request_id: Option<String>,
    /// `SendStatus`.
    pub send_status: String,
    /// `SendSuccess`, `SendFailed` (counts).
    pub send_success: Option<u64>,
    /// Failed count.
    pub send_failed: Option<u64>,
    /// Zalo's error text, for messages eSMS sent through Zalo.
    pub error_info: Option<String>,
}

/// Reads an eSMS callback's query string within [`MAX_QUERY`], [`MAX_PARAMS`] and
/// [`MAX_VALUE`]; unknown parameters are skipped (eSMS adds some per message type).
pub fn parse_esms_query(query: &str) -> Result<EsmsReport, ReportError> {
    if query.len() > MAX_QUERY {
        return Err(ReportError::Invalid("report-too-long"));
    }
    let mut report = EsmsReport::default();
    for (n, (name, value)) in form_urlencoded::parse(query.as_bytes()).enumerate() {
        if n >= MAX_PARAMS {
            return Err(ReportError::Invalid("report-too-many-parameters"));
        }
        if value.chars().count() > MAX_VALUE {
            return Err(ReportError::Invalid("report-too-long"));
        }
        let value = value.trim().to_owned();
        let some = |v: String| Some(v).filter(|v| !v.is_empty());
        match name.as_ref() {
            "SMSID" => report.smsid = some(value),
            "RequestId" => report.request_id = some(value),
            "SendStatus" => report.send_status = value,
            "SendSuccess" => report.send_success = value.parse().ok(),
            "SendFailed" => report.send_failed = value.parse().ok(),
            "error_info" => report.error_info = some(value),
            _ => {}
        }
    }
    if report.send_status.is_empty() || (report.smsid.is_none() && report.request_id.is_none()) {
        return Err(ReportError::Invalid("report-incomplete"));
    }
    Ok(report)
}

/// What a callback says of the message: None while it is on its way.
fn esms_outcome(report: &EsmsReport) -> Option<(&'static str, Option<String>)> {
    let failure = || {
        report.error_info.clone().or_else(|| {
            Some(own_reason(
                "esms-rejected",
                &[("status", &report.send_status)],
            ))
        })
    };
    match report.send_status.as_str() {
        "4" => Some((store::FAILED, failure())),
        // Finished: every recipient failed (one recipient per request here).
        "5" if report.send_success == Some(0) && report.send_failed.unwrap_or(0) > 0 => {
            Some((store::FAILED, failure()))
        }
        "5" => Some((store::DELIVERED, None)),
        _ => None,
    }
}

/// `GET /hooks/esms/{token}?…`: records an eSMS delivery report on the message it names, if
/// that message belongs to the token's unit (or one under it).
pub async fn esms_report(db: &Db, token: &str, query: &str) -> Result<ReportAnswer, ReportError> {
    if token.len() < 20 || token.len() > 100 {
        return Err(ReportError::NotFound);
    }
    let settings = store::settings_by_hook_token(db, "sms", token)
        .await?
        .ok_or(ReportError::NotFound)?;
    let report = parse_esms_query(query)?;
    let message = store::message_for_report(
        db,
        "sms",
        report.smsid.as_deref(),
        report.request_id.as_deref(),
    )
    .await?
    .ok_or(ReportError::NotFound)?;
    if !langso_store::units::is_within(db, message.unit_id, settings.unit_id, today()).await? {
        return Err(ReportError::NotFound);
    }
    let Some((status, reason)) = esms_outcome(&report) else {
        return Ok(ReportAnswer::Unchanged);
    };
    record(
        db,
        &message,
        status,
        reason,
        &report.send_status,
        "esms-report",
    )
    .await
}

async fn record(
    db: &Db,
    message: &store::MessageRow,
    status: &'static str,
    reason: Option<String>,
    code: &str,
    reporter: &'static str,
) -> Result<ReportAnswer, ReportError> {
    if message.status == store::QUEUED || message.status == store::SENDING {
        return Err(ReportError::NotYet);
    }
    let mut tx = db.begin().await?;
    let done = store::record_report(
        &mut tx,
        &Report {
            message_id: message.id,
            status,
            reason,
            code: Some(code.chars().take(40).collect()),
            reporter,
            at: OffsetDateTime::now_utc(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(if done {
        ReportAnswer::Recorded
    } else {
        ReportAnswer::Unchanged
    })
}

#[derive(serde::Deserialize)]
struct ZaloEvent {
    event_name: String,
    app_id: String,
    timestamp: serde_json::Value,
    #[serde(default)]
    message: Option<ZaloMessage>,
}

#[derive(serde::Deserialize)]
struct ZaloMessage {
    #[serde(default)]
    msg_id: Option<String>,
}

/// Zalo's signature of an event: SHA-256 hex of app id, body, timestamp and OA secret key.
pub fn zalo_signature(app_id: &str, body: &[u8], timestamp: &str, oa_secret: &str) -> String {
    let mut hash = Sha256::new();
    hash.update(app_id.as_bytes());
    hash.update(body);
    hash.update(timestamp.as_bytes());
    hash.update(oa_secret.as_bytes());
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares without stopping at the first difference.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// `POST /hooks/zalo`: checks the event's signature against the OA secrets stored for its app,
/// then records `user_received_message` as DELIVERED on the ZNS message with that `msg_id`
/// in the signing unit (or under it). A bad signature changes nothing.
pub async fn zalo_event(
    db: &Db,
    signature: Option<&str>,
    body: &[u8],
) -> Result<ReportAnswer, ReportError> {
    if body.len() > MAX_EVENT_BODY {
        return Err(ReportError::Invalid("report-too-long"));
    }
    let event: ZaloEvent =
        serde_json::from_slice(body).map_err(|_| ReportError::Invalid("report-incomplete"))?;
    let timestamp = match &event.timestamp {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) => n.to_string(),
        _ => return Err(ReportError::Invalid("report-incomplete")),
    };
    if event.app_id.is_empty() || event.app_id.len() > 64 || timestamp.len() > 20 {
        return Err(ReportError::Invalid("report-incomplete"));
    }
    let given = signature
        .map(|s| s.trim())
        .map(|s| s.strip_prefix("mac=").unwrap_or(s))
        .ok_or(ReportError::Unauthorized)?;
    let secrets = store::hook_secrets_of_account(db, "zns", &event.app_id).await?;
    let signer = secrets
        .iter()
        .find(|(_, secret)| {
            same(
                &zalo_signature(&event.app_id, body, &timestamp, secret),
                &given.to_ascii_lowercase(),
            )
        })
        .map(|(unit, _)| *unit)
        .ok_or(ReportError::Unauthorized)?;
    if event.event_name != "user_received_message" {
        return Ok(ReportAnswer::Unchanged);
    }
    let Some(msg_id) = event
        .message
        .and_then(|m| m.msg_id)
        .filter(|m| m.len() <= 100)
    else {
        return Err(ReportError::Invalid("report-incomplete"));
    };
    let message = store::message_for_report(db, "zns", Some(&msg_id), None)
        .await?
        .ok_or(ReportError::NotFound)?;
    if !langso_store::units::is_within(db, message.unit_id, signer, today()).await? {
        return Err(ReportError::NotFound);
    }
    record(
        db,
        &message,
        store::DELIVERED,
        None,
        "received",
        "zalo-report",
    )
    .await
}

/// The callback address eSMS is given for a unit's SMS settings (the token made once).
pub(super) async fn esms_callback(
    db: &Db,
    public_url: &str,
    unit: uuid::Uuid,
) -> AppResult<Option<String>> {
    if public_url.trim().is_empty() {
        return Ok(None);
    }
    let candidate = crate::auth::random_token("")?;
    let mut tx = db.begin().await?;
    let token = store::hook_token(&mut tx, unit, "sms", &candidate).await?;
    tx.commit().await?;
    Ok(token.map(|t| format!("{}/hooks/esms/{t}", public_url.trim_end_matches('/'))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_documented_callback_reads() {
        let q = "SMSID=dc712784-9c5f-4c69-b9a8-ea69d56adc9a87&SendFailed=0&SendStatus=5&\
                 SendSuccess=1&TotalPrice=0.0000&TotalReceiver=1&TotalSent=1&RequestId=abc&\
                 TypeId=2&telcoid=1&phonenumber=0901888484&switchsmsid=";
        let r = parse_esms_query(q).unwrap();
        assert_eq!(
            r.smsid.as_deref(),
            Some("dc712784-9c5f-4c69-b9a8-ea69d56adc9a87")
        );
        assert_eq!(r.request_id.as_deref(), Some("abc"));
        assert_eq!(esms_outcome(&r), Some((store::DELIVERED, None)));
        let rejected = parse_esms_query("SMSID=x&SendStatus=4&RequestId=").unwrap();
        assert_eq!(
            esms_outcome(&rejected),
            Some((store::FAILED, Some("langso:esms-rejected?status=4".into())))
        );
        let waiting = parse_esms_query("SMSID=x&SendStatus=7").unwrap();
        assert_eq!(esms_outcome(&waiting), None);
    }

    #[test]
    fn the_signature_is_zalos() {
        // sha256("app" + "{}" + "1" + "key")
        let expected: String = Sha256::digest(b"app{}1key")
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(zalo_signature("app", b"{}", "1", "key"), expected);
    }

    proptest! {
        #[test]
        fn any_query_is_read_or_refused_within_limits(
            q in proptest::collection::vec(any::<u8>(), 0..6_000),
            n in 0usize..80,
        ) {
            let q = String::from_utf8_lossy(&q).into_owned();
            let _ = parse_esms_query(&q);
            let many: String = (0..n).map(|i| format!("p{i}=v&")).collect();
            let many = format!("{many}SMSID=a&SendStatus=5");
            match parse_esms_query(&many) {
                Ok(_) => prop_assert!(n < MAX_PARAMS - 1),
                Err(e) => prop_assert_eq!(e, ReportError::Invalid("report-too-many-parameters")),
            }
            let long = format!("SMSID={}&SendStatus=5", "x".repeat(n * 100));
            if n * 100 > MAX_VALUE {
                prop_assert!(parse_esms_query(&long).is_err());
            }
        }
    }
}

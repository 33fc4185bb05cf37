//! Zalo Notification Service (ZNS) through a Zalo Official Account: an approved template
//! message to a phone in `84…` form.
//!
//! As documented by Zalo (developers.zalo.me, "Gửi ZNS" and "Xác thực và ủy quyền cho ứng
//! dụng"; error codes at zalo.cloud/zns/guidelines/handle-error-code):
//! - send: `POST {endpoint}/message/template`, header `access_token`, JSON body
//!   `{phone, template_id, template_data, tracking_id}`; the answer's `error` is 0 on success
//!   with `data.msg_id`, else a negative code and `message` (-124: the access token is invalid
//!   or expired);
//! - refresh: `POST {oauth}/v4/oa/access_token`, header `secret_key`, form `app_id`,
//!   `grant_type=refresh_token`, `refresh_token`; the answer holds a new `access_token`, a new
//!   `refresh_token` and `expires_in` (seconds, as a string). The refresh token is single use:
//!   the old one is dead once Zalo answered, so the new pair is committed at once, by the one
//!   node that holds the settings row's lock.
//!
//! The template is the unit's for the message's source (`comm_zns_templates`, walking up the
//! tree), its parameters filled from the message's named parameters as the template's `params`
//! map says.

use langso_store::comms::{self as store, ChannelSettingsRow, MessageRow, millis};
use serde::Deserialize;
use time::OffsetDateTime;

use super::call_failed;
use super::{Adapter, Context, Outcome, named_params, option};
use crate::comms::aim::own_reason;

/// Zalo's OAuth server, unless the settings' `oauth_url` option says otherwise (the tests).
const OAUTH_URL: &str = "https://oauth.zaloapp.com";
/// A token this close to expiring is refreshed before sending (ms).
pub(super) const REFRESH_MARGIN_MS: i64 = 10 * 60 * 1000;
/// Zalo's codes that say the access token is invalid or expired.
const EXPIRED_TOKEN: [i64; 2] = [-124, -216];
/// Zalo's codes worth trying again later: unknown error, outside sending hours, quota
/// exhausted for now, rate limited.
const TRANSIENT: [i64; 5] = [-100, -133, -144, -32, -1];

pub(super) struct Zns;

impl Adapter for Zns {
    async fn send(
        &self,
        cx: &Context<'_>,
        settings: &ChannelSettingsRow,
        message: &MessageRow,
    ) -> Outcome {
        let (template_id, data) = match template(cx, message).await {
            Ok(found) => found,
            Err(outcome) => return outcome,
        };
        let body = serde_json::json!({
            "phone": message.address,
            "template_id": template_id,
            "template_data": data,
            "tracking_id": message.idempotency_key,
        });
        let token = match access_token(cx, settings, None).await {
            Ok(token) => token,
            Err(outcome) => return outcome,
        };
        match post(cx, settings, &token, &body).await {
            Answer::ExpiredToken(_) => {
                // Zalo says the token is dead before its time: refresh and try once more.
                let token = match access_token(cx, settings, Some(&token)).await {
                    Ok(token) => token,
                    Err(outcome) => return outcome,
                };
                match post(cx, settings, &token, &body).await {
                    Answer::Done(outcome) => outcome,
                    Answer::ExpiredToken(code) => Outcome::Retry {
                        code: Some(code.to_string()),
                        reason: own_reason("zalo-token-refused", &[]),
                    },
                }
            }
            Answer::Done(outcome) => outcome,
        }
    }
}

/// The template id and its filled parameters.
async fn template(
    cx: &Context<'_>,
    message: &MessageRow,
) -> Result<(String, serde_json::Value), Outcome> {
    let params = named_params(message.template_data.as_deref()).map_err(Outcome::failed)?;
    let (template_id, map) = match &message.template_id {
        Some(id) => (id.clone(), None),
        None => {
            let found =
                store::zns_template_for(cx.db, message.unit_id, &message.source, crate::today())
                    .await
                    .map_err(|_| Outcome::retry(own_reason("store-busy", &[])))?
                    .ok_or_else(|| {
                        Outcome::failed(own_reason(
                            "no-zns-template",
                            &[("source", &message.source)],
                        ))
                    })?;
            (found.template_id, Some(found.params))
        }
    };
    let mut data = serde_json::Map::new();
    match map {
        // No map: the message's parameters go as they are.
        None => {
            for (key, value) in params {
                data.insert(key, value.into());
            }
        }
        Some(map) => {
            for (zalo, ours) in named_params(Some(&map)).map_err(Outcome::failed)? {
                let value = params
                    .iter()
                    .find(|(k, _)| *k == ours)
                    .map(|(_, v)| v.clone())
                    .ok_or_else(|| {
                        Outcome::failed(own_reason(
                            "template-param-missing",
                            &[("param", &zalo), ("needs", &ours)],
                        ))
                    })?;
                data.insert(zalo, value.into());
            }
        }
    }
    Ok((template_id, serde_json::Value::Object(data)))
}

enum Answer {
    Done(Outcome),
    ExpiredToken(i64),
}

#[derive(Deserialize)]
struct SendAnswer {
    error: i64,
    #[serde(default)]
    message: String,
    #[serde(default)]
    data: Option<SendData>,
}

#[derive(Deserialize)]
struct SendData {
    msg_id: Option<String>,
}

async fn post(
    cx: &Context<'_>,
    settings: &ChannelSettingsRow,
    token: &str,
    body: &serde_json::Value,
) -> Answer {
    let url = format!(
        "{}/message/template",
        settings.endpoint.trim_end_matches('/')
    );
    let response = match cx
        .http
        .post(&url)
        .header("access_token", token)
        .json(body)
        .send()
        .await
    {
        Ok(response) => response,
        Err(e) => return Answer::Done(Outcome::retry(call_failed(&e))),
    };
    let status = response.status();
    let answer: SendAnswer = match response.json().await {
        Ok(answer) => answer,
        Err(_) => {
            return Answer::Done(Outcome::Retry {
                code: Some(status.as_u16().to_string()),
                reason: own_reason("provider-bad-answer", &[("status", &status.as_u16())]),
            });
        }
    };
    let code = Some(answer.error.to_string());
    Answer::Done(match answer.error {
        0 => Outcome::Sent {
            provider_ref: answer.data.and_then(|d| d.msg_id),
            code,
        },
        e if EXPIRED_TOKEN.contains(&e) => return Answer::ExpiredToken(e),
        e if TRANSIENT.contains(&e) => Outcome::Retry {
            code,
            reason: answer.message,
        },
        _ => Outcome::Failed {
            code,
            reason: answer.message,
        },
    })
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: Option<String>,
    refresh_token: Option<String>,
    expires_in: Option<serde_json::Value>,
    error: Option<i64>,
    error_description: Option<String>,
    error_name: Option<String>,
}

/// A live access token: the stored one while it has more than [`REFRESH_MARGIN_MS`] left and
/// is not `dead`, else a new one. Refreshing holds the settings row's lock for the refresh
/// call and commits the new pair at once, on its own; a node that waited on the lock finds
/// the fresh token and uses it without refreshing again.
pub(super) async fn access_token(
    cx: &Context<'_>,
    settings: &ChannelSettingsRow,
    dead: Option<&str>,
) -> Result<String, Outcome> {
    let live = |row: &ChannelSettingsRow| {
        let now = millis(OffsetDateTime::now_utc());
        row.access_token
            .clone()
            .filter(|t| Some(t.as_str()) != dead && !t.is_empty())
            .filter(|_| row.token_expires_at.unwrap_or(0) > now + REFRESH_MARGIN_MS)
    };
    if let Some(token) = live(settings) {
        return Ok(token);
    }
    let store_error = |e: langso_store::StoreError| {
        tracing::warn!(%e, "zns token refresh: storage failed");
        Outcome::retry(own_reason("store-busy", &[]))
    };
    let mut tx = cx.db.begin().await.map_err(store_error)?;
    let row = store::lock_channel_settings(&mut tx, settings.unit_id, "zns")
        .await
        .map_err(store_error)?
        .ok_or_else(|| Outcome::retry(own_reason("settings-removed", &[])))?;
    if let Some(token) = live(&row) {
        return Ok(token);
    }
    let refresh = row
        .refresh_token
        .clone()
        .filter(|t| !t.is_empty())
        .ok_or_else(|| Outcome::failed(own_reason("no-refresh-token", &[])))?;
    let secret = row
        .secret
        .clone()
        .or_else(|| cx.config.secrets.zns_secret_key.clone())
        .ok_or_else(|| Outcome::failed(own_reason("no-secret", &[])))?;
    let oauth = option(&row, "oauth_url").unwrap_or_else(|| OAUTH_URL.to_owned());
    let url = format!("{}/v4/oa/access_token", oauth.trim_end_matches('/'));
    let response = cx
        .http
        .post(&url)
        .header("secret_key", secret)
        .form(&[
            ("app_id", row.account.as_str()),
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh.as_str()),
        ])
        .send()
        .await
        .map_err(|e| Outcome::retry(call_failed(&e)))?;
    let answer: TokenAnswer = response
        .json()
        .await
        .map_err(|_| Outcome::retry(own_reason("provider-bad-answer", &[("status", &"200")])))?;
    let (Some(access), Some(refresh)) = (answer.access_token, answer.refresh_token) else {
        return Err(Outcome::Failed {
            code: answer.error.map(|e| e.to_string()),
            reason: own_reason(
                "zalo-refresh-refused",
                &[(
                    "detail",
                    &answer
                        .error_description
                        .or(answer.error_name)
                        .unwrap_or_default(),
                )],
            ),
        });
    };
    let seconds = match answer.expires_in {
        Some(serde_json::Value::String(s)) => s.parse::<i64>().unwrap_or(3600),
        Some(serde_json::Value::Number(n)) => n.as_i64().unwrap_or(3600),
        _ => 3600,
    };
    let expires = millis(OffsetDateTime::now_utc()) + seconds.clamp(60, 400_000) * 1000;
    store::store_tokens(&mut tx, row.unit_id, "zns", &access, &refresh, expires)
        .await
        .map_err(store_error)?;
    tx.commit().await.map_err(store_error)?;
    Ok(access)
}

//! SMS with a brandname sender through eSMS.vn's HTTP JSON API (one Vietnamese gateway with a
//! public, documented API), as documented at developers.esms.vn:
//! - send ("Gửi tin nhắn CSKH", `SendMultipleMessage_V4_post_json`): `POST
//!   {endpoint}/MainService.svc/json/SendMultipleMessage_V4_post_json/` with JSON `ApiKey`,
//!   `SecretKey`, `Phone`, `Content`, `Brandname`, `SmsType` ("2": customer care with a
//!   brandname), `IsUnicode` ("1": UCS-2), `RequestId` (eSMS refuses a repeated one with code
//!   124, so a retry after a lost answer never sends twice);
//! - the answer: `CodeResult` "100" with `SMSID` when accepted, else an error code
//!   ("Table of error codes": 99 blocked number, 101 bad keys, 103 balance too low, 104 unknown
//!   brandname, 108 bad phone, 118 unsupported type, 124 duplicate RequestId, 146 wrong
//!   template…); `ErrorMessage` says why;
//! - delivery reports: with a public address configured, each send carries a `CallbackUrl`
//!   (`{public_url}/hooks/esms/{token}`) that eSMS calls by HTTP GET with `SMSID`, `RequestId`
//!   and `SendStatus` once the message reaches its final state ([`super::reports`]).
//!
//! The unit's `encoding` option says how Vietnamese goes: `ucs2` (as written) or `gsm7`
//! (transliterated by [`langso_domain::channels::transliterate`]); the attempt records the
//! segments billed.

use langso_domain::channels::{SmsEncoding, sms_length, sms_text};
use langso_store::comms::{ChannelSettingsRow, MessageRow};
use serde::Deserialize;

use super::call_failed;
use super::{Adapter, Context, Outcome, option};
use crate::comms::aim::own_reason;

/// Codes that say the request cannot succeed as it is.
const FINAL: [&str; 9] = ["99", "101", "102", "104", "108", "118", "140", "146", "177"];

pub(super) struct Sms;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Answer {
    code_result: String,
    #[serde(rename = "SMSID", default)]
    smsid: Option<String>,
    #[serde(default)]
    error_message: Option<String>,
}

impl Adapter for Sms {
    async fn send(
        &self,
        cx: &Context<'_>,
        settings: &ChannelSettingsRow,
        message: &MessageRow,
    ) -> Outcome {
        let encoding = SmsEncoding::parse(&option(settings, "encoding").unwrap_or_default());
        let content = sms_text(&message.body, encoding);
        let length = sms_length(&content);
        let max_segments = option(settings, "max_segments")
            .and_then(|m| m.parse::<usize>().ok())
            .unwrap_or(5);
        if length.segments > max_segments {
            return Outcome::failed(own_reason(
                "sms-too-long",
                &[("segments", &length.segments), ("limit", &max_segments)],
            ));
        }
        let Some(secret) = settings
            .secret
            .clone()
            .or_else(|| cx.config.secrets.sms_secret_key.clone())
        else {
            return Outcome::failed(own_reason("no-secret", &[]));
        };
        let callback =
            match super::reports::esms_callback(cx.db, &cx.config.public_url, settings.unit_id)
                .await
            {
                Ok(callback) => callback,
                Err(_) => return Outcome::retry(own_reason("store-busy", &[])),
            };
        let mut body = serde_json::json!({
            "ApiKey": settings.account,
            "SecretKey": secret,
            "Phone": message.address,
            "Content": content,
            "Brandname": settings.sender,
            "SmsType": "2",
            "IsUnicode": if length.encoding == SmsEncoding::Ucs2 { "1" } else { "0" },
            "RequestId": message.idempotency_key,
        });
        if let Some(callback) = callback {
            body["CallbackUrl"] = callback.into();
        }
        let url = format!(
            "{}/MainService.svc/json/SendMultipleMessage_V4_post_json/",
            settings.endpoint.trim_end_matches('/')
        );
        let response = match cx.http.post(&url).json(&body).send().await {
            Ok(response) => response,
            Err(e) => return Outcome::retry(call_failed(&e)),
        };
        let status = response.status();
        let Ok(answer) = response.json::<Answer>().await else {
            return Outcome::Retry {
                code: Some(status.as_u16().to_string()),
                reason: own_reason("provider-bad-answer", &[("status", &status.as_u16())]),
            };
        };
        let reason = answer.error_message.unwrap_or_default();
        let code = Some(answer.code_result.clone());
        match answer.code_result.as_str() {
            "100" => Outcome::Sent {
                provider_ref: answer.smsid,
                code: Some(format!("100 ({} segments)", length.segments)),
            },
            // The same RequestId was accepted before: our earlier answer was lost.
            "124" => Outcome::Sent {
                provider_ref: answer.smsid,
                code,
            },
            c if FINAL.contains(&c) => Outcome::Failed { code, reason },
            _ => Outcome::Retry { code, reason },
        }
    }
}

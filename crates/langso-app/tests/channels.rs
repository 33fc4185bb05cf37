//! The channel worker and its adapters, each against a local server written here that speaks
//! the provider's documented requests and answers (Zalo ZNS with its OAuth refresh and error
//! codes, eSMS.vn with its CodeResult codes), and e-mail through a real SMTP server (Debian's
//! python3-aiosmtpd) whose mailbox the test reads. SQLite by default, PostgreSQL when
//! LANGSO_TEST_DATABASE_URL is set.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use langso_app::today;
use langso_store::comms::{self as store, MessageRow, ZnsTemplateRow, millis};
use serde_json::{Value, json};
use time::OffsetDateTime;
use uuid::Uuid;

#[path = "support/providers.rs"]
mod providers;

use providers::*;

#[tokio::test]
async fn an_expired_oa_token_is_refreshed_once_and_the_zns_message_still_goes() {
    let zalo: SharedZalo = Arc::new(Mutex::new(Zalo {
        access: "at-unknown".into(),
        refresh: "rt-0".into(),
        ..Zalo::default()
    }));
    let app = axum::Router::new()
        .route("/v4/oa/access_token", axum::routing::post(zalo_token))
        .route("/message/template", axum::routing::post(zalo_send))
        .with_state(zalo.clone());
    let base = serve(app).await;
    let test = demo_db().await;
    let db = &test.db;
    let (province, commune, village) = (
        unit(db, "01").await,
        unit(db, "09817").await,
        unit(db, "09805-T01").await,
    );
    // The commune's OA, its access token expired an hour ago.
    let mut oa = settings(commune, "zns", &base, json!({"oauth_url": base}));
    oa.account = "4321".into();
    oa.sender = "UBND xã Ô Diên".into();
    oa.secret = Some("app-secret".into());
    oa.access_token = Some("at-old".into());
    oa.refresh_token = Some("rt-0".into());
    oa.token_expires_at = Some(millis(OffsetDateTime::now_utc()) - 3_600_000);
    save(db, &oa).await;
    // The province's template for announcements, found by walking up from the village.
    let mut tx = db.begin().await.unwrap();
    store::save_zns_template(
        &mut tx,
        &ZnsTemplateRow {
            unit_id: province,
            source: "announcement".into(),
            template_id: "301234".into(),
            params: json!({"tieu_de": "title", "noi_dung": "body", "don_vi": "unit"}).to_string(),
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let data = json!({"title": "Lịch cắt điện", "body": "Thứ Bảy 8h–11h", "unit": "Thôn Hạ",
        "link": "https://langso.example/g/1"})
    .to_string();
    let mut first = message(village, "zns", "84912345678", "Thứ Bảy 8h–11h");
    first.template_data = Some(data.clone());
    enqueue(db, std::slice::from_ref(&first)).await;
    let rows = settle(db, &config(), &[first.id]).await;
    assert_eq!(rows[0].status, store::SENT, "{:?}", rows[0].reason);
    assert_eq!(rows[0].provider_ref.as_deref(), Some("zmsg-1"));
    {
        let z = zalo.lock().unwrap();
        assert_eq!(z.refreshes, 1);
        assert_eq!(
            z.sent[0],
            json!({"phone": "84912345678", "template_id": "301234", "tracking_id":
                first.idempotency_key, "template_data": {"tieu_de": "Lịch cắt điện",
                "noi_dung": "Thứ Bảy 8h–11h", "don_vi": "Thôn Hạ"}})
        );
    }
    // The new pair was committed at once.
    let stored = store::channel_settings_for(db, village, "zns", today())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.access_token.as_deref(), Some("at-1"));
    assert_eq!(stored.refresh_token.as_deref(), Some("rt-1"));

    // Zalo revokes the token before its time: -124, one refresh, the send tried once more.
    zalo.lock().unwrap().access = "at-revoked".into();
    let mut second = message(village, "zns", "84987654321", "b");
    second.template_data = Some(data.clone());
    // A phone Zalo refuses: failed for good with Zalo's code and reason, no retry.
    let mut bad = message(village, "zns", "8491", "c");
    bad.template_data = Some(data);
    // A message lacking a parameter the template needs fails with that reason.
    let mut lacking = message(village, "zns", "84912345679", "d");
    lacking.template_data = Some(json!({"title": "x"}).to_string());
    enqueue(db, &[second.clone(), bad.clone(), lacking.clone()]).await;
    let rows = settle(db, &config(), &[second.id, bad.id, lacking.id]).await;
    assert_eq!(rows[0].status, store::SENT, "{:?}", rows[0].reason);
    assert_eq!(zalo.lock().unwrap().refreshes, 2);
    assert_eq!(rows[1].status, store::FAILED);
    assert_eq!(rows[1].reason.as_deref(), Some("Phone number invalid"));
    assert_eq!(rows[1].attempts, 1);
    let attempts = store::message_attempts(db, bad.id).await.unwrap();
    assert_eq!(attempts[0].provider_code.as_deref(), Some("-108"));
    assert_eq!(rows[2].status, store::FAILED);
    assert!(
        rows[2]
            .reason
            .as_deref()
            .unwrap()
            .starts_with("langso:template-param-missing?")
    );
    assert_eq!(zalo.lock().unwrap().sent.len(), 2);
}

// --- SMS (eSMS.vn) ---

/// eSMS as documented, failing `fail` times first: the first two refused outright (503), the
/// next three accepted but their answer lost (500 after recording), then well again.
#[derive(Default)]
struct Gateway {
    calls: usize,
    accepted: Vec<Value>,
}

async fn esms_send(State(gw): State<Arc<Mutex<Gateway>>>, Json(body): Json<Value>) -> Response {
    let mut g = gw.lock().unwrap();
    g.calls += 1;
    if body["ApiKey"] != "api-key" || body["SecretKey"] != "sms-secret" {
        return Json(json!({"CodeResult": "101", "ErrorMessage": "Sai ApiKey hoặc SecretKey"}))
            .into_response();
    }
    if g.calls <= 2 {
        return (StatusCode::SERVICE_UNAVAILABLE, "busy").into_response();
    }
    let duplicate = g
        .accepted
        .iter()
        .any(|a| a["RequestId"] == body["RequestId"]);
    if duplicate {
        return Json(json!({"CodeResult": "124", "ErrorMessage": "Trùng RequestId"}))
            .into_response();
    }
    let valid = body["Phone"].as_str().is_some_and(|p| p.len() == 11);
    if g.calls <= 5 {
        // Accepted, but the answer is lost on the way back.
        if valid {
            g.accepted.push(body);
        }
        return (StatusCode::INTERNAL_SERVER_ERROR, "lost").into_response();
    }
    if !valid {
        return Json(json!({"CodeResult": "108", "ErrorMessage": "Số điện thoại sai định dạng"}))
            .into_response();
    }
    g.accepted.push(body);
    let id = format!("sms-{}", g.accepted.len());
    Json(json!({"CodeResult": "100", "CountRegenerate": 0, "SMSID": id})).into_response()
}

#[tokio::test]
async fn a_gateway_failing_five_times_then_recovering_gets_each_sms_once() {
    let gateway = Arc::new(Mutex::new(Gateway::default()));
    let app = axum::Router::new()
        .route(
            "/MainService.svc/json/SendMultipleMessage_V4_post_json/",
            axum::routing::post(esms_send),
        )
        .with_state(gateway.clone());
    let base = serve(app).await;
    let test = demo_db().await;
    let db = &test.db;
    let (province, commune) = (unit(db, "01").await, unit(db, "09817").await);
    let (village, other) = (unit(db, "09805-T01").await, unit(db, "09811-T01").await);
    // The province sends Vietnamese as written; this commune transliterates to GSM-7.
    let mut wide = settings(province, "sms", &base, json!({"encoding": "ucs2"}));
    wide.account = "api-key".into();
    wide.sender = "HANOI".into();
    save(db, &wide).await;
    let mut local = settings(commune, "sms", &base, json!({"encoding": "gsm7"}));
    local.account = "api-key".into();
    local.sender = "ODIEN".into();
    save(db, &local).await;
    let mut config = config();
    config.secrets.sms_secret_key = Some("sms-secret".into());
    let rows: Vec<MessageRow> = vec![
        message(
            village,
            "sms",
            "84912345678",
            "Đường thôn Đại Phùng đã sửa xong.",
        ),
        message(village, "sms", "84912345679", "Họp thôn 19h tối nay."),
        message(other, "sms", "84912345670", "Tiêm chủng sáng thứ Hai."),
        message(village, "sms", "8491", "Số sai."),
    ];
    enqueue(db, &rows).await;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let done = settle(db, &config, &ids).await;
    for row in &done[..3] {
        assert_eq!(row.status, store::SENT, "{:?}", row.reason);
    }
    assert_eq!(done[3].status, store::FAILED);
    assert_eq!(
        done[3].reason.as_deref(),
        Some("Số điện thoại sai định dạng")
    );
    let accepted = gateway.lock().unwrap().accepted.clone();
    // Each message reached the gateway once, whatever the failures.
    for row in &rows[..3] {
        let n = accepted
            .iter()
            .filter(|a| a["RequestId"] == row.idempotency_key.as_str())
            .count();
        assert_eq!(n, 1, "{}", row.body);
    }
    let first = accepted
        .iter()
        .find(|a| a["Phone"] == "84912345678")
        .unwrap();
    assert_eq!(first["Content"], "Duong thon Dai Phung da sua xong.");
    assert_eq!(
        (first["IsUnicode"].as_str(), first["Brandname"].as_str()),
        (Some("0"), Some("ODIEN"))
    );
    let wide_one = accepted
        .iter()
        .find(|a| a["Phone"] == "84912345670")
        .unwrap();
    assert_eq!(wide_one["Content"], "Tiêm chủng sáng thứ Hai.");
    assert_eq!(
        (
            wide_one["IsUnicode"].as_str(),
            wide_one["Brandname"].as_str()
        ),
        (Some("1"), Some("HANOI"))
    );
    // Every attempt is kept: five failures and the successes.
    let mut retries = 0;
    for id in &ids {
        let attempts = store::message_attempts(db, *id).await.unwrap();
        retries += attempts.iter().filter(|a| a.outcome == "retry").count();
    }
    assert_eq!(retries, 5);
}

#[tokio::test]
async fn an_officers_notice_links_to_the_site_at_its_public_address() {
    let dir = tempfile::tempdir().unwrap();
    let (_smtp, port) = start_smtp(dir.path()).await;
    let test = demo_db().await;
    let db = &test.db;
    let commune = unit(db, "09817").await;
    let mut mail = settings(
        commune,
        "email",
        &format!("127.0.0.1:{port}"),
        json!({"tls": "none"}),
    );
    mail.sender = "noreply@odien.example.vn".into();
    save(db, &mail).await;
    let mut notice = message(
        commune,
        "email",
        "can.bo@odien.example.vn",
        "Phản ánh mới\n/work-orders/7",
    );
    notice.source = "notification".into();
    notice.subject = "Phản ánh mới".into();
    notice.html = Some("<p>Phản ánh mới</p><p>/work-orders/7</p>".into());
    enqueue(db, &[notice.clone()]).await;
    let mut config = config();
    config.public_url = "https://langso.odien.example.vn/".into();
    let rows = settle(db, &config, &[notice.id]).await;
    assert_eq!(rows[0].status, store::SENT, "{:?}", rows[0].reason);
    let mut text = String::new();
    for _ in 0..100 {
        text = read_mailbox(dir.path());
        if text.contains("Subject:") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let link = "https://langso.odien.example.vn/work-orders/7";
    assert_eq!(
        text.matches(link).count(),
        2,
        "in the text and the HTML: {text}"
    );
    assert!(text.contains(&format!("<p>{link}</p>")), "{text}");
}

#[tokio::test]
async fn an_email_arrives_in_a_real_smtp_mailbox_and_a_unit_without_the_channel_fails() {
    let dir = tempfile::tempdir().unwrap();
    let (_smtp, port) = start_smtp(dir.path()).await;
    let test = demo_db().await;
    let db = &test.db;
    let (commune, village, other) = (
        unit(db, "09817").await,
        unit(db, "09805-T01").await,
        unit(db, "09811-T01").await,
    );
    let mut mail = settings(
        commune,
        "email",
        &format!("127.0.0.1:{port}"),
        json!({"tls": "none"}),
    );
    mail.sender = "UBND xã Ô Diên <noreply@odien.example.vn>".into();
    save(db, &mail).await;
    let mut report = message(
        village,
        "email",
        "can.bo@odien.example.vn",
        "Có báo hỏng mới: đèn đường thôn Hạ.",
    );
    report.source = "notification".into();
    report.subject = "Báo hỏng mới – đèn đường".into();
    report.html = Some("<p>Có báo hỏng mới: <b>đèn đường</b> thôn Hạ.</p>".into());
    let nowhere = message(other, "email", "ai.do@example.vn", "x");
    enqueue(db, &[report.clone(), nowhere.clone()]).await;
    let rows = settle(db, &config(), &[report.id, nowhere.id]).await;
    assert_eq!(rows[0].status, store::SENT, "{:?}", rows[0].reason);
    assert_eq!(rows[1].status, store::FAILED);
    assert_eq!(
        rows[1].reason.as_deref(),
        Some("langso:no-channel?channel=email")
    );
    let mut text = String::new();
    for _ in 0..100 {
        text = read_mailbox(dir.path());
        if text.contains("Subject:") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(text.contains("To: can.bo@odien.example.vn"), "{text}");
    assert!(text.contains("Subject: Báo hỏng mới – đèn đường"), "{text}");
    assert!(
        text.contains("text/plain Có báo hỏng mới: đèn đường thôn Hạ."),
        "{text}"
    );
    assert!(
        text.contains("text/html <p>Có báo hỏng mới: <b>đèn đường</b> thôn Hạ.</p>"),
        "{text}"
    );
    assert_eq!(text.matches("Subject:").count(), 1);
}

#[tokio::test]
async fn an_oa_token_near_its_end_is_renewed_ahead_without_a_message_and_only_once() {
    let zalo: SharedZalo = Arc::new(Mutex::new(Zalo {
        access: "at-live".into(),
        refresh: "rt-0".into(),
        ..Zalo::default()
    }));
    let app = axum::Router::new()
        .route("/v4/oa/access_token", axum::routing::post(zalo_token))
        .with_state(zalo.clone());
    let base = serve(app).await;
    let test = demo_db().await;
    let db = &test.db;
    let (province, commune) = (unit(db, "01").await, unit(db, "09817").await);
    // The commune's token ends in five minutes; the province's has a day left.
    let mut oa = settings(commune, "zns", &base, json!({"oauth_url": base}));
    oa.account = "4321".into();
    oa.secret = Some("app-secret".into());
    oa.access_token = Some("at-live".into());
    oa.refresh_token = Some("rt-0".into());
    oa.token_expires_at = Some(millis(OffsetDateTime::now_utc()) + 5 * 60_000);
    save(db, &oa).await;
    let mut fresh = oa.clone();
    fresh.unit_id = province;
    fresh.refresh_token = Some("rt-province".into());
    fresh.token_expires_at = Some(millis(OffsetDateTime::now_utc()) + 86_400_000);
    save(db, &fresh).await;
    let http = langso_app::outbound::Outbound::default().client().unwrap();
    let config = config();
    let looked = langso_app::comms::channels::refresh_expiring_tokens(db, &http, &config)
        .await
        .unwrap();
    assert_eq!(looked, 1, "only the token near its end");
    assert_eq!(zalo.lock().unwrap().refreshes, 1);
    let stored = store::channel_settings_of(db, commune).await.unwrap();
    let zns = stored.iter().find(|s| s.channel == "zns").unwrap();
    assert_eq!(zns.access_token.as_deref(), Some("at-1"));
    assert_eq!(zns.refresh_token.as_deref(), Some("rt-1"));
    assert!(zns.token_expires_at.unwrap() > millis(OffsetDateTime::now_utc()) + 3_600_000);
    // The next check finds nothing to renew; the province's pair is untouched.
    let looked = langso_app::comms::channels::refresh_expiring_tokens(db, &http, &config)
        .await
        .unwrap();
    assert_eq!(looked, 0);
    assert_eq!(zalo.lock().unwrap().refreshes, 1);
    let province_row = store::channel_settings_of(db, province).await.unwrap();
    assert_eq!(
        province_row[0].refresh_token.as_deref(),
        Some("rt-province")
    );
}

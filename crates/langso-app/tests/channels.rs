//! The channel worker and its adapters, each against a local server written here that speaks
//! the provider's documented requests and answers (Zalo ZNS with its OAuth refresh and error
//! codes, eSMS.vn with its CodeResult codes), and e-mail through a real SMTP server (Debian's
//! python3-aiosmtpd) whose mailbox the test reads. SQLite by default, PostgreSQL when
//! LANGSO_TEST_DATABASE_URL is set.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use langso_app::comms::channels::{ChannelConfig, ChannelSecrets, run_channels_once};
use langso_app::outbound::Outbound;
use langso_app::progress::NoProgress;
use langso_app::{Db, demo, today};
use langso_store::comms::{self as store, ChannelSettingsRow, MessageRow, ZnsTemplateRow, millis};
use langso_store::testing::TestDb;
use serde_json::{Value, json};
use time::OffsetDateTime;
use uuid::Uuid;

async fn unit(db: &Db, code: &str) -> Uuid {
    langso_app::units::by_code(db, code, today())
        .await
        .unwrap()
        .id
}

async fn demo_db() -> TestDb {
    let test = TestDb::new().await.unwrap();
    demo::build_small(&test.db, &NoProgress).await.unwrap();
    test
}

fn settings(unit_id: Uuid, channel: &str, endpoint: &str, options: Value) -> ChannelSettingsRow {
    ChannelSettingsRow {
        unit_id,
        channel: channel.to_owned(),
        enabled: true,
        endpoint: endpoint.to_owned(),
        account: String::new(),
        sender: String::new(),
        options: options.to_string(),
        secret: None,
        access_token: None,
        refresh_token: None,
        token_expires_at: None,
        updated_at: OffsetDateTime::now_utc(),
    }
}

async fn save(db: &Db, row: &ChannelSettingsRow) {
    let mut tx = db.begin().await.unwrap();
    store::save_channel_settings(&mut tx, row).await.unwrap();
    tx.commit().await.unwrap();
}

/// A message as the contract says enqueuers write it.
fn message(unit_id: Uuid, channel: &str, address: &str, body: &str) -> MessageRow {
    MessageRow {
        id: Uuid::now_v7(),
        unit_id,
        source: "announcement".into(),
        source_id: Some(Uuid::now_v7()),
        channel: channel.into(),
        recipient_kind: "household".into(),
        recipient_id: Some(Uuid::now_v7()),
        recipient_label: "Hộ Nguyễn Văn A".into(),
        address: address.into(),
        subject: "Lịch cắt điện".into(),
        body: body.into(),
        html: None,
        template_id: None,
        template_data: None,
        idempotency_key: Uuid::now_v7().to_string(),
        status: store::QUEUED.into(),
        provider_ref: None,
        reason: None,
        attempts: 0,
        next_attempt_at: millis(OffsetDateTime::now_utc()),
        claimed_by: None,
        claimed_until: None,
        sent_at: None,
        delivered_at: None,
        created_at: OffsetDateTime::now_utc(),
    }
}

async fn enqueue(db: &Db, rows: &[MessageRow]) {
    let mut tx = db.begin().await.unwrap();
    for row in rows {
        store::insert_message(&mut tx, row).await.unwrap();
    }
    tx.commit().await.unwrap();
}

fn config() -> ChannelConfig {
    ChannelConfig {
        worker_id: "test-worker".into(),
        poll: Duration::from_millis(10),
        lease: Duration::from_secs(60),
        batch: 10,
        backoff_unit: Duration::from_millis(1),
        smtp_timeout: Duration::from_secs(10),
        secrets: ChannelSecrets::default(),
    }
}

/// Runs the worker until every message given is neither queued nor sending; returns them.
async fn settle(db: &Db, config: &ChannelConfig, ids: &[Uuid]) -> Vec<MessageRow> {
    let http = Outbound::default().client().unwrap();
    for _ in 0..2000 {
        run_channels_once(db, &http, config).await.unwrap();
        let mut rows = Vec::new();
        for id in ids {
            rows.push(store::message(db, *id).await.unwrap().unwrap());
        }
        if rows
            .iter()
            .all(|r| r.status != store::QUEUED && r.status != store::SENDING)
        {
            return rows;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    panic!("the messages did not settle");
}

async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    base
}

// --- Zalo ZNS ---

/// Zalo as documented: one live access token and one single-use refresh token.
#[derive(Default)]
struct Zalo {
    access: String,
    refresh: String,
    refreshes: usize,
    sent: Vec<Value>,
}

type SharedZalo = Arc<Mutex<Zalo>>;

async fn zalo_token(
    State(zalo): State<SharedZalo>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<BTreeMap<String, String>>,
) -> Json<Value> {
    let mut z = zalo.lock().unwrap();
    let secret_ok = headers.get("secret_key").and_then(|v| v.to_str().ok()) == Some("app-secret");
    if !secret_ok
        || form.get("app_id").map(String::as_str) != Some("4321")
        || form.get("grant_type").map(String::as_str) != Some("refresh_token")
        || form.get("refresh_token") != Some(&z.refresh)
    {
        return Json(
            json!({"error": -14014, "error_name": "Invalid refresh token",
            "error_description": "Refresh token is invalid"}),
        );
    }
    z.refreshes += 1;
    z.access = format!("at-{}", z.refreshes);
    z.refresh = format!("rt-{}", z.refreshes);
    Json(json!({"access_token": z.access, "refresh_token": z.refresh, "expires_in": "90000"}))
}

async fn zalo_send(
    State(zalo): State<SharedZalo>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Json<Value> {
    let mut z = zalo.lock().unwrap();
    if headers.get("access_token").and_then(|v| v.to_str().ok()) != Some(z.access.as_str()) {
        return Json(json!({"error": -124, "message": "Access token is invalid"}));
    }
    let phone = body["phone"].as_str().unwrap_or("");
    if phone.len() != 11 || !phone.starts_with("84") {
        return Json(json!({"error": -108, "message": "Phone number invalid"}));
    }
    z.sent.push(body);
    Json(
        json!({"error": 0, "message": "Success", "data": {"msg_id": format!("zmsg-{}", z.sent.len()),
        "sent_time": "1733550000000", "quota": {"dailyQuota": "500", "remainingQuota": "499"}}}),
    )
}

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
            .contains("which the message lacks")
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

// --- e-mail through a real SMTP server ---

/// Debian's Python (python3-aiosmtpd is installed for it, not for a pyenv or venv Python
/// that may come first on PATH).
fn python() -> &'static str {
    if std::path::Path::new("/usr/bin/python3").exists() {
        "/usr/bin/python3"
    } else {
        "python3"
    }
}

/// Debian's aiosmtpd on a free port, writing a Maildir under `dir`; killed when dropped.
struct Smtp(std::process::Child);

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn start_smtp(dir: &std::path::Path) -> (Smtp, u16) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = std::process::Command::new(python())
        .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
        .args(["-c", "aiosmtpd.handlers.Mailbox"])
        .arg(dir.join("maildir"))
        .spawn()
        .expect("python3 -m aiosmtpd (apt-get install python3-aiosmtpd)");
    let smtp = Smtp(child);
    for _ in 0..200 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return (smtp, port);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("aiosmtpd did not start");
}

/// The subject and the decoded text parts of every mail in the Maildir (Python's own parser).
fn read_mailbox(dir: &std::path::Path) -> String {
    let script = r#"
import email, email.header, glob, sys
for f in sorted(glob.glob(sys.argv[1] + '/new/*')):
    m = email.message_from_binary_file(open(f, 'rb'))
    print('To:', m['To'])
    print('Subject:', str(email.header.make_header(email.header.decode_header(m['Subject']))))
    for p in m.walk():
        if not p.is_multipart():
            print(p.get_content_type(), p.get_payload(decode=True).decode())
"#;
    let out = std::process::Command::new(python())
        .args(["-c", script])
        .arg(dir.join("maildir"))
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
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
        Some("no email channel is set up for this unit or any unit above it")
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

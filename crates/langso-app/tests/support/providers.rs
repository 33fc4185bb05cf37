//! Local servers that speak the providers' documented APIs (Zalo ZNS with its OAuth refresh),
//! Debian's aiosmtpd as a real SMTP server with its mailbox, and the channel worker driven until
//! messages settle: shared by the channel tests and the announcement's end-to-end test.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use langso_app::comms::channels::{ChannelConfig, ChannelSecrets, run_channels_once};
use langso_app::outbound::Outbound;
use langso_app::progress::NoProgress;
use langso_app::{Db, demo, today};
use langso_store::comms::{self as store, ChannelSettingsRow, MessageRow, millis};
use langso_store::testing::TestDb;
use serde_json::{Value, json};
use time::OffsetDateTime;
use uuid::Uuid;

pub async fn unit(db: &Db, code: &str) -> Uuid {
    langso_app::units::by_code(db, code, today())
        .await
        .unwrap()
        .id
}

pub async fn demo_db() -> TestDb {
    let test = TestDb::new().await.unwrap();
    demo::build_small(&test.db, &NoProgress).await.unwrap();
    test
}

pub fn settings(
    unit_id: Uuid,
    channel: &str,
    endpoint: &str,
    options: Value,
) -> ChannelSettingsRow {
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

pub async fn save(db: &Db, row: &ChannelSettingsRow) {
    let mut tx = db.begin().await.unwrap();
    store::save_channel_settings(&mut tx, row).await.unwrap();
    tx.commit().await.unwrap();
}

/// A message as the contract says enqueuers write it.
pub fn message(unit_id: Uuid, channel: &str, address: &str, body: &str) -> MessageRow {
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

pub async fn enqueue(db: &Db, rows: &[MessageRow]) {
    let mut tx = db.begin().await.unwrap();
    for row in rows {
        store::insert_message(&mut tx, row).await.unwrap();
    }
    tx.commit().await.unwrap();
}

pub fn config() -> ChannelConfig {
    ChannelConfig {
        worker_id: "test-worker".into(),
        poll: Duration::from_millis(10),
        lease: Duration::from_secs(60),
        batch: 10,
        backoff_unit: Duration::from_millis(1),
        smtp_timeout: Duration::from_secs(10),
        secrets: ChannelSecrets::default(),
        token_check: Duration::from_secs(60),
        public_url: String::new(),
    }
}

/// Runs the worker until every message given is neither queued nor sending; returns them.
pub async fn settle(db: &Db, config: &ChannelConfig, ids: &[Uuid]) -> Vec<MessageRow> {
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

pub async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    base
}

// --- Zalo ZNS ---

/// Zalo as documented: one live access token and one single-use refresh token; with a
/// `webhook`, each accepted message is followed by a signed `user_received_message` event
/// posted there, as Zalo posts its OA webhook events.
#[derive(Default)]
pub struct Zalo {
    pub access: String,
    pub refresh: String,
    pub refreshes: usize,
    pub sent: Vec<Value>,
    /// Where events go, and the OA secret key that signs them.
    pub webhook: Option<(String, String)>,
    /// The HTTP status of every event posted.
    pub events: Vec<u16>,
}

pub type SharedZalo = Arc<Mutex<Zalo>>;

pub async fn zalo_token(
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

pub async fn zalo_send(
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
    let msg_id = format!("zmsg-{}", z.sent.len());
    if let Some((url, secret)) = z.webhook.clone() {
        let event = json!({"app_id": "4321", "event_name": "user_received_message",
            "sender": {"id": "oa-1"}, "recipient": {"id": "user-1"},
            "message": {"msg_id": msg_id, "delivery_time": "1733550001000"},
            "timestamp": "1733550001000"})
        .to_string();
        let mac = langso_app::comms::channels::zalo_signature(
            "4321",
            event.as_bytes(),
            "1733550001000",
            &secret,
        );
        let zalo = zalo.clone();
        tokio::spawn(async move {
            let status = call_back(|c| {
                c.post(&url)
                    .header("X-ZEvent-Signature", format!("mac={mac}"))
                    .header("content-type", "application/json")
                    .body(event.clone())
            })
            .await;
            zalo.lock().unwrap().events.push(status);
        });
    }
    Json(
        json!({"error": 0, "message": "Success", "data": {"msg_id": msg_id,
        "sent_time": "1733550000000", "quota": {"dailyQuota": "500", "remainingQuota": "499"}}}),
    )
}

/// A provider's report call, a moment after its answer and tried again on anything but 200
/// up to five times (eSMS documents five; Zalo retries for hours): its last status.
pub async fn call_back(request: impl Fn(&reqwest::Client) -> reqwest::RequestBuilder) -> u16 {
    let client = Outbound::default().client().unwrap();
    let mut status = 0;
    for _ in 0..5 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        status = match request(&client).send().await {
            Ok(r) => r.status().as_u16(),
            Err(_) => 0,
        };
        if status == 200 || status == 401 || status == 404 || status == 400 {
            break;
        }
    }
    status
}

// --- eSMS.vn ---

/// eSMS.vn as documented: keys checked, a repeated RequestId answered 124; each accepted
/// message's `CallbackUrl` called by GET with SMSID, RequestId and SendStatus (4 for the
/// phones in `reject`, else 5).
#[derive(Default)]
pub struct Esms {
    pub sent: Vec<Value>,
    pub reject: Vec<String>,
    /// The HTTP status of every callback.
    pub callbacks: Vec<u16>,
}

pub type SharedEsms = Arc<Mutex<Esms>>;

pub async fn esms_send(State(esms): State<SharedEsms>, Json(body): Json<Value>) -> Json<Value> {
    let mut e = esms.lock().unwrap();
    if body["ApiKey"] != "api-key" || body["SecretKey"] != "sms-secret" {
        return Json(json!({"CodeResult": "101", "ErrorMessage": "Sai ApiKey hoặc SecretKey"}));
    }
    if e.sent.iter().any(|s| s["RequestId"] == body["RequestId"]) {
        return Json(json!({"CodeResult": "124", "ErrorMessage": "Trùng RequestId"}));
    }
    let smsid = format!("{}", Uuid::now_v7());
    let rejected = e.reject.iter().any(|p| body["Phone"] == p.as_str());
    if let Some(callback) = body["CallbackUrl"].as_str() {
        let url = format!(
            "{callback}?SMSID={smsid}&SendFailed={}&SendStatus={}&SendSuccess={}&TotalPrice=0.0000\
             &TotalReceiver=1&TotalSent=1&RequestId={}&TypeId=2&telcoid=1&phonenumber={}&switchsmsid=",
            u8::from(rejected),
            if rejected { 4 } else { 5 },
            u8::from(!rejected),
            body["RequestId"].as_str().unwrap_or(""),
            body["Phone"].as_str().unwrap_or(""),
        );
        let esms = esms.clone();
        tokio::spawn(async move {
            let status = call_back(|c| c.get(&url)).await;
            esms.lock().unwrap().callbacks.push(status);
        });
    }
    e.sent.push(body);
    Json(json!({"CodeResult": "100", "CountRegenerate": 0, "SMSID": smsid}))
}

// --- e-mail through a real SMTP server ---

/// Debian's Python (python3-aiosmtpd is installed for it, not for a pyenv or venv Python
/// that may come first on PATH).
pub fn python() -> &'static str {
    if std::path::Path::new("/usr/bin/python3").exists() {
        "/usr/bin/python3"
    } else {
        "python3"
    }
}

/// Debian's aiosmtpd on a free port, writing a Maildir under `dir`; killed when dropped.
pub struct Smtp(std::process::Child);

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub async fn start_smtp(dir: &std::path::Path) -> (Smtp, u16) {
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
pub fn read_mailbox(dir: &std::path::Path) -> String {
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

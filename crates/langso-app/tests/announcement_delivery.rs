//! Issue 17's whole path, end to end: an announcement to two villages picked from the
//! composer's list is published, and the channel worker delivers it through a local server
//! speaking Zalo ZNS's documented API, one speaking eSMS.vn's, and a real SMTP server (Debian's
//! aiosmtpd) for the responsible officer's e-mail; each recipient gets it once, and the
//! announcement's delivery view says so per recipient. SQLite by default, PostgreSQL when
//! LANGSO_TEST_DATABASE_URL is set.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/providers.rs"]
mod providers;

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use axum::Json;
use axum::extract::State;
use langso_app::auth::Grant;
use langso_app::comms::{self, NewAnnouncement};
use langso_app::{Actor, Db, today};
use langso_domain::auth::Role;
use langso_store::comms::{self as store, ZnsTemplateRow, millis};
use serde_json::{Value, json};
use time::OffsetDateTime;
use uuid::Uuid;

use providers::*;

async fn person(db: &Db, role: Role, code: &str) -> Actor {
    let unit = langso_app::units::by_code(db, code, today()).await.unwrap();
    Actor::new(
        None,
        format!("{code}:{}", role.as_str()),
        vec![Grant {
            role,
            unit_id: unit.id,
            unit_name: unit.name,
        }],
        true,
    )
}

/// eSMS.vn as documented: the keys checked, a repeated RequestId answered 124 (duplicate).
async fn esms(State(sent): State<Arc<Mutex<Vec<Value>>>>, Json(body): Json<Value>) -> Json<Value> {
    let mut sent = sent.lock().unwrap();
    if body["ApiKey"] != "api-key" || body["SecretKey"] != "sms-secret" {
        return Json(json!({"CodeResult": "101", "ErrorMessage": "Sai ApiKey hoặc SecretKey"}));
    }
    if sent.iter().any(|s| s["RequestId"] == body["RequestId"]) {
        return Json(json!({"CodeResult": "124", "ErrorMessage": "Trùng RequestId"}));
    }
    sent.push(body);
    Json(json!({"CodeResult": "100", "CountRegenerate": 0, "SMSID": format!("sms-{}", sent.len())}))
}

#[tokio::test]
async fn an_announcement_to_two_villages_reaches_each_recipient_once_on_every_channel() {
    let zalo: SharedZalo = Arc::new(Mutex::new(Zalo {
        access: "at-live".into(),
        refresh: "rt-0".into(),
        ..Zalo::default()
    }));
    let zalo_base = serve(
        axum::Router::new()
            .route("/v4/oa/access_token", axum::routing::post(zalo_token))
            .route("/message/template", axum::routing::post(zalo_send))
            .with_state(zalo.clone()),
    )
    .await;
    let texts = Arc::new(Mutex::new(Vec::new()));
    let sms_base = serve(
        axum::Router::new()
            .route(
                "/MainService.svc/json/SendMultipleMessage_V4_post_json/",
                axum::routing::post(esms),
            )
            .with_state(texts.clone()),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let (_smtp, port) = start_smtp(dir.path()).await;

    let test = demo_db().await;
    let db = &test.db;
    let commune = unit(db, "09817").await;
    let mut oa = settings(commune, "zns", &zalo_base, json!({"oauth_url": zalo_base}));
    oa.account = "4321".into();
    oa.secret = Some("app-secret".into());
    oa.access_token = Some("at-live".into());
    oa.refresh_token = Some("rt-0".into());
    oa.token_expires_at = Some(millis(OffsetDateTime::now_utc()) + 86_400_000);
    save(db, &oa).await;
    let mut sms = settings(commune, "sms", &sms_base, json!({"encoding": "ucs2"}));
    sms.account = "api-key".into();
    sms.sender = "ODIEN".into();
    save(db, &sms).await;
    let mut mail = settings(
        commune,
        "email",
        &format!("127.0.0.1:{port}"),
        json!({"tls": "none"}),
    );
    mail.sender = "UBND xã Ô Diên <noreply@odien.example.vn>".into();
    save(db, &mail).await;
    let mut tx = db.begin().await.unwrap();
    store::save_zns_template(
        &mut tx,
        &ZnsTemplateRow {
            unit_id: commune,
            source: "announcement".into(),
            template_id: "301234".into(),
            params: json!({"tieu_de": "title", "noi_dung": "body"}).to_string(),
        },
    )
    .await
    .unwrap();
    // The commune's officer gave an e-mail address.
    let officer_account = langso_store::auth::list_users(db)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.login == "canbo.odien")
        .unwrap();
    store::set_contacts(
        &mut tx,
        officer_account.id,
        Some("canbo.odien@langso.test"),
        None,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let member = person(db, Role::TeamMember, "09817").await;
    let officer = person(db, Role::Officer, "09817").await;
    let (choices, _) = comms::target_choices(db, &member, commune, "", &[], 100)
        .await
        .unwrap();
    let villages: Vec<String> = choices
        .iter()
        .filter(|c| c.kind == "village")
        .take(2)
        .map(|c| c.value.clone())
        .collect();
    assert_eq!(villages.len(), 2);
    let draft = comms::create_announcement(
        db,
        &member,
        &NewAnnouncement {
            unit_id: Some(commune),
            title: "Họp thôn về chuyển đổi số".into(),
            body: "**Tối thứ Bảy** tại nhà văn hóa.".into(),
            category: "event".into(),
            targets: villages,
            channels: vec!["feed".into(), "zns".into(), "sms".into(), "email".into()],
            public_url: "https://langso.example".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    comms::decide(db, &officer, draft.id, true).await.unwrap();

    let rows = store::messages_of(db, "announcement", draft.id)
        .await
        .unwrap();
    let queued: Vec<Uuid> = rows
        .iter()
        .filter(|m| m.status == store::QUEUED)
        .map(|m| m.id)
        .collect();
    let mut config = config();
    config.secrets.sms_secret_key = Some("sms-secret".into());
    let settled = settle(db, &config, &queued).await;
    for channel in ["zns", "sms", "email"] {
        let of: Vec<_> = settled.iter().filter(|m| m.channel == channel).collect();
        assert!(!of.is_empty(), "no {channel} message");
        let sent = of.iter().filter(|m| m.status == store::SENT).count();
        let refused: Vec<_> = of.iter().filter(|m| m.status != store::SENT).collect();
        // Only a phone the provider itself refuses may fail, with its reason; nothing waits.
        assert!(
            refused
                .iter()
                .all(|m| m.status == store::FAILED && m.reason.is_some()),
            "{refused:?}"
        );
        assert!(sent > 0, "{channel}: none sent");
    }
    // Each recipient once at each provider.
    let zns_phones: Vec<String> = zalo
        .lock()
        .unwrap()
        .sent
        .iter()
        .map(|s| s["phone"].to_string())
        .collect();
    let zns_sent = settled
        .iter()
        .filter(|m| m.channel == "zns" && m.status == store::SENT)
        .count();
    assert_eq!(zns_phones.len(), zns_sent);
    assert_eq!(
        zns_phones.iter().collect::<BTreeSet<_>>().len(),
        zns_phones.len()
    );
    let sms_ids: Vec<String> = texts
        .lock()
        .unwrap()
        .iter()
        .map(|s| s["RequestId"].to_string())
        .collect();
    let sms_sent = settled
        .iter()
        .filter(|m| m.channel == "sms" && m.status == store::SENT)
        .count();
    assert_eq!(sms_ids.len(), sms_sent);
    assert_eq!(sms_ids.iter().collect::<BTreeSet<_>>().len(), sms_ids.len());
    assert!(
        texts.lock().unwrap()[0]["Content"]
            .as_str()
            .unwrap()
            .starts_with("Họp thôn về chuyển đổi số")
    );
    // The officer's mail is in the real server's mailbox, once.
    let mut text = String::new();
    for _ in 0..100 {
        text = read_mailbox(dir.path());
        if text.contains("Subject:") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(text.contains("To: canbo.odien@langso.test"), "{text}");
    assert_eq!(
        text.matches("Subject: Họp thôn về chuyển đổi số").count(),
        1,
        "{text}"
    );

    // The delivery view tells it per channel and per recipient.
    let seen = comms::deliveries(db, &officer, draft.id, 1).await.unwrap();
    let counts: Vec<(String, Vec<(String, i64)>)> = seen.per_channel.clone();
    for (channel, statuses) in &counts {
        let total: i64 = statuses.iter().map(|(_, n)| n).sum();
        let sent: i64 = statuses
            .iter()
            .filter(|(s, _)| s == store::SENT)
            .map(|(_, n)| n)
            .sum();
        assert!(sent > 0 && sent <= total, "{channel}: {statuses:?}");
    }
    assert!(
        seen.rows
            .iter()
            .any(|m| m.status == store::SENT && m.provider_ref.is_some())
    );
    // Run the worker again: nothing is sent a second time.
    settle(db, &config, &queued).await;
    assert_eq!(zalo.lock().unwrap().sent.len(), zns_sent);
    assert_eq!(texts.lock().unwrap().len(), sms_sent);
}

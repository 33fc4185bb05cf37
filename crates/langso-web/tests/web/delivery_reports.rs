//! Providers' delivery reports over real HTTP (issue 17, item 2's "delivered/failed with the
//! provider's reason"): an announcement to two villages goes through local servers speaking
//! Zalo ZNS's and eSMS.vn's documented APIs, and those servers then call the running app the
//! way the providers do (eSMS's GET callback to the `CallbackUrl` it was given, Zalo's signed
//! `user_received_message` webhook event), so each recipient goes queued → sent → delivered,
//! and the one the network rejects is failed with the reason in words on the page. A bad
//! signature, an unknown token, another unit's token and an oversized report change nothing.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use langso_app::auth::Grant;
use langso_app::comms::{self, NewAnnouncement};
use langso_app::demo::DEMO_PASSWORD;
use langso_app::{Actor, Db, today};
use langso_domain::auth::Role;
use langso_store::comms::{self as store, MessageRow, ZnsTemplateRow, millis};
use serde_json::json;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::support::TestApp;

#[path = "../../../langso-app/tests/support/providers.rs"]
mod providers;

use providers::*;

const OA_SECRET: &str = "oa-secret-key";

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

/// The commune's ZNS and SMS settings pointing at the local providers, with the OA secret.
async fn channels(db: &Db, commune: Uuid, zalo_base: &str, sms_base: &str) {
    let mut oa = settings(commune, "zns", zalo_base, json!({"oauth_url": zalo_base}));
    oa.account = "4321".into();
    oa.secret = Some("app-secret".into());
    oa.access_token = Some("at-live".into());
    oa.refresh_token = Some("rt-0".into());
    oa.token_expires_at = Some(millis(OffsetDateTime::now_utc()) + 86_400_000);
    save(db, &oa).await;
    let mut sms = settings(commune, "sms", sms_base, json!({"encoding": "ucs2"}));
    sms.account = "api-key".into();
    sms.sender = "ODIEN".into();
    save(db, &sms).await;
    let mut tx = db.begin().await.unwrap();
    store::set_hook_secret(&mut tx, commune, "zns", OA_SECRET)
        .await
        .unwrap();
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
    tx.commit().await.unwrap();
}

/// Waits until no message of `ids` is still SENT (the reports have come), or gives up.
async fn reported(db: &Db, ids: &[Uuid]) -> Vec<MessageRow> {
    let mut rows = Vec::new();
    for _ in 0..200 {
        rows.clear();
        for id in ids {
            rows.push(store::message(db, *id).await.unwrap().unwrap());
        }
        if rows.iter().all(|r| r.status != store::SENT) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    rows
}

#[tokio::test]
async fn each_recipient_goes_queued_sent_delivered_from_the_providers_own_reports() {
    let app = TestApp::with_demo().await;
    let zalo: SharedZalo = Arc::new(Mutex::new(Zalo {
        access: "at-live".into(),
        refresh: "rt-0".into(),
        webhook: Some((format!("{}/hooks/zalo", app.base), OA_SECRET.into())),
        ..Zalo::default()
    }));
    let zalo_base = serve(
        axum::Router::new()
            .route("/v4/oa/access_token", axum::routing::post(zalo_token))
            .route("/message/template", axum::routing::post(zalo_send))
            .with_state(zalo.clone()),
    )
    .await;
    let esms: SharedEsms = Arc::new(Mutex::new(Esms::default()));
    let sms_base = serve(
        axum::Router::new()
            .route(
                "/MainService.svc/json/SendMultipleMessage_V4_post_json/",
                axum::routing::post(esms_send),
            )
            .with_state(esms.clone()),
    )
    .await;
    let db = app.db();
    let commune = unit(db, "09817").await;
    channels(db, commune, &zalo_base, &sms_base).await;

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
    let draft = comms::create_announcement(
        db,
        &member,
        &NewAnnouncement {
            unit_id: Some(commune),
            title: "Họp thôn về chuyển đổi số".into(),
            body: "Tối thứ Bảy tại nhà văn hóa.".into(),
            category: "event".into(),
            targets: villages,
            channels: vec!["zns".into(), "sms".into()],
            public_url: "https://langso.example".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    comms::decide(db, &officer, draft.id, true).await.unwrap();
    let queued: Vec<MessageRow> = store::messages_of(db, "announcement", draft.id)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.status == store::QUEUED && m.address.len() == 11)
        .collect();
    assert!(queued.iter().any(|m| m.channel == "zns"));
    let texts: Vec<&MessageRow> = queued.iter().filter(|m| m.channel == "sms").collect();
    assert!(texts.len() >= 2, "two SMS at least: {}", texts.len());
    // The network rejects the first SMS recipient's message.
    let rejected = texts[0].id;
    esms.lock().unwrap().reject.push(texts[0].address.clone());

    let ids: Vec<Uuid> = queued.iter().map(|m| m.id).collect();
    let mut config = config();
    config.secrets.sms_secret_key = Some("sms-secret".into());
    config.public_url = app.base.clone();
    // Settled: every message was accepted (a report may already have come back).
    let sent = settle(db, &config, &ids).await;
    assert!(
        sent.iter().all(|m| m.sent_at.is_some()),
        "{:?}",
        sent.iter().map(|m| &m.reason).collect::<Vec<_>>()
    );
    // eSMS was given a callback address on this server, under an unguessable token.
    let callback = esms.lock().unwrap().sent[0]["CallbackUrl"]
        .as_str()
        .unwrap()
        .to_owned();
    let token = callback
        .strip_prefix(&format!("{}/hooks/esms/", app.base))
        .unwrap()
        .to_owned();
    assert_eq!(token.len(), 64, "{callback}");

    let rows = reported(db, &ids).await;
    for row in &rows {
        let attempts = store::message_attempts(db, row.id).await.unwrap();
        let outcomes: Vec<&str> = attempts.iter().map(|a| a.outcome.as_str()).collect();
        if row.id == rejected {
            assert_eq!(row.status, store::FAILED);
            assert_eq!(row.reason.as_deref(), Some("langso:esms-rejected?status=4"));
            assert_eq!(outcomes, ["sent", "failed"]);
        } else {
            assert_eq!(
                row.status,
                store::DELIVERED,
                "{} {:?}",
                row.channel,
                row.reason
            );
            assert!(row.delivered_at.is_some() && row.sent_at.is_some());
            assert_eq!(outcomes, ["sent", "delivered"], "{}", row.channel);
        }
    }
    assert!(esms.lock().unwrap().callbacks.iter().all(|s| *s == 200));
    assert!(zalo.lock().unwrap().events.iter().all(|s| *s == 200));

    // The delivery view counts them, and the page words the rejection.
    let seen = comms::deliveries(db, &officer, draft.id, 1).await.unwrap();
    let sms_counts = &seen.per_channel.iter().find(|(c, _)| c == "sms").unwrap().1;
    assert!(
        sms_counts.contains(&(store::FAILED.to_owned(), 1)),
        "{sms_counts:?}"
    );
    let session = app.login("canbo.odien", DEMO_PASSWORD).await;
    let page = app
        .client
        .get(format!("{}/announcements/{}", app.base, draft.id))
        .header("cookie", session.header())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("đã đến người nhận"), "delivered in words");
    assert!(
        page.contains("nhà mạng hoặc eSMS từ chối tin (trạng thái 4)"),
        "the rejection in words"
    );
    assert!(!page.contains("langso:"), "no key shown");

    // A report repeated changes nothing.
    let again = app
        .client
        .get(format!(
            "{}/hooks/esms/{token}?SMSID=x&SendStatus=4&RequestId={}",
            app.base, texts[1].idempotency_key
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 200);
    let after = store::message(db, texts[1].id).await.unwrap().unwrap();
    assert_eq!(after.status, store::DELIVERED);
}

#[tokio::test]
async fn bad_signatures_unknown_tokens_other_units_and_oversized_reports_change_nothing() {
    let app = TestApp::with_demo().await;
    let db = app.db();
    let (commune, other) = (unit(db, "09817").await, unit(db, "09784").await);
    let village = unit(db, "09805-T01").await;
    channels(db, commune, "http://127.0.0.1:9", "http://127.0.0.1:9").await;
    let mut sms = settings(other, "sms", "http://127.0.0.1:9", json!({}));
    sms.account = "api-key".into();
    save(db, &sms).await;
    let mut tx = db.begin().await.unwrap();
    let mine = "a".repeat(64);
    let theirs = "b".repeat(64);
    store::hook_token(&mut tx, commune, "sms", &mine)
        .await
        .unwrap();
    store::hook_token(&mut tx, other, "sms", &theirs)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    // One SMS and one ZNS message of the commune's village, accepted by their providers.
    let mut text = message(village, "sms", "84912345678", "x");
    text.status = store::SENT.into();
    text.provider_ref = Some("esms-1".into());
    let mut zns = message(village, "zns", "84912345679", "y");
    zns.status = store::SENT.into();
    zns.provider_ref = Some("zmsg-77".into());
    enqueue(db, &[text.clone(), zns.clone()]).await;
    let status = |id| async move { store::message(db, id).await.unwrap().unwrap().status };
    let client = &app.client;
    let get = |path: String| {
        let url = format!("{}{path}", app.base);
        async move { client.get(url).send().await.unwrap().status().as_u16() }
    };

    // eSMS: an unknown token, another commune's token, too many parameters, a state on the way.
    let report = format!(
        "SMSID=esms-1&SendStatus=5&SendSuccess=1&SendFailed=0&RequestId={}",
        text.idempotency_key
    );
    assert_eq!(
        get(format!("/hooks/esms/{}?{report}", "c".repeat(64))).await,
        404
    );
    assert_eq!(get(format!("/hooks/esms/{theirs}?{report}")).await, 404);
    let many: String = (0..60).map(|i| format!("p{i}=1&")).collect();
    assert_eq!(get(format!("/hooks/esms/{mine}?{many}{report}")).await, 400);
    assert_eq!(
        get(format!("/hooks/esms/{mine}?SMSID=esms-1&SendStatus=7")).await,
        200
    );
    assert_eq!(status(text.id).await, store::SENT);
    assert_eq!(get(format!("/hooks/esms/{mine}?{report}")).await, 200);
    assert_eq!(status(text.id).await, store::DELIVERED);

    // Zalo: a wrong signature is refused and changes nothing; the right one delivers.
    let event = json!({"app_id": "4321", "event_name": "user_received_message",
        "message": {"msg_id": "zmsg-77"}, "timestamp": "1733550001000"})
    .to_string();
    let post = |signature: String| {
        let (url, body) = (format!("{}/hooks/zalo", app.base), event.clone());
        async move {
            client
                .post(url)
                .header("X-ZEvent-Signature", signature)
                .body(body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    let wrong = comms::channels::zalo_signature("4321", event.as_bytes(), "1733550001000", "guess");
    assert_eq!(post(format!("mac={wrong}")).await, 401);
    assert_eq!(post(String::new()).await, 401);
    assert_eq!(status(zns.id).await, store::SENT);
    let right =
        comms::channels::zalo_signature("4321", event.as_bytes(), "1733550001000", OA_SECRET);
    assert_eq!(post(format!("mac={right}")).await, 200);
    assert_eq!(status(zns.id).await, store::DELIVERED);
    assert_eq!(post(format!("mac={right}")).await, 200);
    assert_eq!(store::message_attempts(db, zns.id).await.unwrap().len(), 1);
    // A body past the limit is refused before it is read.
    let big = app
        .client
        .post(format!("{}/hooks/zalo", app.base))
        .header("X-ZEvent-Signature", format!("mac={right}"))
        .body("x".repeat(comms::channels::MAX_EVENT_BODY + 1))
        .send()
        .await
        .unwrap();
    assert_eq!(big.status(), 413);
}

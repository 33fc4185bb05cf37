//! The offline round's server side over real HTTP (issue 18): the copy of the round a phone
//! keeps (`GET /round/offline`) and the sync of what it recorded (`POST /round/sync`) —
//! masking, 401 without a session, exactly once, conflicts, older catalogues, held visits,
//! revoked phones, proposals and limits. SQLite, and PostgreSQL with LANGSO_TEST_DATABASE_URL.

use langso_app::Actor;
use langso_app::households::{VisitInput, record_visit};
use langso_domain::auth::Role;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::round::{account, household, villages};
use crate::support::{Session, TestApp};

const PASSWORD: &str = "mật khẩu thử vòng thăm";

async fn pack(app: &TestApp, session: Option<&Session>, query: &str) -> (u16, Value) {
    let mut request = app.client.get(format!("{}/round/offline{query}", app.base));
    if let Some(session) = session {
        request = request.header("cookie", session.header());
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or_default())
}

async fn sync_raw(app: &TestApp, session: &Session, body: Vec<u8>) -> (u16, Value) {
    let response = app
        .client
        .post(format!("{}/round/sync", app.base))
        .header("cookie", session.header())
        .header("x-csrf-token", &session.csrf)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or_default())
}

async fn sync(app: &TestApp, session: &Session, body: &Value) -> (u16, Value) {
    sync_raw(app, session, serde_json::to_vec(body).unwrap()).await
}

/// The outcomes of a sync answer, in order.
fn outcomes(answer: &Value) -> Vec<String> {
    answer["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["outcome"].as_str().unwrap().to_owned())
        .collect()
}

fn visit(member: Uuid, household: Uuid, version: i64, catalogue: &str, smartphones: i64) -> Value {
    json!({
        "id": Uuid::now_v7(), "household_id": household, "household_version": version,
        "catalogue_version": catalogue, "member_id": member,
        "visited_on": langso_app::today().to_string(),
        "values": {"smartphones": smartphones}, "help": [], "follow_up_on": null, "notes": "",
    })
}

async fn counter(app: &TestApp, unit: Uuid, key: &str) -> i64 {
    langso_store::households::counters_under(app.db(), unit, langso_app::today())
        .await
        .unwrap()
        .into_iter()
        .find(|(k, _)| k == key)
        .map_or(0, |(_, v)| v)
}

async fn ledger(app: &TestApp, household: Uuid) -> usize {
    langso_store::households::visits_of(app.db(), household)
        .await
        .unwrap()
        .len()
}

/// The household's version in the member's copy.
fn version_in(copy: &Value, household: Uuid) -> i64 {
    copy["households"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == json!(household))
        .unwrap()["version"]
        .as_i64()
        .unwrap()
}

/// A team member of `village` acting through the app layer.
pub(crate) fn member_actor(user: Uuid, village: Uuid) -> Actor {
    let grant = langso_app::auth::Grant {
        role: Role::TeamMember,
        unit_id: village,
        unit_name: String::new(),
    };
    Actor::new(Some(user), format!("member {user}"), vec![grant], false)
}

async fn with_phone(app: &TestApp, household: Uuid, phone: &str) {
    let mut row = langso_store::households::get_household(app.db(), household)
        .await
        .unwrap()
        .unwrap();
    row.representative_phone = Some(phone.to_owned());
    let mut tx = app.db().begin().await.unwrap();
    langso_store::households::update_household(&mut tx, &row)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn the_copy_is_masked_unless_the_member_may_see_numbers_and_needs_a_session() {
    let app = TestApp::with_demo().await;
    let (a, _, _) = villages(&app).await;
    let member = account(&app, "offline.an", Role::TeamMember, a).await;
    let far = household(&app, a, "OF-2", "Ngõ 10", "1", Some(member)).await;
    let near = household(&app, a, "OF-1", "Ngõ 2", "5", Some(member)).await;
    with_phone(&app, near, "0912345678").await;

    let (status, body) = pack(&app, None, "").await;
    assert_eq!(status, 401, "no redirect without a session");
    assert_eq!(body["sign_in"], "/login?next=/round");

    let session = app.login("offline.an", PASSWORD).await;
    let device = Uuid::now_v7();
    let (status, copy) = pack(&app, Some(&session), &format!("?device={device}")).await;
    assert_eq!(status, 200, "{copy}");
    assert_eq!(copy["member_id"], json!(member));
    assert_eq!(copy["device_id"], json!(device));
    let ids: Vec<&Value> = copy["households"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| &h["id"])
        .collect();
    assert_eq!(
        ids,
        [&json!(near), &json!(far)],
        "walking order: Ngõ 2 before Ngõ 10"
    );
    let phone = copy["households"][0]["phone"].as_str().unwrap();
    assert!(
        phone.contains('*') && !phone.contains("345"),
        "masked: {phone}"
    );
    assert!(copy["catalogue"]["indicators"].as_array().unwrap().len() > 5);
    assert!(copy["catalogue"]["version"].as_str().unwrap().len() == 10);
    assert!(copy["labels"].is_object());
    let devices = langso_store::households::devices_of(app.db(), member)
        .await
        .unwrap();
    assert_eq!(devices.len(), 1);
    assert!(devices[0].last_pack_at.is_some());

    langso_app::auth::set_pii(app.db(), &Actor::system("test"), member, true)
        .await
        .unwrap();
    let session = app.login("offline.an", PASSWORD).await;
    let (_, copy) = pack(&app, Some(&session), "").await;
    assert_eq!(
        copy["households"][0]["phone"], "0912345678",
        "unmasked with the right"
    );
}

#[tokio::test]
async fn a_batch_sent_twice_is_written_once_and_a_stale_visit_is_flagged() {
    let app = TestApp::with_demo().await;
    let (a, _, _) = villages(&app).await;
    let member = account(&app, "offline.binh", Role::TeamMember, a).await;
    let other = account(&app, "offline.chi", Role::TeamMember, a).await;
    let one = household(&app, a, "OF-3", "Ngõ 1", "1", Some(member)).await;
    let two = household(&app, a, "OF-4", "Ngõ 1", "2", Some(member)).await;
    let session = app.login("offline.binh", PASSWORD).await;
    let (_, copy) = pack(&app, Some(&session), "").await;
    let catalogue = copy["catalogue"]["version"].as_str().unwrap().to_owned();
    let (v1, v2) = (version_in(&copy, one), version_in(&copy, two));
    let before = counter(&app, a, "ind:smartphones").await;

    // Meanwhile another member visits household two, through the app layer.
    let other_actor = member_actor(other, a);
    let input = VisitInput {
        values: [("smartphones".to_owned(), 1)].into(),
        ..VisitInput::default()
    };
    record_visit(app.db(), &other_actor, two, &input)
        .await
        .unwrap();

    let batch = json!({
        "device_id": Uuid::now_v7(),
        "visits": [visit(member, one, v1, &catalogue, 3), visit(member, two, v2, &catalogue, 2)],
    });
    let (status, answer) = sync(&app, &session, &batch).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(outcomes(&answer), ["recorded", "conflict"], "{answer}");
    assert_eq!(answer["catalogue_version"], json!(catalogue));
    assert!(!answer["results"][1]["message"].as_str().unwrap().is_empty());
    let after = counter(&app, a, "ind:smartphones").await;
    assert_eq!(
        after,
        before + 3 + 2,
        "counters moved once, to the latest values"
    );

    let (status, again) = sync(&app, &session, &batch).await;
    assert_eq!(status, 200);
    assert_eq!(outcomes(&again), ["already_received", "already_received"]);
    assert_eq!(ledger(&app, one).await, 1);
    assert_eq!(ledger(&app, two).await, 2);
    assert_eq!(
        counter(&app, a, "ind:smartphones").await,
        after,
        "no second move"
    );

    let flagged = langso_store::households::flagged_under(app.db(), a, langso_app::today())
        .await
        .unwrap();
    assert_eq!(flagged.len(), 1);
    assert_eq!(flagged[0].household_id, two);
}

/// A form posted with the session's CSRF token.
async fn post_form(
    app: &TestApp,
    session: &Session,
    path: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    let mut pairs = vec![("csrf", session.csrf.as_str())];
    pairs.extend_from_slice(form);
    app.client
        .post(format!("{}{path}", app.base))
        .header("cookie", session.header())
        .form(&pairs)
        .send()
        .await
        .unwrap()
}

async fn page(app: &TestApp, session: &Session, path: &str) -> (u16, String) {
    let response = app
        .client
        .get(format!("{}{path}", app.base))
        .header("cookie", session.header())
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn an_older_catalogue_is_accepted_and_bad_items_are_refused_with_a_reason() {
    let app = TestApp::with_demo().await;
    let (a, _, other_commune) = villages(&app).await;
    let member = account(&app, "offline.dung", Role::TeamMember, a).await;
    let one = household(&app, a, "OF-5", "Ngõ 1", "1", Some(member)).await;
    let two = household(&app, a, "OF-6", "Ngõ 1", "2", Some(member)).await;
    let far = household(&app, other_commune, "OF-7", "Ngõ 1", "3", None).await;
    let session = app.login("offline.dung", PASSWORD).await;
    let (_, copy) = pack(&app, Some(&session), "").await;
    let old = copy["catalogue"]["version"].as_str().unwrap().to_owned();

    // Today the questionnaire changes: "smartphones" is retired.
    let today = langso_app::today();
    let mut tx = app.db().begin().await.unwrap();
    let retired = langso_store::households::IndicatorRow {
        code: "smartphones".to_owned(),
        version: 2,
        kind: "retired".to_owned(),
        label_vi: String::new(),
        label_en: String::new(),
        help_vi: String::new(),
        help_en: String::new(),
        business_only: false,
        position: 0,
        valid_from: today,
    };
    langso_store::households::insert_indicator(&mut tx, &retired)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let before = counter(&app, a, "ind:smartphones").await;

    let kept = visit(member, one, version_in(&copy, one), &old, 4);
    let mut too_many = visit(member, two, version_in(&copy, two), &old, 99);
    too_many["values"] = json!({"smartphones": 99});
    let outside = visit(member, far, 0, &old, 1);
    let unknown = visit(member, Uuid::now_v7(), 0, &old, 1);
    let broken = json!({"id": "not-a-uuid", "household_id": one});
    let batch = json!({"visits": [kept, too_many, outside, unknown, broken]});
    let (status, answer) = sync(&app, &session, &batch).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        outcomes(&answer),
        ["recorded", "refused", "refused", "refused", "refused"],
        "{answer}"
    );
    assert_eq!(
        answer["catalogue_version"],
        json!(today.to_string()),
        "the phone refreshes"
    );
    let reason = answer["results"][1]["message"].as_str().unwrap();
    assert!(reason.contains("smartphones"), "names the field: {reason}");
    assert!(!reason.contains("rounds-"), "no key shown: {reason}");

    // Kept in the ledger as recorded, applied to nothing: the indicator is no longer in force.
    let visits = langso_store::households::visits_of(app.db(), one)
        .await
        .unwrap();
    assert_eq!(visits.len(), 1);
    assert!(visits[0].observed.contains("\"smartphones\":4"));
    assert_eq!(counter(&app, a, "ind:smartphones").await, before);
    let values = langso_store::households::household_values(app.db(), one)
        .await
        .unwrap();
    assert!(values.iter().all(|(code, _)| code != "smartphones"));
}

#[tokio::test]
async fn a_revoked_grant_or_phone_holds_visits_for_the_village_head() {
    let app = TestApp::with_demo().await;
    let (a, _, _) = villages(&app).await;
    let member = account(&app, "offline.em", Role::TeamMember, a).await;
    account(&app, "offline.truong", Role::VillageHead, a).await;
    account(&app, "offline.canbo", Role::Officer, a).await;
    let one = household(&app, a, "OF-8", "Ngõ 1", "1", Some(member)).await;
    let two = household(&app, a, "OF-9", "Ngõ 1", "2", Some(member)).await;
    let session = app.login("offline.em", PASSWORD).await;
    let device = Uuid::now_v7();
    let (_, copy) = pack(&app, Some(&session), &format!("?device={device}")).await;
    let catalogue = copy["catalogue"]["version"].as_str().unwrap().to_owned();

    // The officer revokes the phone from the member's page: its next copy is a wipe.
    let officer_session = app.login("offline.canbo", PASSWORD).await;
    let (_, user_page) = page(&app, &officer_session, &format!("/admin/users/{member}")).await;
    assert!(user_page.contains(&format!("/admin/users/{member}/devices/{device}/revoke")));
    let revoked = post_form(
        &app,
        &officer_session,
        &format!("/admin/users/{member}/devices/{device}/revoke"),
        &[],
    )
    .await;
    assert_eq!(revoked.status(), 303);
    let (status, wipe) = pack(&app, Some(&session), &format!("?device={device}")).await;
    assert_eq!(status, 410);
    assert_eq!(wipe["wipe"], true);
    let from_revoked = json!({"device_id": device,
        "visits": [visit(member, one, version_in(&copy, one), &catalogue, 2)]});
    let (_, answer) = sync(&app, &session, &from_revoked).await;
    assert_eq!(outcomes(&answer), ["held"], "{answer}");

    // The member loses the role in the village: a visit from another phone is held too.
    langso_app::auth::revoke_role(
        app.db(),
        &Actor::system("test"),
        member,
        Role::TeamMember,
        a,
    )
    .await
    .unwrap();
    let held_visit = visit(member, two, version_in(&copy, two), &catalogue, 1);
    let held_id = held_visit["id"].as_str().unwrap().to_owned();
    let (status, answer) = sync(&app, &session, &json!({"visits": [held_visit]})).await;
    assert_eq!(status, 200);
    assert_eq!(outcomes(&answer), ["held"], "{answer}");
    let (_, again) = sync(
        &app,
        &session,
        &json!({"visits": [visit(member, two, 0, &catalogue, 1)]}),
    )
    .await;
    assert_eq!(outcomes(&again), ["held"]);
    assert_eq!(
        ledger(&app, one).await + ledger(&app, two).await,
        0,
        "nothing written"
    );

    // The village head sees three held visits, accepts one and discards the others.
    let head_session = app.login("offline.truong", PASSWORD).await;
    let (status, review) = page(&app, &head_session, &format!("/households/review?unit={a}")).await;
    assert_eq!(status, 200);
    assert_eq!(
        review.matches("/households/review/held/").count(),
        3,
        "{review}"
    );
    let accepted = post_form(
        &app,
        &head_session,
        &format!("/households/review/held/{held_id}"),
        &[("unit", &a.to_string()), ("decision", "accept")],
    )
    .await;
    assert_eq!(accepted.status(), 303);
    let visits = langso_store::households::visits_of(app.db(), two)
        .await
        .unwrap();
    assert_eq!(visits.len(), 1);
    assert_eq!(
        visits[0].visitor_id,
        Some(member),
        "still the member's visit"
    );
    let (_, review) = page(&app, &head_session, &format!("/households/review?unit={a}")).await;
    assert_eq!(review.matches("/households/review/held/").count(), 2);
}

#[tokio::test]
async fn proposals_sync_once_and_the_village_head_confirms_or_rejects_them() {
    let app = TestApp::with_demo().await;
    let (a, _, _) = villages(&app).await;
    let member = account(&app, "offline.giang", Role::TeamMember, a).await;
    account(&app, "offline.truong2", Role::VillageHead, a).await;
    let old = household(&app, a, "OF-10", "Ngõ 4", "7", Some(member)).await;
    let session = app.login("offline.giang", PASSWORD).await;
    let today = langso_app::today().to_string();
    let new = json!({"id": Uuid::now_v7(), "kind": "new", "village_id": a, "member_id": member,
        "recorded_on": today, "data": {"head_name": "Lê Văn Mới", "alley": "Ngõ 9",
        "house_number": "3", "members": 4}});
    let moved = json!({"id": Uuid::now_v7(), "kind": "move", "household_id": old,
        "member_id": member, "recorded_on": today, "data": {"alley": "Ngõ 12"}});
    let odd = json!({"id": Uuid::now_v7(), "kind": "wedding", "household_id": old,
        "member_id": member, "recorded_on": today});
    let batch = json!({"proposals": [new, moved, odd]});
    let (_, answer) = sync(&app, &session, &batch).await;
    assert_eq!(
        outcomes(&answer),
        ["recorded", "recorded", "refused"],
        "{answer}"
    );
    let (_, again) = sync(&app, &session, &batch).await;
    assert_eq!(
        outcomes(&again),
        ["already_received", "already_received", "refused"]
    );

    let head = app.login("offline.truong2", PASSWORD).await;
    let (_, review) = page(&app, &head, &format!("/households/review?unit={a}")).await;
    assert!(review.contains("Lê Văn Mới"), "{review}");
    let new_id = new["id"].as_str().unwrap();
    let confirmed = post_form(
        &app,
        &head,
        &format!("/households/review/proposals/{new_id}"),
        &[
            ("unit", &a.to_string()),
            ("decision", "confirm"),
            ("code", "DX-MOI-1"),
        ],
    )
    .await;
    assert_eq!(confirmed.status(), 303);
    let commune = langso_store::households::get_household(app.db(), old)
        .await
        .unwrap()
        .unwrap()
        .commune_id;
    let created = langso_store::households::household_by_code(app.db(), commune, "DX-MOI-1")
        .await
        .unwrap()
        .expect("confirmed: the household exists");
    assert_eq!((created.members, created.alley.as_str()), (4, "Ngõ 9"));

    let moved_id = moved["id"].as_str().unwrap();
    let rejected = post_form(
        &app,
        &head,
        &format!("/households/review/proposals/{moved_id}"),
        &[("unit", &a.to_string()), ("decision", "reject")],
    )
    .await;
    assert_eq!(rejected.status(), 303);
    let unchanged = langso_store::households::get_household(app.db(), old)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(unchanged.alley, "Ngõ 4");
    let (_, review) = page(&app, &head, &format!("/households/review?unit={a}")).await;
    assert!(review.contains("proposals-none"), "both decided");
    // A team member may not review.
    let (status, _) = page(&app, &session, &format!("/households/review?unit={a}")).await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn limits_and_sessions_are_answered_in_json() {
    let app = TestApp::with_demo().await;
    let (a, _, _) = villages(&app).await;
    let member = account(&app, "offline.hoa", Role::TeamMember, a).await;
    let one = household(&app, a, "OF-11", "Ngõ 1", "1", Some(member)).await;
    let session = app.login("offline.hoa", PASSWORD).await;

    let visits: Vec<Value> = (0..101)
        .map(|_| visit(member, one, 0, "2020-01-01", 1))
        .collect();
    let (status, answer) = sync(&app, &session, &json!({"visits": visits})).await;
    assert_eq!(status, 413, "{answer}");
    assert!(answer["message"].as_str().unwrap().contains("100"));
    assert_eq!(ledger(&app, one).await, 0);

    let mut big = visit(member, one, 0, "2020-01-01", 1);
    big["notes"] = json!("x".repeat(600 * 1024));
    let (status, answer) = sync(&app, &session, &json!({"visits": [big]})).await;
    assert_eq!(status, 413, "{answer}");
    let (status, _) = sync_raw(&app, &session, b"{not json".to_vec()).await;
    assert_eq!(status, 400);

    // Without a session (or without the CSRF header): JSON, never a redirect.
    let response = app
        .client
        .post(format!("{}/round/sync", app.base))
        .json(&json!({"visits": []}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["sign_in"], "/login?next=/round");
    let response = app
        .client
        .post(format!("{}/round/sync", app.base))
        .header("cookie", session.header())
        .json(&json!({"visits": []}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);

    // The account page lists the phone; forgetting it makes its next copy a wipe.
    let device = Uuid::now_v7();
    pack(&app, Some(&session), &format!("?device={device}")).await;
    let (_, account_page) = page(&app, &session, "/account").await;
    assert!(account_page.contains(&format!("/account/devices/{device}/forget")));
    let forgot = post_form(
        &app,
        &session,
        &format!("/account/devices/{device}/forget"),
        &[],
    )
    .await;
    assert_eq!(forgot.status(), 303);
    let (status, _) = pack(&app, Some(&session), &format!("?device={device}")).await;
    assert_eq!(status, 410);
}

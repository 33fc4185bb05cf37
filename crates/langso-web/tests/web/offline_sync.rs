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

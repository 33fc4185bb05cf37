//! Households and the door-to-door survey over real HTTP.

use langso_app::demo::DEMO_PASSWORD;
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;

use crate::support::{Session, TestApp, hidden};

async fn get_json(app: &TestApp, session: &Session, path: &str) -> (u16, Value) {
    let response = app
        .client
        .get(format!("{}{path}", app.base))
        .header("cookie", session.header())
        .send()
        .await
        .unwrap();
    (
        response.status().as_u16(),
        response.json().await.unwrap_or(Value::Null),
    )
}

async fn post_json(app: &TestApp, session: &Session, path: &str, body: Value) -> (u16, Value) {
    let response = app
        .client
        .post(format!("{}{path}", app.base))
        .header("cookie", session.header())
        .header("x-csrf-token", session.csrf.clone())
        .json(&body)
        .send()
        .await
        .unwrap();
    (
        response.status().as_u16(),
        response.json().await.unwrap_or(Value::Null),
    )
}

fn share(progress: &Value, code: &str) -> (i64, i64) {
    let item = progress["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == code)
        .unwrap();
    (
        item["numerator"].as_i64().unwrap(),
        item["denominator"].as_i64().unwrap(),
    )
}

async fn unit_id(app: &TestApp, code: &str) -> String {
    app.json(&format!("/api/v1/units/by-code/{code}")).await["unit"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_visit_from_the_round_moves_village_and_commune_shares_at_once() {
    let app = TestApp::with_demo().await;
    let member = app.login("tothanhvien", DEMO_PASSWORD).await;
    let village = unit_id(&app, "09805-T01").await;
    let commune = unit_id(&app, "09817").await;
    let (status, round) = get_json(&app, &member, "/api/v1/round").await;
    assert_eq!(status, 200);
    let households = round.as_array().unwrap();
    assert!(
        !households.is_empty(),
        "the demo assigns households to the demo team member"
    );
    let household = households
        .iter()
        .find(|h| h["adults"].as_i64().unwrap() >= 2);
    let household = match household {
        Some(h) => h.clone(),
        None => {
            // Make one with two adults in the member's village.
            let body = json!({"unit_id": village, "code": "TEST-2", "head_name": "Lê Thị Hai", "members": 3, "adults": 2});
            let officer = app.login("canbo.odien", DEMO_PASSWORD).await;
            post_json(&app, &officer, "/api/v1/households", body)
                .await
                .1
        }
    };
    let id = household["id"].as_str().unwrap();
    let (_, before_household) = get_json(&app, &member, &format!("/api/v1/households/{id}")).await;
    let old = before_household["values"]["vneid_2"].as_i64().unwrap_or(0);
    let (_, village_before) =
        get_json(&app, &member, &format!("/api/v1/progress?unit={village}")).await;
    let officer = app.login("canbo.odien", DEMO_PASSWORD).await;
    let (_, commune_before) =
        get_json(&app, &officer, &format!("/api/v1/progress?unit={commune}")).await;

    // The round page and the visit form, as on the phone.
    let round_page = app
        .client
        .get(format!("{}/round", app.base))
        .header("cookie", member.header())
        .send()
        .await
        .unwrap();
    assert_eq!(round_page.status(), 200);
    assert!(
        round_page
            .text()
            .await
            .unwrap()
            .contains(&format!("/households/{id}/visit"))
    );
    let form = app
        .client
        .get(format!("{}/households/{id}/visit", app.base))
        .header("cookie", member.header())
        .send()
        .await
        .unwrap();
    let form = form.text().await.unwrap();
    assert!(form.contains("name=\"ind.vneid_2\""));
    let csrf = hidden(&form, "csrf");
    let saved = app
        .client
        .post(format!("{}/households/{id}/visit", app.base))
        .header("cookie", member.header())
        .form(&[
            ("csrf", csrf.as_str()),
            ("ind.vneid_1", "2"),
            ("ind.vneid_2", "2"),
            ("help", "vneid_level2"),
            ("notes", "đã hướng dẫn"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303);

    let (_, village_after) =
        get_json(&app, &member, &format!("/api/v1/progress?unit={village}")).await;
    let (_, commune_after) =
        get_json(&app, &officer, &format!("/api/v1/progress?unit={commune}")).await;
    assert_eq!(
        get_json(&app, &member, &format!("/api/v1/progress?unit={commune}"))
            .await
            .0,
        404,
        "the commune is outside a team member's scope"
    );
    assert_eq!(
        share(&village_after, "vneid_2").0 - share(&village_before, "vneid_2").0,
        2 - old
    );
    assert_eq!(
        share(&commune_after, "vneid_2").0 - share(&commune_before, "vneid_2").0,
        2 - old
    );
    let (_, visits) = get_json(&app, &member, &format!("/api/v1/households/{id}/visits")).await;
    assert_eq!(visits[0]["observed"]["vneid_2"], 2);
    assert_eq!(visits[0]["help"][0], "vneid_level2");
}

#[tokio::test]
async fn personal_numbers_are_masked_without_the_pii_right() {
    let app = TestApp::with_demo().await;
    let head = app.login("truongthon", DEMO_PASSWORD).await;
    let officer = app.login("canbo.odien", DEMO_PASSWORD).await;
    let village = unit_id(&app, "09805-T01").await;
    let (_, list) = get_json(&app, &head, &format!("/api/v1/households?unit={village}")).await;
    let first = &list[0];
    let masked = first["representative_phone"].as_str().unwrap();
    assert!(masked.contains("*****"), "{masked}");
    let id = first["id"].as_str().unwrap();
    let (_, full) = get_json(&app, &officer, &format!("/api/v1/households/{id}")).await;
    let phone = full["representative_phone"].as_str().unwrap();
    assert!(phone.chars().all(|c| c.is_ascii_digit()) && phone.len() == 10);
    assert_eq!(full["masked"], false);
    let page = app
        .client
        .get(format!("{}/households/{id}", app.base))
        .header("cookie", head.header())
        .send()
        .await
        .unwrap();
    let page = page.text().await.unwrap();
    assert!(
        !page.contains(phone),
        "no full phone on the page of a viewer without PII"
    );
    let (_, audit) = get_json(
        &app,
        &officer,
        "/api/v1/audit?action=household.view_unmasked",
    )
    .await;
    assert!(
        !audit.as_array().unwrap().is_empty(),
        "unmasked views are audited"
    );
}

#[tokio::test]
async fn bad_input_names_the_field_and_changes_nothing() {
    let app = TestApp::with_demo().await;
    let officer = app.login("canbo.odien", DEMO_PASSWORD).await;
    let village = unit_id(&app, "09805-T02").await;
    let body = json!({"unit_id": village, "code": "BAD-1", "head_name": "Phạm Văn Sai", "representative_phone": "01234", "members": 2, "adults": 3});
    let (status, problem) = post_json(&app, &officer, "/api/v1/households", body).await;
    assert_eq!(status, 422);
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert!(
        fields.contains(&"representative_phone") && fields.contains(&"adults"),
        "{fields:?}"
    );
    let (_, found) = get_json(&app, &officer, "/api/v1/households?q=pham%20van%20sai").await;
    assert_eq!(found.as_array().unwrap().len(), 0);
    // A household in a commune, not a village, is refused.
    let commune = unit_id(&app, "09817").await;
    let body = json!({"unit_id": commune, "code": "BAD-2", "head_name": "Phạm Văn Sai", "members": 2, "adults": 1});
    assert_eq!(
        post_json(&app, &officer, "/api/v1/households", body)
            .await
            .0,
        422
    );
}

#[tokio::test]
async fn search_ignores_accents_and_a_retried_visit_counts_once() {
    let app = TestApp::with_demo().await;
    let officer = app.login("canbo.odien", DEMO_PASSWORD).await;
    let village = unit_id(&app, "09805-T02").await;
    let body = json!({"unit_id": village, "code": "TIM-1", "head_name": "Đặng Thị Hường", "alley": "Ngõ 7", "members": 2, "adults": 2});
    let (status, created) = post_json(&app, &officer, "/api/v1/households", body).await;
    assert_eq!(status, 201);
    let (_, found) = get_json(&app, &officer, "/api/v1/households?q=dang%20thi%20huong").await;
    assert_eq!(found[0]["code"], "TIM-1");
    let (_, found) = get_json(&app, &officer, "/api/v1/households?q=NGO%207").await;
    assert!(
        found
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["code"] == "TIM-1")
    );

    let id = created["id"].as_str().unwrap();
    let (_, before) = get_json(&app, &officer, &format!("/api/v1/progress?unit={village}")).await;
    let visit = json!({"id": "01900000-0000-7000-8000-0000000000aa", "values": {"epayment": 1}});
    assert_eq!(
        post_json(
            &app,
            &officer,
            &format!("/api/v1/households/{id}/visits"),
            visit.clone()
        )
        .await
        .0,
        201
    );
    assert_eq!(
        post_json(
            &app,
            &officer,
            &format!("/api/v1/households/{id}/visits"),
            visit
        )
        .await
        .0,
        201
    );
    let (_, visits) = get_json(&app, &officer, &format!("/api/v1/households/{id}/visits")).await;
    assert_eq!(visits.as_array().unwrap().len(), 1);
    let (_, after) = get_json(&app, &officer, &format!("/api/v1/progress?unit={village}")).await;
    assert_eq!(
        share(&after, "epayment").0,
        share(&before, "epayment").0 + 1
    );
    assert_eq!(
        after["visited"].as_i64().unwrap(),
        before["visited"].as_i64().unwrap() + 1
    );
    // Values beyond the household's adults are refused.
    let (status, problem) = post_json(
        &app,
        &officer,
        &format!("/api/v1/households/{id}/visits"),
        json!({"values": {"vneid_2": 3}}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(problem["errors"][0]["field"], "vneid_2");
}

#[tokio::test]
async fn a_data_subject_can_have_everything_exported_and_erased() {
    let app = TestApp::with_demo().await;
    let officer = app.login("canbo.odien", DEMO_PASSWORD).await;
    let village = unit_id(&app, "09805-T01").await;
    let (_, list) = get_json(
        &app,
        &officer,
        &format!("/api/v1/households?unit={village}"),
    )
    .await;
    let id = list[0]["id"].as_str().unwrap();
    let (status, export) = get_json(
        &app,
        &officer,
        &format!("/api/v1/households/{id}/subject-export"),
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        export["household"]["representative_phone"]
            .as_str()
            .unwrap()
            .len()
            == 10
    );
    assert!(!export["visits"].as_array().unwrap().is_empty());
    let (_, before) = get_json(&app, &officer, &format!("/api/v1/progress?unit={village}")).await;
    assert_eq!(
        post_json(
            &app,
            &officer,
            &format!("/api/v1/households/{id}/erase"),
            Value::Null
        )
        .await
        .0,
        204
    );
    let (_, erased) = get_json(&app, &officer, &format!("/api/v1/households/{id}")).await;
    assert_eq!(erased["erased"], true);
    assert!(erased["representative_phone"].is_null() && erased["citizen_id"].is_null());
    assert!(erased["head_name"].as_str().unwrap().contains("erased"));
    let (_, after) = get_json(&app, &officer, &format!("/api/v1/progress?unit={village}")).await;
    assert_eq!(
        before["indicators"], after["indicators"],
        "aggregate counts kept"
    );
    assert_eq!(before["households"], after["households"]);
    let (_, audit) = get_json(&app, &officer, "/api/v1/audit?action=household.").await;
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert!(actions.contains(&"household.subject_export") && actions.contains(&"household.erase"));
    // Without the PII right there is no subject export.
    let head = app.login("truongthon", DEMO_PASSWORD).await;
    let other = list[1]["id"].as_str().unwrap();
    assert_eq!(
        get_json(
            &app,
            &head,
            &format!("/api/v1/households/{other}/subject-export")
        )
        .await
        .0,
        403
    );
}

#[tokio::test]
async fn dropped_connections_leave_nothing_locked() {
    let app = TestApp::with_demo().await;
    let officer = app.login("canbo.odien", DEMO_PASSWORD).await;
    let village = unit_id(&app, "09805-T01").await;
    let (_, list) = get_json(
        &app,
        &officer,
        &format!("/api/v1/households?unit={village}"),
    )
    .await;
    let ids: Vec<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_owned())
        .collect();
    let address = app.base.trim_start_matches("http://").to_owned();
    let mut tasks = Vec::new();
    for n in 0..60 {
        let (address, cookie, csrf, id) = (
            address.clone(),
            officer.header(),
            officer.csrf.clone(),
            ids[n % ids.len()].clone(),
        );
        tasks.push(tokio::spawn(async move {
            let body = json!({"values": {"in_village_group": 1}}).to_string();
            let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
            let head = format!(
                "POST /api/v1/households/{id}/visits HTTP/1.1\r\nHost: {address}\r\nCookie: {cookie}\r\nX-CSRF-Token: {csrf}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                body.len() + if n % 2 == 0 { 50 } else { 0 }
            );
            stream.write_all(head.as_bytes()).await.unwrap();
            if n % 2 == 0 {
                // Half the body, then the phone loses the network.
                stream.write_all(&body.as_bytes()[..body.len() / 2]).await.unwrap();
            } else {
                // The whole request, then gone before the answer.
                stream.write_all(body.as_bytes()).await.unwrap();
            }
            drop(stream);
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    // The server answers at once and can still write.
    let started = std::time::Instant::now();
    let (status, _) = post_json(
        &app,
        &officer,
        &format!("/api/v1/households/{}/visits", ids[0]),
        json!({"values": {"digital_address": 1}}),
    )
    .await;
    assert_eq!(status, 201);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "not waiting on a lock"
    );
    // Nothing half-written: every visit that exists moved the counters exactly once.
    let (_, progress) = get_json(&app, &officer, &format!("/api/v1/progress?unit={village}")).await;
    let mut visits = 0;
    for id in &ids {
        visits += get_json(&app, &officer, &format!("/api/v1/households/{id}/visits"))
            .await
            .1
            .as_array()
            .unwrap()
            .len() as i64;
    }
    let counted: i64 = progress["by_month"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m[1].as_i64().unwrap())
        .sum();
    assert_eq!(counted, visits, "visit counters match the ledger");
}

/// A visit form with a day that does not exist and a choice that is not a number comes back
/// (422) with each field's message in the page's language beside it, what was chosen kept,
/// and nothing written.
#[tokio::test]
async fn a_refused_visit_form_comes_back_with_each_field_named_in_words() {
    let app = TestApp::with_demo().await;
    let member = app.login("tothanhvien", DEMO_PASSWORD).await;
    let village = unit_id(&app, "09805-T01").await;
    let (_, list) = get_json(&app, &member, &format!("/api/v1/households?unit={village}")).await;
    let id = list[0]["id"].as_str().unwrap_or_default().to_owned();
    let (_, before) = get_json(&app, &member, &format!("/api/v1/households/{id}/visits")).await;
    let form = app
        .client
        .get(format!("{}/households/{id}/visit", app.base))
        .header("cookie", member.header())
        .send()
        .await
        .unwrap();
    let csrf = hidden(&form.text().await.unwrap(), "csrf");
    for (lang, day_message) in [("vi", "Ngày không hợp lệ"), ("en", "Not a valid day")] {
        let refused = app
            .client
            .post(format!("{}/households/{id}/visit", app.base))
            .header("cookie", format!("{}; lang={lang}", member.header()))
            .form(&[
                ("csrf", csrf.as_str()),
                ("visited_on", "2025-02-30"),
                ("ind.vneid_2", "nhiều"),
                ("help", "installed_vneid"),
                ("notes", "ghi chú giữ lại"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 422);
        let page = refused.text().await.unwrap();
        assert!(
            page.contains("error-summary") && page.contains(day_message),
            "{page}"
        );
        assert!(page.contains("href=\"#visited_on\"") && page.contains("href=\"#vneid_2\""));
        assert!(page.contains("ghi chú giữ lại"), "the notes are kept");
        assert!(
            page.contains("value=\"installed_vneid\" checked"),
            "the help chosen is kept"
        );
        assert!(
            page.contains("value=\"2025-02-30\""),
            "the day is kept to be corrected"
        );
    }
    let (_, after) = get_json(&app, &member, &format!("/api/v1/households/{id}/visits")).await;
    assert_eq!(before, after, "nothing was written");
}

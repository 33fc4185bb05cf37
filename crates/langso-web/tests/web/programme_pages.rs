//! The programme pages driven as a browser would (forms, cookies, CSRF tokens, redirects): a
//! criteria set imported from a file, a team member added with the phone masked for a reader
//! without the PII right, and a village revoked, proposed by the commune, recognised by the
//! province and revoked again, its page showing each status and the history.

use langso_app::Actor;
use langso_app::auth::{self, NewAccount};
use langso_app::demo::DEMO_PASSWORD;
use langso_domain::auth::Role;

use crate::support::{Session, TestApp};

async fn page(app: &TestApp, session: &Session, path: &str) -> (u16, String) {
    let response = app
        .client
        .get(format!("{}{path}", app.base))
        .header("cookie", session.header())
        .send()
        .await
        .unwrap();
    (
        response.status().as_u16(),
        response.text().await.unwrap_or_default(),
    )
}

/// Submits a form with the CSRF token the page carried; returns the status and the redirect.
async fn submit(
    app: &TestApp,
    session: &Session,
    path: &str,
    fields: &[(&str, &str)],
) -> (u16, String, String) {
    let mut form: Vec<(&str, &str)> = fields.to_vec();
    form.push(("csrf", &session.csrf));
    let response = app
        .client
        .post(format!("{}{path}", app.base))
        .header("cookie", session.header())
        .form(&form)
        .send()
        .await
        .unwrap();
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    (
        response.status().as_u16(),
        location,
        response.text().await.unwrap_or_default(),
    )
}

#[tokio::test]
async fn a_village_is_revoked_proposed_recognised_and_revoked_through_the_pages() {
    let app = TestApp::with_demo().await;
    let admin = app.login("admin", DEMO_PASSWORD).await;
    let officer = app.login("canbo.odien", DEMO_PASSWORD).await;
    let today = langso_app::today().to_string();

    // A province officer imports a set from a file: one criterion every demo village meets
    // (its team has members), in force from today, so the village meets the criteria.
    let file = format!(
        r#"{{"name": "Bộ thử trang", "province": "01", "valid_from": "{today}",
            "criteria": [{{"code": "T1", "label_vi": "Tổ CNSCĐ ≥ 3 người", "label_en": "Team of 3", "kind": "team_members", "min": 3}}]}}"#
    );
    let (_, sets) = page(&app, &admin, "/criteria").await;
    assert!(sets.contains("enctype=\"multipart/form-data\""), "{sets}");
    let form = reqwest::multipart::Form::new()
        .text("csrf", admin.csrf.clone())
        .part(
            "file",
            reqwest::multipart::Part::bytes(file.into_bytes()).file_name("bo-thu.json"),
        );
    let response = app
        .client
        .post(format!("{}/criteria", app.base))
        .header("cookie", admin.header())
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let set_page = response.headers()["location"].to_str().unwrap().to_owned();
    let (status, set) = page(&app, &admin, &set_page).await;
    assert_eq!(status, 200);
    assert!(set.contains("Bộ thử trang") && set.contains("Tổ CNSCĐ ≥ 3 người"));
    // A file that does not parse comes back on the page, named; the commune may not import.
    let bad = reqwest::multipart::Form::new()
        .text("csrf", admin.csrf.clone())
        .part(
            "file",
            reqwest::multipart::Part::bytes(b"{khong".to_vec()).file_name("x.json"),
        );
    let response = app
        .client
        .post(format!("{}/criteria", app.base))
        .header("cookie", admin.header())
        .multipart(bad)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("không đọc được"));
    let (_, officer_sets) = page(&app, &officer, "/criteria").await;
    assert!(!officer_sets.contains("multipart/form-data"));

    let village = langso_app::units::by_code(app.db(), "09817-T01", langso_app::today())
        .await
        .unwrap()
        .id;
    let path = format!("/villages/{village}");
    let (status, body) = page(&app, &admin, &path).await;
    assert_eq!(status, 200);
    assert!(body.contains("Đã công nhận thôn thông minh"), "{body}");
    assert!(body.contains(&format!("action=\"{path}/revoke\"")));
    assert!(!body.contains(&format!("action=\"{path}/propose\"")));

    // The province revokes (a reason is required), then the village meets the criteria.
    let (status, _, body) = submit(
        &app,
        &admin,
        &format!("{path}/revoke"),
        &[
            ("decision_number", "77/QĐ-UBND"),
            ("decision_date", &today),
            ("note", ""),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("cần nêu lý do"), "{body}");
    let (status, location, _) = submit(
        &app,
        &admin,
        &format!("{path}/revoke"),
        &[
            ("decision_number", "77/QĐ-UBND"),
            ("decision_date", &today),
            ("note", "kiểm tra lại"),
        ],
    )
    .await;
    assert_eq!((status, location.as_str()), (303, path.as_str()));
    let (_, body) = page(&app, &officer, &path).await;
    assert!(body.contains("Đạt tiêu chí, chờ công nhận"), "{body}");
    assert!(body.contains("Tổ CNSCĐ ≥ 3 người") && body.contains("verdict-pass"));

    // The commune proposes; it may not decide.
    assert!(body.contains(&format!("action=\"{path}/propose\"")));
    assert!(!body.contains(&format!("action=\"{path}/approve\"")));
    let (status, _, _) = submit(
        &app,
        &officer,
        &format!("{path}/propose"),
        &[("note", "đề nghị")],
    )
    .await;
    assert_eq!(status, 303);
    let (status, _, _) = submit(
        &app,
        &officer,
        &format!("{path}/approve"),
        &[("decision_number", "1/QĐ-UBND"), ("decision_date", &today)],
    )
    .await;
    assert_eq!(status, 403);

    // The province recognises by decision: the status and the history show it.
    let (_, body) = page(&app, &admin, &path).await;
    assert!(body.contains(&format!("action=\"{path}/approve\"")));
    let (status, _, _) = submit(
        &app,
        &admin,
        &format!("{path}/approve"),
        &[
            ("decision_number", "2150/QĐ-UBND"),
            ("decision_date", &today),
            ("note", ""),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let (_, body) = page(&app, &officer, &path).await;
    assert!(body.contains("Đã công nhận thôn thông minh"), "{body}");
    assert!(body.contains("2150/QĐ-UBND") && body.contains("Xã đề nghị"));
    let steps = body.matches("Tỉnh công nhận").count();
    assert_eq!(steps, 2, "the demo's recognition and today's");

    // Revoked again: back to "meets the criteria"; the commune's dashboard links the village.
    let (status, _, _) = submit(
        &app,
        &admin,
        &format!("{path}/revoke"),
        &[
            ("decision_number", "78/QĐ-UBND"),
            ("decision_date", &today),
            ("note", "không duy trì"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let (_, body) = page(&app, &officer, &path).await;
    assert!(body.contains("Đạt tiêu chí, chờ công nhận"));
    assert_eq!(body.matches("Tỉnh thu hồi").count(), 2);
    let commune = langso_app::units::by_code(app.db(), "09817", langso_app::today())
        .await
        .unwrap()
        .id;
    let (_, dashboard) = page(&app, &officer, &format!("/dashboard?unit={commune}")).await;
    assert!(
        dashboard.contains(&format!("href=\"{path}\"")),
        "{dashboard}"
    );
    assert!(dashboard.contains("Mọi số liệu là số liệu hiện tại"));
    // As of 31/12/2024 the page says what is of that day and what is current.
    let (_, then) = page(&app, &admin, "/dashboard?unit=273&date=2024-12-31").await;
    assert!(then.contains("Số liệu đến ngày 31/12/2024"), "{then}");
    assert!(then.contains("tính đến hết tháng 12/2024") && then.contains("Số liệu hiện tại"));
    let log = langso_app::audit::list(
        app.db(),
        &Actor::system("test"),
        &langso_app::audit::AuditQuery {
            action: Some("recognition.revoke".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(log.len(), 2);
}

#[tokio::test]
async fn a_member_added_on_the_team_page_shows_masked_without_the_pii_right() {
    let app = TestApp::with_demo().await;
    let officer = app.login("canbo.odien", DEMO_PASSWORD).await;
    let village = langso_app::units::by_code(app.db(), "09817-T01", langso_app::today())
        .await
        .unwrap()
        .id;
    let (status, teams) = page(&app, &officer, &format!("/teams?unit={village}")).await;
    assert_eq!(status, 200);
    let team = teams
        .split("href=\"/teams/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    // The village already has its team: no form to set up a second one.
    assert!(!teams.contains("action=\"/teams\""));
    let path = format!("/teams/{team}");
    let (status, _, body) = submit(
        &app,
        &officer,
        &format!("{path}/members"),
        &[
            ("full_name", ""),
            ("role", "leader"),
            ("affiliation", "teacher"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(body.contains("error-summary"));
    let (status, location, _) = submit(
        &app,
        &officer,
        &format!("{path}/members"),
        &[
            ("full_name", "Đỗ Thị Trang"),
            ("role", "member"),
            ("affiliation", "teacher"),
            ("phone", "0987654321"),
        ],
    )
    .await;
    assert_eq!((status, location.as_str()), (303, path.as_str()));
    auth::create_user(
        app.db(),
        &Actor::system("test"),
        &NewAccount {
            login: "truong.thon".into(),
            display_name: "Trưởng thôn".into(),
            password: "mật khẩu thử nghiệm".into(),
            role: Role::VillageHead,
            unit_id: village,
            pii: false,
        },
    )
    .await
    .unwrap();
    let head = app.login("truong.thon", "mật khẩu thử nghiệm").await;
    let (status, body) = page(&app, &head, &path).await;
    assert_eq!(status, 200);
    assert!(body.contains("Đỗ Thị Trang") && body.contains("098*****21"));
    assert!(!body.contains("0987654321"));
    // A village head may read the team but not add to it.
    assert!(!body.contains(&format!("action=\"{path}/members\"")));
    // Outreach recorded through the form shows in the list.
    let (status, _, _) = submit(
        &app,
        &officer,
        "/outreach",
        &[
            ("unit", &village.to_string()),
            ("kind", "training"),
            ("held_on", &langso_app::today().to_string()),
            ("topic", "Hướng dẫn cài VNeID"),
            ("attendance", "42"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let (_, list) = page(&app, &head, &format!("/outreach?unit={village}")).await;
    assert!(list.contains("Hướng dẫn cài VNeID") && list.contains("42"));
}

#[tokio::test]
async fn evidence_opens_for_the_approver_with_its_bytes_and_vietnamese_name() {
    let app = TestApp::with_demo().await;
    let officer = app.login("canbo.odien", DEMO_PASSWORD).await;
    let village = langso_app::units::by_code(app.db(), "09817-T01", langso_app::today())
        .await
        .unwrap()
        .id;
    let set = langso_app::criteria::list_sets(app.db()).await.unwrap()[0].id;
    let evidence = langso_app::criteria::upload_evidence(
        app.db(),
        &Actor::system("test"),
        village,
        set,
        "TC11",
        "Biên bản nhà văn hóa.pdf",
        "application/pdf",
        b"%PDF-1.7 bien ban",
    )
    .await
    .unwrap();
    let (_, village_page) = page(&app, &officer, &format!("/villages/{village}")).await;
    let link = format!("/evidence/{}/file", evidence.id);
    assert!(village_page.contains(&link), "{village_page}");
    let response = app
        .client
        .get(format!("{}{link}", app.base))
        .header("cookie", officer.header())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.contains("filename*=UTF-8''Bi%C3%AAn%20b%E1%BA%A3n"),
        "{disposition}"
    );
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    assert_eq!(
        response.bytes().await.unwrap().as_ref(),
        b"%PDF-1.7 bien ban"
    );
}

/// The text a reader sees in the page's main part, without what is marked as data
/// (`translate="no"`: names, decision numbers, notes as entered) and without the drawings.
fn words(html: &str) -> String {
    let main = html.split("<main").nth(1).unwrap_or_default();
    let main = main.split("</main>").next().unwrap_or_default();
    let mut kept = String::new();
    let mut rest = main;
    while let Some(at) = rest.find(" translate=\"no\"") {
        let open = rest[..at].rfind('<').unwrap();
        let tag: String = rest[open + 1..]
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        kept.push_str(&rest[..open]);
        // Skip to the matching end tag (the same tag may nest inside).
        let (starts, end) = (format!("<{tag}"), format!("</{tag}>"));
        let (mut depth, mut at) = (0usize, at);
        loop {
            let next_end = rest[at..].find(&end).unwrap() + at;
            match rest[at..].find(&starts).map(|p| p + at) {
                Some(next) if next < next_end => (depth, at) = (depth + 1, next + 1),
                _ if depth == 0 => break at = next_end + end.len(),
                _ => (depth, at) = (depth - 1, next_end + 1),
            }
        }
        rest = &rest[at..];
    }
    kept.push_str(rest);
    let mut text = String::new();
    for drawing in kept.split("<svg") {
        let outside = drawing.rsplit("</svg>").next().unwrap_or_default();
        let mut in_tag = false;
        for c in outside.chars() {
            match c {
                '<' => (in_tag, _) = (true, text.push(' ')),
                '>' => in_tag = false,
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
    }
    text
}

#[tokio::test]
async fn the_programme_pages_read_wholly_in_english() {
    let app = TestApp::with_demo().await;
    let admin = app.login("admin", DEMO_PASSWORD).await;
    let today = langso_app::today();
    let village = langso_app::units::by_code(app.db(), "09817-T01", today)
        .await
        .unwrap()
        .id;
    let commune = langso_app::units::by_code(app.db(), "09817", today)
        .await
        .unwrap()
        .id;
    let set = langso_app::criteria::list_sets(app.db()).await.unwrap()[0].id;
    let english = Session {
        cookie: format!("{}; lang=en", admin.cookie),
        csrf: admin.csrf.clone(),
    };
    let (_, teams) = page(&app, &english, &format!("/teams?unit={village}")).await;
    let team = teams
        .split("href=\"/teams/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    for path in [
        format!("/teams?unit={commune}"),
        format!("/teams/{team}"),
        format!("/outreach?unit={village}"),
        "/criteria".to_owned(),
        format!("/criteria/{set}"),
        format!("/villages/{village}"),
        format!("/dashboard?unit={commune}"),
        format!("/dashboard?unit={commune}&date=2025-01-31"),
    ] {
        let (status, html) = page(&app, &english, &path).await;
        assert_eq!(status, 200, "{path}");
        let text = words(&html);
        let foreign: Vec<&str> = text
            .split_whitespace()
            .filter(|word| word.chars().any(|c| c.is_alphabetic() && !c.is_ascii()))
            .collect();
        assert!(foreign.is_empty(), "{path}: {foreign:?} in {text}");
    }
    // The drawings are worded in English too (the map's legend).
    let (_, dashboard) = page(&app, &english, &format!("/dashboard?unit={commune}")).await;
    assert!(
        dashboard.contains("Recognised as a smart village ("),
        "{dashboard}"
    );
}

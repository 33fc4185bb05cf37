//! "My round" over real HTTP (issue 15, item 1): walking order with numbers as numbers, groups,
//! households left, pages, filters, the next household after a saved visit, the printed sheet,
//! and bulk assignment with its scope. SQLite, and PostgreSQL with LANGSO_TEST_DATABASE_URL.

use langso_app::Actor;
use langso_app::auth::{self, NewAccount};
use langso_app::households::{HouseholdInput, assign, create_household};
use langso_domain::auth::Role;
use langso_domain::units::Level;
use uuid::Uuid;

use crate::support::{Session, TestApp, hidden};

const PASSWORD: &str = "mật khẩu thử vòng thăm";

/// Two villages of one commune and one village of another.
pub(crate) async fn villages(app: &TestApp) -> (Uuid, Uuid, Uuid) {
    let today = langso_app::today();
    let mut by_commune: Vec<(Uuid, Vec<Uuid>)> = Vec::new();
    for root in langso_store::units::roots(app.db(), today).await.unwrap() {
        let nodes = langso_store::units::subtree(app.db(), root.id, today, 6)
            .await
            .unwrap();
        for node in &nodes {
            if node.unit.kind.level() == Level::Village
                && let Some(parent) = node.parent_id
            {
                match by_commune.iter_mut().find(|(c, _)| *c == parent) {
                    Some((_, villages)) => villages.push(node.unit.id),
                    None => by_commune.push((parent, vec![node.unit.id])),
                }
            }
        }
    }
    let (i, (_, first)) = by_commune
        .iter()
        .enumerate()
        .find(|(_, (_, v))| v.len() >= 2)
        .unwrap();
    let other = by_commune
        .iter()
        .enumerate()
        .find(|(j, _)| *j != i)
        .map(|(_, (_, v))| v[0])
        .unwrap();
    (first[0], first[1], other)
}

pub(crate) async fn account(app: &TestApp, login: &str, role: Role, unit: Uuid) -> Uuid {
    let input = NewAccount {
        login: login.to_owned(),
        display_name: format!("Người {login}"),
        password: PASSWORD.to_owned(),
        role,
        unit_id: unit,
        pii: false,
    };
    auth::create_user(app.db(), &Actor::system("test"), &input)
        .await
        .unwrap()
        .user
        .id
}

pub(crate) async fn household(
    app: &TestApp,
    village: Uuid,
    code: &str,
    alley: &str,
    house: &str,
    member: Option<Uuid>,
) -> Uuid {
    let input = HouseholdInput {
        unit_id: Some(village),
        code: code.to_owned(),
        hamlet: "Xóm Giữa".to_owned(),
        alley: alley.to_owned(),
        house_number: house.to_owned(),
        head_name: format!("Chủ hộ {code}"),
        members: 3,
        adults: 2,
        ..Default::default()
    };
    let id = create_household(app.db(), &Actor::system("test"), &input)
        .await
        .unwrap()
        .row
        .id;
    if member.is_some() {
        assign(app.db(), &Actor::system("test"), id, member)
            .await
            .unwrap();
    }
    id
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

async fn post(
    app: &TestApp,
    session: &Session,
    path: &str,
    form: &[(&str, String)],
) -> reqwest::Response {
    let mut pairs: Vec<(&str, String)> = vec![("csrf", session.csrf.clone())];
    pairs.extend(form.iter().cloned());
    app.client
        .post(format!("{}{path}", app.base))
        .header("cookie", session.header())
        .form(&pairs)
        .send()
        .await
        .unwrap()
}

/// Where each code first appears in a page (panics when missing).
fn positions(body: &str, codes: &[Uuid]) -> Vec<usize> {
    codes
        .iter()
        .map(|id| {
            body.find(&format!("/households/{id}/visit"))
                .unwrap_or_else(|| panic!("{id} not on the page"))
        })
        .collect()
}

#[tokio::test]
async fn the_round_walks_alleys_and_houses_as_numbers_and_filters() {
    let app = TestApp::with_demo().await;
    let (a, b, _) = villages(&app).await;
    let member = account(&app, "vong.thanhvien", Role::TeamMember, a).await;
    // Written out of order, as a register is.
    let n10 = household(&app, a, "V-1", "Ngõ 10", "1", Some(member)).await;
    let n2h16 = household(&app, a, "V-2", "Ngõ 2", "16", Some(member)).await;
    let n2h3 = household(&app, a, "V-3", "Ngõ 2", "3", Some(member)).await;
    let n1 = household(&app, a, "V-4", "Ngõ 1", "20", Some(member)).await;
    let n2h3a = household(&app, a, "V-5", "ngõ 2", "3A", Some(member)).await;
    let session = app.login("vong.thanhvien", PASSWORD).await;

    let (status, body) = page(&app, &session, "/round").await;
    assert_eq!(status, 200);
    let at = positions(&body, &[n1, n2h3, n2h3a, n2h16, n10]);
    assert!(at.windows(2).all(|w| w[0] < w[1]), "walking order: {at:?}");
    assert!(body.contains("Xóm Giữa"), "grouped by hamlet");
    assert!(
        body.contains("Còn 5 trên 5 hộ chưa thăm"),
        "households left"
    );

    // Filter by alley: only that alley.
    let (_, body) = page(&app, &session, "/round?alley=Ng%C3%B5+10").await;
    assert!(body.contains(&format!("/households/{n10}/visit")));
    assert!(!body.contains(&format!("/households/{n2h3}/visit")));
    assert!(body.contains("Còn 1 trên 1 hộ"));

    // Overdue: a household whose follow-up day has come.
    let yesterday = langso_app::today() - time::Duration::days(1);
    let mut row = langso_store::households::get_household(app.db(), n2h16)
        .await
        .unwrap()
        .unwrap();
    row.follow_up_on = Some(yesterday);
    let mut tx = app.db().begin().await.unwrap();
    langso_store::households::update_household(&mut tx, &row)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let (_, body) = page(&app, &session, "/round?overdue=1").await;
    assert!(body.contains(&format!("/households/{n2h16}/visit")));
    assert!(!body.contains(&format!("/households/{n1}/visit")));

    // Filter by village: another village's household stays out.
    let elsewhere = account(&app, "vong.ca.hai", Role::TeamMember, a).await;
    let mut tx = app.db().begin().await.unwrap();
    langso_store::auth::insert_grant(&mut tx, elsewhere, "team_member", b)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let in_a = household(&app, a, "V-6", "Ngõ 3", "1", Some(elsewhere)).await;
    let in_b = household(&app, b, "V-7", "Ngõ 3", "1", Some(elsewhere)).await;
    let two = app.login("vong.ca.hai", PASSWORD).await;
    let (_, body) = page(&app, &two, &format!("/round?village={b}")).await;
    assert!(body.contains(&format!("/households/{in_b}/visit")));
    assert!(!body.contains(&format!("/households/{in_a}/visit")));
}

#[tokio::test]
async fn a_long_round_pages_fifty_at_a_time_and_never_stops_at_two_hundred() {
    let app = TestApp::with_demo().await;
    let (a, _, _) = villages(&app).await;
    let member = account(&app, "vong.dai", Role::TeamMember, a).await;
    let mut ids = Vec::new();
    for n in 1..=230 {
        let alley = format!("Ngõ {}", 1 + n % 7);
        ids.push(
            household(
                &app,
                a,
                &format!("P-{n}"),
                &alley,
                &n.to_string(),
                Some(member),
            )
            .await,
        );
    }
    let session = app.login("vong.dai", PASSWORD).await;
    let mut seen = 0;
    let mut path = "/round".to_owned();
    for number in 1..=5 {
        let (status, body) = page(&app, &session, &path).await;
        assert_eq!(status, 200);
        let here = ids
            .iter()
            .filter(|id| body.contains(&format!("/households/{id}/visit")))
            .count();
        assert_eq!(here, if number < 5 { 50 } else { 30 }, "page {number}");
        assert!(body.contains("Còn 230 trên 230 hộ"));
        seen += here;
        match body.split("rel=\"next\" href=\"").nth(1) {
            Some(rest) => path = rest.split('"').next().unwrap().replace("&amp;", "&"),
            None => {
                assert_eq!(number, 5, "a next link on every page but the last");
                break;
            }
        }
    }
    assert_eq!(seen, 230, "every household on some page");
}

#[tokio::test]
async fn a_saved_visit_says_so_and_offers_the_next_household() {
    let app = TestApp::with_demo().await;
    let (a, _, _) = villages(&app).await;
    let member = account(&app, "vong.tiep", Role::TeamMember, a).await;
    let first = household(&app, a, "N-1", "Ngõ 2", "3", Some(member)).await;
    let second = household(&app, a, "N-2", "Ngõ 2", "16", Some(member)).await;
    household(&app, a, "N-3", "Ngõ 10", "1", Some(member)).await;
    let session = app.login("vong.tiep", PASSWORD).await;
    let (_, form) = page(&app, &session, &format!("/households/{first}/visit")).await;
    let saved = post(
        &app,
        &session,
        &format!("/households/{first}/visit"),
        &[
            ("csrf", hidden(&form, "csrf")),
            ("ind.vneid_1", "1".into()),
            ("ind.vneid_2", "1".into()),
        ],
    )
    .await;
    assert_eq!(saved.status(), 303);
    let to = saved.headers()["location"].to_str().unwrap().to_owned();
    let (status, body) = page(&app, &session, &to).await;
    assert_eq!(status, 200);
    assert!(body.contains("Đã lưu lần thăm ngày"), "{body}");
    assert!(
        body.contains(&format!(
            "id=\"next-household\" href=\"/households/{second}/visit\""
        )),
        "the next one in walking order"
    );
    // The round now counts one fewer left.
    let (_, round) = page(&app, &session, "/round").await;
    assert!(round.contains("Còn 2 trên 3 hộ"), "{round}");
}

#[tokio::test]
async fn the_round_sheet_prints_one_list_per_alley_with_the_indicators() {
    let app = TestApp::with_demo().await;
    let (a, _, other) = villages(&app).await;
    account(&app, "vong.truongthon", Role::VillageHead, a).await;
    household(&app, a, "S-1", "Ngõ 10", "2", None).await;
    household(&app, a, "S-2", "Ngõ 9", "2", None).await;
    let session = app.login("vong.truongthon", PASSWORD).await;
    let (status, body) = page(&app, &session, &format!("/round/sheet?unit={a}")).await;
    assert_eq!(status, 200);
    let nine = body.find("Ngõ 9</span></h2>").unwrap();
    let ten = body.find("Ngõ 10</span></h2>").unwrap();
    assert!(nine < ten, "alleys in natural order");
    assert!(body.matches("<section class=\"sheet\">").count() >= 2);
    assert!(
        body.contains("Người lớn có VNeID mức 2"),
        "indicator columns by name"
    );
    let (status, _) = page(&app, &session, &format!("/round/sheet?unit={other}")).await;
    assert_eq!(status, 404, "another commune's sheet");
}

#[tokio::test]
async fn bulk_assignment_by_alley_and_by_selection_within_the_unit() {
    let app = TestApp::with_demo().await;
    let (a, b, other) = villages(&app).await;
    account(&app, "giao.truongthon", Role::VillageHead, a).await;
    let member = account(&app, "giao.thanhvien", Role::TeamMember, a).await;
    let in_b = account(&app, "giao.thonkhac", Role::TeamMember, b).await;
    let mut ngo5 = Vec::new();
    for (code, house) in [("G-1", "1"), ("G-2", "12"), ("G-3", "3")] {
        ngo5.push(household(&app, a, code, "Ngõ 105", house, None).await);
    }
    let loose = household(&app, a, "G-4", "Ngõ 106", "1", None).await;
    let outside = household(&app, other, "G-5", "Ngõ 105", "1", None).await;
    let head = app.login("giao.truongthon", PASSWORD).await;

    let (status, body) = page(&app, &head, &format!("/households/assign?unit={a}")).await;
    assert_eq!(status, 200);
    assert!(
        body.contains("Người giao.thanhvien"),
        "the village's members to choose from"
    );

    // A whole alley.
    let response = post(
        &app,
        &head,
        "/households/assign",
        &[
            ("unit", a.to_string()),
            ("mode", "alley".into()),
            ("alley", "Ngõ 105".into()),
            ("user", member.to_string()),
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    let to = response.headers()["location"].to_str().unwrap().to_owned();
    let (_, done) = page(&app, &head, &to).await;
    assert!(done.contains("Đã giao số hộ: 3"), "{done}");
    for id in &ngo5 {
        let row = langso_store::households::get_household(app.db(), *id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.assigned_to, Some(member));
    }
    let row = langso_store::households::get_household(app.db(), outside)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        row.assigned_to, None,
        "the other commune's Ngõ 105 untouched"
    );
    let filter = langso_store::audit::AuditFilter {
        action: Some("household.assign".to_owned()),
        limit: 100,
        ..Default::default()
    };
    let audited = langso_store::audit::list(app.db(), &filter, langso_app::today())
        .await
        .unwrap();
    for code in ["G-1", "G-2", "G-3"] {
        assert!(
            audited
                .iter()
                .any(|e| e.target_id == code && e.actor_label.contains("giao.truongthon")),
            "audited like one assignment: {code}"
        );
    }

    // Ticked households.
    let response = post(
        &app,
        &head,
        "/households/assign",
        &[
            ("unit", a.to_string()),
            ("mode", "selected".into()),
            ("household", loose.to_string()),
            ("household", ngo5[0].to_string()),
            ("user", String::new()),
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    let row = langso_store::households::get_household(app.db(), loose)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.assigned_to, None);
    let row = langso_store::households::get_household(app.db(), ngo5[0])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.assigned_to, None, "unassigned");

    // A member of another village cannot be given this village's households.
    let response = post(
        &app,
        &head,
        "/households/assign",
        &[
            ("unit", a.to_string()),
            ("mode", "selected".into()),
            ("household", loose.to_string()),
            ("user", in_b.to_string()),
        ],
    )
    .await;
    assert_eq!(response.status(), 422);

    // Outside the unit: 404, page and action, and nothing written.
    let (status, _) = page(&app, &head, &format!("/households/assign?unit={other}")).await;
    assert_eq!(status, 404);
    for (unit, household) in [(other, outside), (a, outside)] {
        let response = post(
            &app,
            &head,
            "/households/assign",
            &[
                ("unit", unit.to_string()),
                ("mode", "selected".into()),
                ("household", household.to_string()),
                ("user", member.to_string()),
            ],
        )
        .await;
        assert_eq!(response.status(), 404);
    }
    let row = langso_store::households::get_household(app.db(), outside)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.assigned_to, None);
}

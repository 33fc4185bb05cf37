//! Administration in the browser: an officer creates an account, grants it a role on a village
//! picked from the list and resets its password, all without the CLI, on a 360-px phone; and a
//! grant beyond what the officer holds on that unit is refused by the same page.

use fantoccini::Locator;
use langso_app::units;
use uuid::Uuid;

use crate::browser::{log_in, phone, start_driver};
use crate::support::TestApp;

/// The villages of Xã Ô Diên (the demo officer's commune).
async fn villages_of_o_dien(app: &TestApp) -> Vec<Uuid> {
    let today = langso_app::today();
    let commune = units::by_code(app.db(), "09817", today).await.unwrap();
    units::children(app.db(), commune.id, today)
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.id)
        .collect()
}

/// Whether the page fits 360 px without sideways scrolling.
async fn fits(client: &fantoccini::Client, what: &str) {
    let width = client
        .execute("return document.documentElement.scrollWidth", vec![])
        .await
        .unwrap();
    assert!(
        width.as_i64().unwrap() <= 360,
        "{what} fits 360 px: {width}"
    );
}

/// Types into the unit picker the first offered choice that names a village of Ô Diên
/// (`skip` choices passed over), as a person picks it from the list.
async fn pick_village(client: &fantoccini::Client, skip: usize) -> String {
    let value = client
        .execute(
            "const o = [...document.querySelectorAll('#unit-choices option')]\
             .filter(o => o.textContent.includes('Ô Diên'));\
             return o[arguments[0]].value;",
            vec![serde_json::json!(skip)],
        )
        .await
        .unwrap();
    let value = value.as_str().unwrap().to_owned();
    let field = client.find(Locator::Id("unit")).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(&value).await.unwrap();
    value
}

/// Waits (5 s at most) until the account page lists `n` roles.
async fn grants_listed(client: &fantoccini::Client, n: usize) {
    for _ in 0..50 {
        if let Ok(items) = client.find_all(Locator::Css("#grants li")).await
            && items.len() == n
        {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

async fn fill(client: &fantoccini::Client, id: &str, text: &str) {
    client
        .find(Locator::Id(id))
        .await
        .unwrap()
        .send_keys(text)
        .await
        .unwrap();
}

async fn submit(client: &fantoccini::Client, form: &str) {
    client
        .find(Locator::Css(&format!("{form} button[type=submit]")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

#[tokio::test]
async fn an_officer_creates_an_account_grants_a_village_and_resets_its_password() {
    let Some(driver) = start_driver() else {
        eprintln!("SKIPPED: chromedriver is not installed");
        return;
    };
    let app = TestApp::with_demo().await;
    let villages = villages_of_o_dien(&app).await;
    let client = phone(&driver).await;
    log_in(&client, &app.base, "canbo.odien", "/admin/users").await;
    client
        .wait()
        .for_element(Locator::Id("create"))
        .await
        .unwrap();
    fits(&client, "the users page").await;
    // The role offered first is a team member's, never an administrator's.
    let role = client
        .find(Locator::Id("role"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(role.as_deref(), Some("team_member"));
    fill(&client, "login", "tothanhvien.moi").await;
    fill(&client, "display_name", "Nguyễn Văn Mới").await;
    fill(&client, "password", "mat-khau-dau-tien").await;
    pick_village(&client, 0).await;
    submit(&client, "form[action='/admin/users']").await;
    client
        .wait()
        .for_element(Locator::Id("grant-form"))
        .await
        .unwrap();
    let url = client.current_url().await.unwrap();
    let user: Uuid = url.path().rsplit('/').next().unwrap().parse().unwrap();
    fits(&client, "the account page").await;

    // A second role, village head, on another village picked from the list.
    client
        .find(Locator::Css("#grant-form #role"))
        .await
        .unwrap()
        .select_by_value("village_head")
        .await
        .unwrap();
    pick_village(&client, 1).await;
    submit(&client, "#grant-form").await;
    grants_listed(&client, 2).await;
    let grants = langso_store::auth::grants_of(app.db(), user).await.unwrap();
    assert_eq!(grants.len(), 2, "{grants:?}");
    assert!(grants.iter().all(|g| villages.contains(&g.unit_id)));
    assert!(grants.iter().any(|g| g.role == "village_head"));
    assert!(grants.iter().any(|g| g.role == "team_member"));

    // A temporary password, shown once, signs the account in.
    submit(&client, "#reset-form").await;
    let temporary = client
        .wait()
        .for_element(Locator::Id("temporary"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(temporary.trim().chars().count(), 12, "{temporary}");
    fits(&client, "the temporary password").await;
    let session = app.login("tothanhvien.moi", temporary.trim()).await;
    assert!(!session.cookie.is_empty());
    client
        .goto(&format!("{}/admin/users/{user}", app.base))
        .await
        .unwrap();
    client
        .wait()
        .for_element(Locator::Id("grant-form"))
        .await
        .unwrap();
    assert!(client.find(Locator::Id("temporary")).await.is_err());

    // Revoking the village head role leaves the first one.
    client
        .find(Locator::Css("#grants li:nth-child(2) button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    grants_listed(&client, 1).await;
    let grants = langso_store::auth::grants_of(app.db(), user).await.unwrap();
    assert_eq!(grants.len(), 1, "{grants:?}");
    assert_eq!(grants[0].role, "team_member");
    client.close().await.unwrap();
}

#[tokio::test]
async fn a_grant_beyond_what_the_officer_holds_is_refused() {
    let app = TestApp::with_demo().await;
    let villages = villages_of_o_dien(&app).await;
    let officer = app
        .login("canbo.odien", langso_app::demo::DEMO_PASSWORD)
        .await;
    let post = |path: String, form: Vec<(&'static str, String)>| {
        let session = officer.clone();
        let client = app.client.clone();
        let base = app.base.clone();
        async move {
            let mut form = form;
            form.push(("csrf", session.csrf.clone()));
            let response = client
                .post(format!("{base}{path}"))
                .header("cookie", session.header())
                .form(&form)
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            (status, response.text().await.unwrap_or_default())
        }
    };
    let (status, _) = post(
        "/admin/users".to_owned(),
        vec![
            ("login", "moi.xem".to_owned()),
            ("display_name", "Người mới".to_owned()),
            ("password", "mat-khau-dau-tien".to_owned()),
            ("role", "viewer".to_owned()),
            ("unit", villages[0].to_string()),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let user = langso_app::auth::user_id_by_login(app.db(), "moi.xem")
        .await
        .unwrap();
    // An administrator's role on a village the officer manages: more than an officer holds.
    let (status, page) = post(
        format!("/admin/users/{user}/grant"),
        vec![
            ("role", "admin".to_owned()),
            ("unit", villages[0].to_string()),
        ],
    )
    .await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("vượt quá quyền của bạn"), "{page}");
    // A role on the province above the officer's commune: not the officer's to give.
    let hanoi = units::by_code(app.db(), "01", langso_app::today())
        .await
        .unwrap();
    let (status, page) = post(
        format!("/admin/users/{user}/grant"),
        vec![
            ("role", "viewer".to_owned()),
            ("unit", hanoi.id.to_string()),
        ],
    )
    .await;
    assert!(status == 422 || status == 404, "{status} {page}");
    let grants = langso_store::auth::grants_of(app.db(), user).await.unwrap();
    assert_eq!(grants.len(), 1, "only the first role: {grants:?}");
    // Nor may the officer reset an administrator's password.
    let admin = langso_app::auth::user_id_by_login(app.db(), "admin")
        .await
        .unwrap();
    let (status, _) = post(format!("/admin/users/{admin}/password"), vec![]).await;
    assert_eq!(status, 404);
}

/// h17d: the officer sets another account's e-mail and phone on its page; a bad address is
/// refused beside its field and changes nothing.
#[tokio::test]
async fn an_officer_sets_an_accounts_email_and_phone_on_its_page() {
    use langso_app::auth::{self, NewAccount};
    let app = TestApp::with_demo().await;
    let commune = units::by_code(app.db(), "09817", langso_app::today())
        .await
        .unwrap();
    let user = auth::create_user(
        app.db(),
        &langso_app::Actor::system("test"),
        &NewAccount {
            login: "lien.he".to_owned(),
            display_name: "Nguyễn Thị Liên".to_owned(),
            password: "mật khẩu thử nghiệm dài".to_owned(),
            role: langso_domain::auth::Role::TeamMember,
            unit_id: commune.id,
            pii: false,
        },
    )
    .await
    .unwrap();
    let officer = app
        .login("canbo.odien", langso_app::demo::DEMO_PASSWORD)
        .await;
    let page_url = format!("{}/admin/users/{}", app.base, user.user.id);
    let get = || async {
        let r = app
            .client
            .get(&page_url)
            .header("cookie", officer.header())
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    };
    let (status, page) = get().await;
    assert_eq!(status, 200);
    assert!(page.contains("id=\"contacts-form\""));
    let post = |email: &str, phone: &str| {
        let form = [
            ("csrf", officer.csrf.clone()),
            ("email", email.to_owned()),
            ("phone", phone.to_owned()),
        ];
        app.client
            .post(format!("{page_url}/contacts"))
            .header("cookie", officer.header())
            .form(&form)
            .send()
    };
    let saved = post("lien@langso.test", "0912 345 678").await.unwrap();
    assert_eq!(saved.status(), 303);
    let stored = langso_store::comms::recipient(app.db(), user.user.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.email.as_deref(), Some("lien@langso.test"));
    assert_eq!(stored.phone.as_deref(), Some("84912345678"));
    let (_, page) = get().await;
    assert!(page.contains("lien@langso.test"));
    // A bad address: refused beside the field, nothing changed.
    let refused = post("khong-phai-thu", "").await.unwrap();
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("href=\"#email\""));
    let stored = langso_store::comms::recipient(app.db(), user.user.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.email.as_deref(), Some("lien@langso.test"));
    assert_eq!(stored.phone.as_deref(), Some("84912345678"));
}

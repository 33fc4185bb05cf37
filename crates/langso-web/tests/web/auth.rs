//! Accounts over real HTTP: logging in and out, throttling, sessions ending, CSRF, tokens,
//! security headers and the audit trail.

use langso_app::Actor;
use langso_app::auth::{self, NewToken};
use langso_app::demo::DEMO_PASSWORD;
use langso_domain::auth::Role;
use serde_json::Value;

use crate::support::{TestApp, hidden, set_cookie};

async fn unit(app: &TestApp, code: &str) -> uuid::Uuid {
    langso_app::units::by_code(app.db(), code, langso_app::today())
        .await
        .unwrap()
        .id
}

#[tokio::test]
async fn each_demo_account_logs_in_and_sees_its_roles() {
    let app = TestApp::with_demo().await;
    for login in ["admin", "canbo.odien", "truongthon", "tothanhvien", "xem"] {
        let session = app.login(login, DEMO_PASSWORD).await;
        let me: Value = app
            .client
            .get(format!("{}/api/v1/me", app.base))
            .header("cookie", session.header())
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(me["label"].as_str().unwrap().starts_with(login), "{me}");
        assert_eq!(me["grants"].as_array().map(Vec::len), Some(1));
    }
    // The demo login page lists the accounts, marked DEMO.
    let (_, page) = app.text("/login").await;
    assert!(page.contains("canbo.odien") && page.contains("DEMO"));
}

#[tokio::test]
async fn wrong_passwords_from_one_address_wait_and_the_officer_elsewhere_does_not() {
    let app = TestApp::with_settings(langso_web::Settings {
        trust_forwarded: true,
        ..Default::default()
    })
    .await;
    let form = app.get("/login").await;
    let cookie = set_cookie(&form, "langso_csrf").unwrap();
    let csrf = hidden(&form.text().await.unwrap(), "csrf");
    let attempt = |password: &'static str, from: &'static str| {
        app.client
            .post(format!("{}/login", app.base))
            .header("cookie", format!("langso_csrf={cookie}"))
            .header("x-forwarded-for", from)
            .form(&[
                ("login", "truongthon"),
                ("password", password),
                ("csrf", csrf.as_str()),
            ])
            .send()
    };
    let mut statuses = Vec::new();
    for _ in 0..8 {
        let response = attempt("sai-mat-khau", "198.51.100.7").await.unwrap();
        statuses.push(response.status().as_u16());
        if response.status() == 429 {
            assert!(response.headers().get("retry-after").is_some());
            let page = response.text().await.unwrap();
            assert!(
                page.contains("Thử sai quá nhiều lần"),
                "clear message on the login page"
            );
        }
    }
    assert_eq!(&statuses[..5], &[401; 5]);
    assert_eq!(&statuses[5..], &[429; 3], "{statuses:?}");
    // Even the right password waits now, from there.
    let response = attempt(DEMO_PASSWORD, "198.51.100.7").await.unwrap();
    assert_eq!(response.status(), 429);
    // The village head, from anywhere else, is not locked out by it.
    let response = attempt(DEMO_PASSWORD, "203.0.113.9").await.unwrap();
    assert_eq!(response.status(), 303);
    assert!(set_cookie(&response, "langso_session").is_some());
}

#[tokio::test]
async fn login_needs_the_csrf_cookie() {
    let app = TestApp::with_demo().await;
    let response = app
        .client
        .post(format!("{}/login", app.base))
        .form(&[
            ("login", "admin"),
            ("password", DEMO_PASSWORD),
            ("csrf", "forged"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    assert!(set_cookie(&response, "langso_session").is_none());
}

#[tokio::test]
async fn disabling_a_user_ends_its_open_sessions() {
    let app = TestApp::with_demo().await;
    let member = app.login("tothanhvien", DEMO_PASSWORD).await;
    let me = |cookie: String| {
        let request = app
            .client
            .get(format!("{}/api/v1/me", app.base))
            .header("cookie", cookie);
        async move { request.send().await.unwrap().status().as_u16() }
    };
    assert_eq!(me(member.header()).await, 200);
    let officer = app.login("canbo.odien", DEMO_PASSWORD).await;
    let (_, users) = {
        let response = app
            .client
            .get(format!("{}/api/v1/users", app.base))
            .header("cookie", officer.header())
            .send()
            .await
            .unwrap();
        (response.status(), response.json::<Value>().await.unwrap())
    };
    let id = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["login"] == "tothanhvien")
        .map(|u| u["id"].as_str().unwrap().to_owned())
        .unwrap();
    // A cookie-authenticated API write needs the CSRF header.
    let refused = app
        .client
        .post(format!("{}/api/v1/users/{id}/disable", app.base))
        .header("cookie", officer.header())
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    assert_eq!(me(member.header()).await, 200, "nothing happened");
    // Through the page form, as the officer would.
    let disabled = app
        .client
        .post(format!("{}/admin/users/{id}/disable", app.base))
        .header("cookie", officer.header())
        .form(&[("csrf", officer.csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(disabled.status(), 303);
    assert_eq!(me(member.header()).await, 401, "the open session ended");
    let page = app
        .client
        .get(format!("{}/account", app.base))
        .header("cookie", member.header())
        .send()
        .await
        .unwrap();
    assert_eq!(
        page.status(),
        303,
        "pages send the ended session to the login page"
    );
    // And the change is in the audit log, with who and when.
    let audit: Value = app
        .client
        .get(format!("{}/api/v1/audit?action=user.disable", app.base))
        .header("cookie", officer.header())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let entry = &audit[0];
    assert_eq!(entry["target_id"], "tothanhvien");
    assert!(entry["actor"].as_str().unwrap().starts_with("canbo.odien"));
    assert!(entry["at"].as_str().is_some());
}

#[tokio::test]
async fn logout_ends_the_session_and_password_change_ends_all() {
    let app = TestApp::with_demo().await;
    let first = app.login("truongthon", DEMO_PASSWORD).await;
    let second = app.login("truongthon", DEMO_PASSWORD).await;
    assert_ne!(
        first.cookie, second.cookie,
        "a new session id at each login"
    );
    let logout = app
        .client
        .post(format!("{}/logout", app.base))
        .header("cookie", first.header())
        .form(&[("csrf", first.csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), 303);
    let status = |s: &crate::support::Session| {
        let request = app
            .client
            .get(format!("{}/api/v1/me", app.base))
            .header("cookie", s.header());
        async move { request.send().await.unwrap().status().as_u16() }
    };
    assert_eq!(status(&first).await, 401);
    assert_eq!(status(&second).await, 200);
    let changed = app
        .client
        .post(format!("{}/account/password", app.base))
        .header("cookie", second.header())
        .form(&[
            ("csrf", second.csrf.as_str()),
            ("current", DEMO_PASSWORD),
            ("new", "một mật khẩu mới dài"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 200);
    assert_eq!(status(&second).await, 401);
    app.login("truongthon", "một mật khẩu mới dài").await;
}

#[tokio::test]
async fn api_tokens_are_shown_once_scoped_and_revocable() {
    let app = TestApp::with_demo().await;
    let system = Actor::system("test");
    let o_dien = unit(&app, "09817").await;
    let input = NewToken {
        name: "Zalo OA adapter".into(),
        kind: "api".into(),
        role: Role::Officer,
        unit_id: o_dien,
        subject: None,
        expires_at: None,
    };
    let (token, secret) = auth::create_token(app.db(), &system, &input).await.unwrap();
    assert!(secret.starts_with("lso_"));
    let bearer = |secret: String, path: &'static str| {
        let request = app
            .client
            .get(format!("{}{path}", app.base))
            .bearer_auth(secret);
        async move { request.send().await.unwrap() }
    };
    let me: Value = bearer(secret.clone(), "/api/v1/me")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["grants"][0]["role"], "officer");
    // Listing never shows the secret, and shows the last use.
    let listed: Value = bearer(secret.clone(), "/api/v1/tokens")
        .await
        .json()
        .await
        .unwrap();
    let text = listed.to_string();
    assert!(!text.contains(&secret[4..]), "secret not listed");
    assert!(listed[0]["last_used_at"].is_string());
    auth::revoke_token(app.db(), &system, token.id)
        .await
        .unwrap();
    assert_eq!(bearer(secret, "/api/v1/me").await.status(), 401);
    // An expired token does not work.
    let expired = NewToken {
        expires_at: Some(time::OffsetDateTime::now_utc() + time::Duration::seconds(1)),
        ..input
    };
    let (_, secret) = auth::create_token(app.db(), &system, &expired)
        .await
        .unwrap();
    assert_eq!(bearer(secret.clone(), "/api/v1/me").await.status(), 200);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(bearer(secret, "/api/v1/me").await.status(), 401);
}

#[tokio::test]
async fn pages_carry_security_headers() {
    let app = TestApp::with_demo().await;
    for path in ["/", "/units", "/login", "/api/v1/units?q=x"] {
        let response = app.get(path).await;
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_owned()
        };
        let csp = header("content-security-policy");
        assert!(
            csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"),
            "{path}: {csp}"
        );
        assert!(!csp.contains("unsafe-inline"), "{path}");
        assert_eq!(header("x-content-type-options"), "nosniff");
        assert_eq!(header("referrer-policy"), "same-origin");
    }
    let login = app.login("admin", DEMO_PASSWORD).await;
    assert!(login.cookie.len() == 64);
    let response = app.get("/login").await;
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    assert!(cookie.contains("HttpOnly"));
}

#[tokio::test]
async fn accounts_are_created_within_scope_and_audited() {
    let app = TestApp::with_demo().await;
    let officer = app.login("canbo.odien", DEMO_PASSWORD).await;
    let post = |unit_code: &'static str, login: &'static str, role: &'static str| {
        let officer = officer.clone();
        let app = &app;
        async move {
            let unit_id = unit(app, unit_code).await;
            app.client
                .post(format!("{}/api/v1/users", app.base))
                .header("cookie", officer.header())
                .header("x-csrf-token", officer.csrf.clone())
                .json(&serde_json::json!({"login": login, "display_name": "Người thử", "password": "mật khẩu đủ dài", "role": role, "unit_id": unit_id}))
                .send()
                .await
                .unwrap()
        }
    };
    assert_eq!(
        post("09805-T02", "thanhvien.moi", "team_member")
            .await
            .status(),
        201
    );
    assert_eq!(
        post("09793", "ngoai.pham.vi", "team_member").await.status(),
        404,
        "another commune"
    );
    assert_eq!(
        post("09817", "quan.tri.moi", "admin").await.status(),
        403,
        "cannot grant more than it has"
    );
    let bad = post("09805-T02", "x", "team_member").await;
    assert_eq!(bad.status(), 422);
    let problem: Value = bad.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "login");
    let entries = langso_app::audit::list(app.db(), &Actor::system("t"), &Default::default())
        .await
        .unwrap();
    assert!(entries.iter().any(|e| e.action == "user.create"
        && e.target_id == "thanhvien.moi"
        && e.actor_label.starts_with("canbo.odien")));
    // The demo build itself is in the log too (filtered: later seeds write many entries).
    let reorganisations = langso_app::audit::list(
        app.db(),
        &Actor::system("t"),
        &langso_app::audit::AuditQuery {
            action: Some("units.reorganise".to_owned()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(
        reorganisations
            .iter()
            .any(|e| e.action == "units.reorganise" && e.actor_label == "demo")
    );
}

#[tokio::test]
async fn the_public_rate_limit_answers_429_per_client_address() {
    let app = TestApp::with_demo().await;
    let form = app.get("/login").await;
    let cookie = set_cookie(&form, "langso_csrf").unwrap();
    let csrf = hidden(&form.text().await.unwrap(), "csrf");
    let mut limited = None;
    for n in 0..30 {
        let response = app
            .client
            .post(format!("{}/login", app.base))
            .header("cookie", format!("langso_csrf={cookie}"))
            .form(&[
                ("login", format!("khach.{n}").as_str()),
                ("password", "sai-mat-khau"),
                ("csrf", &csrf),
            ])
            .send()
            .await
            .unwrap();
        if response.status() == 429 && response.headers().get("x-ratelimit-after").is_some() {
            limited = Some(n);
            break;
        }
    }
    assert!(
        limited.is_some_and(|n| n >= 20),
        "burst of 20, then 429: {limited:?}"
    );
    assert_eq!(
        app.get("/login").await.status(),
        200,
        "reading the form is not limited"
    );
}

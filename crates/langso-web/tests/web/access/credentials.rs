//! The access matrix for credentials (issue 13), both ways:
//!
//! - A token whose creator is disabled, a token minted under a grant since revoked, a revoked
//!   token, and a live device token (`lsd_…`) answer on every route exactly as no credential
//!   does (401 on the API, the login redirect on pages); the one exception is the live device
//!   token on `POST /api/v1/telemetry`, which it may use. We chose 401 over 403 for a device
//!   token elsewhere: it is no credential there, as an unknown token is not.
//! - Minting a token, creating an account or granting a role above what the actor holds on
//!   that unit is refused with 403, and allowed when within: an officer of one commune who is
//!   administrator of a village in another commune cannot hand out "admin" on the commune.

use langso_app::Actor;
use langso_app::auth::{self, NewToken};
use langso_domain::auth::Role;
use serde_json::{Value, json};
use uuid::Uuid;

use super::{Access, Fixture, ROUTES, Route, create, finish, unit, with_body};

impl Fixture {
    /// The route sent with `Authorization: Bearer <secret>` and nothing else.
    async fn send_bearer(&self, route: &Route, secret: &str) -> u16 {
        let (path, body) = self.request(route, None, None).await;
        let app = &self.app;
        let method = reqwest::Method::from_bytes(route.method.as_bytes()).unwrap();
        let request = app
            .client
            .request(method, format!("{}{path}", app.base))
            .bearer_auth(secret);
        finish(with_body(route, request, body)).await
    }
}

fn token(kind: &str, role: Role, unit_id: Uuid) -> NewToken {
    NewToken {
        name: format!("matrix {kind}"),
        kind: kind.to_owned(),
        role,
        unit_id,
        subject: None,
        expires_at: None,
    }
}

async fn session_of(fixture: &Fixture, login: &str) -> Actor {
    let outcome = auth::login(fixture.app.db(), login, super::PASSWORD, "127.0.0.9")
        .await
        .unwrap();
    auth::actor_for_session(fixture.app.db(), &outcome.session_token)
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn dead_and_device_tokens_answer_as_no_credential_on_every_route() {
    let fixture = Fixture::new().await;
    let db = fixture.app.db();
    let system = Actor::system("matrix");
    let (o_dien, _) = unit(&fixture.app, "09817").await;
    // Officers who mint admin-free tokens, then lose their account or their grant.
    let disabled = create(&fixture.app, "cred.disabled", Role::Officer, o_dien).await;
    let stripped = create(&fixture.app, "cred.stripped", Role::Officer, o_dien).await;
    auth::grant_role(db, &system, stripped, Role::Viewer, o_dien)
        .await
        .unwrap();
    let mut secrets = Vec::new();
    for login in ["cred.disabled", "cred.stripped"] {
        let actor = session_of(&fixture, login).await;
        let (_, secret) = auth::create_token(db, &actor, &token("api", Role::Officer, o_dien))
            .await
            .unwrap();
        assert_eq!(
            auth::actor_for_token(db, &secret)
                .await
                .unwrap()
                .map(|a| a.grants[0].role),
            Some(Role::Officer),
            "{login}'s token works before"
        );
        secrets.push((login, secret));
    }
    auth::disable_user(db, &system, disabled).await.unwrap();
    auth::revoke_role(db, &system, stripped, Role::Officer, o_dien)
        .await
        .unwrap();
    let (revoked, secret) = auth::create_token(db, &system, &token("api", Role::Officer, o_dien))
        .await
        .unwrap();
    auth::revoke_token(db, &system, revoked.id).await.unwrap();
    secrets.push(("revoked", secret));
    let (_, device) = auth::create_token(db, &system, &token("device", Role::Admin, o_dien))
        .await
        .unwrap();
    secrets.push(("device", device));

    let mut failures = Vec::new();
    let mut checked = 0;
    for route in ROUTES {
        if matches!(route.access, Access::Public) {
            continue;
        }
        let anonymous =
            if route.path.starts_with("/api/") || super::OFFLINE_JSON.contains(&route.path) {
                401
            } else {
                303
            };
        for (what, secret) in &secrets {
            let want = if *what == "device" && route.path == "/api/v1/telemetry" {
                422 // accepted as a device; the matrix's asset "X" does not exist
            } else {
                anonymous
            };
            let got = fixture.send_bearer(route, secret).await;
            checked += 1;
            if got != want {
                failures.push(format!(
                    "{} {} with the {what} token: {got}, expected {want}",
                    route.method, route.path
                ));
            }
        }
    }
    assert!(checked > 100, "the matrix was walked: {checked}");
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test]
async fn nobody_hands_out_more_than_they_hold_on_that_unit() {
    let fixture = Fixture::new().await;
    let app = &fixture.app;
    let db = app.db();
    let (o_dien, _) = unit(app, "09817").await;
    let (far_village, _) = unit(app, "09787-T01").await;
    let (village, _) = unit(app, "09805-T01").await;
    let two_hats = create(app, "cred.two.hats", Role::Officer, o_dien).await;
    auth::grant_role(
        db,
        &Actor::system("matrix"),
        two_hats,
        Role::Admin,
        far_village,
    )
    .await
    .unwrap();
    let outcome = auth::login(db, "cred.two.hats", super::PASSWORD, "127.0.0.9")
        .await
        .unwrap();
    let post = |path: String, body: Value| {
        let request = app
            .client
            .post(format!("{}{path}", app.base))
            .header(
                "cookie",
                format!("langso_session={}", outcome.session_token),
            )
            .header("x-csrf-token", outcome.csrf_token.clone())
            .json(&body);
        async move { request.send().await.unwrap().status().as_u16() }
    };
    let target = create(app, "cred.target", Role::TeamMember, village).await;
    let mut n = 0;
    let mut account = |role: &str, unit: Uuid| {
        n += 1;
        json!({"login": format!("cred.new.{n}"), "display_name": "Người mới", "password": super::PASSWORD, "role": role, "unit_id": unit})
    };
    let cases = [
        // (what, path, body, expected)
        (
            "admin token on the commune",
            "/api/v1/tokens".to_owned(),
            json!({"name": "t", "kind": "api", "role": "admin", "unit_id": o_dien}),
            403,
        ),
        (
            "officer token on the commune",
            "/api/v1/tokens".to_owned(),
            json!({"name": "t", "kind": "api", "role": "officer", "unit_id": o_dien}),
            201,
        ),
        (
            "admin token on the far village",
            "/api/v1/tokens".to_owned(),
            json!({"name": "t", "kind": "api", "role": "admin", "unit_id": far_village}),
            201,
        ),
        (
            "admin device token on the commune",
            "/api/v1/tokens".to_owned(),
            json!({"name": "t", "kind": "device", "role": "admin", "unit_id": o_dien}),
            403,
        ),
        (
            "admin account on the commune",
            "/api/v1/users".to_owned(),
            account("admin", o_dien),
            403,
        ),
        (
            "officer account on the commune",
            "/api/v1/users".to_owned(),
            account("officer", o_dien),
            201,
        ),
        (
            "admin account on the far village",
            "/api/v1/users".to_owned(),
            account("admin", far_village),
            201,
        ),
        (
            "admin grant on the commune",
            format!("/api/v1/users/{target}/grants"),
            json!({"role": "admin", "unit_id": o_dien}),
            403,
        ),
        (
            "admin grant on a village of the commune",
            format!("/api/v1/users/{target}/grants"),
            json!({"role": "admin", "unit_id": village}),
            403,
        ),
        (
            "viewer grant on the commune",
            format!("/api/v1/users/{target}/grants"),
            json!({"role": "viewer", "unit_id": o_dien}),
            204,
        ),
    ];
    let mut failures = Vec::new();
    for (what, path, body, want) in cases {
        let got = post(path, body).await;
        if got != want {
            failures.push(format!("{what}: {got}, expected {want}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

//! The access-control matrix (DESIGN.md): every route, API and page, × every role × (own unit,
//! a child, a sibling, another commune), reads and writes, against the expected answer.
//!
//! A route that exists in the OpenAPI document or in `pages::ROUTES` but not in [`ROUTES`]
//! below fails `every_route_is_in_the_matrix`: new routes must join the matrix.

use std::collections::BTreeSet;

use langso_app::Actor;
use langso_app::auth::{self, NewAccount, NewToken};
use langso_domain::auth::{Permission, Role};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::TestApp;

/// Who may call a route.
#[derive(Clone, Copy, Debug)]
enum Access {
    /// Anyone, logged in or not.
    Public,
    /// Any logged-in actor; the answer is this status.
    Authenticated(u16),
    /// A listing: needs the permission somewhere; filtered by scope.
    Listing(Permission),
    /// Acts on something in a unit: scope and permission decide.
    Targeted(Permission),
}

/// How the request is made.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Body {
    None,
    Json,
    Form,
    /// multipart/form-data; a `file` key becomes a file part.
    Multipart,
}

struct Route {
    method: &'static str,
    path: &'static str,
    access: Access,
    body: Body,
    /// The answer when allowed.
    ok: u16,
}

const fn route(
    method: &'static str,
    path: &'static str,
    access: Access,
    body: Body,
    ok: u16,
) -> Route {
    Route {
        method,
        path,
        access,
        body,
        ok,
    }
}

use Access::*;
use Permission::*;

const ROUTES: &[Route] = &[
    // Units: public information.
    route("GET", "/api/v1/units", Public, Body::None, 200),
    route("GET", "/api/v1/units/tree", Public, Body::None, 200),
    route(
        "GET",
        "/api/v1/units/by-code/{code}",
        Public,
        Body::None,
        200,
    ),
    route("GET", "/api/v1/units/{id}", Public, Body::None, 200),
    route(
        "GET",
        "/api/v1/units/{id}/children",
        Public,
        Body::None,
        200,
    ),
    route("GET", "/api/v1/units/{id}/lineage", Public, Body::None, 200),
    // Accounts.
    route("GET", "/api/v1/me", Authenticated(200), Body::None, 200),
    route(
        "GET",
        "/api/v1/users",
        Listing(ManageAccounts),
        Body::None,
        200,
    ),
    route(
        "POST",
        "/api/v1/users",
        Targeted(ManageAccounts),
        Body::Json,
        201,
    ),
    route(
        "GET",
        "/api/v1/users/{id}",
        Targeted(ManageAccounts),
        Body::None,
        200,
    ),
    route(
        "POST",
        "/api/v1/users/{id}/disable",
        Targeted(ManageAccounts),
        Body::None,
        204,
    ),
    route(
        "POST",
        "/api/v1/users/{id}/grants",
        Targeted(ManageAccounts),
        Body::Json,
        204,
    ),
    route(
        "DELETE",
        "/api/v1/users/{id}/grants",
        Targeted(ManageAccounts),
        Body::None,
        204,
    ),
    route(
        "POST",
        "/api/v1/users/{id}/password",
        Targeted(ManageAccounts),
        Body::Json,
        204,
    ),
    route(
        "GET",
        "/api/v1/tokens",
        Listing(ManageAccounts),
        Body::None,
        200,
    ),
    route(
        "POST",
        "/api/v1/tokens",
        Targeted(ManageAccounts),
        Body::Json,
        201,
    ),
    route(
        "DELETE",
        "/api/v1/tokens/{id}",
        Targeted(ManageAccounts),
        Body::None,
        204,
    ),
    // Audit.
    route("GET", "/api/v1/audit", Listing(ReadAudit), Body::None, 200),
    route(
        "GET",
        "/api/v1/audit/export",
        Listing(ReadAudit),
        Body::None,
        200,
    ),
    // Households and the survey.
    route(
        "GET",
        "/api/v1/indicators",
        Authenticated(200),
        Body::None,
        200,
    ),
    route(
        "GET",
        "/api/v1/households",
        Listing(ReadPeople),
        Body::None,
        200,
    ),
    route(
        "POST",
        "/api/v1/households",
        Targeted(WritePeople),
        Body::Json,
        201,
    ),
    route(
        "GET",
        "/api/v1/households/{id}",
        Targeted(ReadPeople),
        Body::None,
        200,
    ),
    route(
        "PUT",
        "/api/v1/households/{id}",
        Targeted(WritePeople),
        Body::Json,
        200,
    ),
    route(
        "GET",
        "/api/v1/households/{id}/visits",
        Targeted(ReadPeople),
        Body::None,
        200,
    ),
    route(
        "POST",
        "/api/v1/households/{id}/visits",
        Targeted(WritePeople),
        Body::Json,
        201,
    ),
    route(
        "POST",
        "/api/v1/households/{id}/assign",
        Targeted(WritePeople),
        Body::Json,
        204,
    ),
    route(
        "GET",
        "/api/v1/households/{id}/subject-export",
        Targeted(ExportPeople),
        Body::None,
        200,
    ),
    route(
        "POST",
        "/api/v1/households/{id}/erase",
        Targeted(ExportPeople),
        Body::None,
        204,
    ),
    route("GET", "/api/v1/round", Authenticated(200), Body::None, 200),
    route(
        "GET",
        "/api/v1/progress",
        Targeted(ReadDashboard),
        Body::None,
        200,
    ),
    // Procedures, QR placements and scan analytics.
    route("GET", "/api/v1/procedures", Public, Body::None, 200),
    route("GET", "/api/v1/procedures/{code}", Public, Body::None, 200),
    route(
        "GET",
        "/api/v1/procedures/{code}/versions",
        Authenticated(200),
        Body::None,
        200,
    ),
    route(
        "POST",
        "/api/v1/procedures/{code}/versions",
        Listing(ManageCatalogue),
        Body::Json,
        201,
    ),
    route(
        "GET",
        "/api/v1/placements",
        Targeted(ReadDashboard),
        Body::None,
        200,
    ),
    route(
        "POST",
        "/api/v1/placements",
        Targeted(ManagePlacements),
        Body::Json,
        201,
    ),
    route(
        "GET",
        "/api/v1/placements/{id}",
        Targeted(ReadDashboard),
        Body::None,
        200,
    ),
    route(
        "PATCH",
        "/api/v1/placements/{id}",
        Targeted(ManagePlacements),
        Body::Json,
        200,
    ),
    route(
        "GET",
        "/api/v1/placements/{id}/qr.png",
        Targeted(ReadDashboard),
        Body::None,
        200,
    ),
    route(
        "GET",
        "/api/v1/placements/{id}/qr.svg",
        Targeted(ReadDashboard),
        Body::None,
        200,
    ),
    route(
        "GET",
        "/api/v1/placements/{id}/poster.pdf",
        Targeted(ReadDashboard),
        Body::None,
        200,
    ),
    route(
        "GET",
        "/api/v1/placements/posters.pdf",
        Targeted(ReadDashboard),
        Body::None,
        200,
    ),
    route(
        "GET",
        "/api/v1/analytics/qr",
        Targeted(ReadDashboard),
        Body::None,
        200,
    ),
    route("GET", "/qr", Targeted(ReadDashboard), Body::None, 200),
    route(
        "GET",
        "/qr/new",
        Targeted(ManagePlacements),
        Body::None,
        200,
    ),
    route(
        "POST",
        "/qr/new",
        Targeted(ManagePlacements),
        Body::Form,
        303,
    ),
    route(
        "GET",
        "/qr/placements/{id}",
        Targeted(ReadDashboard),
        Body::None,
        200,
    ),
    route(
        "POST",
        "/qr/placements/{id}/active",
        Targeted(ManagePlacements),
        Body::Form,
        303,
    ),
    route(
        "GET",
        "/qr/analytics",
        Targeted(ReadDashboard),
        Body::None,
        200,
    ),
    route(
        "GET",
        "/procedures/{code}/history",
        Authenticated(200),
        Body::None,
        200,
    ),
    route(
        "GET",
        "/procedures/{code}/new-version",
        Listing(ManageCatalogue),
        Body::None,
        200,
    ),
    route(
        "POST",
        "/procedures/{code}/new-version",
        Listing(ManageCatalogue),
        Body::Form,
        303,
    ),
    route("GET", "/q/{token}", Public, Body::None, 302),
    route("GET", "/thu-tuc", Public, Body::None, 200),
    route("GET", "/thu-tuc/{code}", Public, Body::None, 200),
    // Pages.
    route("GET", "/", Public, Body::None, 200),
    route("GET", "/units", Public, Body::None, 200),
    route("GET", "/units/{id}", Public, Body::None, 200),
    route("GET", "/login", Public, Body::None, 200),
    route("POST", "/login", Public, Body::Form, 403),
    route("GET", "/lang/{code}", Public, Body::None, 303),
    route("GET", "/static/langso.css", Public, Body::None, 200),
    route("POST", "/logout", Authenticated(303), Body::Form, 303),
    route("GET", "/account", Authenticated(200), Body::None, 200),
    route(
        "POST",
        "/account/password",
        Authenticated(422),
        Body::Form,
        422,
    ),
    route(
        "GET",
        "/admin/users",
        Listing(ManageAccounts),
        Body::None,
        200,
    ),
    route(
        "POST",
        "/admin/users",
        Targeted(ManageAccounts),
        Body::Form,
        303,
    ),
    route(
        "GET",
        "/admin/users/{id}",
        Targeted(ManageAccounts),
        Body::None,
        200,
    ),
    route(
        "POST",
        "/admin/users/{id}/disable",
        Targeted(ManageAccounts),
        Body::Form,
        303,
    ),
    route("GET", "/audit", Listing(ReadAudit), Body::None, 200),
    route("GET", "/audit/export", Listing(ReadAudit), Body::None, 200),
    route("GET", "/households", Listing(ReadPeople), Body::None, 200),
    route(
        "GET",
        "/households/{id}",
        Targeted(ReadPeople),
        Body::None,
        200,
    ),
    route(
        "GET",
        "/households/{id}/visit",
        Targeted(ReadPeople),
        Body::None,
        200,
    ),
    route(
        "POST",
        "/households/{id}/visit",
        Targeted(WritePeople),
        Body::Form,
        303,
    ),
    route("GET", "/round", Authenticated(200), Body::None, 200),
    route("GET", "/progress", Targeted(ReadDashboard), Body::None, 200),
    // --- households import/export ---
    route(
        "POST",
        "/api/v1/households/import",
        Targeted(WritePeople),
        Body::Multipart,
        200,
    ),
    route(
        "GET",
        "/api/v1/households/export",
        Targeted(ExportPeople),
        Body::None,
        200,
    ),
    route(
        "GET",
        "/households/import",
        Listing(WritePeople),
        Body::None,
        200,
    ),
    route(
        "POST",
        "/households/import",
        Targeted(WritePeople),
        Body::Multipart,
        200,
    ),
    route(
        "POST",
        "/households/import/{id}/confirm",
        Targeted(WritePeople),
        Body::Form,
        200,
    ),
    route(
        "GET",
        "/households/export",
        Targeted(ExportPeople),
        Body::None,
        200,
    ),
];

/// Health, metrics and documentation: public, outside the API and page routers.
const SYSTEM: &[&str] = &[
    "/healthz",
    "/readyz",
    "/metrics",
    "/api/openapi.json",
    "/api/docs/",
];

/// Where a target sits relative to the actor's unit.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Relation {
    Own,
    Child,
    Sibling,
    OtherCommune,
}

struct Player {
    role: Role,
    session: String,
    csrf: String,
    targets: Vec<(Relation, Uuid, String)>,
}

struct Fixture {
    app: TestApp,
    players: Vec<Player>,
    village_c: Uuid,
    counter: std::sync::atomic::AtomicUsize,
}

const PASSWORD: &str = "mật khẩu thử nghiệm";

async fn unit(app: &TestApp, code: &str) -> (Uuid, String) {
    let unit = langso_app::units::by_code(app.db(), code, langso_app::today())
        .await
        .unwrap();
    (unit.id, unit.code)
}

impl Fixture {
    async fn new() -> Fixture {
        let app = TestApp::with_demo().await;
        let hanoi = unit(&app, "01").await;
        let o_dien = unit(&app, "09817").await;
        let village_a = unit(&app, "09805-T01").await;
        let village_b = unit(&app, "09805-T02").await;
        let lien_minh = unit(&app, "09793").await;
        let village_c = unit(&app, "09787-T01").await;
        let t = |relation, (id, code): &(Uuid, String)| (relation, *id, code.clone());
        let plan = vec![
            (
                Role::Admin,
                hanoi.clone(),
                vec![t(Relation::Own, &hanoi), t(Relation::Child, &o_dien)],
            ),
            (
                Role::Officer,
                o_dien.clone(),
                vec![
                    t(Relation::Own, &o_dien),
                    t(Relation::Child, &village_a),
                    t(Relation::Sibling, &lien_minh),
                    t(Relation::OtherCommune, &village_c),
                ],
            ),
            (
                Role::VillageHead,
                village_a.clone(),
                vec![
                    t(Relation::Own, &village_a),
                    t(Relation::Sibling, &village_b),
                    t(Relation::OtherCommune, &village_c),
                ],
            ),
            (
                Role::TeamMember,
                village_a.clone(),
                vec![
                    t(Relation::Own, &village_a),
                    t(Relation::Sibling, &village_b),
                    t(Relation::OtherCommune, &village_c),
                ],
            ),
            (
                Role::Viewer,
                o_dien.clone(),
                vec![
                    t(Relation::Own, &o_dien),
                    t(Relation::Child, &village_a),
                    t(Relation::Sibling, &lien_minh),
                    t(Relation::OtherCommune, &village_c),
                ],
            ),
        ];
        let mut players = Vec::new();
        for (role, (unit_id, _), targets) in plan {
            let login = format!("matrix.{}", role.as_str());
            create(&app, &login, role, unit_id).await;
            let outcome = auth::login(app.db(), &login, PASSWORD, "127.0.0.9")
                .await
                .unwrap();
            players.push(Player {
                role,
                session: outcome.session_token,
                csrf: outcome.csrf_token,
                targets,
            });
        }
        Fixture {
            app,
            players,
            village_c: village_c.0,
            counter: Default::default(),
        }
    }

    fn next(&self) -> usize {
        self.counter
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    }

    /// A fresh account holding team_member on `unit`, to act upon.
    async fn target_user(&self, unit: Uuid) -> Uuid {
        create(
            &self.app,
            &format!("target.{}", self.next()),
            Role::TeamMember,
            unit,
        )
        .await
    }

    /// A village-level unit at or under `unit` (households live in villages).
    async fn village_in(&self, unit: Uuid) -> Uuid {
        let nodes = langso_store::units::subtree(self.app.db(), unit, langso_app::today(), 4)
            .await
            .unwrap();
        nodes
            .into_iter()
            .find(|n| n.unit.kind.level() == langso_domain::units::Level::Village)
            .map(|n| n.unit.id)
            .unwrap()
    }

    /// A fresh household in a village at or under `unit`.
    async fn household(&self, unit: Uuid) -> Uuid {
        let village = self.village_in(unit).await;
        let input = household_input(village, &format!("MT-{}", self.next()));
        langso_app::households::create_household(self.app.db(), &Actor::system("matrix"), &input)
            .await
            .unwrap()
            .row
            .id
    }

    /// A fresh placement in `unit`, to act upon.
    async fn target_placement(&self, unit: Uuid) -> Uuid {
        let input = langso_app::procedures::NewPlacement {
            unit_id: unit,
            kind: "alley_entrance".to_owned(),
            label: format!("Đầu ngõ {}", self.next()),
            latitude: None,
            longitude: None,
            procedures: vec!["1.001193".to_owned()],
        };
        langso_app::procedures::create_placement(self.app.db(), &Actor::system("matrix"), input)
            .await
            .unwrap()
            .id
    }

    /// A new version of the marriage guide, effective today.
    async fn new_version(&self) -> Value {
        let guide = langso_app::procedures::guide(self.app.db(), "1.000894")
            .await
            .unwrap();
        let c = guide.content;
        json!({
            "effective_from": langso_app::today().to_string(),
            "note": "matrix",
            "content": {
                "name_vi": c.name_vi, "name_en": c.name_en, "steps_vi": c.steps_vi, "steps_en": c.steps_en,
                "documents_vi": c.documents_vi, "fee_vi": c.fee_vi, "processing_time_vi": c.processing_time_vi,
                "processing_time_en": c.processing_time_en, "channels": ["one_stop", "portal"], "legal_basis": c.legal_basis
            }
        })
    }

    /// The concrete path and body for one check.
    async fn request(
        &self,
        route: &Route,
        player: Option<&Player>,
        target: Option<(Uuid, &str)>,
    ) -> (String, Option<Value>) {
        let (unit, code) = target.unwrap_or((self.village_c, "09787-T01"));
        let csrf = player.map(|p| p.csrf.clone()).unwrap_or_default();
        let n = self.next();
        let path = route.path.to_owned();
        let (path, body) = match route.path {
            "/api/v1/units/by-code/{code}" => (path.replace("{code}", "09817"), None),
            "/api/v1/units/{id}"
            | "/api/v1/units/{id}/children"
            | "/api/v1/units/{id}/lineage"
            | "/units/{id}" => (path.replace("{id}", &unit.to_string()), None),
            "/lang/{code}" => (path.replace("{code}", "en"), None),
            "/api/v1/users" if route.method == "POST" => (
                path,
                Some(
                    json!({"login": format!("new.{n}"), "display_name": "Người mới", "password": PASSWORD, "role": "team_member", "unit_id": unit}),
                ),
            ),
            "/admin/users" if route.method == "POST" => (
                path,
                Some(
                    json!({"csrf": csrf, "login": format!("form.{n}"), "display_name": "Người mới", "password": PASSWORD, "role": "team_member", "unit": code}),
                ),
            ),
            "/api/v1/users/{id}"
            | "/api/v1/users/{id}/disable"
            | "/admin/users/{id}"
            | "/admin/users/{id}/disable" => {
                let user = self.target_user(unit).await;
                (
                    path.replace("{id}", &user.to_string()),
                    Some(json!({"csrf": csrf})),
                )
            }
            "/api/v1/users/{id}/grants" => {
                let user = self.target_user(unit).await;
                let path = path.replace("{id}", &user.to_string());
                if route.method == "DELETE" {
                    (format!("{path}?role=team_member&unit_id={unit}"), None)
                } else {
                    (path, Some(json!({"role": "viewer", "unit_id": unit})))
                }
            }
            "/api/v1/users/{id}/password" => {
                let user = self.target_user(unit).await;
                (
                    path.replace("{id}", &user.to_string()),
                    Some(json!({"password": "một mật khẩu mới dài"})),
                )
            }
            "/api/v1/tokens" if route.method == "POST" => (
                path,
                Some(json!({"name": format!("token {n}"), "role": "viewer", "unit_id": unit})),
            ),
            "/api/v1/tokens/{id}" => {
                let input = NewToken {
                    name: format!("t{n}"),
                    kind: "api".into(),
                    role: Role::Viewer,
                    unit_id: unit,
                    subject: None,
                    expires_at: None,
                };
                let (token, _) =
                    auth::create_token(self.app.db(), &Actor::system("matrix"), &input)
                        .await
                        .unwrap();
                (path.replace("{id}", &token.id.to_string()), None)
            }
            "/api/v1/procedures/{code}"
            | "/api/v1/procedures/{code}/versions"
            | "/thu-tuc/{code}"
            | "/procedures/{code}/history" => {
                let path = path.replace("{code}", "1.000894");
                if route.method == "POST" {
                    (path, Some(self.new_version().await))
                } else {
                    (path, None)
                }
            }
            "/procedures/{code}/new-version" => {
                let guide = langso_app::procedures::guide(self.app.db(), "1.000894")
                    .await
                    .unwrap();
                let c = guide.content;
                let form = json!({
                    "csrf": csrf, "effective_from": langso_app::today().to_string(), "name_vi": c.name_vi,
                    "name_en": c.name_en, "steps_vi": c.steps_vi.join("\n"), "fee_vi": c.fee_vi,
                    "processing_time_vi": c.processing_time_vi, "legal_basis": c.legal_basis, "ch.one_stop": "1"
                });
                (path.replace("{code}", "1.000894"), Some(form))
            }
            "/api/v1/placements" if route.method == "POST" => (
                path,
                Some(
                    json!({"unit_id": unit, "kind": "billboard", "label": format!("Pano {n}"), "procedures": ["1.001193"]}),
                ),
            ),
            "/api/v1/placements" | "/api/v1/analytics/qr" | "/qr" | "/qr/new" | "/qr/analytics"
                if route.method == "GET" =>
            {
                (format!("{path}?unit={unit}"), None)
            }
            "/api/v1/placements/posters.pdf" => (format!("{path}?unit={code}"), None),
            "/qr/new" => (
                path,
                Some(
                    json!({"csrf": csrf, "unit": unit, "kind": "public_place", "label": format!("Chợ {n}"), "proc.1.000656": "1"}),
                ),
            ),
            "/api/v1/placements/{id}"
            | "/api/v1/placements/{id}/qr.png"
            | "/api/v1/placements/{id}/qr.svg"
            | "/api/v1/placements/{id}/poster.pdf"
            | "/qr/placements/{id}"
            | "/qr/placements/{id}/active" => {
                let placement = self.target_placement(unit).await;
                let body = if route.method == "PATCH" {
                    json!({"active": false})
                } else {
                    json!({"csrf": csrf, "active": "0"})
                };
                (path.replace("{id}", &placement.to_string()), Some(body))
            }
            "/q/{token}" => {
                let placement = self.target_placement(unit).await;
                let placement = langso_app::procedures::placement(
                    self.app.db(),
                    &Actor::system("matrix"),
                    placement,
                )
                .await
                .unwrap();
                (path.replace("{token}", &placement.token), None)
            }
            "/api/v1/households" if route.method == "POST" => {
                let village = self.village_in(unit).await;
                (
                    path,
                    Some(
                        serde_json::to_value(household_body(village, &format!("NEW-{n}"))).unwrap(),
                    ),
                )
            }
            "/api/v1/households/{id}"
            | "/api/v1/households/{id}/visits"
            | "/api/v1/households/{id}/assign"
            | "/api/v1/households/{id}/subject-export"
            | "/api/v1/households/{id}/erase"
            | "/households/{id}"
            | "/households/{id}/visit" => {
                let household = self.household(unit).await;
                let path = path.replace("{id}", &household.to_string());
                let body = match (route.method, route.path) {
                    ("PUT", _) => Some(
                        serde_json::to_value(household_body(
                            self.village_in(unit).await,
                            &format!("MT-U-{n}"),
                        ))
                        .unwrap(),
                    ),
                    ("POST", "/api/v1/households/{id}/visits") => {
                        Some(json!({"values": {"vneid_2": 1}, "help": ["vneid_level2"]}))
                    }
                    ("POST", "/api/v1/households/{id}/assign") => Some(json!({"user_id": null})),
                    ("POST", "/households/{id}/visit") => {
                        Some(json!({"csrf": csrf, "ind.vneid_2": "1", "help": "vneid_level2"}))
                    }
                    _ => None,
                };
                (path, body)
            }
            // --- households import/export ---
            "/api/v1/households/import" | "/households/import" if route.method == "POST" => {
                let village = self.village_in(unit).await;
                let file =
                    format!("Mã hộ,Họ và tên chủ hộ,Số thành viên\nIMP-{n},Nguyễn Văn Thử,3\n");
                let path = if route.path.starts_with("/api/") {
                    format!("{path}?unit={village}&dry_run=true")
                } else {
                    path
                };
                (
                    path,
                    Some(json!({"csrf": csrf, "unit": village.to_string(), "file": file})),
                )
            }
            "/households/import/{id}/confirm" => {
                let village = self.village_in(unit).await.to_string();
                let file =
                    format!("Mã hộ,Họ và tên chủ hộ,Số thành viên\nCF-{n},Nguyễn Văn Thử,3\n");
                let db = self.app.db();
                let own = match player {
                    Some(p) => langso_app::auth::actor_for_session(db, &p.session)
                        .await
                        .unwrap(),
                    None => None,
                };
                let mut id = None;
                if let Some(actor) = own {
                    id = langso_app::households::preview_upload(
                        db,
                        &actor,
                        &village,
                        "m.csv",
                        file.clone().into_bytes(),
                    )
                    .await
                    .ok()
                    .and_then(|p| p.upload_id);
                }
                let id = match id {
                    Some(id) => id,
                    None => langso_app::households::preview_upload(
                        db,
                        &Actor::system("matrix"),
                        &village,
                        "m.csv",
                        file.into_bytes(),
                    )
                    .await
                    .unwrap()
                    .upload_id
                    .unwrap(),
                };
                (
                    path.replace("{id}", &id.to_string()),
                    Some(json!({"csrf": csrf})),
                )
            }
            "/api/v1/households/export" | "/households/export" => {
                (format!("{path}?unit={unit}&format=xlsx"), None)
            }
            "/api/v1/progress" | "/progress" => (format!("{path}?unit={unit}"), None),
            "/logout" => (path, Some(json!({"csrf": csrf}))),
            "/account/password" => (
                path,
                Some(json!({"csrf": csrf, "current": "sai", "new": "không đủ"})),
            ),
            "/login" => (
                path,
                Some(json!({"login": "x", "password": "y", "csrf": "z"})),
            ),
            _ => (path, None),
        };
        (path, body)
    }

    async fn send(
        &self,
        route: &Route,
        player: Option<&Player>,
        target: Option<(Uuid, &str)>,
    ) -> u16 {
        let (path, body) = self.request(route, player, target).await;
        let app = &self.app;
        let method = reqwest::Method::from_bytes(route.method.as_bytes()).unwrap();
        let mut request = app.client.request(method, format!("{}{path}", app.base));
        if let Some(player) = player {
            // POST /logout ends the session it is sent with: use a throwaway one.
            let session = if route.path == "/logout" {
                let login = format!("matrix.{}", player.role.as_str());
                let outcome = auth::login(app.db(), &login, PASSWORD, "127.0.0.9")
                    .await
                    .unwrap();
                request = request.header("x-csrf-token", outcome.csrf_token.clone());
                let body = json!({"csrf": outcome.csrf_token});
                return finish(
                    request
                        .header(
                            "cookie",
                            format!("langso_session={}", outcome.session_token),
                        )
                        .form(&body),
                )
                .await;
            } else {
                player.session.clone()
            };
            request = request
                .header("cookie", format!("langso_session={session}"))
                .header("x-csrf-token", player.csrf.clone());
        }
        request = match (route.body, body) {
            (Body::Json, Some(body)) => request.json(&body),
            (Body::Multipart, Some(body)) => {
                let mut form = reqwest::multipart::Form::new();
                for (key, value) in body.as_object().unwrap() {
                    let text = value.as_str().unwrap_or_default().to_owned();
                    form = if key == "file" {
                        form.part(
                            "file",
                            reqwest::multipart::Part::bytes(text.into_bytes()).file_name("m.csv"),
                        )
                    } else {
                        form.text(key.clone(), text)
                    };
                }
                request.multipart(form)
            }
            (Body::Form, Some(body)) | (Body::None, Some(body)) if route.method == "POST" => {
                request.form(&body)
            }
            _ => request,
        };
        finish(request).await
    }
}

async fn finish(request: reqwest::RequestBuilder) -> u16 {
    request.send().await.unwrap().status().as_u16()
}

fn household_input(village: Uuid, code: &str) -> langso_app::households::HouseholdInput {
    langso_app::households::HouseholdInput {
        unit_id: Some(village),
        code: code.to_owned(),
        head_name: "Nguyễn Văn Thử".to_owned(),
        representative_phone: "0912345678".to_owned(),
        members: 3,
        adults: 2,
        ..Default::default()
    }
}

fn household_body(village: Uuid, code: &str) -> Value {
    json!({"unit_id": village, "code": code, "head_name": "Nguyễn Văn Thử", "representative_phone": "0912345678", "members": 3, "adults": 2})
}

async fn create(app: &TestApp, login: &str, role: Role, unit: Uuid) -> Uuid {
    let input = NewAccount {
        login: login.to_owned(),
        display_name: "Thử nghiệm".to_owned(),
        password: PASSWORD.to_owned(),
        role,
        unit_id: unit,
        pii: true,
    };
    auth::create_user(app.db(), &Actor::system("matrix"), &input)
        .await
        .unwrap()
        .user
        .id
}

fn expected(route: &Route, role: Role, relation: Relation) -> u16 {
    let in_scope = matches!(relation, Relation::Own | Relation::Child);
    match route.access {
        Public => route.ok,
        Authenticated(status) => status,
        Listing(permission) => {
            if role.allows(permission) {
                route.ok
            } else {
                403
            }
        }
        Targeted(permission) => match (in_scope, role.allows(permission)) {
            (true, true) => route.ok,
            (true, false) => 403,
            (false, _) => 404,
        },
    }
}

#[tokio::test]
async fn every_route_answers_as_the_matrix_says() {
    let fixture = Fixture::new().await;
    let mut failures = Vec::new();
    for route in ROUTES {
        // Anonymous callers: public routes answer, others ask for a login.
        let anonymous = fixture.send(route, None, None).await;
        let want = match route.access {
            Public => route.ok,
            _ if route.path.starts_with("/api/") => 401,
            _ => 303,
        };
        if anonymous != want {
            failures.push(format!(
                "{} {} anonymous: {anonymous}, expected {want}",
                route.method, route.path
            ));
        }
        for player in &fixture.players {
            for (relation, unit, code) in &player.targets {
                let got = fixture.send(route, Some(player), Some((*unit, code))).await;
                let want = expected(route, player.role, *relation);
                if got != want {
                    failures.push(format!(
                        "{} {} as {} on {relation:?}: {got}, expected {want}",
                        route.method,
                        route.path,
                        player.role.as_str()
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test]
async fn every_route_is_in_the_matrix() {
    let app = TestApp::with_demo().await;
    let openapi = app.json("/api/openapi.json").await;
    let mut served = BTreeSet::new();
    for (path, item) in openapi["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                served.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    for (method, path) in langso_web::pages::ROUTES {
        served.insert(((*method).to_owned(), (*path).to_owned()));
    }
    let matrix: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|r| (r.method.to_owned(), r.path.to_owned()))
        .collect();
    let missing: Vec<_> = served.difference(&matrix).collect();
    assert!(
        missing.is_empty(),
        "routes missing from the access matrix: {missing:?}"
    );
    let stale: Vec<_> = matrix.difference(&served).collect();
    assert!(
        stale.is_empty(),
        "matrix rows for routes that do not exist: {stale:?}"
    );
    for path in SYSTEM {
        assert_eq!(app.get(path).await.status(), 200, "{path}");
    }
}

#[tokio::test]
async fn listings_only_show_what_is_in_scope() {
    let fixture = Fixture::new().await;
    let officer = fixture
        .players
        .iter()
        .find(|p| p.role == Role::Officer)
        .unwrap();
    let users: Value = fixture
        .app
        .client
        .get(format!("{}/api/v1/users", fixture.app.base))
        .header("cookie", format!("langso_session={}", officer.session))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let logins: Vec<&str> = users
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|u| u["login"].as_str())
        .collect();
    assert!(logins.contains(&"truongthon") && logins.contains(&"matrix.village_head"));
    assert!(
        !logins.contains(&"admin"),
        "an administrator above is not listed: {logins:?}"
    );
    let audit: Value = fixture
        .app
        .client
        .get(format!("{}/api/v1/audit", fixture.app.base))
        .header("cookie", format!("langso_session={}", officer.session))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        audit
            .as_array()
            .unwrap()
            .iter()
            .all(|e| !e["unit_id"].is_null()),
        "no global entries for an officer"
    );
}

//! The alarms page at scale: open alarms grouped by village and kind with the asset's name and
//! place, paged a hundred at a time (every alarm reachable), and ticked alarms acknowledged
//! with one POST, each checked against the officer's scope and audited.

use langso_app::Actor;
use langso_app::demo::DEMO_PASSWORD;

use crate::support::{Session, TestApp};

async fn page(app: &TestApp, session: &Session, path: &str) -> (u16, String) {
    let response = app
        .client
        .get(format!("{}{path}", app.base))
        .header("cookie", session.header())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap_or_default())
}

async fn post(app: &TestApp, session: &Session, path: &str, form: &[(&str, String)]) -> u16 {
    let mut form = form.to_vec();
    form.push(("csrf", session.csrf.clone()));
    app.client
        .post(format!("{}{path}", app.base))
        .header("cookie", session.header())
        .form(&form)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// The alarm ids ticked-able on a page, in order.
fn boxes(html: &str) -> Vec<String> {
    html.split("name=\"alarm\" value=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn alarms_are_grouped_paged_and_acknowledged_together() {
    let app = TestApp::with_demo().await;
    let today = langso_app::today();
    let province = langso_app::units::by_code(app.db(), "01", today)
        .await
        .unwrap();
    let commune = langso_app::units::by_code(app.db(), "09817", today)
        .await
        .unwrap();
    let system = Actor::system("test");
    let everything = langso_app::assets::open_alarms_page(app.db(), &system, commune.id, 0, 500)
        .await
        .unwrap();
    assert!(
        everything.total > 3,
        "the demo has open alarms: {}",
        everything.total
    );
    let officer = app.login("canbo.odien", DEMO_PASSWORD).await;
    let (status, html) = page(&app, &officer, &format!("/alarms?unit={}", commune.id)).await;
    assert_eq!(status, 200);
    // Grouped: one heading per village and kind, each alarm with its asset's name and place.
    let first = &everything.alarms[0];
    assert!(html.contains("class=\"alarm-group\""));
    assert!(
        html.contains(&first.row.alarm.asset_name),
        "asset name shown"
    );
    assert!(html.contains(&first.village.name), "village shown");
    let ticks = boxes(&html);
    let shown = ticks.len() as i64;
    assert!(shown <= 100 && shown <= everything.total);
    if everything.total > 100 {
        assert!(html.contains("rel=\"next\""), "paged, never cut off");
        let (_, second) = page(
            &app,
            &officer,
            &format!("/alarms?unit={}&page=2", commune.id),
        )
        .await;
        let more = boxes(&second);
        assert!(!more.is_empty() && more.iter().all(|id| !ticks.contains(id)));
    }

    // Three ticked, one POST.
    let chosen: Vec<(&str, String)> = ticks
        .iter()
        .take(3)
        .map(|id| ("alarm", id.clone()))
        .chain([("unit", commune.id.to_string()), ("page", "1".to_owned())])
        .collect();
    assert_eq!(
        post(&app, &officer, "/alarms/acknowledge", &chosen).await,
        303
    );
    for id in ticks.iter().take(3) {
        let alarm = langso_app::assets::alarm(app.db(), &system, id.parse().unwrap())
            .await
            .unwrap();
        assert!(alarm.acknowledged_by.is_some(), "{id} acknowledged");
    }
    let (_, after) = page(
        &app,
        &officer,
        &format!("/alarms?unit={}&acknowledged=3", commune.id),
    )
    .await;
    assert!(after.contains("id=\"acknowledged\""));
    assert!(boxes(&after).iter().all(|id| !ticks[..3].contains(id)));
    let filter = langso_store::audit::AuditFilter {
        action: Some("alarms.acknowledge".to_owned()),
        limit: 100,
        ..Default::default()
    };
    let audit = langso_store::audit::list(app.db(), &filter, today)
        .await
        .unwrap();
    assert_eq!(audit.len(), 3, "each acknowledgement audited");

    // An alarm outside the officer's commune in the same POST: refused whole.
    let outside = langso_app::assets::open_alarms_page(app.db(), &system, province.id, 0, 500)
        .await
        .unwrap()
        .alarms
        .into_iter()
        .find(|a| {
            !everything
                .alarms
                .iter()
                .any(|b| b.row.alarm.id == a.row.alarm.id)
        });
    if let Some(outside) = outside {
        let mixed = vec![
            ("alarm", ticks[3].clone()),
            ("alarm", outside.row.alarm.id.to_string()),
            ("unit", commune.id.to_string()),
        ];
        assert_eq!(
            post(&app, &officer, "/alarms/acknowledge", &mixed).await,
            404
        );
        let untouched = langso_app::assets::alarm(app.db(), &system, ticks[3].parse().unwrap())
            .await
            .unwrap();
        assert!(untouched.acknowledged_by.is_none(), "nothing written");
    }
    // Nothing ticked: a clear refusal, not a crash.
    let none = vec![("unit", commune.id.to_string())];
    assert_eq!(
        post(&app, &officer, "/alarms/acknowledge", &none).await,
        422
    );
}

#[tokio::test]
async fn a_work_order_is_assigned_to_someone_of_the_unit_staff() {
    let app = TestApp::with_demo().await;
    let today = langso_app::today();
    let village = langso_app::units::by_code(app.db(), "09805-T01", today)
        .await
        .unwrap();
    let filter = langso_app::assets::AssetFilter {
        kind: Some("camera".into()),
        ..Default::default()
    };
    let camera = langso_store::assets::assets_under(app.db(), village.id, today, &filter, 1)
        .await
        .unwrap()
        .remove(0)
        .code;
    let sent = app
        .client
        .post(format!("{}/bao-hong", app.base))
        .form(&[
            ("asset", camera.as_str()),
            ("service_code", "camera"),
            ("description", "Camera mất hình"),
            ("reporter", "Chị Lan"),
        ])
        .send()
        .await
        .unwrap();
    assert!(sent.status().is_redirection() || sent.status().is_success());
    let officer = app.login("canbo.odien", DEMO_PASSWORD).await;
    let (_, orders) = page(&app, &officer, &format!("/work-orders?unit={}", village.id)).await;
    let id = orders
        .split("href=\"/work-orders/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let (status, order) = page(&app, &officer, &format!("/work-orders/{id}")).await;
    assert_eq!(status, 200);
    // A list of the people holding a role on the village or above it, not a text box.
    assert!(order.contains("<select id=\"assignee\""), "{order}");
    assert!(!order.contains("<input id=\"assignee\""));
    for name in [
        "Cán bộ văn hóa Xã Ô Diên (demo)",
        "Trưởng thôn Hạ Mỗ 1 (demo)",
        "Quản trị Hà Nội (demo)",
    ] {
        assert!(
            order.contains(&format!(">{name}</option>")),
            "{name} offered"
        );
    }
    // The staff of another village leaves out Hạ Mỗ 1's village head.
    let other = langso_app::units::children(
        app.db(),
        langso_app::units::by_code(app.db(), "09817", today)
            .await
            .unwrap()
            .id,
        today,
    )
    .await
    .unwrap()
    .into_iter()
    .find(|u| u.id != village.id)
    .unwrap();
    let staff = langso_app::auth::staff_of(
        app.db(),
        &Actor::system("test"),
        langso_domain::auth::Permission::WritePeople,
        other.id,
    )
    .await
    .unwrap();
    assert!(staff.iter().any(|u| u.login == "canbo.odien"));
    assert!(staff.iter().all(|u| u.login != "truongthon"));
}

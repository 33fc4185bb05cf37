//! Figures people can trust, through the pages: the dashboard of a commune flags the demo's
//! recognised villages that fail their criteria, shows no share above 100 %, names each
//! share's denominator, and gives every indicator a monthly trend, a target and the gap to
//! it; an officer enters a plan and a target through the forms; the list of values that
//! cannot be true answers for the officer's commune.

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
    (
        response.status().as_u16(),
        response.text().await.unwrap_or_default(),
    )
}

async fn submit(
    app: &TestApp,
    session: &Session,
    path: &str,
    fields: &[(&str, &str)],
) -> (u16, String) {
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
    (response.status().as_u16(), location)
}

/// Every percentage a page shows ("99,9 %", "100 %"), as a number.
fn percentages(html: &str) -> Vec<f64> {
    let mut found = Vec::new();
    for (i, _) in html.match_indices(" %") {
        let number: String = html[..i]
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_digit() || *c == ',' || *c == '.')
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if let Ok(value) = number.replace('.', "").replace(',', ".").parse::<f64>() {
            found.push(value);
        }
    }
    found
}

#[tokio::test]
async fn the_dashboard_flags_failing_villages_and_shows_trends_and_targets() {
    let app = TestApp::with_demo().await;
    let officer = app.login("canbo.odien", DEMO_PASSWORD).await;
    let commune = langso_app::units::by_code(app.db(), "09817", langso_app::today())
        .await
        .unwrap()
        .id;
    let (status, html) = page(&app, &officer, &format!("/dashboard?unit={commune}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"flagged\""), "{html}");
    assert!(html.contains("không còn đạt tiêu chí"));
    let shares = percentages(&html);
    assert!(!shares.is_empty());
    assert!(shares.iter().all(|p| *p <= 100.0), "{shares:?}");
    // Each share names its denominator; smartphones read as an average per household.
    assert!(html.contains("người lớn") && html.contains("mỗi hộ"));
    // A trend per indicator and the commune's own 2026 plan, with the gap.
    assert!(html.contains("id=\"trend\"") && html.contains("id=\"indicators\""));
    assert!(html.contains("đến năm 2026"), "{html}");
    assert!(html.contains("còn ") || html.contains("Đã đạt"));
    // The plans: the list, a new plan entered through the form, a target set on it.
    let (status, plans) = page(&app, &officer, &format!("/plans?unit={commune}")).await;
    assert_eq!(status, 200);
    assert!(plans.contains("KH-UBND"), "{plans}");
    let (status, to) = submit(
        &app,
        &officer,
        "/plans",
        &[
            ("unit", &commune.to_string()),
            ("number", "7/KH-UBND"),
            ("issued_on", "2026-01-10"),
            ("title", "Kế hoạch thử trên trang"),
        ],
    )
    .await;
    assert_eq!(status, 303, "{to}");
    assert!(to.starts_with("/plans/"));
    let (status, to_plan) = submit(
        &app,
        &officer,
        &format!("{to}/targets"),
        &[
            ("unit", &commune.to_string()),
            ("indicator", "vneid_2"),
            ("year", "2027"),
            ("value", "85,5"),
        ],
    )
    .await;
    assert_eq!((status, to_plan.as_str()), (303, to.as_str()));
    let (_, plan) = page(&app, &officer, &to).await;
    assert!(plan.contains("85,5 %") && plan.contains("2027"), "{plan}");
    // A refused target says why, next to the field.
    let (status, _) = submit(
        &app,
        &officer,
        &format!("{to}/targets"),
        &[
            ("unit", &commune.to_string()),
            ("indicator", "vneid_2"),
            ("year", "2027"),
            ("value", "140"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    // Values that cannot be true: none in the demo.
    let (status, listed) = page(
        &app,
        &officer,
        &format!("/households/impossible?unit={commune}"),
    )
    .await;
    assert_eq!(status, 200);
    assert!(listed.contains("id=\"none\""), "{listed}");
}

//! The channel settings page: an administrator of a commune saves the SMS gateway's settings
//! with a secret, sees that a secret is stored but never the secret itself, and a refused
//! form says which field is wrong.

use std::collections::HashMap;

use langso_app::Actor;
use langso_app::auth::{self, NewAccount};
use langso_domain::auth::Role;

use crate::support::{TestApp, hidden};

const PASSWORD: &str = "mật khẩu thử nghiệm";

#[tokio::test]
async fn channel_secrets_are_saved_but_never_shown_back() {
    let app = TestApp::with_demo().await;
    let commune = langso_app::units::by_code(app.db(), "09817", langso_app::today())
        .await
        .unwrap();
    auth::create_user(
        app.db(),
        &Actor::system("test"),
        &NewAccount {
            login: "kenh.odien".to_owned(),
            display_name: "Quản trị".to_owned(),
            password: PASSWORD.to_owned(),
            role: Role::Admin,
            unit_id: commune.id,
            pii: false,
        },
    )
    .await
    .unwrap();
    let admin = app.login("kenh.odien", PASSWORD).await;
    let page_url = format!("{}/channels?unit={}", app.base, commune.id);
    let get = || async {
        let r = app
            .client
            .get(&page_url)
            .header("cookie", admin.header())
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    };
    let (status, page) = get().await;
    assert_eq!(status, 200);
    let csrf = hidden(&page, "csrf");
    let post = |fields: Vec<(&'static str, String)>| {
        let mut form: HashMap<&str, String> = fields.into_iter().collect();
        form.insert("csrf", csrf.clone());
        form.insert("unit", commune.id.to_string());
        app.client
            .post(format!("{}/channels", app.base))
            .header("cookie", admin.header())
            .form(&form)
            .send()
    };
    let saved = post(vec![
        ("channel", "sms".into()),
        ("enabled", "1".into()),
        ("endpoint", "https://rest.esms.vn".into()),
        ("account", "APIKEY123".into()),
        ("sender", "ODIEN".into()),
        ("options", r#"{"encoding": "gsm7"}"#.into()),
        ("secret", "very-secret-value-42".into()),
    ])
    .await
    .unwrap();
    assert_eq!(saved.status(), 303);
    let (_, page) = get().await;
    assert!(page.contains("APIKEY123") && page.contains("ODIEN"));
    assert!(
        !page.contains("very-secret-value-42"),
        "a secret is never shown back"
    );
    // Saving again with the secret left empty keeps it.
    post(vec![
        ("channel", "sms".into()),
        ("enabled", "1".into()),
        ("endpoint", "https://rest.esms.vn".into()),
        ("account", "APIKEY123".into()),
        ("sender", "ODIEN2".into()),
    ])
    .await
    .unwrap();
    let stored =
        langso_store::comms::channel_settings_for(app.db(), commune.id, "sms", langso_app::today())
            .await
            .unwrap()
            .unwrap();
    assert_eq!(stored.secret.as_deref(), Some("very-secret-value-42"));
    assert_eq!(stored.sender, "ODIEN2");
    // A refused form names the field.
    let refused = post(vec![
        ("channel", "email".into()),
        ("endpoint", "no port here".into()),
        ("options", "[1, 2]".into()),
    ])
    .await
    .unwrap();
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    assert!(
        page.contains("tối đa 20 tùy chọn") || page.contains("at most 20 options"),
        "{page}"
    );
}

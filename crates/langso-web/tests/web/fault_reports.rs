//! Issue 16 (h16a), the public side of fault reports over HTTP: a report with only an address
//! and a picked village reaches that commune officer's list; the form suggests an open report
//! of the same kind 30 m away and following it adds a follower; officers mark duplicates and
//! hide text; errors stand beside their field; photos lose their EXIF.

use langso_app::demo::DEMO_PASSWORD;
use langso_app::today;
use reqwest::multipart::{Form, Part};

use crate::support::{Session, TestApp, hidden};

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

/// The options of a datalist: (value, text beside it).
fn options(page: &str, list: &str) -> Vec<(String, String)> {
    let inner = page
        .split(&format!("<datalist id=\"{list}\""))
        .nth(1)
        .and_then(|rest| rest.split("</datalist>").next())
        .unwrap_or("");
    inner
        .split("<option value=\"")
        .skip(1)
        .filter_map(|o| {
            let (value, rest) = o.split_once("\">")?;
            let text = rest.split("</option>").next()?;
            Some((value.to_owned(), text.to_owned()))
        })
        .collect()
}

fn unescape(text: &str) -> String {
    text.replace("&#40;", "(")
        .replace("&#41;", ")")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

#[tokio::test]
async fn an_address_and_a_picked_village_reach_the_commune_officer() {
    let app = TestApp::with_demo().await;
    let (status, form) = app.text("/bao-hong").await;
    assert_eq!(status, 200);
    assert!(form.contains("Báo hỏng đèn, camera, wifi, loa"));
    assert!(form.contains("Thông tin của bạn được dùng thế nào"));
    assert!(form.contains("type=\"radio\" name=\"service_code\""));
    let (village, _) = options(&form, "village-choices")
        .into_iter()
        .find(|(_, within)| within == "Xã Ô Diên")
        .expect("a village of Ô Diên offered");
    let village = unescape(&village);
    let sent = app
        .client
        .post(format!("{}/bao-hong", app.base))
        .form(&[
            ("service_code", "grid_light"),
            ("description", "Đèn đầu ngõ tắt ba hôm nay"),
            ("address", "Ngõ 5, gần cổng làng"),
            ("village", village.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), 303, "{}", sent.text().await.unwrap());
    let token = sent.headers()["location"]
        .to_str()
        .unwrap()
        .trim_start_matches("/bao-hong/")
        .to_owned();
    let order = langso_store::faults::order_by_token(app.db(), &token)
        .await
        .unwrap()
        .unwrap();
    let commune = langso_app::units::by_code(app.db(), "09817", today())
        .await
        .unwrap();
    let officer = app.login("canbo.odien", DEMO_PASSWORD).await;
    let (_, list) = page(&app, &officer, &format!("/work-orders?unit={}", commune.id)).await;
    assert!(
        list.contains(&format!("/work-orders/{}", order.id)),
        "the commune officer's list holds it"
    );

    // A name that matches no place comes back beside its field, in plain words.
    let refused = app
        .client
        .post(format!("{}/bao-hong", app.base))
        .form(&[
            ("service_code", "grid_light"),
            ("description", ""),
            ("village", "Thôn Không Có"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let body = refused.text().await.unwrap();
    assert!(body.contains("id=\"village-error\"") || body.contains("class=\"error-message\""));
    assert!(body.contains("Không tìm thấy nơi này"));
    assert!(!body.contains("column \"") && !body.contains("cột /"));
    let empty = app
        .client
        .post(format!("{}/bao-hong", app.base))
        .form(&[("service_code", "grid_light"), ("description", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(empty.status(), 422);
    let body = empty.text().await.unwrap();
    // The words are optional (as in Open311); a place is not.
    assert!(!body.contains("id=\"description-error\""), "{body}");
    assert!(body.contains("id=\"address-error\""), "{body}");
    assert!(!body.contains("column \"") && !body.contains("cột /"));
}

#[tokio::test]
async fn an_open_report_30_m_away_is_suggested_and_followed() {
    let app = TestApp::with_demo().await;
    let db = app.db();
    let village = langso_app::units::by_code(db, "09805-T01", today())
        .await
        .unwrap();
    let (lat, lon) = (village.latitude.unwrap(), village.longitude.unwrap());
    let first = langso_app::faults::submit_report(
        db,
        &langso_app::faults::NewReport {
            service_code: "solar_light".into(),
            latitude: Some(lat),
            longitude: Some(lon),
            description: "Đèn năng lượng trước nhà văn hóa tắt".into(),
            reporter: "Chị Lan 0912345678".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    // 30 m north: 0.00027° of latitude.
    let near = lat + 0.00027;
    let (status, form) = app
        .text(&format!(
            "/bao-hong?service_code=solar_light&lat={near}&long={lon}"
        ))
        .await;
    assert_eq!(status, 200);
    assert!(form.contains("Đây cũng là vấn đề của tôi"), "{form}");
    assert!(form.contains(&format!("/bao-hong/{}/theo-doi", first.id)));
    assert!(form.contains("30 m"));
    // Another kind at the same place is not suggested.
    let (_, other) = app
        .text(&format!(
            "/bao-hong?service_code=camera&lat={near}&long={lon}"
        ))
        .await;
    assert!(!other.contains(&format!("/bao-hong/{}/theo-doi", first.id)));
    // Sending with the phone's position shows it before anything is written.
    let before = langso_app::faults::public_requests(db, None, None, None, None)
        .await
        .unwrap()
        .len();
    let near_text = near.to_string();
    let lon_text = lon.to_string();
    let held = app
        .client
        .post(format!("{}/bao-hong", app.base))
        .form(&[
            ("service_code", "solar_light"),
            ("description", "Đèn tắt"),
            ("lat", near_text.as_str()),
            ("long", lon_text.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(held.status(), 200);
    let held = held.text().await.unwrap();
    assert!(held.contains(&format!("/bao-hong/{}/theo-doi", first.id)));
    assert_eq!(hidden(&held, "confirm_new"), "1");
    assert_eq!(
        langso_app::faults::public_requests(db, None, None, None, None)
            .await
            .unwrap()
            .len(),
        before
    );

    // "This is my problem too": a follower, counted, shown.
    let followed = app
        .client
        .post(format!("{}/bao-hong/{}/theo-doi", app.base, first.id))
        .form(&[("contact", "0987654321")])
        .send()
        .await
        .unwrap();
    assert_eq!(followed.status(), 303);
    let location = followed.headers()["location"].to_str().unwrap().to_owned();
    let (status, shown) = app.text(&location).await;
    assert_eq!(status, 200);
    assert!(shown.contains("id=\"followers\""));
    assert!(!shown.contains("0987654321") && !shown.contains("0912345678"));
    let followers = langso_store::faults::followers::followers(db, first.id)
        .await
        .unwrap();
    assert_eq!(followers.len(), 1);
    assert_eq!(followers[0].contact, "0987654321");

    // An officer marks a second report as its duplicate: it closes, its reporter follows.
    let second = langso_app::faults::submit_report(
        db,
        &langso_app::faults::NewReport {
            service_code: "solar_light".into(),
            latitude: Some(near),
            longitude: Some(lon),
            description: "Đèn tắt mấy hôm".into(),
            reporter: "Anh Nam 0911111111".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let officer = app.login("canbo.odien", DEMO_PASSWORD).await;
    let (status, order_page) = page(&app, &officer, &format!("/work-orders/{}", second.id)).await;
    assert_eq!(status, 200);
    assert!(order_page.contains(&format!("<option value=\"{}\"", first.id)));
    let marked = app
        .client
        .post(format!("{}/work-orders/{}/duplicate", app.base, second.id))
        .header("cookie", officer.header())
        .form(&[
            ("csrf", officer.csrf.as_str()),
            ("original", &first.id.to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(marked.status(), 303);
    let followers = langso_store::faults::followers::followers(db, first.id)
        .await
        .unwrap();
    assert_eq!(followers.len(), 2);
    assert!(followers.iter().any(|f| f.contact == "Anh Nam 0911111111"));
    let closed = langso_store::faults::order(db, second.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(closed.status, "closed");
    let (_, status_page) = app.text(&format!("/bao-hong/{}", second.token)).await;
    assert!(status_page.contains("id=\"duplicate-of\""));

    // Moderation: the text hidden with a reason, audited; the public sees it hidden.
    let hid = app
        .client
        .post(format!("{}/work-orders/{}/moderate", app.base, first.id))
        .header("cookie", officer.header())
        .form(&[
            ("csrf", officer.csrf.as_str()),
            ("text_reason", "personal"),
            ("photo_reason", ""),
            ("note", "có tên người"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(hid.status(), 303);
    let (_, status_page) = app.text(&format!("/bao-hong/{}", first.token)).await;
    assert!(status_page.contains("id=\"text-hidden\""));
    assert!(!status_page.contains("trước nhà văn hóa"));
    let open311: serde_json::Value = app
        .json(&format!("/open311/v2/requests/{}.json", first.id))
        .await;
    assert!(
        !open311.to_string().contains("trước nhà văn hóa"),
        "{open311}"
    );
    let listed = langso_app::faults::public_requests(db, None, None, None, None)
        .await
        .unwrap();
    let in_list = listed.iter().find(|o| o.id == first.id).unwrap();
    assert!(in_list.description.is_empty());
    let (_, audit) = page(&app, &officer, "/audit").await;
    assert!(audit.contains("Ẩn nội dung, ảnh phản ánh"), "audited");
    // A reason outside the list is refused.
    let bad = app
        .client
        .post(format!("{}/work-orders/{}/moderate", app.base, first.id))
        .header("cookie", officer.header())
        .form(&[("csrf", officer.csrf.as_str()), ("text_reason", "boring")])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
}

/// A JPEG whose EXIF holds a GPS position.
fn jpeg_with_gps() -> Vec<u8> {
    let segment = |marker: u8, payload: &[u8]| {
        let mut s = vec![0xFF, marker];
        s.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
        s.extend_from_slice(payload);
        s
    };
    let mut j = vec![0xFF, 0xD8];
    j.extend(segment(0xE0, b"JFIF\0\x01\x01"));
    j.extend(segment(0xE1, b"Exif\0\0GPSLatitude 21.0811"));
    j.extend(segment(0xDB, &[0; 65]));
    j.extend(segment(0xDA, &[1, 1, 0, 0, 63, 0]));
    j.extend_from_slice(&[0x12, 0x34, 0xFF, 0xD9]);
    j
}

#[tokio::test]
async fn a_photo_is_stored_without_its_gps() {
    let app = TestApp::with_demo().await;
    let form = Form::new()
        .text("service_code", "other")
        .text("description", "Cột đèn nghiêng")
        .text("address", "Ngõ 2")
        .part(
            "photo",
            Part::bytes(jpeg_with_gps())
                .file_name("anh.jpg")
                .mime_str("image/jpeg")
                .unwrap(),
        );
    let sent = app
        .client
        .post(format!("{}/bao-hong", app.base))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), 303);
    let token = sent.headers()["location"]
        .to_str()
        .unwrap()
        .trim_start_matches("/bao-hong/")
        .to_owned();
    let order = langso_store::faults::order_by_token(app.db(), &token)
        .await
        .unwrap()
        .unwrap();
    assert!(order.unit_id.is_some(), "no report without a unit");
    let photo = langso_store::faults::photo(app.db(), order.id)
        .await
        .unwrap()
        .unwrap();
    assert!(!String::from_utf8_lossy(&photo.content).contains("GPS"));
    assert!(photo.content.starts_with(&[0xFF, 0xD8]) && photo.content.ends_with(&[0xFF, 0xD9]));
}

#[tokio::test]
async fn the_form_and_a_report_fit_a_360px_phone_with_big_targets() {
    let Some(driver) = crate::browser::start_driver() else {
        eprintln!(
            "SKIPPED: chromedriver is not installed (apt-get install chromium chromium-driver)"
        );
        return;
    };
    let app = TestApp::with_demo().await;
    let village = langso_app::units::by_code(app.db(), "09805-T01", today())
        .await
        .unwrap();
    let (lat, lon) = (village.latitude.unwrap(), village.longitude.unwrap());
    let open = langso_app::faults::submit_report(
        app.db(),
        &langso_app::faults::NewReport {
            service_code: "solar_light".into(),
            latitude: Some(lat),
            longitude: Some(lon),
            description: "Đèn năng lượng trước nhà văn hóa tắt".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let client = crate::browser::phone(&driver).await;
    let mut problems = Vec::new();
    for page in [
        "/bao-hong".to_owned(),
        format!("/bao-hong?service_code=solar_light&lat={lat}&long={lon}"),
        format!("/bao-hong/phan-anh/{}", open.id),
        format!("/bao-hong/{}", open.token),
    ] {
        client.goto(&format!("{}{page}", app.base)).await.unwrap();
        let (width, wide) = crate::phone::width(&client).await;
        if width > 360 {
            problems.push(format!("{page}: {width} px ({wide})"));
        }
        let small = crate::phone::small_targets(&client).await;
        if !small.is_empty() {
            problems.push(format!("{page}: targets under 44 px: {small}"));
        }
    }
    client.close().await.unwrap();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

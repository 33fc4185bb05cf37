//! Asset and work-order pages over real HTTP: the XLSX register import (API and the upload →
//! preview → confirm page), the public fault form with a photo, the asset and work-order pages
//! an officer uses to drive an order to closed.

use langso_app::demo::DEMO_PASSWORD;
use reqwest::multipart::{Form, Part};
use rust_xlsxwriter::Workbook;
use serde_json::Value;

use crate::support::{Session, TestApp, hidden};

const VILLAGE: &str = "09805-T01";

/// An office's register: a title row, Vietnamese headers in their own order.
fn register(code: &str, kind: &str) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "DANH SÁCH THIẾT BỊ").unwrap();
    let headers = [
        " Loại thiết bị",
        "Tên",
        "Mã thôn",
        "Mã thiết bị",
        "Vị trí",
        "Nguồn kinh phí",
    ];
    let row = [
        kind,
        "Camera cổng làng",
        VILLAGE,
        code,
        "Ngã tư",
        "Xã hội hóa",
    ];
    for (c, (h, v)) in headers.iter().zip(row).enumerate() {
        sheet.write_string(1, c as u16, *h).unwrap();
        sheet.write_string(2, c as u16, v).unwrap();
    }
    book.save_to_buffer().unwrap()
}

fn form_with(file: Vec<u8>, csrf: &str) -> Form {
    Form::new()
        .text("csrf", csrf.to_owned())
        .part("file", Part::bytes(file).file_name("thiet-bi.xlsx"))
}

async fn asset_exists(app: &TestApp, code: &str) -> bool {
    langso_store::assets::asset_by_code(app.db(), code)
        .await
        .unwrap()
        .is_some()
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

#[tokio::test]
async fn an_xlsx_register_is_checked_previewed_and_confirmed() {
    let app = TestApp::with_demo().await;
    let officer = app.login("canbo.odien", DEMO_PASSWORD).await;

    // The API: a refused file names the cell and writes nothing; a dry run writes nothing.
    let api = |file: Vec<u8>, dry_run: bool| {
        app.client
            .post(format!(
                "{}/api/v1/assets/import?dry_run={dry_run}",
                app.base
            ))
            .header("cookie", officer.header())
            .header("x-csrf-token", officer.csrf.clone())
            .multipart(form_with(file, ""))
            .send()
    };
    let refused = api(register("WEB-CAM-1", "drone"), false).await.unwrap();
    assert_eq!(refused.status(), 422);
    let problem: Value = refused.json().await.unwrap();
    assert_eq!(problem["errors"][0]["row"], 3, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "Loại thiết bị", "{problem}");
    assert!(!asset_exists(&app, "WEB-CAM-1").await);
    let dry: Value = api(register("WEB-CAM-1", "Camera an ninh"), true)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (dry["rows"].as_i64(), dry["created"].as_i64()),
        (Some(1), Some(0))
    );
    assert!(!asset_exists(&app, "WEB-CAM-1").await);
    let done = api(register("WEB-CAM-1", "Camera an ninh"), false)
        .await
        .unwrap();
    assert_eq!(done.status(), 200);
    assert!(asset_exists(&app, "WEB-CAM-1").await);

    // The page: a bad file shows its errors and no confirm button.
    let (status, form) = page(&app, &officer, "/assets/import").await;
    assert_eq!(status, 200);
    let csrf = hidden(&form, "csrf");
    let upload = |file: Vec<u8>| {
        app.client
            .post(format!("{}/assets/import", app.base))
            .header("cookie", officer.header())
            .multipart(form_with(file, &csrf))
            .send()
    };
    let refused = upload(register("WEB-CAM-2", "drone"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(refused.contains("id=\"import-errors\""), "{refused}");
    assert!(refused.contains("drone"));
    assert!(!refused.contains("/confirm"));
    let preview = upload(register("WEB-CAM-2", "camera"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(preview.contains("id=\"import-counts\""), "{preview}");
    assert!(
        !asset_exists(&app, "WEB-CAM-2").await,
        "preview writes nothing"
    );
    let action = preview
        .split("action=\"/assets/import/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap();
    let confirmed = app
        .client
        .post(format!("{}/assets/import/{action}", app.base))
        .header("cookie", officer.header())
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(confirmed.status(), 200);
    assert!(
        confirmed
            .text()
            .await
            .unwrap()
            .contains("id=\"import-done\"")
    );
    assert!(asset_exists(&app, "WEB-CAM-2").await);
}

/// A real PNG (a QR code rendered by langso-render).
fn png() -> Vec<u8> {
    langso_render::qr::QrMatrix::encode("anh thu", langso_render::qr::Correction::Medium)
        .unwrap()
        .png(128)
        .unwrap()
}

/// A camera of the demo village, for the sticker link.
async fn demo_camera(app: &TestApp) -> String {
    let village = langso_app::units::by_code(app.db(), VILLAGE, langso_app::today())
        .await
        .unwrap();
    let filter = langso_app::assets::AssetFilter {
        kind: Some("camera".into()),
        ..Default::default()
    };
    langso_store::assets::assets_under(app.db(), village.id, langso_app::today(), &filter, 1)
        .await
        .unwrap()
        .remove(0)
        .code
}

fn report(asset: &str, photo: Vec<u8>, name: &str) -> Form {
    Form::new()
        .text("asset", asset.to_owned())
        .text("service_code", "camera")
        .text("description", "Camera cổng làng tắt từ tối qua")
        .text("reporter", "Chị Lan 0912345678")
        .part("photo", Part::bytes(photo).file_name(name.to_owned()))
}

async fn stored(app: &TestApp) -> (usize, i64) {
    let orders = langso_app::faults::public_requests(app.db(), None, None, None, None)
        .await
        .unwrap()
        .len();
    let photos = langso_store::faults::count_photos(app.db()).await.unwrap();
    (orders, photos)
}

#[tokio::test]
async fn a_fault_photo_is_checked_by_content_and_size_and_shown_to_officers() {
    let app = TestApp::with_demo().await;
    let camera = demo_camera(&app).await;
    let post = |form: Form| {
        app.client
            .post(format!("{}/bao-hong", app.base))
            .multipart(form)
            .send()
    };
    let before = stored(&app).await;

    // A text file renamed .jpg: refused, bilingual, nothing written.
    let fake = post(report(&camera, b"not a photo at all".to_vec(), "anh.jpg"))
        .await
        .unwrap();
    assert_eq!(fake.status(), 422);
    let body = fake.text().await.unwrap();
    assert!(body.contains("JPEG, PNG"), "{body}");
    assert_eq!(stored(&app).await, before);

    // Over 5 MB: refused early with 413, nothing written.
    let mut big = png();
    big.resize(6 * 1024 * 1024, 0);
    let large = post(report(&camera, big, "anh.png")).await.unwrap();
    assert_eq!(large.status(), 413);
    assert!(large.text().await.unwrap().contains("5 MB"));
    assert_eq!(stored(&app).await, before);

    // A real PNG: accepted; the officer sees it on the order, strangers do not.
    let photo = png();
    let sent = app
        .client
        .post(format!("{}/bao-hong", app.base))
        .multipart(report(&camera, photo.clone(), "anh.png"))
        .send()
        .await
        .unwrap();
    assert!(sent.status().is_success() || sent.status().is_redirection());
    assert_eq!(stored(&app).await, (before.0 + 1, before.1 + 1));
    let order = langso_app::faults::public_requests(app.db(), None, None, None, None)
        .await
        .unwrap()
        .into_iter()
        .max_by_key(|o| o.requested_at)
        .unwrap();
    let officer = app.login("canbo.odien", DEMO_PASSWORD).await;
    let served = app
        .client
        .get(format!("{}/work-orders/{}/photo", app.base, order.id))
        .header("cookie", officer.header())
        .send()
        .await
        .unwrap();
    assert_eq!(served.status(), 200);
    assert_eq!(served.headers()["content-type"], "image/png");
    assert_eq!(served.headers()["x-content-type-options"], "nosniff");
    assert_eq!(served.bytes().await.unwrap().to_vec(), photo);
    let detail: Value = app
        .client
        .get(format!("{}/api/v1/work-orders/{}", app.base, order.id))
        .header("cookie", officer.header())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let url = detail["photo_url"].as_str().unwrap().to_owned();
    let api = app
        .client
        .get(format!("{}{url}", app.base))
        .header("cookie", officer.header())
        .send()
        .await
        .unwrap();
    assert_eq!(api.headers()["content-type"], "image/png");
    assert_eq!(api.bytes().await.unwrap().to_vec(), photo);
    let anonymous = app.get(&format!("/work-orders/{}/photo", order.id)).await;
    assert_ne!(anonymous.status(), 200);
}

async fn move_order(app: &TestApp, session: &Session, id: &str, form: &[(&str, &str)]) -> u16 {
    let (_, page) = page(app, session, &format!("/work-orders/{id}")).await;
    let csrf = hidden(&page, "csrf");
    let mut fields: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
    fields.extend_from_slice(form);
    app.client
        .post(format!("{}/work-orders/{id}/transition", app.base))
        .header("cookie", session.header())
        .form(&fields)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

fn text_of(page: &str, id: &str) -> String {
    page.split(&format!("id=\"{id}\">"))
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap_or("")
        .to_owned()
}

#[tokio::test]
async fn an_officer_drives_a_work_order_from_the_asset_page_to_closed() {
    let app = TestApp::with_demo().await;
    let camera = demo_camera(&app).await;
    let asset = langso_store::assets::asset_by_code(app.db(), &camera)
        .await
        .unwrap()
        .unwrap();
    let sent = app
        .client
        .post(format!("{}/bao-hong", app.base))
        .form(&[
            ("asset", camera.as_str()),
            ("service_code", "camera"),
            ("description", "Camera mất hình"),
            ("reporter", "Chị Lan 0912345678"),
        ])
        .send()
        .await
        .unwrap();
    assert!(sent.status().is_redirection() || sent.status().is_success());

    // The asset page lists the order and links the sticker; the list and the map link it.
    let officer = app.login("canbo.odien", DEMO_PASSWORD).await;
    let (status, asset_page) = page(&app, &officer, &format!("/assets/{}", asset.id)).await;
    assert_eq!(status, 200);
    assert!(asset_page.contains(&format!("/api/v1/assets/{}/qr.svg", asset.id)));
    assert!(asset_page.contains(&format!("/bao-hong?asset={camera}")));
    assert!(asset_page.contains("id=\"asset-orders\""), "{asset_page}");
    let id = asset_page
        .split("href=\"/work-orders/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let (_, list) = page(
        &app,
        &officer,
        &format!("/assets?unit={}&kind=camera", asset.unit_id),
    )
    .await;
    assert!(list.contains(&format!("href=\"/assets/{}\"", asset.id)));
    let (status, by_code) = page(&app, &officer, &format!("/assets/{camera}")).await;
    assert_eq!(status, 200);
    assert!(by_code.contains(&format!("/api/v1/assets/{}/qr.svg", asset.id)));
    let (_, orders) = page(
        &app,
        &officer,
        &format!("/work-orders?unit={}&status=new&kind=camera", asset.unit_id),
    )
    .await;
    assert!(orders.contains(&format!("/work-orders/{id}")), "{orders}");
    let (_, none) = page(
        &app,
        &officer,
        &format!("/work-orders?unit={}&status=closed", asset.unit_id),
    )
    .await;
    assert!(!none.contains(&format!("/work-orders/{id}")));

    // The contact: whole for the officer with the personal-data right, masked for the village
    // head who handles it without that right, hidden from a reader.
    let (_, order) = page(&app, &officer, &format!("/work-orders/{id}")).await;
    assert_eq!(text_of(&order, "order-reporter"), "Chị Lan 0912345678");
    let head = app.login("truongthon", DEMO_PASSWORD).await;
    let (status, order) = page(&app, &head, &format!("/work-orders/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(text_of(&order, "order-reporter"), "Chị Lan 091*****78");
    assert!(!order.contains("0912345678"));
    let viewer = app.login("xem", DEMO_PASSWORD).await;
    let (status, order) = page(&app, &viewer, &format!("/work-orders/{id}")).await;
    assert_eq!(status, 200);
    assert!(!order.contains("id=\"order-reporter\""));
    assert!(
        !order.contains("id=\"order-move\""),
        "a reader has no buttons"
    );

    // Skipping a step is refused; assigning needs a name.
    assert_eq!(
        move_order(&app, &head, &id, &[("status", "fixed")]).await,
        422
    );
    assert_eq!(
        move_order(&app, &head, &id, &[("status", "assigned")]).await,
        422
    );
    let steps: [(&str, &str); 4] = [
        ("assigned", "Anh Hùng điện"),
        ("in_progress", ""),
        ("fixed", ""),
        ("closed", ""),
    ];
    for (to, assignee) in steps {
        let status = move_order(
            &app,
            &head,
            &id,
            &[
                ("status", to),
                ("assignee", assignee),
                ("note", "đã kiểm tra"),
            ],
        )
        .await;
        assert_eq!(status, 303, "→ {to}");
        let (_, order) = page(&app, &head, &format!("/work-orders/{id}")).await;
        let label = match to {
            "assigned" => "Đã giao người xử lý",
            "in_progress" => "Đang xử lý",
            "fixed" => "Đã sửa xong",
            _ => "Đã đóng",
        };
        assert_eq!(text_of(&order, "order-status"), label);
        assert_eq!(text_of(&order, "order-assignee"), "Anh Hùng điện");
    }
    let (_, closed) = page(&app, &officer, &format!("/work-orders/{id}")).await;
    assert!(
        !closed.contains("id=\"order-move\""),
        "nothing after closed"
    );
    assert_eq!(
        closed.matches("đã kiểm tra").count(),
        4,
        "every step in the history"
    );
    let (_, closed_list) = page(
        &app,
        &officer,
        &format!("/work-orders?unit={}&status=closed", asset.unit_id),
    )
    .await;
    assert!(closed_list.contains(&format!("/work-orders/{id}")));
}

#[tokio::test]
async fn the_asset_list_is_paged_and_the_map_kept_whole() {
    let app = TestApp::with_demo().await;
    let admin = app.login("admin", DEMO_PASSWORD).await;
    let root = langso_app::units::by_code(app.db(), "01", langso_app::today())
        .await
        .unwrap();
    let all = langso_app::assets::assets_with_status(
        app.db(),
        &langso_app::Actor::system("test"),
        root.id,
        None,
        None,
    )
    .await
    .unwrap();
    let located = all.iter().filter(|(a, _)| a.latitude.is_some()).count();
    assert!(
        all.len() > 100,
        "the demo has more than a page: {}",
        all.len()
    );
    let rows = |page: &str| {
        page.matches("<td class=\"code\"><a href=\"/assets/")
            .count()
    };
    let (status, first) = page(&app, &admin, &format!("/assets?unit={}", root.id)).await;
    assert_eq!(status, 200);
    assert_eq!(rows(&first), 100);
    eprintln!(
        "/assets for a province: {} bytes, {} assets",
        first.len(),
        all.len()
    );
    assert!(first.contains(&format!("src=\"/assets/map.svg?unit={}", root.id)));
    let (status, map) = page(&app, &admin, &format!("/assets/map.svg?unit={}", root.id)).await;
    assert_eq!(status, 200);
    // Every located asset, and one marker per status in the legend.
    assert_eq!(
        map.matches("class=\"pt ").count(),
        located,
        "every located asset on the map"
    );
    assert_eq!(map.matches("class=\"key\"").count(), 6);
    let pages = all.len().div_ceil(100);
    assert!(first.contains(&format!("1 / {pages}")));
    let (_, last) = page(
        &app,
        &admin,
        &format!("/assets?unit={}&page={pages}", root.id),
    )
    .await;
    assert_eq!(rows(&last), all.len() - (pages - 1) * 100);
    // Filters stay in the paging links.
    let (_, cameras) = page(
        &app,
        &admin,
        &format!("/assets?unit={}&kind=camera", root.id),
    )
    .await;
    if cameras.contains("id=\"assets-pager\"") {
        assert!(cameras.contains("kind=camera&amp;page=2"), "{cameras}");
    }
}

/// A photo sent chunked (no Content-Length, as a phone on a slow line may): the limit still
/// refuses it with 413 once crossed, and nothing is written.
#[tokio::test]
async fn a_chunked_oversize_photo_is_refused_once_the_limit_is_crossed() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let app = TestApp::with_demo().await;
    let camera = demo_camera(&app).await;
    let before = stored(&app).await;
    let address = app.base.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
    let boundary = "langsoboundary7c";
    let head = format!(
        "POST /bao-hong HTTP/1.1\r\nHost: {address}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut body = Vec::new();
    for (name, value) in [
        ("asset", camera.as_str()),
        ("service_code", "camera"),
        ("description", "Camera tắt"),
    ] {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"anh.png\"\r\nContent-Type: image/png\r\n\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(&png());
    let mut chunks = vec![body];
    let filler = vec![0u8; 64 * 1024];
    for _ in 0..(7 * 16) {
        chunks.push(filler.clone());
    }
    chunks.push(format!("\r\n--{boundary}--\r\n").into_bytes());
    for chunk in chunks {
        let mut framed = format!("{:x}\r\n", chunk.len()).into_bytes();
        framed.extend_from_slice(&chunk);
        framed.extend_from_slice(b"\r\n");
        // The server may answer and stop reading before the end: that is the point.
        if stream.write_all(&framed).await.is_err() {
            break;
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.starts_with("HTTP/1.1 413"),
        "{}",
        &answer[..answer.len().min(300)]
    );
    assert!(answer.contains("5 MB"));
    assert_eq!(stored(&app).await, before);
}

//! Open311 GeoReport v2 as its clients read it: every endpoint driven by a form-encoded client
//! (and a multipart one for the photo) and every reply parsed in both formats, JSON into typed
//! structs (a boolean sent as `"true"` or a number as `"1"` fails to decode) and XML with
//! quick-xml (any text submitted must leave the documents well-formed).

use serde::Deserialize;

use crate::comms::parse_xml;
use crate::public_text::assert_well_formed;
use crate::support::TestApp;

#[derive(Debug, Deserialize)]
struct Service {
    service_code: String,
    service_name: String,
    metadata: bool,
    #[serde(rename = "type")]
    kind: String,
    service_notice: String,
}

#[derive(Debug, Deserialize)]
struct Definition {
    service_code: String,
    attributes: Vec<Attribute>,
}

#[derive(Debug, Deserialize)]
struct Attribute {
    variable: bool,
    code: String,
    datatype: String,
    required: bool,
    order: i64,
}

#[derive(Debug, Deserialize)]
struct Created {
    service_request_id: String,
    token: String,
    service_notice: String,
}

#[derive(Debug, Deserialize)]
struct Request {
    service_request_id: String,
    status: String,
    service_code: String,
    description: String,
    service_notice: Option<String>,
    lat: Option<f64>,
    long: Option<f64>,
    media_url: Option<String>,
    requested_datetime: String,
    expected_datetime: String,
}

#[derive(Debug, Deserialize)]
struct ApiError {
    code: i64,
    description: String,
}

/// An XML document checked well-formed (no character XML 1.0 forbids, every tag closed, one
/// root) and read into its elements' names and texts, entities resolved.
fn xml(text: &str) -> Vec<(String, String)> {
    assert_well_formed(text);
    parse_xml(text)
        .into_iter()
        .map(|e| {
            let name = e.path.rsplit('/').next().unwrap_or_default().to_owned();
            (name, e.text)
        })
        .collect()
}

fn first<'a>(elements: &'a [(String, String)], name: &str) -> Option<&'a str> {
    elements
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, t)| t.as_str())
}

async fn post(app: &TestApp, format: &str, form: &[(&str, &str)]) -> (u16, String) {
    let response = app
        .client
        .post(format!("{}/open311/v2/requests.{format}", app.base))
        .form(form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

async fn get(app: &TestApp, path: &str) -> (u16, String) {
    app.text(&format!("/open311/v2/{path}")).await
}

#[tokio::test]
async fn services_and_definitions_are_typed_in_json_and_well_formed_in_xml() {
    let app = TestApp::with_demo().await;
    let (status, body) = get(&app, "services.json").await;
    assert_eq!(status, 200);
    let services: Vec<Service> = serde_json::from_str(&body).unwrap();
    let light = services
        .iter()
        .find(|s| s.service_code == "solar_light")
        .unwrap();
    assert!(light.metadata && light.kind == "realtime" && !light.service_name.is_empty());
    // The category's response time, from the seeded levels (24 h to respond, 72 to fix).
    assert!(light.service_notice.contains("24") && light.service_notice.contains("72"));
    let (_, body) = get(&app, "services.xml").await;
    let elements = xml(&body);
    assert_eq!(first(&elements, "metadata"), Some("true"));
    assert!(first(&elements, "service_notice").is_some());

    let (status, body) = get(&app, "services/solar_light.json").await;
    assert_eq!(status, 200);
    let definition: Definition = serde_json::from_str(&body).unwrap();
    assert_eq!(definition.service_code, "solar_light");
    let attribute = &definition.attributes[0];
    assert!(attribute.variable && !attribute.required);
    assert_eq!((attribute.order, attribute.code.as_str()), (1, "asset"));
    assert_eq!(attribute.datatype, "string");
    let (_, body) = get(&app, "services/solar_light.xml").await;
    let elements = xml(&body);
    assert_eq!(first(&elements, "required"), Some("false"));
    assert_eq!(first(&elements, "order"), Some("1"));

    let (status, body) = get(&app, "services/no_such.json").await;
    assert_eq!(status, 404);
    let errors: Vec<ApiError> = serde_json::from_str(&body).unwrap();
    assert_eq!(errors[0].code, 404);
}

#[tokio::test]
async fn requests_without_description_up_to_4000_characters_with_any_text() {
    let app = TestApp::with_demo().await;
    // No description: accepted (the specification makes it optional).
    let place = [
        ("service_code", "solar_light"),
        ("address_string", "Ngõ 3, thôn Hạ Mỗ 1"),
        ("attribute[unit]", "09805-T01"),
        ("lat", "21.1234"),
        ("long", "105.6789"),
    ];
    let (status, body) = post(&app, "json", &place).await;
    assert_eq!(status, 201, "{body}");
    let created: Vec<Created> = serde_json::from_str(&body).unwrap();
    assert!(!created[0].token.is_empty());
    assert!(created[0].service_notice.contains("24") && created[0].service_notice.contains("72"));
    let id = created[0].service_request_id.clone();
    let (_, body) = get(&app, &format!("requests/{id}.json")).await;
    let request: Vec<Request> = serde_json::from_str(&body).unwrap();
    let request = &request[0];
    assert_eq!(
        (request.status.as_str(), request.service_code.as_str()),
        ("open", "solar_light")
    );
    assert_eq!((request.lat, request.long), (Some(21.1234), Some(105.6789)));
    assert!(request.description.is_empty() && request.service_notice.is_some());
    let requested = time::OffsetDateTime::parse(
        &request.requested_datetime,
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let expected = time::OffsetDateTime::parse(
        &request.expected_datetime,
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    assert_eq!((expected - requested).whole_hours(), 72);

    // 4,000 characters (Vietnamese, 3 bytes each) pass; 4,001 are refused in the error list.
    let long = "ộ".repeat(4000);
    let mut form = place.to_vec();
    form.push(("description", &long));
    let (status, body) = post(&app, "xml", &form).await;
    assert_eq!(status, 201, "{body}");
    let elements = xml(&body);
    assert!(first(&elements, "service_request_id").is_some());
    let longer = "ộ".repeat(4001);
    let mut form = place.to_vec();
    form.push(("description", &longer));
    let (status, body) = post(&app, "json", &form).await;
    assert_eq!(status, 400);
    let errors: Vec<ApiError> = serde_json::from_str(&body).unwrap();
    assert_eq!(errors[0].code, 400);
    assert!(
        errors[0].description.contains("4000"),
        "{}",
        errors[0].description
    );
    let (status, body) = post(&app, "xml", &form).await;
    assert_eq!(status, 400);
    let elements = xml(&body);
    assert_eq!(first(&elements, "code"), Some("400"));

    // Control characters, markup and a lone CDATA end: the XML stays well-formed and the text
    // comes back as sent (control characters replaced).
    let hostile = "Đèn <b>tắt</b> & \"hỏng\" ]]> \u{0}\u{1}\u{b}\u{1b}[31m \u{fffe}";
    let mut form = place.to_vec();
    form.push(("description", hostile));
    let (status, body) = post(&app, "json", &form).await;
    assert_eq!(status, 201, "{body}");
    let created: Vec<Created> = serde_json::from_str(&body).unwrap();
    let id = &created[0].service_request_id;
    let (status, body) = get(&app, &format!("requests/{id}.xml")).await;
    assert_eq!(status, 200);
    let elements = xml(&body);
    let described: String = elements
        .iter()
        .filter(|(n, _)| n == "description")
        .map(|(_, t)| t.as_str())
        .collect();
    assert!(
        described.contains("<b>tắt</b>") && described.contains("]]>"),
        "{described}"
    );
    assert!(!described.contains('\u{0}') && !described.contains('\u{1b}'));
    let (status, body) = get(&app, "requests.xml").await;
    assert_eq!(status, 200);
    xml(&body);
    let (status, body) = get(&app, "requests.json").await;
    assert_eq!(status, 200);
    let all: Vec<Request> = serde_json::from_str(&body).unwrap();
    assert!(all.len() >= 3 && all.iter().any(|r| &r.service_request_id == id));
}

#[tokio::test]
async fn unknown_statuses_and_foreign_jurisdictions_are_refused_in_the_error_list() {
    let app = TestApp::with_demo().await;
    for format in ["json", "xml"] {
        let (status, body) = get(&app, &format!("requests.{format}?status=pending")).await;
        assert_eq!(status, 400, "{body}");
        let description = if format == "json" {
            let errors: Vec<ApiError> = serde_json::from_str(&body).unwrap();
            assert_eq!(errors[0].code, 400);
            errors[0].description.clone()
        } else {
            let elements = xml(&body);
            assert_eq!(first(&elements, "code"), Some("400"));
            first(&elements, "description").unwrap().to_owned()
        };
        assert!(description.contains("pending"), "{description}");
        let (status, _) = get(&app, &format!("requests.{format}?status=open,closed")).await;
        assert_eq!(status, 200);
        let (status, _) = get(&app, &format!("requests.{format}?status=Closed")).await;
        assert_eq!(status, 200);

        let (status, body) = get(
            &app,
            &format!("services.{format}?jurisdiction_id=other-city.example"),
        )
        .await;
        assert_eq!(status, 400, "{body}");
        let (status, _) = get(
            &app,
            &format!("services.{format}?jurisdiction_id=127.0.0.1"),
        )
        .await;
        assert_eq!(status, 200);
        let (status, _) = get(
            &app,
            &format!("services/camera.{format}?jurisdiction_id=other-city.example"),
        )
        .await;
        assert_eq!(status, 400);
        let (status, body) = post(
            &app,
            format,
            &[
                ("jurisdiction_id", "other-city.example"),
                ("service_code", "camera"),
                ("address_string", "Cổng UBND"),
            ],
        )
        .await;
        assert_eq!(status, 400, "{body}");
    }
    let (status, body) = get(&app, "requests.json?start_date=yesterday").await;
    assert_eq!(status, 400);
    let errors: Vec<ApiError> = serde_json::from_str(&body).unwrap();
    assert_eq!(errors[0].code, 400);
}

#[tokio::test]
async fn media_comes_as_a_url_or_an_uploaded_photo_within_bounds() {
    let app = TestApp::with_demo().await;
    let (status, body) = post(
        &app,
        "json",
        &[
            ("service_code", "camera"),
            ("address_string", "Cổng UBND"),
            ("attribute[unit]", "09805-T01"),
            ("media_url", "https://example.vn/anh/1.jpg"),
        ],
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let created: Vec<Created> = serde_json::from_str(&body).unwrap();
    let (_, body) = get(
        &app,
        &format!("requests/{}.json", created[0].service_request_id),
    )
    .await;
    let request: Vec<Request> = serde_json::from_str(&body).unwrap();
    assert_eq!(
        request[0].media_url.as_deref(),
        Some("https://example.vn/anh/1.jpg")
    );

    let png = langso_render::qr::QrMatrix::encode("h16b", langso_render::qr::Correction::Medium)
        .unwrap()
        .png(128)
        .unwrap();
    let form = reqwest::multipart::Form::new()
        .text("service_code", "camera")
        .text("address_string", "Cổng UBND")
        .text("attribute[unit]", "09805-T01")
        .part(
            "media",
            reqwest::multipart::Part::bytes(png).file_name("anh.png"),
        );
    let response = app
        .client
        .post(format!("{}/open311/v2/requests.xml", app.base))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let elements = xml(&response.text().await.unwrap());
    let id: uuid::Uuid = first(&elements, "service_request_id")
        .unwrap()
        .parse()
        .unwrap();
    assert!(langso_app::faults::has_photo(app.db(), id).await.unwrap());
    // The uploaded photo is the request's media_url, on this site, and answers as an image.
    let (_, body) = get(&app, &format!("requests/{id}.json")).await;
    // The status is explained in words, not by the internal code.
    assert!(
        body.contains("\"status_notes\":\"Mới tiếp nhận\""),
        "{body}"
    );
    let request: Vec<Request> = serde_json::from_str(&body).unwrap();
    let media = request[0].media_url.clone().expect("the photo's address");
    assert!(media.ends_with(&format!("/bao-hong/anh/{id}")), "{media}");
    let photo = app
        .client
        .get(format!("{}/bao-hong/anh/{id}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(photo.status(), 200);
    assert_eq!(photo.headers()["content-type"], "image/png");

    // A file that is not an image, and a photo past 5 MB: refused, nothing written.
    let before = langso_store::faults::count_photos(app.db()).await.unwrap();
    let form = reqwest::multipart::Form::new()
        .text("service_code", "camera")
        .text("address_string", "Cổng UBND")
        .part("media", reqwest::multipart::Part::bytes(b"<svg/>".to_vec()));
    let response = app
        .client
        .post(format!("{}/open311/v2/requests.json", app.base))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let errors: Vec<ApiError> = response.json().await.unwrap();
    assert_eq!(errors[0].code, 400);
    let mut big = b"\xFF\xD8\xFF\xE0".to_vec();
    big.resize(6 * 1024 * 1024, 0);
    let form = reqwest::multipart::Form::new()
        .text("service_code", "camera")
        .text("address_string", "Cổng UBND")
        .part("media", reqwest::multipart::Part::bytes(big));
    let response = app
        .client
        .post(format!("{}/open311/v2/requests.json", app.base))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    let errors: Vec<ApiError> = response.json().await.unwrap();
    assert_eq!(errors[0].code, 413);
    assert_eq!(
        langso_store::faults::count_photos(app.db()).await.unwrap(),
        before
    );
}

//! The criteria domain for officers: the criteria sets (every version, one set with its
//! criteria in words, the import of a set file) in [`sets`]; a village judged against the set
//! in force with its recognition steps in [`village`]; the evidence for criteria a person
//! judges in [`evidence`]. Every action goes through the same `langso_app` function as the API.

mod evidence;
mod sets;
mod village;

use axum::extract::{DefaultBodyLimit, Multipart};
use axum::routing::{get, post};
use langso_domain::criteria::Criterion;
use langso_domain::locale;

use crate::html::{Chrome, Page, PageError, Routes};
use crate::messages::Lang;

/// The criteria screens. Uploads carry their own body limits: a set file, an evidence file.
pub(super) fn routes() -> Routes {
    Routes::new()
        .route(
            "/criteria",
            &["GET", "POST"],
            get(sets::index)
                .post(sets::import)
                .layer(DefaultBodyLimit::max(2 * 1024 * 1024)),
        )
        .get("/criteria/{id}", sets::show)
        .get("/villages/{id}", village::show)
        .route(
            "/villages/{id}/evidence",
            &["POST"],
            post(evidence::upload).layer(DefaultBodyLimit::max(
                langso_app::criteria::MAX_EVIDENCE + 64 * 1024,
            )),
        )
        .post("/villages/{id}/propose", village::propose)
        .post("/villages/{id}/approve", village::approve)
        .post("/villages/{id}/revoke", village::revoke)
        .post("/evidence/{id}/approve", evidence::approve)
        .get("/evidence/{id}/file", evidence::file)
}

type Errors = Vec<(String, String)>;

/// A criterion's name in the reader's language (the set file gives both; the Vietnamese one
/// when the English is missing). Pages mark it `translate="no"`: it is the province's text.
fn label(criterion: &Criterion, lang: Lang) -> String {
    match lang {
        Lang::En if !criterion.label_en.trim().is_empty() => criterion.label_en.clone(),
        _ => criterion.label_vi.clone(),
    }
}

/// A share (0–1) as a percentage in the page's conventions: "70 %" / "70%", "62,5 %".
fn share(chrome: &Chrome, value: f64) -> String {
    // Never above 100 %, never rounded up to it (0.9996 reads 99,9 %).
    let tenths = if value >= 1.0 {
        1000.0
    } else {
        ((value.max(0.0) * 1000.0 + 1e-9).floor()).min(999.0)
    };
    let number = amount(chrome, tenths / 10.0);
    match chrome.lang {
        Lang::Vi => format!("{number} %"),
        Lang::En => format!("{number}%"),
    }
}

/// A measured amount: whole numbers grouped, others with one decimal.
fn amount(chrome: &Chrome, value: f64) -> String {
    let decimals = if (value - value.round()).abs() < 1e-9 {
        0
    } else {
        1
    };
    locale::decimal(value, decimals, chrome.lang.number_style())
}

/// A file sent with a multipart form.
#[derive(Default)]
struct Sent {
    name: String,
    content_type: String,
    bytes: Vec<u8>,
}

/// A multipart upload of this domain: its text fields and its `file` part. Uploads keep
/// their multipart extractor (the form cannot be parsed as urlencoded), and the page checks
/// the CSRF part with [`Page::check_csrf`].
#[derive(Default)]
struct Upload {
    csrf: String,
    set: String,
    criterion: String,
    file: Sent,
}

/// Reads the upload; a part that cannot be read answers the error page in the reader's
/// language.
async fn read_upload(page: &Page, mut multipart: Multipart) -> Result<Upload, PageError> {
    let lang = page.lang;
    let broken = |error| PageError::unreadable_upload(error, lang);
    let mut upload = Upload::default();
    while let Some(part) = multipart.next_field().await.map_err(broken)? {
        match part.name().unwrap_or_default() {
            "file" => {
                upload.file.name = part.file_name().unwrap_or("tep").to_owned();
                upload.file.content_type = part
                    .content_type()
                    .unwrap_or("application/octet-stream")
                    .to_owned();
                upload.file.bytes = part.bytes().await.map_err(broken)?.to_vec();
            }
            "csrf" => upload.csrf = part.text().await.map_err(broken)?,
            "set" => upload.set = part.text().await.map_err(broken)?,
            "criterion" => upload.criterion = part.text().await.map_err(broken)?,
            _ => {}
        }
    }
    page.check_csrf(&upload.csrf)?;
    Ok(upload)
}

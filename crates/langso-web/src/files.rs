//! Files handed to the browser (exports, posters, evidence): one response shape for the API
//! and the pages, with a file name that survives Vietnamese letters.

use axum::http::header;
use axum::response::{IntoResponse, Response};

/// Whether the browser saves the file or shows it.
#[derive(Clone, Copy, Debug)]
pub enum Disposition {
    /// Saved under its name (exports, reports, evidence).
    Attachment,
    /// Shown in the browser (a poster PDF, a QR image).
    Inline,
}

/// `body` as a file of `content_type` named `file_name`. The name goes out twice (RFC 6266):
/// an ASCII fallback and the UTF-8 original, so "Báo cáo tháng.xlsx" keeps its letters. The
/// type is not sniffed, so an uploaded file cannot run as a page.
pub fn download(
    disposition: Disposition,
    content_type: &str,
    file_name: &str,
    body: impl IntoResponse,
) -> Response {
    let kind = match disposition {
        Disposition::Attachment => "attachment",
        Disposition::Inline => "inline",
    };
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("{kind}; {}", file_name_parameters(file_name)),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ],
        body,
    )
        .into_response()
}

/// An export made by langso-app (households as CSV or XLSX), saved under its name.
pub fn export(file: langso_app::households::ExportFile) -> Response {
    download(
        Disposition::Attachment,
        file.content_type,
        &file.file_name,
        file.bytes,
    )
}

/// `filename="ascii"; filename*=UTF-8''percent-encoded`.
fn file_name_parameters(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vietnamese_name_has_an_ascii_fallback_and_its_utf8_form() {
        assert_eq!(
            file_name_parameters("Báo cáo.xlsx"),
            "filename=\"B_o_c_o.xlsx\"; filename*=UTF-8''B%C3%A1o%20c%C3%A1o.xlsx"
        );
    }
}

//! The Open311 `POST requests` form: its fields read into a [`NewReport`], within limits.
//!
//! The form comes from any client on the internet, so the count of fields and the length of
//! each are bounded before anything is looked at; past a bound the whole form is refused with
//! the bound named, and nothing is written.

use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{HeaderMap, StatusCode, header};
use langso_app::Message;
use langso_app::faults::NewReport;
use langso_domain::faults::MAX_PHOTO_BYTES;

use crate::AppState;

/// The fields of a form, and the photo sent with it (multipart part `media` or `photo`).
pub(crate) type ReadForm = (Vec<(String, String)>, Option<Vec<u8>>);

/// Reads a `POST requests` body: form-encoded, or multipart with one photo. The body as a whole
/// is bounded by the route's limit; here the count of fields, each text field's length and
/// the photo's size are bounded as they arrive, so nothing larger is held in memory.
pub(crate) async fn read(
    state: &AppState,
    headers: &HeaderMap,
    request: Request,
) -> Result<ReadForm, FormRefusal> {
    let multipart = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let large = |status: StatusCode| {
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            FormRefusal::TooLarge
        } else {
            FormRefusal::Unreadable
        }
    };
    if !multipart {
        let axum::Form(fields) = axum::Form::<Vec<(String, String)>>::from_request(request, state)
            .await
            .map_err(|r| large(r.status()))?;
        return Ok((fields, None));
    }
    let mut parts = Multipart::from_request(request, state)
        .await
        .map_err(|r| large(r.status()))?;
    let mut fields = Vec::new();
    let mut photo = None;
    while let Some(mut field) = parts.next_field().await.map_err(|e| large(e.status()))? {
        let name = field.name().unwrap_or_default().to_owned();
        if fields.len() >= MAX_FIELDS {
            return Err(FormRefusal::TooManyFields(fields.len() + 1));
        }
        let is_photo = name == "media" || name == "photo";
        let limit = if is_photo {
            MAX_PHOTO_BYTES
        } else {
            MAX_FIELD_BYTES
        };
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|e| large(e.status()))? {
            if bytes.len() + chunk.len() > limit {
                return Err(if is_photo {
                    FormRefusal::TooLarge
                } else {
                    FormRefusal::TooLong(name.chars().take(40).collect())
                });
            }
            bytes.extend_from_slice(&chunk);
        }
        if is_photo {
            if photo.is_none() && !bytes.is_empty() {
                photo = Some(bytes);
            }
        } else {
            let text = String::from_utf8(bytes).map_err(|_| FormRefusal::Unreadable)?;
            fields.push((name, text));
        }
    }
    Ok((fields, photo))
}

/// The most fields a form may carry (the specification names about fifteen).
pub(crate) const MAX_FIELDS: usize = 64;

/// The most bytes of one field's name or value (a 4,000-character description takes up to
/// 16,000 bytes in UTF-8).
pub(crate) const MAX_FIELD_BYTES: usize = 16 * 1024;

/// Why a form is refused before it is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FormRefusal {
    /// More than [`MAX_FIELDS`] fields (how many there were).
    TooManyFields(usize),
    /// A name or value longer than [`MAX_FIELD_BYTES`] (the field's name, cut short).
    TooLong(String),
    /// A body larger than a photo and its fields.
    TooLarge,
    /// A body that is not a form (or a broken multipart one).
    Unreadable,
}

impl FormRefusal {
    /// The refusal as a catalogue message naming the limit.
    pub(crate) fn message(&self) -> Message {
        match self {
            FormRefusal::TooManyFields(count) => Message::new(
                "faults-open311-too-many-fields",
                &[("count", count), ("limit", &MAX_FIELDS)],
            ),
            FormRefusal::TooLong(field) => Message::new(
                "faults-open311-field-too-long",
                &[("field", field), ("limit", &MAX_FIELD_BYTES)],
            ),
            FormRefusal::TooLarge => Message::new(
                "faults-open311-too-large",
                &[("limit", &(MAX_PHOTO_BYTES / (1024 * 1024)))],
            ),
            FormRefusal::Unreadable => Message::new("form-unreadable", &[]),
        }
    }
}

/// The report a form describes. A field given twice counts once (the first); blank fields
/// count as absent; a latitude or longitude that is not a number is absent (the report then
/// needs an address or an asset, and says so).
pub(crate) fn parse(fields: &[(String, String)]) -> Result<NewReport, FormRefusal> {
    if fields.len() > MAX_FIELDS {
        return Err(FormRefusal::TooManyFields(fields.len()));
    }
    if let Some((name, _)) = fields
        .iter()
        .find(|(k, v)| k.len() > MAX_FIELD_BYTES || v.len() > MAX_FIELD_BYTES)
    {
        let shown: String = name.chars().take(40).collect();
        return Err(FormRefusal::TooLong(shown));
    }
    let get = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let number = |name: &str| {
        get(name)
            .and_then(|v| v.parse::<f64>().ok())
            .filter(|v| v.is_finite())
    };
    let reporter = [
        get("first_name"),
        get("last_name"),
        get("email"),
        get("phone"),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    Ok(NewReport {
        service_code: get("service_code").unwrap_or_default(),
        asset_code: get("attribute[asset]").or_else(|| get("asset_id")),
        latitude: number("lat"),
        longitude: number("long"),
        address: get("address_string").unwrap_or_default(),
        description: get("description").unwrap_or_default(),
        media_url: get("media_url"),
        reporter,
        photo: None,
        unit_code: get("attribute[unit]"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn pair(k: &str, v: &str) -> (String, String) {
        (k.to_owned(), v.to_owned())
    }

    #[test]
    fn the_fields_of_the_specification_are_read() {
        let report = parse(&[
            pair("service_code", " solar_light "),
            pair("lat", "21.2"),
            pair("long", "NaN"),
            pair("description", "Đèn tắt"),
            pair("description", "ignored"),
            pair("first_name", "Lan"),
            pair("phone", "0912345678"),
            pair("attribute[asset]", "SOL-1"),
            pair("address_string", "  "),
        ])
        .unwrap();
        assert_eq!(report.service_code, "solar_light");
        assert_eq!(report.latitude, Some(21.2));
        assert_eq!(report.longitude, None);
        assert_eq!(report.description, "Đèn tắt");
        assert_eq!(report.reporter, "Lan 0912345678");
        assert_eq!(report.asset_code.as_deref(), Some("SOL-1"));
        assert_eq!(report.address, "");
    }

    #[test]
    fn forms_past_a_limit_are_refused_naming_it() {
        let many: Vec<_> = (0..=MAX_FIELDS)
            .map(|i| pair(&format!("f{i}"), "x"))
            .collect();
        assert_eq!(
            parse(&many).err(),
            Some(FormRefusal::TooManyFields(MAX_FIELDS + 1))
        );
        let long = parse(&[pair("description", &"ộ".repeat(MAX_FIELD_BYTES))]).err();
        assert_eq!(long, Some(FormRefusal::TooLong("description".into())));
        let message = long.unwrap().message();
        assert_eq!(message.key, "faults-open311-field-too-long");
        assert!(message.args.contains(&("limit", "16384".to_owned())));
    }

    fn field() -> impl Strategy<Value = (String, String)> {
        let name = prop_oneof![
            prop::sample::select(vec![
                "service_code",
                "lat",
                "long",
                "description",
                "address_string",
                "email",
                "first_name",
                "phone",
                "media_url",
                "attribute[asset]",
                "attribute[unit]",
            ])
            .prop_map(str::to_owned),
            any::<String>(),
        ];
        let long = ("\\PC{1,3}", 0usize..6000).prop_map(|(s, n)| s.repeat(n));
        let value = prop_oneof![any::<String>(), "[-+0-9.eE]{0,12}", "\\PC{0,40}", long];
        (name, value)
    }

    proptest! {
        #[test]
        fn any_form_is_read_or_refused_by_a_limit(
            fields in prop::collection::vec(field(), 0..80),
        ) {
            match parse(&fields) {
                Ok(report) => {
                    prop_assert!(fields.len() <= MAX_FIELDS);
                    let first = |name: &str| fields.iter().find(|(k, _)| k == name);
                    match first("description") {
                        Some((_, v)) => prop_assert_eq!(&report.description, v.trim()),
                        None => prop_assert!(report.description.is_empty()),
                    }
                    prop_assert!(report.latitude.is_none_or(f64::is_finite));
                    prop_assert!(report.longitude.is_none_or(f64::is_finite));
                    prop_assert!(report.description.len() <= MAX_FIELD_BYTES);
                    prop_assert!(report.reporter.len() <= 4 * MAX_FIELD_BYTES + 3);
                }
                Err(FormRefusal::TooManyFields(n)) => {
                    prop_assert!(n > MAX_FIELDS && n == fields.len());
                }
                Err(FormRefusal::TooLong(_)) => prop_assert!(
                    fields.len() <= MAX_FIELDS
                        && fields.iter().any(|(k, v)| k.len().max(v.len()) > MAX_FIELD_BYTES)
                ),
                Err(other) => prop_assert!(false, "parse never answers {other:?}"),
            }
        }
    }
}

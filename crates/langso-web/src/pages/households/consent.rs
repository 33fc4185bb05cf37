//! A household's consent, person by person: what each person's consent is now, every giving
//! and withdrawal (who, how, the paper form's scan), the form to record one (an officer with
//! the right to change people's data), the scan upload of a paper form and the printable
//! consent form. One form, two buttons; no script.

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::response::Response;
use langso_app::households::{self as actions, ConsentInput, ConsentRow, HouseholdView};
use langso_domain::consent::{METHODS, PURPOSES, Person, RELATIONS};
use serde::Deserialize;
use uuid::Uuid;

use crate::AppState;
use crate::files::{Disposition, download};
use crate::html::{Chrome, CsrfForm, Page, PageError, render_form};

/// The form as typed: `action` is `give` or `withdraw`.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct ConsentForm {
    action: String,
    on: String,
    purpose_programme: String,
    purpose_announcements: String,
    purpose_survey: String,
    purpose: String,
    method: String,
    person_name: String,
    relation: String,
    confirmed_by: String,
}

impl ConsentForm {
    fn ticked(&self, purpose: &str) -> bool {
        !match purpose {
            "programme" => &self.purpose_programme,
            "announcements" => &self.purpose_announcements,
            _ => &self.purpose_survey,
        }
        .is_empty()
    }
}

#[derive(Template)]
#[template(path = "household_consent.html")]
struct ConsentPage {
    chrome: Chrome,
    view: HouseholdView,
    history: Vec<ConsentRow>,
    people: Vec<Person>,
    form: ConsentForm,
    /// (code, ticked).
    purposes: Vec<(&'static str, bool)>,
    methods: [&'static str; 3],
    relations: [&'static str; 6],
    errors: Vec<(String, String)>,
}

impl ConsentPage {
    /// Purpose codes in words.
    fn words<'a>(&self, codes: impl Iterator<Item = &'a String>) -> String {
        codes
            .map(|p| self.chrome.tk("consent-purpose", p))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The purposes of an event, in words (a withdrawal naming none: all of them).
    fn purposes_of(&self, row: &ConsentRow) -> String {
        let named: Vec<String> = row
            .purposes
            .split(',')
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect();
        if named.is_empty() && row.event == "withdrawn" {
            return self.chrome.t("consent-all-purposes").to_owned();
        }
        self.words(named.iter())
    }
}

async fn consent_page(
    state: &AppState,
    page: &Page,
    id: Uuid,
    form: ConsentForm,
    errors: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let view = actions::get_household(&state.db, &page.actor, id)
        .await
        .map_err(page.failing())?;
    let history = actions::consent_history(&state.db, &page.actor, id)
        .await
        .map_err(page.failing())?;
    let people = actions::consent_state(&state.db, id)
        .await
        .map_err(page.failing())?
        .map(|s| s.people)
        .unwrap_or_default();
    let purposes = PURPOSES.iter().map(|p| (*p, form.ticked(p))).collect();
    Ok(render_form(
        &ConsentPage {
            chrome: page.chrome.clone(),
            view,
            history,
            people,
            form,
            purposes,
            methods: METHODS,
            relations: RELATIONS,
            errors: errors.clone(),
        },
        &errors,
    ))
}

/// The consent page.
pub(super) async fn show(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    let form = ConsentForm {
        on: langso_app::today().to_string(),
        method: "paper".to_owned(),
        relation: "representative".to_owned(),
        ..ConsentForm::default()
    };
    consent_page(&state, &page, id, form, Vec::new()).await
}

/// Records a giving or a withdrawal; back to the page, or the form with what was refused.
pub(super) async fn submit(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<ConsentForm>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    let purposes = PURPOSES
        .iter()
        .filter(|p| form.ticked(p))
        .map(|p| (*p).to_owned())
        .collect();
    let input = ConsentInput {
        on: form.on.clone(),
        purposes,
        purpose: form.purpose.clone(),
        method: form.method.clone(),
        person_name: form.person_name.clone(),
        relation: form.relation.clone(),
        confirmed_by: form.confirmed_by.clone(),
    };
    let result = if form.action == "withdraw" {
        actions::withdraw_consent(&state.db, &page.actor, id, &input).await
    } else {
        actions::record_consent(&state.db, &page.actor, id, &input).await
    };
    page.form_or_redirect(
        result,
        |_| format!("/households/{id}/consent"),
        async |errors| consent_page(&state, &page, id, form, errors).await,
    )
    .await
}

/// POST `/households/{id}/consent/{event}/scan` (multipart: csrf, scan): keeps the scan of
/// a paper form.
pub(super) async fn upload_scan(
    State(state): State<AppState>,
    page: Page,
    Path((id, event)): Path<(String, String)>,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    let (id, event) = (page.id(&id)?, page.id(&event)?);
    let lang = page.lang;
    let broken = |error| PageError::unreadable_upload(error, lang);
    let (mut csrf, mut bytes) = (String::new(), Vec::new());
    while let Some(part) = multipart.next_field().await.map_err(broken)? {
        match part.name().unwrap_or_default() {
            "csrf" => csrf = part.text().await.map_err(broken)?,
            "scan" => bytes = part.bytes().await.map_err(broken)?.to_vec(),
            _ => {}
        }
    }
    page.check_csrf(&csrf)?;
    let result = actions::attach_scan(&state.db, &page.actor, id, event, &bytes).await;
    page.form_or_redirect(
        result,
        |()| format!("/households/{id}/consent"),
        async |errors| consent_page(&state, &page, id, ConsentForm::default(), errors).await,
    )
    .await
}

/// GET `/households/{id}/consent/{event}/scan`: the scan, for people with the PII right.
pub(super) async fn scan(
    State(state): State<AppState>,
    page: Page,
    Path((id, event)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let (id, event) = (page.id(&id)?, page.id(&event)?);
    let scan = actions::consent_scan(&state.db, &page.actor, id, event)
        .await
        .map_err(page.failing())?;
    let extension = match scan.content_type.as_str() {
        "application/pdf" => "pdf",
        "image/png" => "png",
        _ => "jpg",
    };
    Ok(download(
        Disposition::Attachment,
        &scan.content_type,
        &format!("phieu-dong-y-{event}.{extension}"),
        scan.content,
    ))
}

/// GET `/households/{id}/consent/form.pdf`: the printable consent form.
pub(super) async fn form_pdf(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = page.id(&id)?;
    let pdf = actions::consent_form_pdf(&state.db, &page.actor, id)
        .await
        .map_err(page.failing())?;
    Ok(download(
        Disposition::Inline,
        "application/pdf",
        "phieu-dong-y.pdf",
        pdf,
    ))
}

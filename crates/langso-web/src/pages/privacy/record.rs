//! The processing record and impact assessment in the web: a form for what only the office
//! knows (number, recipients, signer), then the PDF or XLSX, generated from the installation
//! as it stands. Plain GETs: nothing changes but the audit log.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use langso_app::dashboard::{Signing, report_units};
use langso_app::privacy::record::{RetentionLine, record_pdf, record_xlsx, stated_retention};
use langso_app::privacy::retention;
use langso_app::today;
use langso_domain::locale::{NumberStyle, count};
use serde::Deserialize;

use crate::AppState;
use crate::files::{Disposition, download};
use crate::html::{Chrome, Page, PageError, Routes, render};
use crate::messages::{Lang, render as say};

/// The form and the file.
pub(super) fn routes() -> Routes {
    Routes::new()
        .get("/privacy/record", form)
        .get("/privacy/record/file", file)
}

/// `?unit=` and the form's fields.
#[derive(Deserialize, Default)]
#[serde(default)]
struct RecordQuery {
    unit: String,
    number: String,
    recipients: String,
    capacity: String,
    signer_title: String,
    signer_name: String,
    format: String,
}

#[derive(Template)]
#[template(path = "privacy_record.html")]
struct RecordForm {
    chrome: Chrome,
    unit: String,
    unit_name: String,
    signing: Signing,
}

async fn form(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<RecordQuery>,
) -> Result<Response, PageError> {
    let unit = page.unit(&state, Some(query.unit.as_str())).await?;
    // Only those who may produce the record are shown its form.
    langso_app::auth::policy::require(
        &state.db,
        &page.actor,
        langso_domain::auth::Permission::ManageAccounts,
        unit.id,
    )
    .await
    .map_err(page.failing())?;
    let (_, parent) = report_units(&state.db, unit.id, today())
        .await
        .map_err(page.failing())?;
    Ok(render(&RecordForm {
        chrome: page.chrome,
        unit: unit.id.to_string(),
        signing: Signing::defaults(&unit, parent.as_ref()),
        unit_name: unit.name,
    }))
}

async fn file(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<RecordQuery>,
) -> Result<Response, PageError> {
    let unit = page.unit(&state, Some(query.unit.as_str())).await?;
    let signing = Signing {
        number: query.number,
        recipients: query.recipients.lines().map(str::to_owned).collect(),
        capacity: query.capacity,
        signer_title: query.signer_title,
        signer_name: query.signer_name,
    };
    let retention = retention_lines(&state).await.map_err(page.failing())?;
    let (db, actor) = (&state.db, &page.actor);
    let (bytes, kind, extension) = if query.format == "xlsx" {
        let bytes = record_xlsx(db, actor, unit.id, &signing, &retention).await;
        let kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        (bytes, kind, "xlsx")
    } else {
        let bytes = record_pdf(db, actor, unit.id, &signing, &retention).await;
        (bytes, "application/pdf", "pdf")
    };
    Ok(download(
        Disposition::Attachment,
        kind,
        &format!("ho-so-xu-ly-du-lieu-{}.{extension}", unit.code),
        bytes.map_err(page.failing())?,
    ))
}

/// The retention the record states: what the installation does by itself (backups as this
/// server keeps them), then each rule as the commune set it, in Vietnamese whatever the
/// reader's language, as the document is.
async fn retention_lines(state: &AppState) -> langso_app::AppResult<Vec<RetentionLine>> {
    let vi = |key: &str| say(Lang::Vi, key, &[]);
    let kept = state.settings.backup_schedule.map(|(_, keep)| keep);
    let mut lines = stated_retention(kept);
    for rule in retention::rules(&state.db).await? {
        lines.push(RetentionLine {
            kind: vi(&format!("privacy-data-{}", rule.kind.replace('_', "-"))),
            keep: say(
                Lang::Vi,
                "privacy-record-days",
                &[("days", count(rule.days, NumberStyle::Vietnamese))],
            ),
            then: vi(&format!("privacy-action-{}", rule.action)),
        });
    }
    Ok(lines)
}

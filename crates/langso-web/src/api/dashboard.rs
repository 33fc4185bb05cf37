//! `/api/v1/dashboard`, `/api/v1/dashboard/map.svg`, `/api/v1/reports/monthly.{xlsx,pdf}`:
//! the programme's figures for any unit in scope as of a day, the village map, and the
//! monthly report (exports audited). `unit` is an id or a GSO code (resolved on the day).

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use langso_app::{AppError, CellError, dashboard as actions, today};
use serde::Deserialize;
use time::Date;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::extract::{Json, Query};
use crate::auth::Authenticated;
use crate::error::{ApiError, Problem};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(dashboard))
        .routes(routes!(map_svg))
        .routes(routes!(report_xlsx))
        .routes(routes!(report_pdf))
}

/// A unit and a day.
#[derive(Debug, Deserialize, IntoParams)]
pub struct DashboardParams {
    /// The unit's id or GSO code.
    unit: Option<String>,
    /// As of this day (default today): the tree of that day, recognitions in force then.
    date: Option<Date>,
}

/// A unit and a month.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ReportParams {
    /// The unit's id or GSO code.
    unit: Option<String>,
    /// The month reported, `YYYY-MM` (default: this month); figures as of its last day, or
    /// today for the current month.
    month: Option<String>,
}

/// The last day of a `YYYY-MM` month, or today for the current (or a future) month.
pub(crate) fn month_end(month: Option<&str>) -> Result<Date, ApiError> {
    let today = today();
    let Some(month) = month.filter(|m| !m.trim().is_empty()) else {
        return Ok(today);
    };
    let bad = || {
        ApiError(AppError::Invalid(vec![CellError::keyed(
            0,
            "month",
            "dashboard-month-invalid",
            &[],
        )]))
    };
    let (y, m) = month.trim().split_once('-').ok_or_else(bad)?;
    let year: i32 = y.parse().map_err(|_| bad())?;
    let month: u8 = m.parse().map_err(|_| bad())?;
    let month = time::Month::try_from(month).map_err(|_| bad())?;
    let first = Date::from_calendar_date(year, month, 1).map_err(|_| bad())?;
    let last = first.replace_day(month.length(year)).map_err(|_| bad())?;
    Ok(last.min(today))
}

/// The headline figures, per-child figures, indicator shares and visits per month of a unit
/// as of a day.
#[utoipa::path(get, path = "/dashboard", tag = "dashboard", params(DashboardParams),
    responses((status = 200, body = Object), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn dashboard(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Query(params): Query<DashboardParams>,
) -> Result<Json<actions::Dashboard>, ApiError> {
    let date = params.date.unwrap_or_else(today);
    let unit = langso_app::units::resolve(&state.db, params.unit.as_deref(), date).await?;
    Ok(Json(
        actions::dashboard(&state.db, &actor, unit, date).await?,
    ))
}

/// The villages under a unit as an SVG map, coloured by status.
#[utoipa::path(get, path = "/dashboard/map.svg", tag = "dashboard", params(DashboardParams),
    responses((status = 200, content_type = "image/svg+xml"), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn map_svg(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Query(params): Query<DashboardParams>,
) -> Result<Response, ApiError> {
    let date = params.date.unwrap_or_else(today);
    let unit = langso_app::units::resolve(&state.db, params.unit.as_deref(), date).await?;
    let svg = actions::map_svg(&state.db, &actor, unit, date).await?;
    Ok(([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response())
}

/// The monthly programme report as XLSX (a sheet per section, Vietnamese headers); audited.
#[utoipa::path(get, path = "/reports/monthly.xlsx", tag = "dashboard", params(ReportParams),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn report_xlsx(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Query(params): Query<ReportParams>,
) -> Result<Response, ApiError> {
    let date = month_end(params.month.as_deref())?;
    let unit = langso_app::units::resolve(&state.db, params.unit.as_deref(), date).await?;
    let signing = actions::Signing::default();
    let bytes = actions::official_report_xlsx(&state.db, &actor, unit, date, &signing).await?;
    Ok(crate::files::download(
        crate::files::Disposition::Attachment,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &format!("bao-cao-{date}.xlsx"),
        bytes,
    ))
}

/// The monthly programme report as an A4 PDF with its charts; audited.
#[utoipa::path(get, path = "/reports/monthly.pdf", tag = "dashboard", params(ReportParams),
    responses((status = 200, content_type = "application/pdf"), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn report_pdf(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    Query(params): Query<ReportParams>,
) -> Result<Response, ApiError> {
    let date = month_end(params.month.as_deref())?;
    let unit = langso_app::units::resolve(&state.db, params.unit.as_deref(), date).await?;
    let signing = actions::Signing::default();
    let bytes = actions::official_report_pdf(&state.db, &actor, unit, date, &signing).await?;
    Ok(crate::files::download(
        crate::files::Disposition::Attachment,
        "application/pdf",
        &format!("bao-cao-{date}.pdf"),
        bytes,
    ))
}

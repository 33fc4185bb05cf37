//! Programme pages for officers: the digital teams of a unit (one team with its members, the
//! forms to set up a team and add a member), trainings and outreach, the criteria sets (one set
//! with its criteria, import of a set file, export link), and a village's evaluation with its
//! recognition actions (the commune proposes, the province approves or revokes) and evidence
//! for manual criteria. Every action goes through the same `langso_app` function as the API.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use langso_app::auth::policy;
use langso_app::criteria::{
    self as criteria, CriteriaSet, EvidenceRow, RecognitionDecision, RecognitionRow,
};
use langso_app::teams::{
    self as teams, MemberInput, OutreachInput, OutreachRow, TeamInput, TeamSummary, TeamView,
};
use langso_app::{Actor, AppError, CellError, today};
use langso_domain::auth::Permission;
use langso_domain::criteria::{Rule, Verdict, VillageStatus};
use langso_domain::teams::{Affiliation, MemberRole, OutreachKind};
use langso_domain::units::{Unit, UnitKind, parse_date};
use time::{Date, Duration};
use uuid::Uuid;

use super::{Chrome, render};
use crate::AppState;
use crate::auth::{Authenticated, csrf_ok};
use crate::html::PageError;
use crate::html::chosen_unit;
use crate::messages::Lang;

type Errors = Vec<(String, String)>;

fn fail(lang: Lang) -> impl Fn(AppError) -> PageError {
    move |error| PageError { error, lang }
}

fn parse_uuid(text: &str, lang: Lang) -> Result<Uuid, PageError> {
    Uuid::parse_str(text.trim()).map_err(|_| PageError {
        error: AppError::NotFound,
        lang,
    })
}

fn check_csrf(actor: &Actor, form: &HashMap<String, String>, lang: Lang) -> Result<(), PageError> {
    if csrf_ok(actor, form.get("csrf").map_or("", String::as_str)) {
        Ok(())
    } else {
        Err(PageError {
            error: AppError::Forbidden,
            lang,
        })
    }
}

fn field(form: &HashMap<String, String>, name: &str) -> String {
    form.get(name)
        .map(|v| v.trim().to_owned())
        .unwrap_or_default()
}

/// A date field: `None` with a named problem when it does not parse.
fn date_field(form: &HashMap<String, String>, name: &str, errors: &mut Errors) -> Option<Date> {
    match parse_date(&field(form, name)) {
        Ok(date) => Some(date),
        Err(e) => {
            errors.push((name.to_owned(), e.to_string()));
            None
        }
    }
}

fn problems(list: Vec<CellError>, lang: Lang) -> Errors {
    crate::messages::field_errors(list, lang)
}

fn status_of(errors: &Errors) -> StatusCode {
    if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

impl Chrome {
    /// Vietnamese or English, from a pair of labels kept in the domain.
    pub fn pick<'a>(&self, vi: &'a str, en: &'a str) -> &'a str {
        match self.lang {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }

    /// The label of a team member's role.
    pub fn member_role(&self, code: &str) -> &'static str {
        MemberRole::parse(code).map_or("?", |r| self.pick(r.label_vi(), r.label_en()))
    }

    /// The label of an affiliation.
    pub fn affiliation(&self, code: &str) -> &'static str {
        Affiliation::parse(code).map_or("?", |a| self.pick(a.label_vi(), a.label_en()))
    }

    /// The label of an outreach kind.
    pub fn outreach_kind(&self, code: &str) -> &'static str {
        OutreachKind::parse(code).map_or("?", |k| self.pick(k.label_vi(), k.label_en()))
    }
}

// --- teams ---------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "teams.html")]
struct TeamsPage {
    chrome: Chrome,
    unit: Unit,
    teams: Vec<TeamSummary>,
    /// May set up a team in this unit (a commune or village without one).
    create: bool,
    form: HashMap<String, String>,
    errors: Errors,
}

impl TeamsPage {
    fn value(&self, name: &str) -> String {
        self.form.get(name).cloned().unwrap_or_default()
    }
}

async fn teams_page(
    state: &AppState,
    actor: &Actor,
    headers: &HeaderMap,
    uri: &Uri,
    unit: Unit,
    form: HashMap<String, String>,
    errors: Errors,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(headers);
    let teams = teams::list_teams(&state.db, actor, unit.id)
        .await
        .map_err(fail(lang))?;
    let may = policy::allows(&state.db, actor, Permission::ManageProgramme, unit.id)
        .await
        .map_err(fail(lang))?;
    let level_ok = matches!(
        unit.kind.level(),
        langso_domain::units::Level::Commune | langso_domain::units::Level::Village
    );
    let create = may && level_ok && !teams.iter().any(|t| t.team.unit_id == unit.id);
    let page = TeamsPage {
        chrome: Chrome::for_request(state, headers, uri, Some(actor)),
        unit,
        teams,
        create: create || !errors.is_empty(),
        form,
        errors,
    };
    Ok((status_of(&page.errors), render(&page)).into_response())
}

/// `/teams?unit=`: the teams at or under a unit, and the form to set one up.
pub(super) async fn teams_index(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    let unit = chosen_unit(&state, &actor, query.get("unit").map(String::as_str), lang).await?;
    teams_page(
        &state,
        &actor,
        &headers,
        &uri,
        unit,
        HashMap::new(),
        Vec::new(),
    )
    .await
}

/// POST `/teams`: sets up a team.
pub(super) async fn create_team(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    check_csrf(&actor, &form, lang)?;
    let unit = chosen_unit(&state, &actor, Some(&field(&form, "unit")), lang).await?;
    let mut errors = Vec::new();
    let date = date_field(&form, "decision_date", &mut errors);
    let input = TeamInput {
        unit_id: unit.id,
        name: field(&form, "name"),
        decision_number: field(&form, "decision_number"),
        decision_date: date.unwrap_or_else(today),
    };
    let result = teams::create_team(&state.db, &actor, &input).await;
    match result {
        Ok(team) if errors.is_empty() => {
            Ok(Redirect::to(&format!("/teams/{}", team.id)).into_response())
        }
        Ok(_) => Err(PageError {
            error: AppError::Internal("unreachable: created with a bad date".into()),
            lang,
        }),
        Err(AppError::Invalid(list)) => {
            errors.extend(problems(list, lang));
            teams_page(&state, &actor, &headers, &uri, unit, form, errors).await
        }
        Err(error) => Err(PageError { error, lang }),
    }
}

#[derive(Template)]
#[template(path = "team.html")]
struct TeamPage {
    chrome: Chrome,
    view: TeamView,
    write: bool,
    roles: Vec<(&'static str, &'static str)>,
    affiliations: Vec<(&'static str, &'static str)>,
    form: HashMap<String, String>,
    errors: Errors,
}

impl TeamPage {
    fn value(&self, name: &str) -> String {
        self.form.get(name).cloned().unwrap_or_default()
    }
}

async fn team_page(
    state: &AppState,
    actor: &Actor,
    headers: &HeaderMap,
    uri: &Uri,
    id: Uuid,
    form: HashMap<String, String>,
    errors: Errors,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(headers);
    let view = teams::team(&state.db, actor, id)
        .await
        .map_err(fail(lang))?;
    let write = policy::allows(
        &state.db,
        actor,
        Permission::ManageProgramme,
        view.team.unit_id,
    )
    .await
    .map_err(fail(lang))?;
    let chrome = Chrome::for_request(state, headers, uri, Some(actor));
    let roles = MemberRole::ALL
        .iter()
        .map(|r| (r.as_str(), chrome.pick(r.label_vi(), r.label_en())))
        .collect();
    let affiliations = Affiliation::ALL
        .iter()
        .map(|a| (a.as_str(), chrome.pick(a.label_vi(), a.label_en())))
        .collect();
    let page = TeamPage {
        chrome,
        view,
        write,
        roles,
        affiliations,
        form,
        errors,
    };
    Ok((status_of(&page.errors), render(&page)).into_response())
}

/// `/teams/{id}`: a team and its members (phones masked without the PII right).
pub(super) async fn team(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    let id = parse_uuid(&id, lang)?;
    team_page(
        &state,
        &actor,
        &headers,
        &uri,
        id,
        HashMap::new(),
        Vec::new(),
    )
    .await
}

/// POST `/teams/{id}/members`: adds a member.
pub(super) async fn add_member(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    check_csrf(&actor, &form, lang)?;
    let id = parse_uuid(&id, lang)?;
    let mut errors = Vec::new();
    let joined_on = if field(&form, "joined_on").is_empty() {
        None
    } else {
        date_field(&form, "joined_on", &mut errors)
    };
    let input = MemberInput {
        full_name: field(&form, "full_name"),
        role: field(&form, "role"),
        affiliation: field(&form, "affiliation"),
        phone: field(&form, "phone"),
        joined_on,
    };
    if !errors.is_empty() {
        return team_page(&state, &actor, &headers, &uri, id, form, errors).await;
    }
    match teams::add_member(&state.db, &actor, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/teams/{id}")).into_response()),
        Err(AppError::Invalid(list)) => {
            team_page(
                &state,
                &actor,
                &headers,
                &uri,
                id,
                form,
                problems(list, lang),
            )
            .await
        }
        Err(error) => Err(PageError { error, lang }),
    }
}

// --- outreach ------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "outreach.html")]
struct OutreachPage {
    chrome: Chrome,
    unit: Unit,
    events: Vec<OutreachRow>,
    kinds: Vec<(&'static str, &'static str)>,
    write: bool,
    form: HashMap<String, String>,
    errors: Errors,
    today: Date,
}

impl OutreachPage {
    fn value(&self, name: &str) -> String {
        self.form.get(name).cloned().unwrap_or_default()
    }
}

async fn outreach_page(
    state: &AppState,
    actor: &Actor,
    headers: &HeaderMap,
    uri: &Uri,
    unit: Unit,
    form: HashMap<String, String>,
    errors: Errors,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(headers);
    let to = today();
    let events = teams::list_outreach(&state.db, actor, unit.id, to - Duration::days(3 * 366), to)
        .await
        .map_err(fail(lang))?;
    let write = policy::allows(&state.db, actor, Permission::ManageProgramme, unit.id)
        .await
        .map_err(fail(lang))?;
    let chrome = Chrome::for_request(state, headers, uri, Some(actor));
    let kinds = OutreachKind::ALL
        .iter()
        .map(|k| (k.as_str(), chrome.pick(k.label_vi(), k.label_en())))
        .collect();
    let page = OutreachPage {
        chrome,
        unit,
        events,
        kinds,
        write,
        form,
        errors,
        today: to,
    };
    Ok((status_of(&page.errors), render(&page)).into_response())
}

/// `/outreach?unit=`: trainings, conferences, billboards and broadcasts of the last three
/// years, and the form to record one.
pub(super) async fn outreach_index(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    let unit = chosen_unit(&state, &actor, query.get("unit").map(String::as_str), lang).await?;
    outreach_page(
        &state,
        &actor,
        &headers,
        &uri,
        unit,
        HashMap::new(),
        Vec::new(),
    )
    .await
}

/// POST `/outreach`: records an event.
pub(super) async fn record_outreach(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    check_csrf(&actor, &form, lang)?;
    let unit = chosen_unit(&state, &actor, Some(&field(&form, "unit")), lang).await?;
    let mut errors = Vec::new();
    let held_on = date_field(&form, "held_on", &mut errors);
    let attendance = match field(&form, "attendance").as_str() {
        "" => 0,
        text => text.parse::<i64>().unwrap_or_else(|_| {
            errors.push((
                "attendance".to_owned(),
                lang.t("outreach-attendance-not-number").to_owned(),
            ));
            0
        }),
    };
    let input = OutreachInput {
        unit_id: unit.id,
        kind: field(&form, "kind"),
        held_on: held_on.unwrap_or_else(today),
        topic: field(&form, "topic"),
        attendance,
        public: field(&form, "public") == "1",
    };
    if !errors.is_empty() {
        // Access first: a caller outside the unit learns nothing from a form error.
        policy::require(&state.db, &actor, Permission::ManageProgramme, unit.id)
            .await
            .map_err(fail(lang))?;
        return outreach_page(&state, &actor, &headers, &uri, unit, form, errors).await;
    }
    match teams::record_outreach(&state.db, &actor, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/outreach?unit={}", unit.id)).into_response()),
        Err(AppError::Invalid(list)) => {
            outreach_page(
                &state,
                &actor,
                &headers,
                &uri,
                unit,
                form,
                problems(list, lang),
            )
            .await
        }
        Err(error) => Err(PageError { error, lang }),
    }
}

// --- criteria sets -------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "criteria_sets.html")]
struct SetsPage {
    chrome: Chrome,
    sets: Vec<CriteriaSet>,
    import: bool,
    errors: Errors,
}

/// Whether the actor holds the programme right on a province (may import sets).
async fn on_a_province(state: &AppState, actor: &Actor) -> Result<bool, AppError> {
    if actor.is_system() {
        return Ok(true);
    }
    for root in actor.roots(Permission::ManageProgramme) {
        if langso_app::units::get(&state.db, root).await?.kind == UnitKind::Province {
            return Ok(true);
        }
    }
    Ok(false)
}

async fn sets_page(
    state: &AppState,
    actor: &Actor,
    headers: &HeaderMap,
    uri: &Uri,
    errors: Errors,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(headers);
    let sets = criteria::list_sets(&state.db).await.map_err(fail(lang))?;
    let import = on_a_province(state, actor).await.map_err(fail(lang))?;
    let page = SetsPage {
        chrome: Chrome::for_request(state, headers, uri, Some(actor)),
        sets,
        import,
        errors,
    };
    Ok((status_of(&page.errors), render(&page)).into_response())
}

/// `/criteria`: every criteria set version, and the import form for province officers.
pub(super) async fn sets(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, PageError> {
    sets_page(&state, &actor, &headers, &uri, Vec::new()).await
}

/// Reads a multipart form: text fields, and the `file` part as (name, type, bytes).
async fn read_multipart(
    mut multipart: Multipart,
    lang: Lang,
) -> Result<(HashMap<String, String>, Option<(String, String, Vec<u8>)>), PageError> {
    let broken = |e| PageError::unreadable_upload(e, lang);
    let (mut fields, mut file) = (HashMap::new(), None);
    while let Some(part) = multipart.next_field().await.map_err(broken)? {
        let name = part.name().unwrap_or("").to_owned();
        if name == "file" {
            let file_name = part.file_name().unwrap_or("tep").to_owned();
            let content_type = part
                .content_type()
                .unwrap_or("application/octet-stream")
                .to_owned();
            let bytes = part.bytes().await.map_err(broken)?.to_vec();
            file = Some((file_name, content_type, bytes));
        } else {
            fields.insert(name, part.text().await.map_err(broken)?);
        }
    }
    Ok((fields, file))
}

/// POST `/criteria` (multipart): imports a set file as a new version for its province.
pub(super) async fn import_set(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    let (form, file) = read_multipart(multipart, lang).await?;
    check_csrf(&actor, &form, lang)?;
    let bytes = file.map(|(_, _, bytes)| bytes).unwrap_or_default();
    let result = match criteria::import_json(&bytes) {
        Ok(file) => criteria::import_set(&state.db, &actor, &file).await,
        Err(error) => Err(error),
    };
    match result {
        Ok(set) => Ok(Redirect::to(&format!("/criteria/{}", set.id)).into_response()),
        Err(AppError::Invalid(list)) => {
            sets_page(&state, &actor, &headers, &uri, problems(list, lang)).await
        }
        Err(error) => Err(PageError { error, lang }),
    }
}

/// One criterion as shown in a set.
struct CriterionView {
    code: String,
    label: String,
    rule: String,
}

#[derive(Template)]
#[template(path = "criteria_set.html")]
struct SetPage {
    chrome: Chrome,
    set: CriteriaSet,
    criteria: Vec<CriterionView>,
}

fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

fn number(value: f64) -> String {
    if value.fract().abs() < 1e-9 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

/// How a rule reads, in the reader's language.
fn describe(chrome: &Chrome, rule: &Rule) -> String {
    match rule {
        Rule::IndicatorShare {
            indicator,
            basis,
            min_share,
        } => {
            let basis = match basis {
                langso_domain::criteria::Basis::Households => chrome.t("crit-basis-households"),
                langso_domain::criteria::Basis::Adults => chrome.t("crit-basis-adults"),
                langso_domain::criteria::Basis::BusinessHouseholds => {
                    chrome.t("crit-basis-business")
                }
            };
            format!("{indicator} ÷ {basis} ≥ {}", percent(*min_share))
        }
        Rule::Assets {
            asset,
            min,
            per_100_households,
        } => {
            let per = if *per_100_households {
                chrome.t("crit-per-100")
            } else {
                ""
            };
            format!("{} ≥ {}{per}", chrome.asset_kind(asset), number(*min))
        }
        Rule::TeamMembers { min } => format!("{} ≥ {min}", chrome.t("crit-team-members")),
        Rule::GroupCoverage { min_share } => {
            format!(
                "{} ≥ {}",
                chrome.t("crit-group-coverage"),
                percent(*min_share)
            )
        }
        Rule::QrPlacements { min } => format!("{} ≥ {min}", chrome.t("crit-qr")),
        Rule::Manual { evidence_vi } => {
            format!("{}: {evidence_vi}", chrome.t("crit-manual"))
        }
    }
}

/// `/criteria/{id}`: one set version with its criteria, and the export link.
pub(super) async fn set(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    let id = parse_uuid(&id, lang)?;
    let set = criteria::list_sets(&state.db)
        .await
        .map_err(fail(lang))?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or(PageError {
            error: AppError::NotFound,
            lang,
        })?;
    let chrome = Chrome::for_request(&state, &headers, &uri, Some(&actor));
    let criteria = set
        .criteria
        .iter()
        .map(|c| CriterionView {
            code: c.code.clone(),
            label: chrome.pick(&c.label_vi, &c.label_en).to_owned(),
            rule: describe(&chrome, &c.rule),
        })
        .collect();
    Ok(render(&SetPage {
        chrome,
        set,
        criteria,
    }))
}

// --- a village's evaluation and recognition -------------------------------------------------

/// One criterion's row on a village's page.
struct OutcomeView {
    code: String,
    label: String,
    measured: String,
    threshold: String,
    verdict: &'static str,
    manual: bool,
}

#[derive(Template)]
#[template(path = "village.html")]
struct VillagePage {
    chrome: Chrome,
    unit: Unit,
    set: Option<CriteriaSet>,
    status: &'static str,
    households: i64,
    /// A thôn or tổ dân phố (clusters are not judged).
    eligible: bool,
    outcomes: Vec<OutcomeView>,
    history: Vec<RecognitionRow>,
    evidence: Vec<EvidenceRow>,
    /// The commune may propose (meets the criteria, no proposal pending).
    propose: bool,
    /// The province may decide: approve a proposal / revoke a recognition.
    approve: bool,
    revoke: bool,
    /// May upload and approve evidence.
    manage: bool,
    me: String,
    today: Date,
    errors: Errors,
}

fn shown(measured: Option<f64>, share: bool) -> String {
    match measured {
        None => "—".to_owned(),
        Some(v) if share => percent(v),
        Some(v) => number(v),
    }
}

async fn village_page(
    state: &AppState,
    actor: &Actor,
    headers: &HeaderMap,
    uri: &Uri,
    id: Uuid,
    errors: Errors,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(headers);
    let on = today();
    // The history checks access first; clusters (cụm dân cư) have teams but are not judged.
    let history = criteria::history(&state.db, actor, id)
        .await
        .map_err(fail(lang))?;
    let unit = langso_app::units::get(&state.db, id)
        .await
        .map_err(fail(lang))?;
    let eligible = criteria::is_eligible(&unit);
    let evaluation = if eligible {
        Some(
            criteria::evaluate_village(&state.db, actor, id, on)
                .await
                .map_err(fail(lang))?,
        )
    } else {
        None
    };
    let (status, households, set_id, evaluated) = match evaluation {
        Some(e) => (e.status, e.households, e.set_id, e.outcomes),
        None => (VillageStatus::NotStarted, 0, None, Vec::new()),
    };
    let evidence = criteria::evidence_of(&state.db, actor, id)
        .await
        .map_err(fail(lang))?;
    let set = match set_id {
        Some(set_id) => criteria::list_sets(&state.db)
            .await
            .map_err(fail(lang))?
            .into_iter()
            .find(|s| s.id == set_id),
        None => None,
    };
    let manage = policy::allows(&state.db, actor, Permission::ManageProgramme, id)
        .await
        .map_err(fail(lang))?;
    let decide = criteria::require_province(&state.db, actor, Permission::ManageProgramme, id)
        .await
        .is_ok();
    let last = history.last().map(|r| r.status.as_str());
    let chrome = Chrome::for_request(state, headers, uri, Some(actor));
    let outcomes = evaluated
        .iter()
        .map(|o| {
            let criterion = set
                .as_ref()
                .and_then(|s| s.criteria.iter().find(|c| c.code == o.code));
            let share = criterion.is_some_and(|c| {
                matches!(
                    c.rule,
                    Rule::IndicatorShare { .. } | Rule::GroupCoverage { .. }
                )
            });
            OutcomeView {
                code: o.code.clone(),
                label: criterion
                    .map(|c| chrome.pick(&c.label_vi, &c.label_en).to_owned())
                    .unwrap_or_default(),
                measured: shown(o.measured, share),
                threshold: shown(Some(o.threshold), share),
                verdict: match o.verdict {
                    Verdict::Pass => "pass",
                    Verdict::Fail => "fail",
                    Verdict::NoData => "no_data",
                },
                manual: criterion.is_some_and(|c| matches!(c.rule, Rule::Manual { .. })),
            }
        })
        .collect();
    let page = VillagePage {
        status: status.as_str(),
        households,
        eligible,
        propose: manage
            && status == VillageStatus::MeetsCriteria
            && matches!(last, None | Some("revoked")),
        approve: decide && last == Some("proposed"),
        revoke: decide && last == Some("recognised"),
        manage,
        me: actor.label.clone(),
        today: on,
        chrome,
        unit,
        set,
        outcomes,
        history,
        evidence,
        errors,
    };
    Ok((status_of(&page.errors), render(&page)).into_response())
}

/// `/villages/{id}`: a village judged now against the set in force, its status history,
/// evidence, and the recognition actions the reader may take.
pub(super) async fn village(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    let id = parse_uuid(&id, lang)?;
    village_page(&state, &actor, &headers, &uri, id, Vec::new()).await
}

/// POST `/villages/{id}/propose`: the commune proposes the village.
pub(super) async fn propose(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    recognition(state, actor, headers, uri, id, "propose", form).await
}

/// POST `/villages/{id}/approve`: the province recognises the village by decision.
pub(super) async fn approve(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    recognition(state, actor, headers, uri, id, "approve", form).await
}

/// POST `/villages/{id}/revoke`: the province revokes the recognition by decision.
pub(super) async fn revoke(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    recognition(state, actor, headers, uri, id, "revoke", form).await
}

async fn recognition(
    state: AppState,
    actor: Actor,
    headers: HeaderMap,
    uri: Uri,
    id: String,
    step: &str,
    form: HashMap<String, String>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    check_csrf(&actor, &form, lang)?;
    let id = parse_uuid(&id, lang)?;
    let mut errors = Vec::new();
    let result = match step {
        "propose" => criteria::propose(&state.db, &actor, id, &field(&form, "note")).await,
        "approve" | "revoke" => {
            let date = date_field(&form, "decision_date", &mut errors);
            let decision = RecognitionDecision {
                decision_number: field(&form, "decision_number"),
                decision_date: date.unwrap_or_else(today),
                note: field(&form, "note"),
            };
            if step == "approve" {
                criteria::approve(&state.db, &actor, id, &decision).await
            } else {
                criteria::revoke(&state.db, &actor, id, &decision).await
            }
        }
        _ => Err(AppError::NotFound),
    };
    match result {
        Ok(_) if errors.is_empty() => Ok(Redirect::to(&format!("/villages/{id}")).into_response()),
        Ok(_) => Err(PageError {
            error: AppError::Internal("unreachable: decided with a bad date".into()),
            lang,
        }),
        Err(AppError::Invalid(list)) => {
            errors.extend(problems(list, lang));
            village_page(&state, &actor, &headers, &uri, id, errors).await
        }
        Err(error) => Err(PageError { error, lang }),
    }
}

/// POST `/villages/{id}/evidence` (multipart: set, criterion, file).
pub(super) async fn upload_evidence(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<String>,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    let id = parse_uuid(&id, lang)?;
    let (form, file) = read_multipart(multipart, lang).await?;
    check_csrf(&actor, &form, lang)?;
    let set = Uuid::parse_str(field(&form, "set").as_str()).unwrap_or_default();
    let (name, content_type, bytes) = file.unwrap_or_default();
    let result = criteria::upload_evidence(
        &state.db,
        &actor,
        id,
        set,
        &field(&form, "criterion"),
        &name,
        &content_type,
        &bytes,
    )
    .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/villages/{id}")).into_response()),
        Err(AppError::Invalid(list)) => {
            village_page(&state, &actor, &headers, &uri, id, problems(list, lang)).await
        }
        Err(error) => Err(PageError { error, lang }),
    }
}

/// POST `/evidence/{id}/approve`: approves evidence (someone other than the uploader).
pub(super) async fn approve_evidence(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    check_csrf(&actor, &form, lang)?;
    let id = parse_uuid(&id, lang)?;
    match criteria::approve_evidence(&state.db, &actor, id).await {
        Ok(row) => Ok(Redirect::to(&format!("/villages/{}", row.unit_id)).into_response()),
        Err(AppError::Invalid(list)) => {
            let unit = field(&form, "village");
            let unit = parse_uuid(&unit, lang)?;
            village_page(&state, &actor, &headers, &uri, unit, problems(list, lang)).await
        }
        Err(error) => Err(PageError { error, lang }),
    }
}

/// GET `/evidence/{id}/file`: the evidence file, as a download, for whoever may read the
/// village's programme data; the approver opens what they approve. The media type is the
/// uploader's word, so the browser is told not to sniff it or run it.
pub(super) async fn evidence_file(
    State(state): State<AppState>,
    Authenticated(actor): Authenticated,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let lang = Lang::from_headers(&headers);
    let id = parse_uuid(&id, lang)?;
    let (row, content) = criteria::evidence_file(&state.db, &actor, id)
        .await
        .map_err(|error| PageError { error, lang })?;
    let mut response = crate::files::download(
        crate::files::Disposition::Attachment,
        &row.content_type,
        &row.file_name,
        content,
    );
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        header::HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    Ok(response)
}

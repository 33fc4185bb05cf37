//! The extractors every page handler starts from: [`Page`] (a signed-in officer: actor,
//! language and frame in one) and [`Visitor`] (a resident or anyone: language and frame, and
//! the actor if one is signed in). Handlers never read the language or build the frame
//! themselves.

use axum::extract::{FromRequestParts, OriginalUri};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use langso_app::{Actor, AppError, AppResult};

use super::{Chrome, PageError};
use crate::AppState;
use crate::auth::{Authenticated, MaybeActor};
use crate::messages::{self, Lang};

/// A signed-in request: who asks, in which language, and the frame of the page to answer with.
/// Anonymous requests are sent to the login page.
pub struct Page {
    /// Who asks.
    pub actor: Actor,
    /// The reader's language.
    pub lang: Lang,
    /// The page frame for this request.
    pub chrome: Chrome,
}

/// The actor found by [`Page`], kept in the request so that [`super::CsrfForm`] checks the
/// form against it without a second session lookup.
#[derive(Clone)]
pub(super) struct SignedIn(pub Actor);

/// The path and query the reader asked for (nested routers see a shortened one).
fn asked_uri(parts: &Parts) -> axum::http::Uri {
    parts
        .extensions
        .get::<OriginalUri>()
        .map_or_else(|| parts.uri.clone(), |original| original.0.clone())
}

impl FromRequestParts<AppState> for Page {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Authenticated(actor) = Authenticated::from_request_parts(parts, state).await?;
        let mut chrome =
            Chrome::for_request(state, &parts.headers, &asked_uri(parts), Some(&actor));
        super::alerts::banner(&mut chrome, state, &actor).await;
        parts.extensions.insert(SignedIn(actor.clone()));
        Ok(Page {
            lang: chrome.lang,
            actor,
            chrome,
        })
    }
}

impl Page {
    /// `error` as this page's failure, in the reader's language.
    pub fn fail(&self, error: AppError) -> PageError {
        PageError {
            error,
            lang: self.lang,
        }
    }

    /// A converter for `map_err`: `action(...).await.map_err(page.failing())?`.
    pub fn failing(&self) -> impl Fn(AppError) -> PageError + use<> {
        let lang = self.lang;
        move |error| PageError { error, lang }
    }

    /// Not found, in the reader's language (an id that does not parse, a row outside scope).
    pub fn not_found(&self) -> PageError {
        self.fail(AppError::NotFound)
    }

    /// The one way a form is answered: on success a redirect to `to(&value)`; when the action
    /// refused the input, the form again (`form`), given each refused field's message in the
    /// reader's language; any other failure, the error page.
    pub async fn form_or_redirect<T>(
        &self,
        result: AppResult<T>,
        to: impl FnOnce(&T) -> String,
        form: impl AsyncFnOnce(Vec<(String, String)>) -> Result<Response, PageError>,
    ) -> Result<Response, PageError> {
        match result {
            Ok(value) => Ok(Redirect::to(&to(&value)).into_response()),
            Err(AppError::Invalid(problems)) => {
                form(messages::field_errors(problems, self.lang)).await
            }
            Err(error) => Err(self.fail(error)),
        }
    }
}

/// Any request to a public page: the language and frame, with the actor when someone is
/// signed in (the frame then shows their menus).
pub struct Visitor {
    /// Who asks, if anyone is signed in.
    pub actor: Option<Actor>,
    /// The reader's language.
    pub lang: Lang,
    /// The page frame for this request.
    pub chrome: Chrome,
}

impl FromRequestParts<AppState> for Visitor {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        // A residents' page answers from memory while the database is busy: a session that
        // cannot be looked up right now only costs the officer their menus on this page.
        let actor = match MaybeActor::from_request_parts(parts, state).await {
            Ok(MaybeActor(actor)) => actor,
            Err(_) => None,
        };
        let chrome = Chrome::for_request(state, &parts.headers, &asked_uri(parts), actor.as_ref());
        Ok(Visitor {
            lang: chrome.lang,
            actor,
            chrome,
        })
    }
}

impl Visitor {
    /// `error` as this page's failure, in the reader's language.
    pub fn fail(&self, error: AppError) -> PageError {
        PageError {
            error,
            lang: self.lang,
        }
    }
}

impl Page {
    /// An id from a path or a form; one that does not parse names nothing, so it is not found.
    pub fn id(&self, text: &str) -> Result<uuid::Uuid, PageError> {
        uuid::Uuid::parse_str(text.trim()).map_err(|_| self.not_found())
    }

    /// The unit a page is about: `param` (a unit id from the query or the form), or the actor's
    /// first unit when none is given.
    pub async fn unit(
        &self,
        state: &AppState,
        param: Option<&str>,
    ) -> Result<langso_domain::units::Unit, PageError> {
        chosen_unit(state, &self.actor, param, self.lang).await
    }
}

/// The unit asked for (`param`, a unit id), or `actor`'s first unit: many officer pages are
/// about one unit and open on the officer's own.
async fn chosen_unit(
    state: &AppState,
    actor: &Actor,
    param: Option<&str>,
    lang: Lang,
) -> Result<langso_domain::units::Unit, PageError> {
    let refuse = |error| PageError { error, lang };
    let id = match param.map(str::trim).filter(|p| !p.is_empty()) {
        Some(text) => uuid::Uuid::parse_str(text).map_err(|_| refuse(AppError::NotFound))?,
        None => actor
            .grants
            .first()
            .map(|g| g.unit_id)
            .ok_or_else(|| refuse(AppError::Forbidden))?,
    };
    langso_app::units::get(&state.db, id).await.map_err(refuse)
}

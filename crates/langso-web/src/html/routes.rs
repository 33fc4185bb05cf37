//! [`Routes`]: a router that remembers what it serves. Each `pages/` and `public/` file builds
//! its screens with it; the access-matrix test reads the list back, so a route is written
//! once, where its handler is.

use axum::Router;
use axum::handler::Handler;
use axum::routing::{MethodRouter, get, post};

use crate::AppState;

/// A router and the (method, path template) pairs it serves.
#[derive(Default)]
pub struct Routes {
    router: Router<AppState>,
    list: Vec<(&'static str, &'static str)>,
}

impl Routes {
    /// No routes yet.
    pub fn new() -> Self {
        Routes::default()
    }

    /// `route` at `path`, answering `methods` (named here because a method router cannot be
    /// asked which methods it has).
    pub fn route(
        mut self,
        path: &'static str,
        methods: &[&'static str],
        route: MethodRouter<AppState>,
    ) -> Self {
        self.router = self.router.route(path, route);
        self.list
            .extend(methods.iter().map(|method| (*method, path)));
        self
    }

    /// A page read with GET.
    pub fn get<H, T>(self, path: &'static str, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.route(path, &["GET"], get(handler))
    }

    /// A form posted to `path`.
    pub fn post<H, T>(self, path: &'static str, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.route(path, &["POST"], post(handler))
    }

    /// Both sets of routes.
    pub fn merge(mut self, other: Routes) -> Self {
        self.router = self.router.merge(other.router);
        self.list.extend(other.list);
        self
    }

    /// The same routes with `wrap` applied to the router (a rate limit, a body limit).
    pub fn wrap(mut self, wrap: impl FnOnce(Router<AppState>) -> Router<AppState>) -> Self {
        self.router = wrap(self.router);
        self
    }

    /// What is served, as (method, path template).
    pub fn list(&self) -> &[(&'static str, &'static str)] {
        &self.list
    }

    /// The router.
    pub fn into_router(self) -> Router<AppState> {
        self.router
    }
}

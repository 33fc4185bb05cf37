//! What every page's frame needs: the language, where the reader is, whether this is the demo,
//! who is signed in (with the CSRF token their forms carry) and which menus they may open.

use axum::http::{HeaderMap, Uri};
use langso_app::Actor;
use langso_domain::auth::Permission;
use langso_domain::units::UnitKind;

use crate::AppState;
use crate::messages::Lang;

/// The frame of a page, handed to every template as `chrome`.
#[derive(Clone, Debug)]
pub struct Chrome {
    /// The reader's language.
    pub lang: Lang,
    /// The current path with its query, for the language switch to come back to.
    pub back: String,
    /// Show the synthetic-data banner.
    pub demo: bool,
    /// The logged-in person's label.
    pub user: Option<String>,
    /// The CSRF token of the session, for forms.
    pub csrf: String,
    /// Show the accounts menu.
    pub manages_accounts: bool,
    /// Show the audit menu.
    pub reads_audit: bool,
    /// Show the households and round menus.
    pub reads_people: bool,
    /// Show the progress menu.
    pub reads_dashboard: bool,
    // --- h20d: operator alerts ---
    /// The open operator alerts, worded for the reader (root admins only; see `html::alerts`).
    pub alerts: Vec<String>,
    /// Show the alerts menu (the reader administers the installation).
    pub runs_installation: bool,
}

impl Chrome {
    /// A frame for nobody in particular (the error page, a public page).
    pub fn new(lang: Lang, back: String, demo: bool) -> Self {
        Chrome {
            lang,
            back,
            demo,
            user: None,
            csrf: String::new(),
            manages_accounts: false,
            reads_audit: false,
            reads_people: false,
            reads_dashboard: false,
            alerts: Vec::new(),
            runs_installation: false,
        }
    }

    /// The frame for a request by `actor` (or nobody).
    pub fn for_request(
        state: &AppState,
        headers: &HeaderMap,
        uri: &Uri,
        actor: Option<&Actor>,
    ) -> Self {
        let back = uri
            .path_and_query()
            .map_or_else(|| uri.path().to_owned(), |pq| pq.as_str().to_owned());
        let mut chrome = Chrome::new(Lang::from_headers(headers), back, state.settings.demo);
        if let Some(actor) = actor {
            chrome.user = Some(actor.label.clone());
            chrome.csrf = actor.csrf.clone().unwrap_or_default();
            chrome.manages_accounts = actor.may(Permission::ManageAccounts);
            chrome.reads_audit = actor.may(Permission::ReadAudit);
            chrome.reads_people = actor.may(Permission::ReadPeople);
            chrome.reads_dashboard = actor.may(Permission::ReadDashboard);
        }
        chrome
    }

    /// The label of a role.
    pub fn role(&self, role: &str) -> &'static str {
        self.lang.t(&format!("role-{role}"))
    }

    /// The catalogue text for `key`.
    pub fn t(&self, key: &str) -> &'static str {
        self.lang.t(key)
    }

    /// The catalogue text for `{prefix}-{code}` (a category, a status, a platform).
    pub fn tk(&self, prefix: &str, code: &str) -> &'static str {
        self.lang.t(&format!("{prefix}-{code}"))
    }

    /// The label of a unit kind.
    pub fn kind(&self, kind: &UnitKind) -> &'static str {
        self.lang.t(&format!("kind-{}", kind.as_str()))
    }

    /// The language-switch link.
    pub fn switch_href(&self) -> String {
        format!(
            "/lang/{}?back={}",
            self.lang.t("lang-other-code"),
            url_encode(&self.back)
        )
    }
}

/// Percent-encodes a query value.
pub fn url_encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

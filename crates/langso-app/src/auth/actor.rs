//! Who is asking.

use langso_domain::auth::{Permission, Role};
use uuid::Uuid;

/// A role held on a unit, as the policy sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    /// The role.
    pub role: Role,
    /// The unit whose subtree it covers.
    pub unit_id: Uuid,
    /// That unit's name, for pages.
    pub unit_name: String,
}

/// The person, integration or program behind a request or a command.
#[derive(Clone, Debug)]
pub struct Actor {
    /// The user, when a person acts (directly or through a session).
    pub user_id: Option<Uuid>,
    /// The API token used, if any.
    pub token_id: Option<Uuid>,
    /// As written in the audit log.
    pub label: String,
    /// Roles held.
    pub grants: Vec<Grant>,
    /// May see citizen-ID and phone numbers unmasked.
    pub pii: bool,
    /// The session's CSRF token, for web sessions.
    pub csrf: Option<String>,
    /// The session's token hash, for logging out.
    pub session: Option<String>,
    /// The credential generation the API token was checked at, when it was taken from memory
    /// unchecked ([`super::Check::AtWrite`]): the writer checks it inside its transaction.
    pub checked_at: Option<i64>,
    system: bool,
}

impl Actor {
    /// A person (or token) with these grants.
    pub fn new(user_id: Option<Uuid>, label: String, grants: Vec<Grant>, pii: bool) -> Actor {
        Actor {
            user_id,
            token_id: None,
            label,
            grants,
            pii,
            csrf: None,
            session: None,
            checked_at: None,
            system: false,
        }
    }

    /// The operator at the command line, or the demo builder: may do everything, and is
    /// recorded in the audit log under `label`.
    pub fn system(label: &str) -> Actor {
        Actor {
            system: true,
            pii: true,
            ..Actor::new(None, label.to_owned(), Vec::new(), true)
        }
    }

    /// Whether this is the command line or the demo builder.
    pub fn is_system(&self) -> bool {
        self.system
    }

    /// Whether any role held carries `permission` somewhere.
    pub fn may(&self, permission: Permission) -> bool {
        self.system || self.grants.iter().any(|g| g.role.allows(permission))
    }

    /// The units under which the actor holds `permission`.
    pub fn roots(&self, permission: Permission) -> Vec<Uuid> {
        self.grants
            .iter()
            .filter(|g| g.role.allows(permission))
            .map(|g| g.unit_id)
            .collect()
    }

    /// Whether the actor is an administrator somewhere (or the system).
    pub fn is_admin(&self) -> bool {
        self.system || self.grants.iter().any(|g| g.role == Role::Admin)
    }
}

//! A message for people, named by its catalogue key with arguments.
//!
//! Domain rules and app actions refuse input without wording the refusal: they name a key of
//! the Fluent catalogue (`langso-web/messages/{vi,en}/<domain>.ftl`) and its arguments, and
//! whoever shows it (a page, the API, the command line) renders it in the reader's language.
//! The errors' `Display` texts are English for operators' logs only.

/// A message named by its key in the catalogue (`langso-web/messages/*/<domain>.ftl`), with
/// its arguments: the app never words a refusal itself, so each reader gets it in one language.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Message {
    /// The catalogue key (a Fluent message id such as `households-too-many-columns`).
    pub key: &'static str,
    /// Named arguments, already formatted as text (`{ $limit }` in the catalogue).
    pub args: Vec<(&'static str, String)>,
}

impl Message {
    /// A message with these arguments.
    pub fn new(key: &'static str, args: &[(&'static str, &dyn std::fmt::Display)]) -> Self {
        Message {
            key,
            args: args
                .iter()
                .map(|(name, value)| (*name, value.to_string()))
                .collect(),
        }
    }
}

impl std::fmt::Display for Message {
    /// The key and its arguments, for logs and tests; people read the rendered catalogue text.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key)?;
        for (index, (name, value)) in self.args.iter().enumerate() {
            let open = if index == 0 { " {" } else { ", " };
            write!(f, "{open}{name}: {value}")?;
        }
        if !self.args.is_empty() {
            f.write_str("}")?;
        }
        Ok(())
    }
}

/// Each domain error is its message, so app code can take `impl Into<Message>`.
macro_rules! into_message {
    ($($error:ty),* $(,)?) => {
        $(impl From<$error> for Message {
            fn from(error: $error) -> Message {
                error.message()
            }
        })*
    };
}

into_message!(
    crate::assets::AssetError,
    crate::assets::PayloadError,
    crate::auth::AuthError,
    crate::comms::CommsError,
    crate::criteria::CriteriaError,
    crate::households::HouseholdError,
    crate::procedures::ProcedureError,
    crate::teams::TeamError,
    crate::units::UnitError,
);

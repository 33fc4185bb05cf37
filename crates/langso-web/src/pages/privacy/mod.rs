//! Personal-data duties (issue 21): the register of data subjects' requests, retention and the
//! working-day calendar.

mod requests;
mod retention;

use crate::html::Routes;

/// The privacy screens.
pub(super) fn routes() -> Routes {
    Routes::new()
        .merge(requests::routes())
        .merge(retention::routes())
}

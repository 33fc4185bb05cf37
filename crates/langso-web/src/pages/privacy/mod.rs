//! Personal-data duties in the web (issue 21): the breach register, the processing record, the
//! register of data subjects' requests, retention and the working-day calendar.

mod breaches;
mod record;
mod requests;
mod retention;

use crate::html::Routes;

/// The privacy screens.
pub(super) fn routes() -> Routes {
    Routes::new()
        .merge(breaches::routes())
        .merge(record::routes())
        .merge(requests::routes())
        .merge(retention::routes())
}

//! Personal-data duties in the web (issue 21): the breach register and the processing record.

mod breaches;
mod record;

use crate::html::Routes;

/// The privacy screens.
pub(super) fn routes() -> Routes {
    Routes::new()
        .merge(breaches::routes())
        .merge(record::routes())
}

//! Personal-data duties (issue 21): the breach register and the access-anomaly check's reads.

pub mod anomaly;
pub mod breaches;
pub mod record;

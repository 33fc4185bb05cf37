//! Personal-data duties (issue 21): the breach register and the access-anomaly check's reads,
//! the register of data subjects' requests, the holiday calendar their deadlines count on,
//! retention rules and runs, the erasure ledger.

pub mod anomaly;
pub mod breaches;
pub mod calendar;
pub mod record;
pub mod requests;
pub mod retention;

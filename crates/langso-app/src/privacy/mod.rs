//! Personal-data duties a commune shows an inspector (issue 21, Law 91/2025/QH15): the breach
//! register with its 72-hour clock and the access-anomaly check, the processing record, the
//! register of data subjects' requests with its working-day calendar, and retention.

pub mod anomaly;
pub mod breaches;
pub mod calendar;
pub mod record;
pub mod requests;
pub mod retention;

//! Personal-data duties a commune shows an inspector (issue 21, Law 91/2025/QH15): the breach
//! register with its 72-hour clock and the access-anomaly check, and the processing record.

pub mod anomaly;
pub mod breaches;
pub mod record;

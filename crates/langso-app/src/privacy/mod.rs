//! Personal-data duties a commune shows an inspector (issue 21, Law 91/2025/QH15).

pub mod calendar;
pub mod requests;
pub mod retention;

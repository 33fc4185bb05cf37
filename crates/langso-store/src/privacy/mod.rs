//! Personal-data duties (issue 21): the register of data subjects' requests, the holiday
//! calendar their deadlines count on, retention rules and runs, the erasure ledger.

pub mod calendar;
pub mod requests;
pub mod retention;

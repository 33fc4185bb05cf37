//! Administrative units: the time-aware tree, its closure table, lineage and reorganisations.
//!
//! `unit_parents` is the ledger of which parent a unit had in which period; `unit_closure` is
//! derived from it in the same transaction, with the same periods, so "the tree as of a date"
//! and "everything under U" are single indexed queries.

mod labels;
mod outline;
mod read;
pub use labels::*;
pub use outline::*;
mod write;

pub use read::*;
pub use write::*;

use langso_domain::units::{Unit, UnitKind, Validity};
use time::Date;
use uuid::Uuid;

use crate::{StoreError, StoreResult};

/// The columns of `units u` in the order of [`UnitRow`].
macro_rules! unit_cols {
    () => {
        "u.id, u.code, u.name, u.kind, u.valid_from, u.valid_to, u.latitude, u.longitude, u.note"
    };
}
pub(crate) use unit_cols;

/// `x` covers the date bound as `$2`.
macro_rules! covers {
    ($alias:literal, $param:literal) => {
        concat!(
            "(",
            $alias,
            ".valid_from <= ",
            $param,
            " AND (",
            $alias,
            ".valid_to IS NULL OR ",
            $alias,
            ".valid_to >= ",
            $param,
            "))"
        )
    };
}
pub(crate) use covers;

#[derive(sqlx::FromRow)]
pub(crate) struct UnitRow {
    id: Uuid,
    code: String,
    name: String,
    kind: String,
    valid_from: Date,
    valid_to: Option<Date>,
    latitude: Option<f64>,
    longitude: Option<f64>,
    note: Option<String>,
}

impl UnitRow {
    pub(crate) fn into_unit(self) -> StoreResult<Unit> {
        let kind = UnitKind::parse(&self.kind)
            .map_err(|_| StoreError::Corrupt(format!("unit kind {}", self.kind)))?;
        Ok(Unit {
            id: self.id,
            code: self.code,
            name: self.name,
            kind,
            validity: Validity {
                from: self.valid_from,
                to: self.valid_to,
            },
            latitude: self.latitude,
            longitude: self.longitude,
            note: self.note,
        })
    }
}

pub(crate) fn into_units(rows: Vec<UnitRow>) -> StoreResult<Vec<Unit>> {
    rows.into_iter().map(UnitRow::into_unit).collect()
}

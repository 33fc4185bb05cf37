//! The indicator catalogue: versioned data, seeded once with the national starting set.

use langso_domain::households::{INDICATOR_SEEDS, IndicatorKind};
use langso_store::households::{self as store, IndicatorRow};
use time::Date;

use crate::{AppResult, Db, today};

/// An indicator as actions and pages use it.
#[derive(Clone, Debug)]
pub struct Indicator {
    /// Stable code.
    pub code: String,
    /// Version in force.
    pub version: i64,
    /// How it is measured.
    pub kind: IndicatorKind,
    /// Vietnamese label.
    pub label_vi: String,
    /// English label.
    pub label_en: String,
    /// Vietnamese help.
    pub help_vi: String,
    /// English help.
    pub help_en: String,
    /// Only for business households.
    pub business_only: bool,
    /// The day this version took effect.
    pub valid_from: Date,
}

/// Seeds version 1 of the national indicators if the catalogue is empty (first start).
pub async fn ensure_catalogue(db: &Db) -> AppResult<()> {
    let epoch = Date::from_calendar_date(2020, time::Month::January, 1).unwrap_or(today());
    if !store::indicators_on(db, today().max(epoch))
        .await?
        .is_empty()
    {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    for (position, seed) in INDICATOR_SEEDS.iter().enumerate() {
        let row = IndicatorRow {
            code: seed.code.to_owned(),
            version: 1,
            kind: seed.kind.as_str().to_owned(),
            label_vi: seed.label_vi.to_owned(),
            label_en: seed.label_en.to_owned(),
            help_vi: seed.help_vi.to_owned(),
            help_en: seed.help_en.to_owned(),
            business_only: seed.business_only,
            position: i64::try_from(position).unwrap_or(0),
            valid_from: epoch,
        };
        store::insert_indicator(&mut tx, &row).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The indicators in force on `date`, in display order. A definition of a kind this build
/// does not read (`retired`) takes its indicator out of the catalogue from its day.
pub async fn catalogue(db: &Db, date: Date) -> AppResult<Vec<Indicator>> {
    Ok(store::indicators_on(db, date)
        .await?
        .into_iter()
        .filter_map(|row| {
            Some(Indicator {
                kind: IndicatorKind::parse(&row.kind)?,
                code: row.code,
                version: row.version,
                label_vi: row.label_vi,
                label_en: row.label_en,
                help_vi: row.help_vi,
                help_en: row.help_en,
                business_only: row.business_only,
                valid_from: row.valid_from,
            })
        })
        .collect())
}

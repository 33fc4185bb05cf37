//! The writer task of a household import: it inserts and updates in the import's one
//! transaction while the checking pass reads the next rows, and the test that decides whether
//! an existing household changed at all.

use langso_store::Tx;
use langso_store::households::{self as store, HouseholdRow};

use super::register::move_indicator_counters;
use crate::group_commit::{Batch, Sizes, Writer};
use crate::{AppError, AppResult};

/// Batches checked but not yet written; bounds memory when the disk is slower than parsing.
const SIZES: Sizes = Sizes {
    capacity: 4,
    room: 4,
};

/// What the writer task is handed.
pub(super) enum Write {
    /// New households, already encoded into their INSERT statements.
    Create(store::PreparedHouseholds),
    /// (old, new) of a household whose register fields changed.
    Update(Box<(HouseholdRow, HouseholdRow)>),
}

/// The import's writer ([`crate::group_commit`]): it leaves the import's transaction, to be
/// committed (or dropped, rolling back, if a bad cell turned up).
pub(super) type ImportWriter = Writer<Write, AppResult<Tx>>;

/// Starts writing into `tx`.
pub(super) fn start(tx: Tx) -> ImportWriter {
    Writer::start(Rows { tx, failed: None }, SIZES)
}

/// Hands work to the writer; if it has stopped, its error surfaces at [`finish`].
pub(super) async fn send(writer: &Option<ImportWriter>, work: Write) {
    if let Some(writer) = writer {
        let _ = writer.send(work).await;
    }
}

/// Waits for everything handed over to be written; the transaction, or the first error.
pub(super) async fn finish(writer: ImportWriter) -> AppResult<Tx> {
    writer
        .shutdown()
        .await
        .unwrap_or_else(|| Err(AppError::Internal("the import writer stopped".to_owned())))
}

/// Writes what the checking pass hands over in the import's one transaction. Stops at the
/// first database error, which the import then reports.
struct Rows {
    tx: Tx,
    failed: Option<AppError>,
}

impl Batch for Rows {
    type Job = Write;
    type Output = AppResult<Tx>;

    async fn write(&mut self, jobs: Vec<Write>) {
        for work in jobs {
            if self.failed.is_some() {
                return;
            }
            if let Err(error) = apply(&mut self.tx, work).await {
                self.failed = Some(error);
            }
        }
    }

    async fn finish(self) -> AppResult<Tx> {
        match self.failed {
            Some(error) => Err(error),
            None => Ok(self.tx),
        }
    }
}

async fn apply(tx: &mut Tx, work: Write) -> AppResult<()> {
    match work {
        Write::Create(rows) => store::insert_prepared(tx, rows).await?,
        Write::Update(pair) => {
            let (old, new) = *pair;
            store::update_household(tx, &new).await?;
            if new.unit_id != old.unit_id {
                move_indicator_counters(tx, &old, new.unit_id).await?;
            }
        }
    }
    Ok(())
}

/// The register fields a file can set are equal.
pub(super) fn same(a: &HouseholdRow, b: &HouseholdRow) -> bool {
    a.unit_id == b.unit_id
        && a.hamlet == b.hamlet
        && a.alley == b.alley
        && a.house_number == b.house_number
        && a.head_name == b.head_name
        && a.representative_name == b.representative_name
        && a.representative_phone == b.representative_phone
        && a.citizen_id == b.citizen_id
        && a.members == b.members
        && a.adults == b.adults
        && a.business == b.business
        && a.consent_on == b.consent_on
        && a.consent_purpose == b.consent_purpose
        && a.notes == b.notes
}

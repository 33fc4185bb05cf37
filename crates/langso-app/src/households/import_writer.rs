//! The writer task of a household import: it inserts and updates in the import's one
//! transaction while the checking pass reads the next rows, and the test that decides whether
//! an existing household changed at all.

use langso_store::Tx;
use langso_store::households::{self as store, HouseholdRow};

use super::register::move_indicator_counters;
use crate::AppResult;

/// What the writer task is handed.
pub(super) enum Write {
    /// New households, already encoded into their INSERT statements.
    Create(store::PreparedHouseholds),
    /// (old, new) of a household whose register fields changed.
    Update(Box<(HouseholdRow, HouseholdRow)>),
}

/// Hands work to the writer; if it has stopped, its error surfaces when it is joined.
pub(super) async fn send(
    writer: &Option<(tokio::sync::mpsc::Sender<Write>, WriterTask)>,
    work: Write,
) {
    if let Some((sender, _)) = writer {
        let _ = sender.send(work).await;
    }
}

pub(super) type WriterTask = tokio::task::JoinHandle<AppResult<Tx>>;

/// Writes what the checking pass hands over, in the import's one transaction, and gives the
/// transaction back to be committed (or dropped, rolling back, if a bad cell turned up). Stops
/// at the first database error, which the import then reports.
pub(super) async fn write_loop(
    mut tx: Tx,
    mut receiver: tokio::sync::mpsc::Receiver<Write>,
) -> AppResult<Tx> {
    while let Some(work) = receiver.recv().await {
        match work {
            Write::Create(rows) => store::insert_prepared(&mut tx, rows).await?,
            Write::Update(pair) => {
                let (old, new) = *pair;
                store::update_household(&mut tx, &new).await?;
                if new.unit_id != old.unit_id {
                    move_indicator_counters(&mut tx, &old, new.unit_id).await?;
                }
            }
        }
    }
    Ok(tx)
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

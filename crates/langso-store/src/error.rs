//! Store errors: the database failed or a migration could not run. Domain refusals are not
//! store errors; they are decided in langso-app before anything is written.

/// A storage failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database answered with an error, or could not be reached.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// Migrations failed to apply.
    #[error("migration error: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The database was written by a newer Langso: it holds a migration this binary does not
    /// know, so this binary must not run on it.
    #[error(
        "the database's schema is newer than this langso binary: it has migration {applied}, \
         and this binary knows migrations up to {known}. Run the newer langso that upgraded it \
         (or restore a backup taken before the upgrade); nothing was changed"
    )]
    SchemaNewer {
        /// The applied migration this binary does not know.
        applied: i64,
        /// The newest migration this binary knows.
        known: i64,
    },
    /// A file (a backup, a lock) could not be read, written or used.
    #[error("{0}")]
    File(String),
    /// A stored value no longer parses (e.g. an unknown unit kind written by a newer version).
    #[error("corrupt stored value: {0}")]
    Corrupt(String),
}

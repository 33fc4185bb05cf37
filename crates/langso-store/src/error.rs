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
    /// A stored value no longer parses (e.g. an unknown unit kind written by a newer version).
    #[error("corrupt stored value: {0}")]
    Corrupt(String),
}

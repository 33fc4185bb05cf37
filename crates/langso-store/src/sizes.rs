//! How much room the database takes, for `langso bench national` and sizing a deployment:
//! the whole database and each table with its indexes. PostgreSQL reports its own sizes
//! (`pg_database_size`, `pg_table_size`, `pg_indexes_size`); on SQLite the file's pages are
//! counted and no per-table split is given (`dbstat` is not always compiled in).

use crate::{Db, StoreResult, on_db};

/// One table's size in bytes: its rows (with TOAST) and its indexes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableSize {
    /// The table's name.
    pub table: String,
    /// Bytes of its rows, TOAST included.
    pub table_bytes: i64,
    /// Bytes of all its indexes.
    pub index_bytes: i64,
}

/// The database's size in bytes and its tables, largest first (PostgreSQL only).
pub async fn database_size(db: &Db) -> StoreResult<(i64, Vec<TableSize>)> {
    match db {
        Db::Postgres(pool) => {
            let (total,): (i64,) =
                sqlx::query_as("SELECT CAST(pg_database_size(current_database()) AS BIGINT)")
                    .fetch_one(pool)
                    .await?;
            let rows: Vec<(String, i64, i64)> = sqlx::query_as(concat!(
                "SELECT c.relname, CAST(pg_table_size(c.oid) AS BIGINT), ",
                "CAST(pg_indexes_size(c.oid) AS BIGINT) FROM pg_class c ",
                "JOIN pg_namespace n ON n.oid = c.relnamespace ",
                "WHERE c.relkind = 'r' AND n.nspname = current_schema() ",
                "ORDER BY pg_total_relation_size(c.oid) DESC, c.relname"
            ))
            .fetch_all(pool)
            .await?;
            let tables = rows
                .into_iter()
                .map(|(table, table_bytes, index_bytes)| TableSize {
                    table,
                    table_bytes,
                    index_bytes,
                })
                .collect();
            Ok((total, tables))
        }
        Db::Sqlite(pool, _) => {
            let (total,): (i64,) = sqlx::query_as(
                "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
            )
            .fetch_one(pool)
            .await?;
            Ok((total, Vec::new()))
        }
    }
}

/// Refreshes the planner's statistics of every table (after a bulk load, before measuring,
/// so plans are those a database settled after autovacuum would use).
pub async fn analyze(db: &Db) -> StoreResult<()> {
    on_db!(db, pool => sqlx::query("ANALYZE").execute(pool).await.map(|_| ()))?;
    Ok(())
}

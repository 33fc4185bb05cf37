//! Fresh databases for tests: every test gets its own, on SQLite by default and on PostgreSQL
//! when `LANGSO_TEST_DATABASE_URL` names a server (each test then creates, and finally drops,
//! a database of its own there). Compiled only with the `testing` feature.

use std::str::FromStr;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use uuid::Uuid;

use crate::{Db, StoreResult};

/// The environment variable naming a PostgreSQL server for the tests.
pub const TEST_DATABASE_URL: &str = "LANGSO_TEST_DATABASE_URL";

/// A migrated, empty database that disappears when dropped.
pub struct TestDb {
    /// The database.
    pub db: Db,
    _dir: Option<tempfile::TempDir>,
    postgres: Option<(String, String)>,
    url: String,
}

impl TestDb {
    /// A fresh database on the backend the environment selects.
    pub async fn new() -> StoreResult<TestDb> {
        match std::env::var(TEST_DATABASE_URL)
            .ok()
            .filter(|u| !u.is_empty())
        {
            Some(admin_url) => TestDb::postgres(admin_url).await,
            None => TestDb::sqlite().await,
        }
    }

    async fn sqlite() -> StoreResult<TestDb> {
        let dir = tempfile::tempdir().map_err(|e| crate::StoreError::Corrupt(e.to_string()))?;
        let path = dir.path().join("langso-test.db");
        let db = Db::open(&path.to_string_lossy()).await?;
        Ok(TestDb {
            db,
            _dir: Some(dir),
            postgres: None,
            url: format!("sqlite://{}", path.to_string_lossy()),
        })
    }

    async fn postgres(admin_url: String) -> StoreResult<TestDb> {
        let name = format!("langso_test_{}", Uuid::now_v7().simple());
        let admin = PgConnectOptions::from_str(&admin_url)?;
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .connect_with(admin.clone())
            .await?;
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&pool)
            .await?;
        pool.close().await;
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .connect_with(admin.database(&name))
            .await?;
        let db = Db::Postgres(pool);
        db.migrate().await?;
        let base = admin_url.split('?').next().unwrap_or(&admin_url);
        let url = match base.rsplit_once('/') {
            Some((server, _)) if server.contains("://") && !server.ends_with('/') => {
                format!("{server}/{name}")
            }
            _ => format!("{}/{name}", base.trim_end_matches('/')),
        };
        Ok(TestDb {
            db,
            _dir: None,
            postgres: Some((admin_url, name)),
            url,
        })
    }
}

impl TestDb {
    /// The URL another process (a spawned `langso serve`) opens this database with.
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some((admin_url, name)) = self.postgres.take() else {
            return;
        };
        // Drop runs outside any runtime guarantee: do the clean-up on a thread of its own.
        let cleanup = std::thread::spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            runtime.block_on(async move {
                let Ok(options) = PgConnectOptions::from_str(&admin_url) else {
                    return;
                };
                if let Ok(pool) = PgPoolOptions::new()
                    .max_connections(1)
                    .connect_with(options)
                    .await
                {
                    let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                    let _ = sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&pool).await;
                    pool.close().await;
                }
            });
        });
        let _ = cleanup.join();
    }
}

//! `langso`: the one binary. Serves the web app, builds the demo, migrates, imports.
//!
//! Configuration: command-line flags, then `LANGSO_…` environment variables, then the
//! configuration file (`--config` / `LANGSO_CONFIG`, see [`config`]), then defaults.

mod alerts;
mod backup;
mod bench;
mod bench_households;
mod bench_ingest;
mod bench_visits;
// h17a: the delivery workers (webhooks, channels) and outbound HTTP settings
mod channels;
mod config;
mod households;
// --- dashboard ---
mod bench_dashboard;
mod bench_national;
mod bench_national_import;
mod bench_national_measure;
mod criteria;
mod progress;
mod qr;
mod simulate;
mod unit_files;
mod user;

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use langso_app::{AppError, Db, demo};
use langso_web::{AppState, Settings};

use crate::progress::Bar;
use crate::unit_files::{UnitsCommand, run_units};

#[derive(Parser)]
#[command(
    name = "langso",
    version,
    about = "Langso — nền tảng thôn thông minh / smart-village platform"
)]
struct Cli {
    /// Database: a SQLite file path (`sqlite://langso.db`) or `postgres://user:pass@host/db`.
    #[arg(long, env = "LANGSO_DATABASE_URL", global = true)]
    database_url: Option<String>,
    /// Database connections this process opens (default 16 on PostgreSQL, 8 on SQLite). With
    /// several nodes on one PostgreSQL server, keep the sum under its `max_connections`.
    #[arg(long, env = "LANGSO_DB_POOL_SIZE", global = true)]
    db_pool_size: Option<u32>,
    /// The configuration file (`langso.toml`): settings by their names without `LANGSO_`, in
    /// lower case; flags and the environment take precedence over it.
    #[arg(long, env = "LANGSO_CONFIG", global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web app and the API.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "LANGSO_LISTEN", default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        #[command(flatten)]
        web: WebOptions,
        #[command(flatten)]
        backups: backup::Schedule,
        #[command(flatten)]
        alerts: alerts::Alerts,
    },
    /// Build (or reuse) the synthetic Đan Phượng demo database and serve it.
    Demo {
        /// Delete the demo data and build it again.
        #[arg(long)]
        reset: bool,
        /// Address to listen on.
        #[arg(long, env = "LANGSO_LISTEN", default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// Build the demo database, then exit without serving.
        #[arg(long)]
        no_serve: bool,
        #[command(flatten)]
        web: WebOptions,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Copy the database while the server runs, and check the copy (SQLite: `VACUUM INTO` and
    /// `integrity_check`; PostgreSQL: `pg_dump --format=custom`).
    Backup {
        /// The file to write (must not exist).
        #[arg(long)]
        out: PathBuf,
    },
    /// Replace the SQLite database by a backup, with the server stopped; refuses a damaged
    /// backup or one from a newer version; keeps the old database as `….before-restore`.
    Restore {
        /// The backup file.
        file: PathBuf,
    },
    /// Administrative units.
    Units {
        #[command(subcommand)]
        command: UnitsCommand,
    },
    /// Accounts: create, list, disable, reset passwords, grant and revoke roles.
    User {
        #[command(subcommand)]
        command: user::UserCommand,
    },
    /// QR placements: posters.
    Qr {
        #[command(subcommand)]
        command: qr::QrCommand,
    },
    // --- assets ---
    /// The asset register: import from CSV, all or nothing.
    Assets {
        #[command(subcommand)]
        command: AssetsCommand,
    },
    /// Simulated devices sending real heartbeats over HTTP or MQTT.
    Simulate {
        #[command(subcommand)]
        command: simulate::SimulateCommand,
    },
    /// Performance benchmarks (figures and the ratio to a baseline of the same run).
    Bench {
        #[command(subcommand)]
        command: bench::BenchCommand,
    },
    // --- households import/export ---
    /// Import files (households from CSV or XLSX).
    Import {
        #[command(subcommand)]
        command: households::ImportCommand,
    },
    /// Export files (households as CSV or XLSX).
    Export {
        #[command(subcommand)]
        command: households::ExportCommand,
    },
    /// Smart-village criteria sets: export to and import from JSON files.
    Criteria {
        #[command(subcommand)]
        command: criteria::CriteriaCommand,
    },
}

/// Options of the web server.
#[derive(clap::Args, Clone)]
struct WebOptions {
    /// The address people reach the server at; cookies are marked Secure when it is https.
    #[arg(long, env = "LANGSO_PUBLIC_URL")]
    public_url: Option<String>,
    /// Take client addresses from X-Forwarded-For (only behind a trusted reverse proxy).
    #[arg(long, env = "LANGSO_TRUST_PROXY")]
    trust_proxy: bool,
    /// The hotline printed on QR posters (the demo uses Hà Nội's 1022).
    #[arg(long, env = "LANGSO_HOTLINE")]
    hotline: Option<String>,
    // --- assets ---
    /// An MQTT broker to subscribe to for device telemetry (`mqtt://host:port`), topic
    /// `langso/{unit}/{asset}/status`.
    #[arg(long, env = "LANGSO_MQTT_URL")]
    mqtt_url: Option<String>,
    /// This node's name for the MQTT broker, from which a stable client id is derived (the
    /// broker queues QoS 1 messages for it while it restarts). Default: host name and listen
    /// address; set it when either changes between restarts.
    #[arg(long, env = "LANGSO_NODE_ID")]
    node_id: Option<String>,
    /// Seconds between runs of the offline detector.
    #[arg(long, env = "LANGSO_OFFLINE_CHECK", default_value_t = 10)]
    offline_check: u64,
    /// Connections served at once; past it the server answers 503 (keep it well below
    /// `ulimit -n`: it is lowered to fit at start).
    #[arg(long, env = "LANGSO_MAX_CONNECTIONS", default_value_t = 512)]
    max_connections: usize,
    /// Seconds a client may take to send a request's head, and that a connection may sit idle.
    #[arg(long, env = "LANGSO_HEADER_TIMEOUT", default_value_t = 10)]
    header_timeout: u64,
    /// Seconds a client may pause while sending a request body.
    #[arg(long, env = "LANGSO_BODY_TIMEOUT", default_value_t = 10)]
    body_timeout: u64,
    /// The code of the unit that receives residents' fault reports that name no asset, no
    /// position, no place and no QR poster (default: the top of the tree, the province).
    #[arg(long, env = "LANGSO_FAULT_DEFAULT_UNIT")]
    fault_default_unit: Option<String>,
    /// Seconds public pages and QR redirects are served from memory. With several nodes on
    /// PostgreSQL a change reaches every node at once (LISTEN/NOTIFY); this bounds it if not.
    #[arg(long, env = "LANGSO_PUBLIC_CACHE_TTL", default_value_t = 60)]
    public_cache_ttl: u64,
    /// Seconds device tokens and asset codes are trusted from memory (a revoked token stops
    /// at once regardless).
    #[arg(long, env = "LANGSO_DEVICE_CACHE_TTL", default_value_t = 60)]
    device_cache_ttl: u64,
    /// Seconds the visit writer keeps today's indicator catalogue.
    #[arg(long, env = "LANGSO_CATALOGUE_CACHE_TTL", default_value_t = 30)]
    catalogue_cache_ttl: u64,
    #[command(flatten)]
    channels: channels::ChannelOptions,
}

impl WebOptions {
    fn settings(&self, demo: bool, listen: SocketAddr) -> Settings {
        Settings {
            demo,
            secure_cookies: self
                .public_url
                .as_deref()
                .is_some_and(|u| u.starts_with("https://")),
            trust_forwarded: self.trust_proxy,
            public_url: self.public_url.clone().unwrap_or_default(),
            hotline: self
                .hotline
                .clone()
                .or_else(|| demo.then(|| DEMO_HOTLINE.to_owned())),
            mqtt_url: self.mqtt_url.clone(),
            node_id: self
                .node_id
                .clone()
                .unwrap_or_else(|| langso_app::assets::mqtt::default_node(&listen.to_string())),
            offline_check: std::time::Duration::from_secs(self.offline_check.max(1)),
            ingest_capacity: 0,
            connections: langso_web::ConnectionLimits {
                max_connections: self.max_connections.max(1),
                header_timeout: std::time::Duration::from_secs(self.header_timeout.max(1)),
                body_timeout: std::time::Duration::from_secs(self.body_timeout.max(1)),
                ..langso_web::ConnectionLimits::default()
            },
            fault_default_unit: self.fault_default_unit.clone(),
            backup_schedule: None,
            caches: langso_app::cache::Lifetimes {
                public: std::time::Duration::from_secs(self.public_cache_ttl),
                devices: std::time::Duration::from_secs(self.device_cache_ttl),
                catalogue: std::time::Duration::from_secs(self.catalogue_cache_ttl),
                ..langso_app::cache::Lifetimes::default()
            },
        }
    }
}

// --- assets ---
#[derive(Subcommand)]
enum AssetsCommand {
    /// Import assets from XLSX (first sheet) or CSV, all or nothing. Headers in Vietnamese or
    /// English, any order: Mã thiết bị/code, Mã thôn/unit_code, Loại thiết bị/kind, Tên/name,
    /// Loại vị trí/place_type, Vĩ độ/latitude, Kinh độ/longitude, Ngày lắp đặt/installed_on,
    /// Nguồn kinh phí/funding, Người quản lý/keeper, Trạng thái/status, Loại bóng/lamp_type,
    /// Chu kỳ báo cáo/heartbeat_seconds, Người đóng góp/contributors, Ghi chú/notes.
    Import {
        /// The XLSX or CSV file (told apart by content).
        file: PathBuf,
        /// Check everything and report, but write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

/// Hà Nội's citizen hotline, printed on the demo's posters.
const DEMO_HOTLINE: &str = "1022 (Hà Nội)";
const DEFAULT_DATABASE: &str = "sqlite://langso.db";
const DEMO_DATABASE: &str = "sqlite://langso-demo.db";

#[tokio::main]
async fn main() -> Result<()> {
    // A refusal that reached here with `?` is worded like the others: never a bare key.
    run()
        .await
        .map_err(|error| match error.downcast::<AppError>() {
            Ok(refused) => report(refused),
            Err(other) => other,
        })
}

async fn run() -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let mut files = config::FileSettings::load(config::config_path(&args).as_deref())?;
    let mut command = files.apply(Cli::command())?;
    let matches = command
        .try_get_matches_from_mut(&args)
        .unwrap_or_else(|e| e.exit());
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let _ = DB_OPTIONS.set(langso_app::DbOptions {
        pool_size: cli.db_pool_size,
    });
    let sources = match matches.subcommand() {
        Some((name @ ("serve" | "demo"), sub)) => command
            .find_subcommand(name)
            .map(|built| files.describe(built, sub))
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    match cli.command {
        Command::Serve {
            listen,
            web,
            backups,
            alerts,
        } => {
            let url = cli.database_url.as_deref().unwrap_or(DEFAULT_DATABASE);
            let _lock = backup::lock_while_serving(url)?;
            config::print_sources(&sources);
            let db = open(url).await?;
            user::hint_first_admin(&db).await?;
            let mut settings = web.settings(false, listen);
            settings.backup_schedule = backups.schedule();
            let scheduled = backups.start(&db, url, settings.node_id.clone());
            let checks = Some(alerts.config(url, &backups));
            let served = serve(db, listen, settings, checks, &web.channels).await;
            if let Some(task) = scheduled {
                task.abort();
            }
            served
        }
        Command::Demo {
            reset,
            listen,
            no_serve,
            web,
        } => {
            let url = cli.database_url.as_deref().unwrap_or(DEMO_DATABASE);
            let _lock = backup::lock_while_serving(url)?;
            config::print_sources(&sources);
            let db = demo_database(url, reset).await?;
            user::print_demo_logins();
            if no_serve {
                return Ok(());
            }
            serve(db, listen, web.settings(true, listen), None, &web.channels).await
        }
        Command::Migrate => {
            open(cli.database_url.as_deref().unwrap_or(DEFAULT_DATABASE)).await?;
            println!("Đã cập nhật cơ sở dữ liệu / migrations applied");
            Ok(())
        }
        Command::Backup { out } => {
            backup::backup(
                cli.database_url.as_deref().unwrap_or(DEFAULT_DATABASE),
                &out,
            )
            .await
        }
        Command::Restore { file } => {
            backup::restore(
                cli.database_url.as_deref().unwrap_or(DEFAULT_DATABASE),
                &file,
            )
            .await
        }
        Command::Units { command } => {
            let db = open(cli.database_url.as_deref().unwrap_or(DEFAULT_DATABASE)).await?;
            run_units(&db, command).await
        }
        Command::User { command } => {
            let db = open(cli.database_url.as_deref().unwrap_or(DEFAULT_DATABASE)).await?;
            user::run(&db, command).await
        }
        Command::Qr { command } => {
            let db = open(cli.database_url.as_deref().unwrap_or(DEFAULT_DATABASE)).await?;
            qr::run(&db, command).await
        }
        Command::Bench { command } => bench::run(cli.database_url.as_deref(), command).await,
        // --- households import/export ---
        Command::Import { command } => {
            let db = open(cli.database_url.as_deref().unwrap_or(DEFAULT_DATABASE)).await?;
            households::import(&db, command).await
        }
        Command::Export { command } => {
            let db = open(cli.database_url.as_deref().unwrap_or(DEFAULT_DATABASE)).await?;
            households::export(&db, command).await
        }
        Command::Criteria { command } => {
            let db = open(cli.database_url.as_deref().unwrap_or(DEFAULT_DATABASE)).await?;
            criteria::run(&db, command).await
        }
        Command::Assets {
            command: AssetsCommand::Import { file, dry_run },
        } => {
            let db = open(cli.database_url.as_deref().unwrap_or(DEFAULT_DATABASE)).await?;
            let input = std::fs::File::open(&file)
                .with_context(|| format!("cannot open {}", file.display()))?;
            let done = langso_app::assets::import_assets_csv(&db, &operator(), input, dry_run)
                .await
                .map_err(report)?;
            println!(
                "{} dòng, {} thiết bị mới / {} rows, {} assets created{}",
                done.rows,
                done.created,
                done.rows,
                done.created,
                if dry_run { " (dry run)" } else { "" }
            );
            Ok(())
        }
        Command::Simulate { command } => {
            let db = open(cli.database_url.as_deref().unwrap_or(DEFAULT_DATABASE)).await?;
            simulate::run(&db, command).await
        }
    }
}

/// How every command connects (`--db-pool-size`), set once from the command line.
static DB_OPTIONS: std::sync::OnceLock<langso_app::DbOptions> = std::sync::OnceLock::new();

async fn open(url: &str) -> Result<Db> {
    Db::open_with(url, DB_OPTIONS.get().copied().unwrap_or_default())
        .await
        .with_context(|| format!("cannot open the database {}", redact(url)))
}

/// The URL without its password, for messages and logs.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            let user = credentials.split(':').next().unwrap_or("");
            format!("{}{user}:***{}", &url[..scheme + 3], &url[at..])
        }
        _ => url.to_owned(),
    }
}

async fn demo_database(url: &str, reset: bool) -> Result<Db> {
    if reset {
        if let Some(path) = sqlite_path(url) {
            for suffix in ["", "-wal", "-shm"] {
                let file = format!("{path}{suffix}");
                if std::path::Path::new(&file).exists() {
                    std::fs::remove_file(&file).with_context(|| format!("cannot remove {file}"))?;
                }
            }
        } else {
            let db = Db::connect(url).await?;
            langso_app::demo::wipe_postgres(&db).await?;
            db.close().await;
        }
    }
    let db = open(url).await?;
    if langso_app::demo::is_built(&db).await? {
        println!(
            "Dùng lại dữ liệu demo có sẵn (--reset để tạo lại) / reusing the existing demo (--reset rebuilds it)"
        );
    } else {
        println!("Đang tạo dữ liệu demo Đan Phượng / building the Đan Phượng demo…");
        demo::build(&db, &Bar::new()).await.map_err(report)?;
    }
    Ok(db)
}

fn sqlite_path(url: &str) -> Option<&str> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return None;
    }
    Some(
        url.strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .unwrap_or(url),
    )
}

async fn serve(
    db: Db,
    listen: SocketAddr,
    settings: Settings,
    checks: Option<langso_app::ops::CheckConfig>,
    channels: &channels::ChannelOptions,
) -> Result<()> {
    let limits = settings.connections;
    let public_url = settings.public_url.clone();
    let state = AppState::new(db.clone(), settings);
    if let Some(checks) = checks {
        alerts::start(&state, checks);
    }
    // --- comms ---
    // The outbox worker (scheduled announcements, webhooks) and the channel worker.
    let delivery = channels.start(&db, &public_url)?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let url = format!("http://{}", listener.local_addr()?);
    println!("Langso: {url}  (API: {url}/api/docs/)");
    tracing::info!(%url, database = db.dialect_name(), "serving");
    langso_web::serve_with(
        listener,
        langso_web::router(state.clone()),
        limits,
        langso_web::shutdown_signal(),
    )
    .await?;
    // Requests are finished: commit the scans they queued before closing the database.
    state.shutdown().await;
    delivery.shutdown().await;
    db.close().await;
    Ok(())
}

/// The operator at the command line, as the audit log records it.
pub(crate) fn operator() -> langso_app::Actor {
    let who = std::env::var("USER").unwrap_or_else(|_| "operator".to_owned());
    langso_app::Actor::system(&format!("cli:{who}"))
}

/// The language the operator reads refusals in: English when `LANG` starts with "en",
/// Vietnamese otherwise. Refusals are catalogue keys; the catalogue words them.
pub(crate) fn lang() -> langso_web::messages::Lang {
    match std::env::var("LANG") {
        Ok(lang) if lang.starts_with("en") => langso_web::messages::Lang::En,
        _ => langso_web::messages::Lang::Vi,
    }
}

/// Prints every problem of a refused action (one per line, in [`lang`]) and turns it into the
/// exit error.
pub(crate) fn report(error: AppError) -> anyhow::Error {
    if let AppError::Invalid(errors) | AppError::Conflict(errors) = &error {
        let lang = lang();
        for problem in errors {
            eprintln!("  - {}", langso_web::messages::describe(problem, lang));
        }
        let count = errors.len();
        return anyhow::anyhow!(
            "{count} lỗi, không ghi gì / {count} problems, nothing was written"
        );
    }
    anyhow::Error::new(error)
}

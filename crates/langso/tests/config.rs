//! `langso.toml`: flags > environment > file > defaults, secrets read from files and never
//! printed, unknown settings refused; `langso serve` prints where each setting came from.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
// The spawned server is killed and waited for at the end of the test.
#![allow(clippy::zombie_processes)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_come_from_flags_environment_file_and_secret_files_in_that_order() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let secret = dir.path().join("database-url");
    std::fs::write(
        &secret,
        format!("sqlite://{}\n", dir.path().join("from-secret.db").display()),
    )
    .unwrap();
    let config = dir.path().join("langso.toml");
    std::fs::write(
        &config,
        format!(
            "listen = \"127.0.0.1:{port}\"\nhotline = \"from the file\"\npublic_url = \"https://file.example\"\n\
             database_url_file = \"{}\"\n[backup]\nkeep = 3\n",
            secret.display()
        ),
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_langso"))
        .args(["serve", "--config", &config.to_string_lossy()])
        .args(["--public-url", "https://flag.example"])
        .env("LANGSO_HOTLINE", "from the environment")
        .env_remove("LANGSO_DATABASE_URL")
        .env_remove("LANGSO_LISTEN")
        .env("RUST_LOG", "error")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut printed = String::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        printed.push_str(&line);
        printed.push('\n');
        if line.starts_with("Langso: ") {
            break;
        }
    }
    langso_app::outbound::install_tls_provider();
    let ready = reqwest::get(format!("http://127.0.0.1:{port}/readyz")).await;
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(ready.unwrap().status(), 200, "{printed}");
    let line = |name: &str| {
        printed
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("no {name} in {printed}"))
            .to_owned()
    };
    assert!(line("public_url").contains("https://flag.example  ← flag"));
    assert!(line("hotline").contains("from the environment  ← environment LANGSO_HOTLINE"));
    assert!(line("listen").contains("← file "));
    assert!(line("backup_keep").contains("3  ← file "));
    assert!(line("database_url").contains("← secret file "));
    assert!(line("header_timeout").contains("10  ← default"));
    assert!(dir.path().join("from-secret.db").exists());

    std::fs::write(&config, "listen = \"127.0.0.1:1\"\nno_such_setting = 1\n").unwrap();
    let refused = Command::new(env!("CARGO_BIN_EXE_langso"))
        .args(["migrate"])
        .env("LANGSO_CONFIG", &config)
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr)
            .contains("unknown setting(s) in the configuration: no_such_setting"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
}

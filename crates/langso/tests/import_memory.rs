//! The memory budget of reading a file, measured where it matters: `langso import
//! households` run as a process of its own on crafted workbooks (a cell reference far past
//! the grid, millions of tiny shared strings, a zip bomb, a huge dimension, an endless CSV
//! line) is refused, writes nothing, and its peak resident memory (GNU time's maximum RSS)
//! stays under the 300 MB DESIGN.md allows for any crafted file; so does the worst workbook
//! the limits still accept (the largest shared-strings table, held whole by the reader).
//! SQLite, and PostgreSQL with LANGSO_TEST_DATABASE_URL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../../langso-app/tests/support/crafted.rs"]
mod crafted;

use std::path::Path;
use std::process::Command;

use crafted::{household_rows, sheet, text_cell, workbook};
use langso_app::households::limits::{MAX_SHARED_STRINGS, MAX_SHARED_STRINGS_BYTES};
use langso_app::progress::NoProgress;
use langso_app::{demo, today};
use langso_store::testing::TestDb;

/// DESIGN.md: "any crafted file ≤ 300 MB".
const BUDGET_KB: u64 = 300 * 1024;
const VILLAGE: &str = "09805-T01";
const TIME: &str = "/usr/bin/time";

/// Runs the import as a child process: whether it succeeded, its output, its peak RSS in KB.
fn import(url: &str, file: &Path, dry_run: bool) -> (bool, String, u64) {
    assert!(
        Path::new(TIME).exists(),
        "GNU time is needed to measure the child's peak memory (Debian package `time`)"
    );
    let report = file.with_extension("rss");
    let mut command = Command::new(TIME);
    command.arg("-f").arg("%M").arg("-o").arg(&report);
    command.arg(env!("CARGO_BIN_EXE_langso"));
    command.args(["--database-url", url, "import", "households"]);
    command.arg(file).args(["--unit", VILLAGE]);
    if dry_run {
        command.arg("--dry-run");
    }
    let output = command.env("RUST_LOG", "error").output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let rss = std::fs::read_to_string(&report).unwrap();
    // GNU time notes a failed command on a line of its own before the figure.
    let kb = rss.lines().last().unwrap().trim().parse().unwrap();
    (output.status.success(), text, kb)
}

/// Short distinct strings of `len` characters, as many and as long as the limits allow.
fn largest_shared_strings(len: usize) -> Vec<u8> {
    use std::io::Write;
    let mut xml = Vec::with_capacity(MAX_SHARED_STRINGS_BYTES as usize);
    xml.extend_from_slice(br#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#);
    let per = 16 + len;
    let count = (MAX_SHARED_STRINGS as usize).min((MAX_SHARED_STRINGS_BYTES as usize - 200) / per);
    for i in 0..count {
        write!(xml, "<si><t>{i:0len$}</t></si>").unwrap();
    }
    xml.extend_from_slice(b"</sst>");
    xml
}

async fn household_count(test: &TestDb) -> usize {
    let commune = langso_app::units::by_code(&test.db, "09817", today())
        .await
        .unwrap();
    langso_store::households::households_in_commune(&test.db, commune.id)
        .await
        .unwrap()
        .len()
}

#[tokio::test]
async fn crafted_files_are_refused_by_the_cli_within_the_memory_budget() {
    let test = TestDb::new().await.unwrap();
    demo::build_small(&test.db, &NoProgress).await.unwrap();
    let before = household_count(&test).await;
    let dir = tempfile::tempdir().unwrap();
    let rows = household_rows("");
    let far = household_rows(&format!(
        "<row r=\"3\">{}</row>",
        text_cell("FXSHRXW2", "x")
    ));
    let mut bomb = sheet(None, &rows).into_bytes();
    let at = bomb.len() - "</worksheet>".len();
    bomb.splice(at..at, vec![b' '; 64 * 1024 * 1024]);
    let strings = crafted::shared_strings(MAX_SHARED_STRINGS as usize + 1, None);
    let mut endless = "Mã hộ,Họ và tên chủ hộ,Số thành viên\n".as_bytes().to_vec();
    endless.extend(std::iter::repeat_n(b'x', 64 * 1024 * 1024));
    let files: [(&str, Vec<u8>, &str); 5] = [
        (
            "far.xlsx",
            workbook(sheet(None, &far).as_bytes(), None, &[], false),
            "FXSHRXW2",
        ),
        (
            "strings.xlsx",
            workbook(sheet(None, &rows).as_bytes(), Some(&strings), &[], false),
            "2500000 chuỗi",
        ),
        (
            "bomb.xlsx",
            crafted::packed(&bomb, None, &[], Some(9)),
            "hơn 200 lần",
        ),
        (
            "dimension.xlsx",
            workbook(
                sheet(Some("A1:ZZZZ99999999"), &rows).as_bytes(),
                None,
                &[],
                false,
            ),
            "ZZZZ99999999",
        ),
        ("endless.csv", endless, "1024 KB"),
    ];
    for (name, bytes, named) in files {
        let file = dir.path().join(name);
        let size = bytes.len();
        std::fs::write(&file, bytes).unwrap();
        let (ok, text, kb) = import(test.url(), &file, false);
        eprintln!("{name}: {size} bytes, refused, peak {} MB", kb / 1024);
        assert!(!ok, "{name} was imported: {text}");
        assert!(text.contains(named), "{name}: {named} not in {text}");
        assert!(kb < BUDGET_KB, "{name}: peak {kb} KB");
    }
    assert_eq!(household_count(&test).await, before);

    // The largest shared-strings table the limits accept: read (held whole), within budget.
    let strings = largest_shared_strings(22);
    let file = dir.path().join("largest.xlsx");
    std::fs::write(
        &file,
        workbook(sheet(None, &rows).as_bytes(), Some(&strings), &[], true),
    )
    .unwrap();
    let (ok, text, kb) = import(test.url(), &file, true);
    eprintln!(
        "largest.xlsx: {} bytes of strings, accepted, peak {} MB",
        strings.len(),
        kb / 1024
    );
    assert!(ok, "{text}");
    assert!(kb < BUDGET_KB, "largest: peak {kb} KB");
    assert_eq!(household_count(&test).await, before);
}

//! The web crate's layers, read from its sources: `pages/`, `api/` and `public/` use the `html`
//! toolkit, the crate's foundations and `langso-app`, never each other; the toolkit and the
//! foundations use none of the three (only `lib.rs` puts them together). With these rules the
//! crate has no import loop between its parts.

use std::path::{Path, PathBuf};

const PARTS: [&str; 3] = ["pages", "api", "public"];

fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files
}

/// The parts a source names through `crate::` paths (also inside grouped `use crate::{…}`).
fn parts_named(source: &str) -> Vec<&'static str> {
    let mut named = Vec::new();
    for part in PARTS {
        let direct = format!("crate::{part}::");
        let grouped = source.split("crate::{").skip(1).any(|group| {
            group
                .split('}')
                .next()
                .unwrap_or_default()
                .split([',', ' ', '\n'])
                .any(|item| item.trim() == part || item.trim().starts_with(&format!("{part}::")))
        });
        if source.contains(&direct) || grouped {
            named.push(part);
        }
    }
    named
}

#[test]
fn pages_api_and_public_never_import_each_other() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut crossings = Vec::new();
    for part in PARTS {
        for file in sources(&src.join(part)) {
            let source = std::fs::read_to_string(&file).unwrap();
            for named in parts_named(&source) {
                if named != part {
                    crossings.push(format!("{} uses {named}", file.display()));
                }
            }
            if source.contains("super::super::") {
                crossings.push(format!("{} reaches out with super::super", file.display()));
            }
        }
    }
    assert!(crossings.is_empty(), "{crossings:#?}");
}

#[test]
fn the_toolkit_and_the_foundations_use_no_part() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut crossings = Vec::new();
    for file in sources(&src) {
        let relative = file.strip_prefix(&src).unwrap();
        let top = relative.components().next().unwrap().as_os_str();
        if PARTS.iter().any(|part| top == *part) || relative == Path::new("lib.rs") {
            continue;
        }
        let source = std::fs::read_to_string(&file).unwrap();
        for named in parts_named(&source) {
            crossings.push(format!("{} uses {named}", relative.display()));
        }
    }
    assert!(crossings.is_empty(), "{crossings:#?}");
}

#[test]
fn the_scan_sees_a_crossing() {
    assert_eq!(parts_named("use crate::api::x;"), ["api"]);
    assert_eq!(
        parts_named("use crate::{AppState, pages::Chrome};"),
        ["pages"]
    );
    assert!(parts_named("use crate::{AppState, html::Page};").is_empty());
}

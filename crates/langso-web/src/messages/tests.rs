//! The catalogue's own checks: every file parses, both languages, every named key exists.

use super::*;
use fluent_bundle::FluentResource;
use std::collections::BTreeSet;

/// The message ids of a file that must parse whole.
fn ids(source: &str) -> BTreeSet<String> {
    if let Err((_, errors)) = FluentResource::try_new(source.to_owned()) {
        unreachable!("does not parse: {errors:?}");
    }
    source
        .lines()
        .filter(|line| line.starts_with(|c: char| c.is_ascii_alphabetic()))
        .filter_map(|line| line.split_once('='))
        .map(|(id, _)| id.trim().to_owned())
        .collect()
}

#[test]
fn every_file_parses_and_every_key_has_both_languages_once() {
    let mut all = BTreeSet::new();
    for (domain, vi, en) in FILES {
        let (vi_ids, en_ids) = (ids(vi), ids(en));
        assert_eq!(vi_ids, en_ids, "{domain}: keys differ between vi and en");
        for id in vi_ids {
            assert!(all.insert(id.clone()), "{id} is in more than one file");
        }
    }
}

/// Every key named in the source by `CellError::keyed`, `AppError::refused_key`,
/// `Message::new` or `messages::render` is in the catalogue (the first literal of the call
/// that looks like a key: lower case with a hyphen).
#[test]
fn every_key_the_code_names_exists() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    let mut dirs = vec![root];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() && !path.ends_with("target") {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let mut named = 0;
    for path in files {
        let source = std::fs::read_to_string(&path).unwrap_or_default();
        for call in [
            "keyed(",
            "refused_key(",
            "Message::new(",
            "messages::render(",
        ] {
            for tail in source.split(call).skip(1) {
                let window = tail.split(';').next().unwrap_or_default();
                let Some(key) = window.split('"').skip(1).step_by(2).find(|s| is_key(s)) else {
                    continue;
                };
                named += 1;
                for lang in [Lang::Vi, Lang::En] {
                    assert_ne!(
                        render(lang, key, &[]),
                        key,
                        "{}: {key} is missing from the {lang:?} catalogue",
                        path.display()
                    );
                }
            }
        }
    }
    assert!(named > 0, "no keyed message found: the scan is broken");
}

/// Every audit action the app records (`action: "…"` and the literals passed as an action)
/// has its words in the audit catalogue, so the audit page never shows a code.
#[test]
fn every_audit_action_has_words() {
    let app = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../langso-app/src");
    let mut dirs = vec![app];
    let mut actions = BTreeSet::new();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap_or_default();
            for tail in source.split("action:").skip(1) {
                let head = tail.split(['}', ';']).next().unwrap_or_default();
                for literal in head.split('"').skip(1).step_by(2) {
                    if literal.contains('.') && !literal.contains(' ') && !literal.ends_with('.') {
                        actions.insert(literal.to_owned());
                    }
                }
            }
            for literal in ["user.reset_password", "user.change_password"] {
                if source.contains(&format!("\"{literal}\"")) {
                    actions.insert(literal.to_owned());
                }
            }
        }
    }
    assert!(actions.len() > 40, "the scan found only {actions:?}");
    for action in actions {
        let key = format!("audit-action-{}", action.replace(['.', '_'], "-"));
        for lang in [Lang::Vi, Lang::En] {
            assert_ne!(render(lang, &key, &[]), key, "no words for {action}");
        }
    }
}

fn is_key(s: &str) -> bool {
    s.contains('-')
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && s.starts_with(|c: char| c.is_ascii_lowercase())
}

#[test]
fn a_keyed_cell_error_reads_in_each_language_with_its_place() {
    let error = CellError::keyed(3, "lat", "at-row", &[("row", &7), ("text", &"x")]);
    assert_eq!(text(&error, Lang::Vi), "Dòng 7: x");
    assert_eq!(describe(&error, Lang::En), "Row 3, column “lat”: Row 7: x");
    assert_eq!(both(&error), "Dòng 7: x / Row 7: x");
}

#[test]
fn every_key_named_in_a_template_exists() {
    let templates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    for entry in std::fs::read_dir(templates).into_iter().flatten().flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        for part in text.split("t(\"").skip(1) {
            let key = part.split('"').next().unwrap_or("");
            assert_ne!(
                Lang::Vi.t(key),
                "?",
                "{:?} names unknown key {key}",
                entry.path()
            );
        }
    }
}

#[test]
fn plain_lookup_reads_codes_with_underscores() {
    assert_eq!(Lang::En.t("nav-home"), "Home");
    assert_eq!(
        Lang::Vi.t("kind-residential_cluster"),
        Lang::Vi.t("kind-residential-cluster")
    );
    assert_eq!(Lang::Vi.t("no-such-key"), "?");
}

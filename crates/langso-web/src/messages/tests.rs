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
        .fold(BTreeSet::new(), |mut ids, id| {
            assert!(ids.insert(id.clone()), "{id} is twice in one file");
            ids
        })
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

// --- No refusal worded in langso-app or langso-domain, no sentence in langso-web ----------
//
// Refusals are catalogue keys with arguments (`AppError::refused_key`, `CellError::keyed`, a
// domain error's `.message()`); a "Vietnamese / English" sentence in those crates would reach
// readers of the other language as it is. The scan below reads every non-test source file of
// both crates and fails on a string literal with a Vietnamese letter that reads like a refusal
// (it holds " / ", or is passed to `refused(` or `CellError::new(`), and on any call of the
// unkeyed constructors `AppError::refused(` and `CellError::new(` outside their definition. In
// the web crate (handlers, the toolkit) any literal with a Vietnamese letter fails: pages and
// answers take every word from the catalogue.

/// Data that is genuinely data, not a refusal: (file, literal prefix or "" for the whole file,
/// why). Kept short; a new entry needs a reason a reviewer accepts.
const ALLOWED: &[(&str, &str, &str)] = &[
    (
        "langso-app/src/demo/",
        "",
        "synthetic demo data (names, notes) and the demo's progress stages",
    ),
    (
        "langso-app/src/dashboard/charts.rs",
        "",
        "chart titles and legends drawn into the dashboard's SVG, not refusals",
    ),
    (
        "langso-app/src/units/import.rs",
        "nhập đơn vị / importing units",
        "a progress stage for the command line's bar",
    ),
    (
        "langso-app/src/households/import.rs",
        "kiểm tra / checking",
        "a progress stage for the command line's bar",
    ),
    (
        "langso-app/src/households/import.rs",
        "nhập / importing",
        "a progress stage for the command line's bar",
    ),
    (
        "langso-app/src/units/reorganise.rs",
        "đóng {} · mở {} · chuyển {}",
        "the audit log's summary of a reorganisation (stored data)",
    ),
    (
        "langso-app/src/procedures/catalogue.rs",
        "v1 từ / from",
        "the audit log's summary of a new version (stored data)",
    ),
    (
        "langso-app/src/procedures/catalogue.rs",
        "v{} từ / from",
        "the audit log's summary of a new version (stored data)",
    ),
    (
        "langso-app/src/procedures/catalogue.rs",
        "Danh mục tham chiếu / reference catalogue",
        "the stored note of the reference catalogue's versions",
    ),
    (
        "langso-app/src/criteria/recognition.rs",
        "nhập quyết định đã có / imported decision",
        "the stored note of an imported recognition step",
    ),
    (
        "langso-app/src/households/subject.rs",
        "(đã xóa / erased)",
        "what an erased household's head name is replaced with (stored data)",
    ),
    (
        "langso-app/src/procedures/posters.rs",
        "",
        "the printed poster, bilingual on paper by design",
    ),
];

/// Letters only Vietnamese uses here (with a diacritic, and đ).
fn is_vietnamese_letter(c: char) -> bool {
    "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
        .contains(c.to_lowercase().next().unwrap_or(c))
}

/// The source without its test modules (`#[cfg(test)] mod … { … }`), so tests may quote old
/// sentences and Vietnamese data freely.
fn without_test_modules(source: &str) -> String {
    let mut out = String::new();
    let mut rest = source;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at + "#[cfg(test)]".len()..];
        let trimmed = after.trim_start();
        if trimmed.starts_with("mod ") {
            match (trimmed.find('{'), trimmed.find(';')) {
                (Some(open), semi) if semi.is_none_or(|s| s > open) => {
                    let mut depth = 0usize;
                    let mut end = trimmed.len();
                    for (i, c) in trimmed.char_indices().skip_while(|(i, _)| *i < open) {
                        match c {
                            '{' => depth += 1,
                            '}' => {
                                depth -= 1;
                                if depth == 0 {
                                    end = i + 1;
                                    break;
                                }
                            }
                            _ => {}
                        }
                    }
                    rest = &trimmed[end..];
                }
                _ => rest = trimmed,
            }
        } else {
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Every string literal of Rust source with the byte offset where it starts, skipping
/// comments, char literals and lifetimes. Raw strings are read too.
fn string_literals(source: &str) -> Vec<(usize, String)> {
    let chars: Vec<(usize, char)> = source.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let at = |i: usize| chars.get(i).map_or('\0', |(_, c)| *c);
    while i < chars.len() {
        let c = at(i);
        if c == '/' && at(i + 1) == '/' {
            while i < chars.len() && at(i) != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            i += 2;
            while i < chars.len() && !(at(i) == '*' && at(i + 1) == '/') {
                i += 1;
            }
            i += 2;
        } else if c == '\'' {
            // 'x', '\n', '\'' are chars; 'a (a lifetime) is not closed two chars on.
            if at(i + 1) == '\\' {
                i += 2;
                while i < chars.len() && at(i) != '\'' {
                    i += 1;
                }
                i += 1;
            } else if at(i + 2) == '\'' {
                i += 3;
            } else {
                i += 1;
            }
        } else if c == 'r'
            && (at(i + 1) == '"' || (at(i + 1) == '#' && at(i + 2) == '"'))
            && (i == 0 || !at(i - 1).is_alphanumeric())
        {
            let hashes = if at(i + 1) == '#' { 1 } else { 0 };
            let start = i;
            i += 2 + hashes;
            let mut text = String::new();
            while i < chars.len() && !(at(i) == '"' && (hashes == 0 || at(i + 1) == '#')) {
                text.push(at(i));
                i += 1;
            }
            i += 1 + hashes;
            out.push((chars[start].0, text));
        } else if c == '"' {
            let start = i;
            i += 1;
            let mut text = String::new();
            while i < chars.len() && at(i) != '"' {
                if at(i) == '\\' {
                    text.push(at(i + 1));
                    i += 2;
                } else {
                    text.push(at(i));
                    i += 1;
                }
            }
            i += 1;
            out.push((chars[start].0, text));
        } else {
            i += 1;
        }
    }
    out
}

/// Whether the literal starting at `offset` is an argument of a `refused(` or
/// `CellError::new(` call that is still open there (within the same statement).
fn inside_unkeyed_call(source: &str, offset: usize) -> bool {
    let before = &source[..offset];
    let statement = before.rfind([';', '{', '}']).map_or(0, |i| i + 1);
    let head = &before[statement..];
    ["refused(", "CellError::new("].iter().any(|call| {
        head.rfind(call).is_some_and(|at| {
            let tail = &head[at + call.len()..];
            tail.matches('(').count() >= tail.matches(')').count()
        })
    })
}

/// The problems of one file (`path` relative to `crates/`): refusal-like Vietnamese literals
/// not allowed by [`ALLOWED`], and calls of the unkeyed constructors.
fn worded_refusals(path: &str, source: &str) -> Vec<String> {
    let code = without_test_modules(source);
    let mut problems = Vec::new();
    let defines = path.ends_with("langso-app/src/error.rs");
    for call in ["AppError::refused(", "CellError::new("] {
        if !defines && code.contains(call) {
            problems.push(format!("{path}: calls {call}…) (use a catalogue key)"));
        }
    }
    for (offset, literal) in string_literals(&code) {
        if !literal.chars().any(is_vietnamese_letter) {
            continue;
        }
        // The web words nothing itself: every text a page or an answer carries is a key.
        let web = path.starts_with("langso-web/");
        let refusal_like = web || literal.contains(" / ") || inside_unkeyed_call(&code, offset);
        let allowed = ALLOWED.iter().any(|(file, prefix, _)| {
            path.contains(file) && (prefix.is_empty() || literal.starts_with(prefix))
        });
        if refusal_like && !allowed {
            problems.push(format!("{path}: worded refusal {literal:?}"));
        }
    }
    problems
}

#[test]
fn app_and_domain_word_no_refusal() {
    let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut problems = Vec::new();
    let mut scanned = 0;
    for root in ["langso-domain/src", "langso-app/src", "langso-web/src"] {
        let mut dirs = vec![crates.join(root)];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
                if !name.ends_with(".rs") || name == "tests.rs" {
                    continue;
                }
                let label = path
                    .strip_prefix(&crates)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/");
                let source = std::fs::read_to_string(&path).unwrap_or_default();
                problems.extend(worded_refusals(&label, &source));
                scanned += 1;
            }
        }
    }
    assert!(
        scanned > 50,
        "only {scanned} files scanned: the walk is broken"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_refusal_scan_finds_worded_refusals() {
    let path = "langso-app/src/units/sample.rs";
    let slash = "fn f() -> AppError {\n    AppError::refused_key(\"units-x\", &[])\n}\nconst S: &str = \"ngày không hợp lệ / invalid date\";\n";
    assert_eq!(
        worded_refusals(path, slash).len(),
        1,
        "a \"vi / en\" literal"
    );
    let call = "fn f() { errors.push(CellError::new(0, \"code\", format!(\"mã {} đã có\", c))); }";
    let found = worded_refusals(path, call);
    assert!(
        found.iter().any(|p| p.contains("CellError::new")),
        "{found:?}"
    );
    assert!(found.iter().any(|p| p.contains("đã có")), "{found:?}");
    let plain = "fn f() -> AppError { AppError::refused(\"bắt buộc\") }";
    assert_eq!(
        worded_refusals(path, plain).len(),
        2,
        "{:?}",
        worded_refusals(path, plain)
    );
    // Data, comments, char literals, lifetimes and test modules are not refusals.
    let fine = "/// Sai: \"bắt buộc / required\".\nfn f<'a>(x: &'a str) -> char { let _ = \"Thôn Đông\"; '\"' }\n#[cfg(test)]\nmod tests {\n    const OLD: &str = \"bắt buộc / required\";\n    fn g() { CellError::new(0, \"x\", \"y\"); }\n}\n";
    assert_eq!(worded_refusals(path, fine), Vec::<String>::new());
    // The allow-list names a file and a literal; the same literal elsewhere is refused.
    let stage = "fn f() { progress.start(\"nhập đơn vị / importing units\", 1); }";
    assert!(worded_refusals("langso-app/src/units/import.rs", stage).is_empty());
    assert_eq!(worded_refusals(path, stage).len(), 1);
}

#[test]
fn domain_refusals_read_in_each_language() {
    use langso_domain::units::{UnitError, UnitKind};
    let code = UnitError::BadCode {
        kind: UnitKind::Commune,
        code: "9784".to_owned(),
    }
    .message();
    assert!(message(Lang::Vi, &code).starts_with("mã không hợp lệ cho cấp xã: \"9784\""));
    assert!(message(Lang::En, &code).starts_with("invalid code for a commune: \"9784\""));
    let street = UnitError::BadCode {
        kind: UnitKind::StreetGroup,
        code: "x".to_owned(),
    }
    .message();
    assert!(message(Lang::En, &street).starts_with("invalid code for a street group"));
    let date = CellError::from_message(3, "valid_from", UnitError::BadDate("x".into()).message());
    assert_eq!(
        describe(&date, Lang::Vi),
        "Dòng 3, cột “valid_from”: Ngày không hợp lệ: “x” (cần dạng NNNN-TT-NN, ví dụ 2025-06-01)"
    );
    assert_eq!(
        describe(&date, Lang::En),
        "Row 3, column “valid_from”: Not a valid date: “x” (use YYYY-MM-DD, e.g. 2025-06-01)"
    );
    let none = Message::new("criteria-village-not-meeting", &[("missing", &"none")]);
    assert_eq!(
        message(Lang::Vi, &none),
        "thôn chưa đạt đủ tiêu chí: không có bộ tiêu chí"
    );
    let some = Message::new("criteria-village-not-meeting", &[("missing", &"B, C")]);
    assert_eq!(
        message(Lang::En, &some),
        "the village does not meet the criteria: B, C"
    );
}

#[test]
fn text_that_looks_like_a_number_keeps_its_leading_zero() {
    let rendered = render(
        Lang::En,
        "households-phone-invalid",
        &[("value", "0912".to_owned())],
    );
    assert!(rendered.contains("0912"), "{rendered}");
}

//! The language of a page, and the catalogue's plain messages (those without arguments) looked
//! up by key in one hash table per language, built once from the Fluent files.

use std::collections::HashMap;
use std::sync::LazyLock;

use axum::http::HeaderMap;

use super::{FILES, render};

/// The language of a page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// Tiếng Việt: the default.
    Vi,
    /// English.
    En,
}

/// Every message of both languages rendered once without arguments. The texts live for the
/// whole process (a few hundred KB), so pages borrow them without copying.
static PLAIN: LazyLock<[HashMap<&'static str, &'static str>; 2]> = LazyLock::new(|| {
    [Lang::Vi, Lang::En].map(|lang| {
        ids()
            .map(|id| {
                let text: &'static str = Box::leak(render(lang, id, &[]).into_boxed_str());
                (id, text)
            })
            .collect()
    })
});

/// The message ids of every file (a line that starts with a letter and holds `=`).
pub(super) fn ids() -> impl Iterator<Item = &'static str> {
    FILES
        .iter()
        .flat_map(|(_, vi, _)| vi.lines())
        .filter(|line| line.starts_with(|c: char| c.is_ascii_alphabetic()))
        .filter_map(|line| line.split_once('='))
        .map(|(id, _)| id.trim())
}

/// Every plain message of `lang`, for tests that check a page reads wholly in one language.
pub fn plain_texts(lang: Lang) -> impl Iterator<Item = &'static str> {
    PLAIN[lang as usize].values().copied()
}

impl Lang {
    /// The catalogue text for `key` (a message without arguments); "?" if missing, which the
    /// tests rule out for every key the templates and handlers name. A code joined into a key
    /// (`kind-{code}`, where codes such as `residential_cluster` keep their underscores) is read
    /// with hyphens, as message ids are written.
    pub fn t(self, key: &str) -> &'static str {
        let table = &PLAIN[self as usize];
        let found = if key.contains(['_', '.']) {
            table.get(key.replace(['_', '.'], "-").as_str())
        } else {
            table.get(key)
        };
        found.copied().unwrap_or("?")
    }

    /// `vi` or `en`, for `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// The language chosen with the `lang` cookie; Vietnamese otherwise.
    pub fn from_headers(headers: &HeaderMap) -> Lang {
        let chosen = headers
            .get_all(axum::http::header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|cookies| cookies.split(';'))
            .filter_map(|pair| pair.trim().strip_prefix("lang="))
            .next_back();
        match chosen {
            Some("en") => Lang::En,
            _ => Lang::Vi,
        }
    }
}

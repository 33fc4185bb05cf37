//! The Project Fluent catalogue: messages named by key, with arguments, one `.ftl` file per
//! domain and language under `langso-web/messages/`.
//!
//! Refusals raised in `langso-app` carry a [`Message`] (key and arguments) instead of a
//! sentence; this module renders it in the reader's language. The files are compiled into the
//! binary, parsed once, and checked by the tests below: every file parses, every key exists in
//! both languages, and every key the source code names exists.

use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use langso_app::{CellError, Message};

mod lang;

pub use lang::{Lang, plain_texts};

/// The catalogue's domains, one `.ftl` file each per language (DESIGN.md's eleven, and `system`
/// for what belongs to no domain).
macro_rules! files {
    ($($domain:literal),* $(,)?) => {
        &[$((
            $domain,
            include_str!(concat!("../../messages/vi/", $domain, ".ftl")),
            include_str!(concat!("../../messages/en/", $domain, ".ftl")),
        )),*]
    };
}

/// (domain, Vietnamese source, English source).
const FILES: &[(&str, &str, &str)] = files!(
    "units",
    "auth",
    "households",
    "teams",
    "criteria",
    "procedures",
    "assets",
    "faults",
    "comms",
    "audit",
    "dashboard",
    "system",
    // --- issue 18: offline rounds (offline: the phone's texts; rounds_sync: the server's) ---
    "offline",
    "rounds_sync",
    // --- issue 21: personal-data duties ---
    "privacy",
);

/// Both languages' bundles, built once.
struct Catalogue {
    vi: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
}

static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(|| Catalogue {
    vi: bundle("vi", FILES.iter().map(|(_, vi, _)| *vi)),
    en: bundle("en", FILES.iter().map(|(_, _, en)| *en)),
});

/// A bundle of every file of one language. A file that fails to parse keeps the messages that
/// did parse (the tests make sure none fails), so a slip in one entry never takes pages down.
fn bundle<'a>(code: &str, sources: impl Iterator<Item = &'a str>) -> FluentBundle<FluentResource> {
    let locale = code.parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![locale]);
    // Bidirectional isolation marks would reach plain-text outputs (CSV, logs) as stray characters.
    bundle.set_use_isolating(false);
    for source in sources {
        let resource =
            FluentResource::try_new(source.to_owned()).unwrap_or_else(|(partial, _)| partial);
        // A duplicate key keeps its first text; the tests refuse duplicates.
        let _ = bundle.add_resource(resource);
    }
    bundle
}

/// The text of `key` with `args` in `lang`; the key itself only if the catalogue lacks it,
/// which the tests rule out for every key the code names.
pub fn render(lang: Lang, key: &str, args: &[(&str, String)]) -> String {
    let bundle = match lang {
        Lang::Vi => &CATALOGUE.vi,
        Lang::En => &CATALOGUE.en,
    };
    let Some(pattern) = bundle.get_message(key).and_then(|message| message.value()) else {
        return key.to_owned();
    };
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        // Whole numbers go in as numbers so that plural selectors can choose; text that only
        // looks like one (a phone "0912…", a code "09817") stays text, leading zero and all.
        match value.parse::<i64>() {
            Ok(number) if value.len() < 16 && number.to_string() == *value => {
                fluent_args.set(*name, FluentValue::from(number))
            }
            _ => fluent_args.set(*name, FluentValue::from(value.as_str())),
        }
    }
    let mut errors = Vec::new();
    bundle
        .format_pattern(pattern, Some(&fluent_args), &mut errors)
        .into_owned()
}

/// Every message of domain file `domain` whose id starts with `prefix`, in `lang`: the texts a
/// page's own script needs (the offline round's, served in its copy of the round).
pub fn texts_of(
    lang: Lang,
    domain: &str,
    prefix: &str,
) -> std::collections::BTreeMap<&'static str, String> {
    FILES
        .iter()
        .filter(|(name, _, _)| *name == domain)
        .flat_map(|(_, vi, _)| vi.lines())
        .filter(|line| line.starts_with(prefix))
        .filter_map(|line| line.split_once('='))
        .map(|(id, _)| {
            let id = id.trim();
            (id, render(lang, id, &[]))
        })
        .collect()
}

/// A keyed message in `lang`.
pub fn message(lang: Lang, message: &Message) -> String {
    render(lang, message.key, &message.args)
}

/// What is wrong with one field or cell, without where: beside a form field.
pub fn text(error: &CellError, lang: Lang) -> String {
    match &error.key {
        Some(keyed) => message(lang, keyed),
        None => error.message.clone(),
    }
}

/// What is wrong and where (row and column of a file, or the field), in `lang`.
pub fn describe(error: &CellError, lang: Lang) -> String {
    let Some(keyed) = &error.key else {
        return error.to_string();
    };
    let text = message(lang, keyed);
    match (error.row, error.column.is_empty()) {
        (0, true) => text,
        (0, false) => render(
            lang,
            "at-column",
            &[("column", error.column.clone()), ("text", text)],
        ),
        (row, true) => render(lang, "at-row", &[("row", row.to_string()), ("text", text)]),
        (row, false) => render(
            lang,
            "at-row-column",
            &[
                ("row", row.to_string()),
                ("column", error.column.clone()),
                ("text", text),
            ],
        ),
    }
}

/// "Vietnamese / English", for the JSON API, whose readers may be either.
pub fn both(error: &CellError) -> String {
    match &error.key {
        Some(keyed) => both_message(keyed),
        None => error.message.clone(),
    }
}

/// A plain message as "Vietnamese / English": the title of an API problem, whose readers may
/// read either language.
pub fn both_key(key: &str) -> String {
    format!(
        "{} / {}",
        render(Lang::Vi, key, &[]),
        render(Lang::En, key, &[])
    )
}

/// A keyed message as "Vietnamese / English", for readers of the API who may be either.
pub fn both_message(keyed: &Message) -> String {
    format!(
        "{} / {}",
        message(Lang::Vi, keyed),
        message(Lang::En, keyed)
    )
}

/// "Vietnamese / English" with the place (row, column), for the API's problem detail.
pub fn describe_both(error: &CellError) -> String {
    match &error.key {
        Some(_) => format!(
            "{} / {}",
            describe(error, Lang::Vi),
            describe(error, Lang::En)
        ),
        None => error.to_string(),
    }
}

/// A form's refusals as (field, text in `lang`), for the page that shows them beside the fields.
pub fn field_errors(errors: Vec<CellError>, lang: Lang) -> Vec<(String, String)> {
    errors
        .into_iter()
        .map(|error| {
            let text = text(&error, lang);
            (error.column, text)
        })
        .collect()
}

#[cfg(test)]
mod tests;

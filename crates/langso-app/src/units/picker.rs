//! The units an officer may pick from: every unit at or under the units they act on, each
//! with a label no other option shares, so that a unit is chosen from a list by name and
//! never typed as a GSO code.

use std::collections::HashMap;

use langso_domain::auth::Permission;
use langso_domain::text::fold;
use langso_store::units::{self as store, LabelRow};
use time::Date;
use uuid::Uuid;

use super::labels::{UnitLabel, tell_apart};
use crate::auth::{Actor, policy};
use crate::{AppResult, Db};

/// Levels under each root the picker offers (province → commune → village → hamlet).
const DEPTH: i64 = 6;

/// One unit the actor may pick.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PickerOption {
    /// The unit's label, unique among the options.
    pub label: UnitLabel,
    /// The name of its parent on the day, when the parent is an option too ("Xã Ô Diên").
    pub within: Option<String>,
    /// Its code (accepted from links made before the picker; never shown as the choice).
    pub code: String,
}

/// The units at or under the actor's roots for `permission` on `date` (every province's tree
/// for the system actor), labelled so that no two options read the same: two queries per
/// root. Options come parents first, then by name.
pub async fn picker_options(
    db: &Db,
    actor: &Actor,
    permission: Permission,
    date: Date,
) -> AppResult<Vec<PickerOption>> {
    let roots: Vec<Uuid> = match policy::scope(actor, permission)? {
        policy::Scope::All => store::roots(db, date)
            .await?
            .into_iter()
            .map(|u| u.id)
            .collect(),
        policy::Scope::Under(roots) => roots,
    };
    let mut in_force = Vec::with_capacity(roots.len());
    for root in roots {
        if let Some(unit) = store::get(db, root).await?
            && unit.validity.contains(date)
            && !in_force.contains(&root)
        {
            in_force.push(root);
        }
    }
    let mut rows: Vec<LabelRow> = store::label_rows_of(db, &in_force, date).await?;
    for root in &in_force {
        rows.extend(store::label_rows_under(db, *root, date, DEPTH).await?);
    }
    let mut names: HashMap<Uuid, String> = HashMap::new();
    let mut parents: HashMap<Uuid, Option<Uuid>> = HashMap::new();
    let mut codes: HashMap<Uuid, String> = HashMap::new();
    for row in &rows {
        names.insert(row.id, row.name.clone());
        codes.insert(row.id, row.code.clone());
        parents.insert(row.id, row.parent_id);
    }
    let labels = tell_apart(rows, |_| None);
    // A unit under two of the actor's roots comes once: the labels are by id.
    let mut options: Vec<PickerOption> = labels
        .iter()
        .map(|label| PickerOption {
            within: parents
                .get(&label.id)
                .copied()
                .flatten()
                .and_then(|parent| names.get(&parent).cloned()),
            code: codes.get(&label.id).cloned().unwrap_or_default(),
            label: label.clone(),
        })
        .collect();
    // How far below the top of the list each option sits, for parents-first order.
    let mut depth: HashMap<Uuid, usize> = HashMap::new();
    for option in &options {
        let mut up = option.label.id;
        let mut level = 0;
        while let Some(parent) = parents.get(&up).copied().flatten()
            && parents.contains_key(&parent)
            && level <= DEPTH as usize
        {
            level += 1;
            up = parent;
        }
        depth.insert(option.label.id, level);
    }
    options.sort_by(|a, b| {
        depth[&a.label.id]
            .cmp(&depth[&b.label.id])
            .then_with(|| langso_domain::locale::compare(&a.label.name, &b.label.name))
            .then_with(|| a.label.to_string().cmp(&b.label.to_string()))
    });
    Ok(options)
}

/// The unit an option's text names: the id itself, an option's label as the Vietnamese
/// wording gives it, or `worded` (the same label in the page's language), accents and case
/// ignored; or, for links made before the picker, a unit's code. `None` when nothing or more
/// than one option matches.
pub fn pick(
    options: &[PickerOption],
    text: &str,
    worded: impl Fn(&UnitLabel) -> String,
) -> Option<Uuid> {
    let text = text.trim();
    if let Ok(id) = Uuid::parse_str(text) {
        return options.iter().any(|o| o.label.id == id).then_some(id);
    }
    let folded = fold(text);
    if folded.is_empty() {
        return None;
    }
    let matches: Vec<Uuid> = options
        .iter()
        .filter(|o| fold(&o.label.to_string()) == folded || fold(&worded(&o.label)) == folded)
        .map(|o| o.label.id)
        .collect();
    if matches.is_empty() {
        return options.iter().find(|o| o.code == text).map(|o| o.label.id);
    }
    match matches.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

/// A village the actor may act on for `permission` today (the first by code under its first
/// root holding one), for the example row of an import template: the example then names a
/// place that exists and imports as it is. `None` when no village lies in the scope.
pub async fn example_village(
    db: &Db,
    actor: &Actor,
    permission: Permission,
) -> AppResult<Option<langso_domain::units::Unit>> {
    let date = crate::today();
    let roots: Vec<Uuid> = match policy::scope(actor, permission)? {
        policy::Scope::All => store::roots(db, date)
            .await?
            .into_iter()
            .map(|u| u.id)
            .collect(),
        policy::Scope::Under(roots) => roots,
    };
    for root in roots {
        let found = store::subtree(db, root, date, 4)
            .await?
            .into_iter()
            .find(|n| n.unit.kind.level() == langso_domain::units::Level::Village);
        if let Some(node) = found {
            return Ok(Some(node.unit));
        }
    }
    Ok(None)
}

//! Where a household file is imported: a commune (each row names its village) or one village,
//! and the villages a cell may name.

use std::collections::HashMap;

use langso_domain::text::fold;
use langso_domain::units::{Level, Unit};
use langso_store::units as unit_store;
use uuid::Uuid;

use crate::{AppError, AppResult, Db, today};

/// Where a file is imported: a commune (the file names each row's village) or one village.
pub(super) struct Target {
    pub(super) unit: Unit,
    pub(super) commune: Uuid,
    /// Folded village names and codes (with and without "Thôn"/"Tổ dân phố") → village ids
    /// (after mergers a commune may hold two villages of one name).
    pub(super) villages: HashMap<String, Vec<Uuid>>,
    /// The village when the target is one.
    pub(super) only_village: Option<Uuid>,
}

/// The unit named by `unit` (a code in force today, or an id).
pub async fn resolve_unit(db: &Db, unit: &str) -> AppResult<Unit> {
    match Uuid::parse_str(unit.trim()) {
        Ok(id) => unit_store::get(db, id).await?.ok_or(AppError::NotFound),
        Err(_) => crate::units::by_code(db, unit, today()).await,
    }
}

const PREFIXES: &[&str] = &[
    "thon ",
    "to dan pho ",
    "cum dan cu ",
    "khu pho ",
    "to ",
    "ap ",
    "ban ",
    "khu ",
];

pub(super) async fn target(db: &Db, unit: Unit) -> AppResult<Target> {
    let mut villages = HashMap::new();
    let (commune, only_village) = match unit.kind.level() {
        Level::Commune => {
            // A file may name a village as the export does: "Thôn Hòa Bình (Hồng Hà cũ)".
            let labels = crate::units::labels_under(db, unit.id, today(), 3).await?;
            for node in unit_store::subtree(db, unit.id, today(), 3).await? {
                if node.unit.kind.level() == Level::Village {
                    add_village(&mut villages, &node.unit);
                    if let Some(label) = labels.get(node.unit.id).filter(|l| l.former.is_some()) {
                        let ids = villages.entry(fold(&label.to_string())).or_default();
                        if !ids.contains(&node.unit.id) {
                            ids.push(node.unit.id);
                        }
                    }
                }
            }
            (unit.id, None)
        }
        Level::Village => {
            let (_, commune) = super::register::village_and_commune(db, unit.id).await?;
            add_village(&mut villages, &unit);
            (commune, Some(unit.id))
        }
        _ => {
            return Err(AppError::refused_key("households-import-unit-level", &[]));
        }
    };
    Ok(Target {
        unit,
        commune,
        villages,
        only_village,
    })
}

fn add_village(villages: &mut HashMap<String, Vec<Uuid>>, unit: &Unit) {
    let name = fold(&unit.name);
    let mut keys = vec![fold(&unit.code)];
    for prefix in PREFIXES {
        if let Some(bare) = name.strip_prefix(prefix) {
            keys.push(bare.to_owned());
        }
    }
    keys.push(name);
    for key in keys {
        let ids = villages.entry(key).or_default();
        if !ids.contains(&unit.id) {
            ids.push(unit.id);
        }
    }
}

impl Target {
    /// Every unit an imported row, its counters or its audit entry can point at.
    pub(super) fn unit_ids(&self) -> Vec<Uuid> {
        let mut ids: Vec<Uuid> = self.villages.values().flatten().copied().collect();
        ids.extend([self.unit.id, self.commune]);
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// The villages a cell names: by code, by name, or "name (code)".
    pub(super) fn villages_named(&self, text: &str) -> &[Uuid] {
        if let Some(ids) = self.villages.get(&fold(text)) {
            return ids;
        }
        let inner = text
            .rsplit_once('(')
            .map(|(_, rest)| rest.trim_end().trim_end_matches(')'));
        inner
            .and_then(|code| self.villages.get(&fold(code)))
            .map_or(&[], Vec::as_slice)
    }
}

//! Reorganisations: merges, splits and re-parenting, each applied as one transaction with an
//! effective date. The old units close the day before, the new ones open on the day, villages
//! move to their new parents and keep their history; lineage records say where each old unit
//! went. Anything that would break the tree (a cycle, a code still held, a closed code reused
//! by a non-successor, a unit left with no parent) refuses the whole reorganisation.

use std::collections::{BTreeMap, BTreeSet};

use langso_domain::text::fold;
use langso_domain::units::{
    Share, Unit, UnitKind, Validity, commune_kind_from_name, validate_code,
};
use langso_store::Tx;
use langso_store::units::{self as store, NewLineage};
use time::Date;
use uuid::Uuid;

use super::import::code_in_use;
use crate::audit::{self, Change};
use crate::auth::Actor;
use crate::{AppError, AppResult, CellError, Db};

/// One lineage line: an old unit goes (wholly or partly) into a new one.
#[derive(Clone, Debug)]
pub struct PlanLine {
    /// Row in the source file (for messages); 0 when not from a file.
    pub row: usize,
    /// Code of the old unit, in force the day before the effective date.
    pub old_code: String,
    /// Its name, checked against the stored one (codes get reused, names tell them apart).
    pub old_name: String,
    /// Code of the new unit.
    pub new_code: String,
    /// Name of the new unit.
    pub new_name: String,
    /// Whole or part.
    pub share: Share,
    /// Legal basis.
    pub basis: String,
    /// False when the line is not backed by a verified source (shown as such).
    pub verified: bool,
}

/// An explicit move of one unit (with its subtree) under another.
#[derive(Clone, Copy, Debug)]
pub struct PlanMove {
    /// The unit that moves.
    pub unit: Uuid,
    /// Its new parent.
    pub new_parent: Uuid,
}

/// A whole reorganisation, applied at once.
#[derive(Clone, Debug)]
pub struct ReorganisationPlan {
    /// First day of the new arrangement; the old one ends the day before.
    pub effective: Date,
    /// Legal basis of the whole reorganisation.
    pub basis: String,
    /// Merges and splits.
    pub lines: Vec<PlanLine>,
    /// Re-parenting, and where the villages of a split unit go.
    pub moves: Vec<PlanMove>,
    /// The level above the old units is abolished (2025: districts): the parents of the old
    /// units that are districts close, and new units sit directly under the province.
    pub abolish_districts: bool,
}

/// What a reorganisation did (or, in a dry run, would do).
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct ReorganisationReport {
    /// The recorded reorganisation; `None` for a dry run.
    pub id: Option<Uuid>,
    /// Units closed, as "code name".
    pub closed: Vec<String>,
    /// Units opened, as "code name".
    pub created: Vec<String>,
    /// Units moved under a new parent.
    pub moved: usize,
    /// Lineage records written.
    pub lineage: usize,
    /// Whether everything was rolled back on purpose.
    pub dry_run: bool,
}

/// Moves one unit (with everything under it) under a new parent from `effective` on.
pub async fn move_unit(
    db: &Db,
    actor: &Actor,
    unit: Uuid,
    new_parent: Uuid,
    effective: Date,
    basis: &str,
) -> AppResult<ReorganisationReport> {
    let plan = ReorganisationPlan {
        effective,
        basis: basis.to_owned(),
        lines: Vec::new(),
        moves: vec![PlanMove { unit, new_parent }],
        abolish_districts: false,
    };
    reorganise(db, actor, &plan, false).await
}

/// The target of one group of lines sharing a new code.
struct Target {
    unit: Unit,
    parent: Option<Uuid>,
    exists: bool,
}

/// Applies a reorganisation in one transaction, or refuses it whole with every reason.
pub async fn reorganise(
    db: &Db,
    actor: &Actor,
    plan: &ReorganisationPlan,
    dry_run: bool,
) -> AppResult<ReorganisationReport> {
    let effective = plan.effective;
    let last_day = effective
        .previous_day()
        .ok_or_else(|| AppError::refused_key("units-effective-invalid", &[]))?;
    // Reorganisations reshape whole provinces: administrators (and the operator) only.
    if !actor.is_system()
        && !actor
            .grants
            .iter()
            .any(|g| g.role == langso_domain::auth::Role::Admin)
    {
        return Err(AppError::Forbidden);
    }
    let mut tx = db.begin().await?;
    let mut errors = Vec::new();

    let olds = resolve_old_units(&mut tx, plan, last_day, &mut errors).await?;
    let targets = resolve_targets(&mut tx, plan, &olds, last_day, &mut errors).await?;
    let moves = resolve_moves(&mut tx, plan, &olds, &targets, last_day, &mut errors).await?;
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }

    let mut report = ReorganisationReport {
        dry_run,
        ..Default::default()
    };
    for target in targets.values().filter(|t| !t.exists) {
        store::insert(&mut tx, &target.unit, target.parent).await?;
        report
            .created
            .push(format!("{} {}", target.unit.code, target.unit.name));
    }
    for (unit, new_parent) in &moves {
        store::reparent(&mut tx, *unit, *new_parent, effective).await?;
    }
    report.moved = moves.len();
    let target_ids: BTreeSet<Uuid> = targets.values().map(|t| t.unit.id).collect();
    let mut closing: BTreeMap<Uuid, Unit> = BTreeMap::new();
    for old in olds.values().filter(|old| !target_ids.contains(&old.id)) {
        if plan.abolish_districts
            && let Some(parent) = store::parent_at(&mut tx, old.id, last_day).await?
            && parent.kind == UnitKind::District
        {
            closing.insert(parent.id, parent);
        }
        closing.insert(old.id, old.clone());
    }
    for unit in closing.values() {
        store::close(&mut tx, unit.id, last_day).await?;
        report.closed.push(format!("{} {}", unit.code, unit.name));
    }
    let summary = format!(
        "đóng {} · mở {} · chuyển {} / closed {}, opened {}, moved {}",
        report.closed.len(),
        report.created.len(),
        report.moved,
        report.closed.len(),
        report.created.len(),
        report.moved
    );
    let id = store::insert_reorganisation(&mut tx, effective, &plan.basis, &summary).await?;
    for line in &plan.lines {
        let (Some(old), Some(target)) = (olds.get(&line.old_code), targets.get(&line.new_code))
        else {
            continue;
        };
        let lineage = NewLineage {
            old_unit: old.id,
            new_unit: target.unit.id,
            share: line.share,
            basis: line.basis.clone(),
            verified: line.verified,
        };
        store::insert_lineage(&mut tx, id, effective, &lineage).await?;
        report.lineage += 1;
    }
    check_result(&mut tx, effective, &targets, &moves, &mut errors).await?;
    audit::record(
        &mut tx,
        actor,
        Change {
            action: "units.reorganise",
            target_type: "reorganisation",
            target_id: id.to_string(),
            unit_id: targets.values().next().and_then(|t| t.parent),
            summary: format!("{effective} {}: {summary}", plan.basis),
        },
    )
    .await?;
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    if !dry_run {
        tx.commit().await?;
        report.id = Some(id);
    }
    Ok(report)
}

/// The old units by code, each in force the day before the effective date.
async fn resolve_old_units(
    tx: &mut Tx,
    plan: &ReorganisationPlan,
    last_day: Date,
    errors: &mut Vec<CellError>,
) -> AppResult<BTreeMap<String, Unit>> {
    let mut olds = BTreeMap::new();
    for line in &plan.lines {
        match store::by_code(&mut *tx, &line.old_code, last_day).await? {
            Some(old) if fold(&old.name) == fold(&line.old_name) => {
                olds.insert(line.old_code.clone(), old);
            }
            Some(old) => errors.push(CellError::keyed(
                line.row,
                "old_name",
                "units-old-name-differs",
                &[
                    ("code", &line.old_code),
                    ("date", &last_day),
                    ("name", &old.name),
                    ("given", &line.old_name),
                ],
            )),
            None => errors.push(CellError::keyed(
                line.row,
                "old_code",
                "units-code-not-in-force",
                &[("code", &line.old_code), ("date", &last_day)],
            )),
        }
    }
    Ok(olds)
}

/// The new unit of each new code: an existing unit opened on the effective date with that
/// name, or one to create. Refuses a code still held by another unit, and a closed code
/// reused by a unit that is not its holder's successor.
async fn resolve_targets(
    tx: &mut Tx,
    plan: &ReorganisationPlan,
    olds: &BTreeMap<String, Unit>,
    last_day: Date,
    errors: &mut Vec<CellError>,
) -> AppResult<BTreeMap<String, Target>> {
    let mut groups: BTreeMap<&str, Vec<&PlanLine>> = BTreeMap::new();
    for line in &plan.lines {
        groups.entry(line.new_code.as_str()).or_default().push(line);
    }
    let mut targets = BTreeMap::new();
    for (code, lines) in groups {
        let first = lines[0];
        if lines
            .iter()
            .any(|l| fold(&l.new_name) != fold(&first.new_name))
        {
            errors.push(CellError::keyed(
                first.row,
                "new_name",
                "units-new-code-names-differ",
                &[("code", &code)],
            ));
            continue;
        }
        let kind = commune_kind_from_name(&first.new_name).unwrap_or(UnitKind::Commune);
        if let Err(e) = validate_code(kind, code) {
            errors.push(CellError::from_message(first.row, "new_code", e.message()));
            continue;
        }
        let predecessors: BTreeSet<Uuid> = lines
            .iter()
            .filter_map(|l| olds.get(&l.old_code).map(|u| u.id))
            .collect();
        let Some(first_old) = olds.get(&first.old_code) else {
            continue;
        };
        let parent = if plan.abolish_districts {
            store::ancestors(&mut *tx, first_old.id, last_day)
                .await?
                .into_iter()
                .find(|u| u.kind == UnitKind::Province)
        } else {
            store::parent_at(&mut *tx, first_old.id, last_day).await?
        };
        let mut existing = None;
        for held in store::holders_of_code(&mut *tx, code).await? {
            if predecessors.contains(&held.id) || held.kind.level() != kind.level() {
                continue;
            }
            let reusable =
                held.validity.from == plan.effective && fold(&held.name) == fold(&first.new_name);
            if reusable {
                existing = Some(held);
            } else if held.validity.to.is_none_or(|to| to >= plan.effective) {
                errors.push(CellError::from_message(
                    first.row,
                    "new_code",
                    code_in_use(code, &held),
                ));
            } else {
                errors.push(CellError::keyed(
                    first.row,
                    "new_code",
                    "units-code-closed",
                    &[("code", &code), ("name", &held.name)],
                ));
            }
        }
        let exists = existing.is_some();
        let unit = existing.unwrap_or_else(|| Unit {
            id: Uuid::now_v7(),
            code: code.to_owned(),
            name: first.new_name.trim().to_owned(),
            kind,
            validity: Validity {
                from: plan.effective,
                to: None,
            },
            latitude: first_old.latitude,
            longitude: first_old.longitude,
            note: Some(first.basis.clone()),
        });
        targets.insert(
            code.to_owned(),
            Target {
                unit,
                parent: parent.map(|p| p.id),
                exists,
            },
        );
    }
    Ok(targets)
}

/// Every move the reorganisation makes: the children of each old unit go to its one new
/// unit (a split needs explicit moves), plus the plan's own moves, checked for cycles.
async fn resolve_moves(
    tx: &mut Tx,
    plan: &ReorganisationPlan,
    olds: &BTreeMap<String, Unit>,
    targets: &BTreeMap<String, Target>,
    last_day: Date,
    errors: &mut Vec<CellError>,
) -> AppResult<Vec<(Uuid, Uuid)>> {
    let effective = plan.effective;
    let explicit: BTreeSet<Uuid> = plan.moves.iter().map(|m| m.unit).collect();
    let mut moves = Vec::new();
    for (code, old) in olds {
        let destinations: BTreeSet<Uuid> = plan
            .lines
            .iter()
            .filter(|l| &l.old_code == code)
            .filter_map(|l| targets.get(&l.new_code).map(|t| t.unit.id))
            .collect();
        let row = plan
            .lines
            .iter()
            .find(|l| &l.old_code == code)
            .map_or(0, |l| l.row);
        for child in store::children(&mut *tx, old.id, last_day).await? {
            if !child.validity.contains(effective) || explicit.contains(&child.id) {
                continue;
            }
            match destinations.iter().collect::<Vec<_>>().as_slice() {
                [only] if **only != old.id => moves.push((child.id, **only)),
                [_] => {}
                _ => errors.push(CellError::keyed(
                    row,
                    "old_code",
                    "units-split-needs-moves",
                    &[
                        ("name", &old.name),
                        ("child", &child.name),
                        ("code", &child.code),
                    ],
                )),
            }
        }
    }
    for m in &plan.moves {
        let (Some(unit), Some(parent)) = (
            store::get(&mut *tx, m.unit).await?,
            store::get(&mut *tx, m.new_parent).await?,
        ) else {
            errors.push(CellError::keyed(0, "unit", "units-unit-not-found", &[]));
            continue;
        };
        let subtree = store::subtree(&mut *tx, unit.id, effective, i64::MAX).await?;
        if subtree.iter().any(|node| node.unit.id == parent.id) {
            errors.push(CellError::keyed(
                0,
                "new_parent",
                "units-move-cycle",
                &[("parent", &parent.name), ("name", &unit.name)],
            ));
            continue;
        }
        if !parent.validity.contains(effective) || !unit.validity.contains(effective) {
            errors.push(CellError::keyed(
                0,
                "new_parent",
                "units-move-not-in-force",
                &[
                    ("name", &unit.name),
                    ("parent", &parent.name),
                    ("date", &effective),
                ],
            ));
            continue;
        }
        if !unit.kind.may_sit_under(Some(parent.kind)) {
            errors.push(CellError::keyed(
                0,
                "new_parent",
                "units-move-cannot-sit-under",
                &[
                    ("name", &unit.name),
                    ("parent", &parent.name),
                    ("kind", &unit.kind.as_str()),
                    ("parent_kind", &parent.kind.as_str()),
                ],
            ));
            continue;
        }
        moves.push((unit.id, parent.id));
    }
    Ok(moves)
}

/// After the writes, inside the transaction: nothing in force is left without a parent, and
/// local codes stay unique under each parent that received units.
async fn check_result(
    tx: &mut Tx,
    effective: Date,
    targets: &BTreeMap<String, Target>,
    moves: &[(Uuid, Uuid)],
    errors: &mut Vec<CellError>,
) -> AppResult<()> {
    for orphan in store::orphans(&mut *tx, effective).await? {
        errors.push(CellError::keyed(
            0,
            "",
            "units-orphan",
            &[
                ("name", &orphan.name),
                ("code", &orphan.code),
                ("date", &effective),
            ],
        ));
    }
    let parents: BTreeSet<Uuid> = targets
        .values()
        .map(|t| t.unit.id)
        .chain(moves.iter().map(|(_, parent)| *parent))
        .collect();
    for parent in parents {
        let mut seen = BTreeSet::new();
        for child in store::children(&mut *tx, parent, effective).await? {
            if !seen.insert(child.code.clone()) {
                errors.push(CellError::keyed(
                    0,
                    "code",
                    "units-code-twice-under-parent",
                    &[("code", &child.code)],
                ));
            }
        }
    }
    Ok(())
}

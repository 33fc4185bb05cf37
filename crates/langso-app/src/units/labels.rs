//! Names that tell places apart. After the 2025 merger Xã Ô Diên holds four "Thôn Hòa Bình"
//! and seven "Cụm dân cư số 1"; wherever units are listed, a name shared with another unit in
//! view carries what tells it apart: the former parent the unit came from ("Thôn Hòa Bình
//! (Hồng Hà cũ)"), or, when that does not do it either, the unit's code.
//!
//! A label is data, not a sentence: the web words it by key (`units-formerly`) in the page's
//! language; [`std::fmt::Display`] words it the Vietnamese way, for reports, posters and
//! exports, which are Vietnamese documents.

use std::collections::HashMap;
use std::fmt;

use langso_domain::text::fold;
use langso_store::units::{self as store, LabelRow};
use time::Date;
use uuid::Uuid;

use crate::{AppResult, Db};

/// A unit's name as shown among others, with what tells it apart when the name is shared.
/// At most one of `former` and `code` is set.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct UnitLabel {
    /// The unit.
    pub id: Uuid,
    /// Its name, as entered.
    pub name: String,
    /// The short name of the parent it came from ("Hồng Hà" for Xã Hồng Hà), when that tells
    /// it apart from the others of the same name.
    pub former: Option<String>,
    /// Its code, when nothing else tells it apart.
    pub code: Option<String>,
}

impl UnitLabel {
    /// A label with nothing added (a unit whose name nobody else in view has).
    pub fn plain(id: Uuid, name: impl Into<String>) -> Self {
        Self {
            id,
            name: name.into(),
            former: None,
            code: None,
        }
    }
}

/// "Thôn Hòa Bình (Hồng Hà cũ)", "Cụm dân cư số 1 (09817-C01)" or just the name.
impl fmt::Display for UnitLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.former, &self.code) {
            (Some(former), _) => write!(f, "{} ({former} cũ)", self.name),
            (None, Some(code)) => write!(f, "{} ({code})", self.name),
            (None, None) => f.write_str(&self.name),
        }
    }
}

/// The labels of a set of units, by id.
#[derive(Clone, Debug, Default)]
pub struct Labels(HashMap<Uuid, UnitLabel>);

impl Labels {
    /// Every unit of the set with its label's text.
    pub fn texts(&self) -> impl Iterator<Item = (Uuid, String)> + '_ {
        self.0.iter().map(|(id, label)| (*id, label.to_string()))
    }

    /// The label of `id`, if it was in the set.
    pub fn get(&self, id: Uuid) -> Option<&UnitLabel> {
        self.0.get(&id)
    }

    /// The label of `id`, or a plain one with `name` for a unit outside the set.
    pub fn label_or(&self, id: Uuid, name: &str) -> UnitLabel {
        self.get(id)
            .cloned()
            .unwrap_or_else(|| UnitLabel::plain(id, name))
    }

    /// The Vietnamese wording of `id`'s label, or `name` for a unit outside the set.
    pub fn text_or(&self, id: Uuid, name: &str) -> String {
        self.get(id)
            .map_or_else(|| name.to_owned(), ToString::to_string)
    }

    /// How many units are labelled.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no unit is labelled.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every label, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = &UnitLabel> {
        self.0.values()
    }
}

/// The labels of the units under `root` on `date` (down to `depth` levels), each unique among
/// its siblings: one query for the whole subtree.
pub async fn labels_under(db: &Db, root: Uuid, date: Date, depth: u8) -> AppResult<Labels> {
    let rows = store::label_rows_under(db, root, date, i64::from(depth)).await?;
    Ok(tell_apart(rows, |row| row.parent_id))
}

/// The labels of `ids`, unique within the set (a list that mixes units of several parents,
/// like the placements of QR guides under a province): one query per 200 units.
pub async fn labels_of(db: &Db, ids: &[Uuid], date: Date) -> AppResult<Labels> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let rows = store::label_rows_of(db, &ids, date).await?;
    Ok(tell_apart(rows, |_| None))
}

/// The label of one unit among its siblings on `date` (a household's village, shown alone
/// but read by people who know the other "Thôn Hòa Bình" of the commune): two queries.
pub async fn label_among_siblings(db: &Db, id: Uuid, date: Date) -> AppResult<Option<UnitLabel>> {
    let Some(parent) = store::parent_at(db, id, date).await? else {
        return Ok(None);
    };
    Ok(labels_under(db, parent.id, date, 1).await?.get(id).cloned())
}

/// A unit with its latest former parent (the rows come once per earlier parent).
struct Candidate {
    id: Uuid,
    code: String,
    name: String,
    group: Option<Uuid>,
    former: Option<(Date, String)>,
}

/// Labels units so that no two in the same group (siblings, or the whole set) read the same.
pub fn tell_apart(rows: Vec<LabelRow>, group_of: impl Fn(&LabelRow) -> Option<Uuid>) -> Labels {
    let mut units: HashMap<Uuid, Candidate> = HashMap::new();
    for row in rows {
        let group = group_of(&row);
        let former = row.former_to.zip(row.former_name);
        let unit = units.entry(row.id).or_insert_with(|| Candidate {
            id: row.id,
            code: row.code,
            name: row.name,
            group,
            former: None,
        });
        if let Some((to, name)) = former
            && unit.former.as_ref().is_none_or(|(day, _)| to > *day)
        {
            unit.former = Some((to, name));
        }
    }
    let mut same_name: HashMap<(Option<Uuid>, String), Vec<Candidate>> = HashMap::new();
    for unit in units.into_values() {
        same_name
            .entry((unit.group, fold(&unit.name)))
            .or_default()
            .push(unit);
    }
    let mut labels = HashMap::new();
    for (_, namesakes) in same_name {
        if let [unit] = namesakes.as_slice() {
            labels.insert(unit.id, UnitLabel::plain(unit.id, unit.name.clone()));
            continue;
        }
        let short: Vec<Option<String>> = namesakes
            .iter()
            .map(|u| u.former.as_ref().map(|(_, name)| short_name(name)))
            .collect();
        let folded: Vec<Option<String>> = short.iter().map(|s| s.as_deref().map(fold)).collect();
        for (i, unit) in namesakes.into_iter().enumerate() {
            let unique = folded[i].as_ref().is_some_and(|mine| {
                folded
                    .iter()
                    .filter(|other| other.as_ref() == Some(mine))
                    .count()
                    == 1
            });
            let label = if unique {
                UnitLabel {
                    former: short[i].clone(),
                    ..UnitLabel::plain(unit.id, unit.name)
                }
            } else {
                UnitLabel {
                    code: Some(unit.code),
                    ..UnitLabel::plain(unit.id, unit.name)
                }
            };
            labels.insert(label.id, label);
        }
    }
    Labels(labels)
}

/// A unit's name without the word for its kind: "Hồng Hà" for "Xã Hồng Hà", "Đan Phượng" for
/// "Huyện Đan Phượng". A name that would be left a bare number ("Phường 1") stays whole.
pub fn short_name(name: &str) -> String {
    const KINDS: [&str; 12] = [
        "thi tran",
        "thi xa",
        "thanh pho",
        "dac khu",
        "tinh",
        "huyen",
        "quan",
        "xa",
        "phuong",
        "thon",
        "to dan pho",
        "cum dan cu",
    ];
    let folded = fold(name);
    let Some(kind) = KINDS.iter().find(|kind| {
        folded
            .strip_prefix(**kind)
            .is_some_and(|rest| rest.starts_with(' '))
    }) else {
        return name.trim().to_owned();
    };
    let words = kind.split(' ').count();
    let rest: Vec<&str> = name.split_whitespace().skip(words).collect();
    if rest.is_empty() || rest.iter().all(|w| w.chars().all(|c| c.is_ascii_digit())) {
        name.trim().to_owned()
    } else {
        rest.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(n: u128, code: &str, name: &str, former: Option<(&str, Date)>) -> LabelRow {
        LabelRow {
            id: Uuid::from_u128(n),
            code: code.to_owned(),
            name: name.to_owned(),
            parent_id: Some(Uuid::from_u128(1000)),
            former_name: former.map(|(f, _)| f.to_owned()),
            former_to: former.map(|(_, d)| d),
        }
    }

    #[test]
    fn short_names_drop_the_kind_word() {
        assert_eq!(short_name("Xã Hồng Hà"), "Hồng Hà");
        assert_eq!(short_name("Thị trấn Phùng"), "Phùng");
        assert_eq!(short_name("Huyện Đan Phượng"), "Đan Phượng");
        assert_eq!(short_name("Phường 1"), "Phường 1");
        assert_eq!(short_name("Xãhội"), "Xãhội");
    }

    #[test]
    fn namesakes_carry_their_former_parent_or_their_code() {
        let day = time::macros::date!(2025 - 06 - 30);
        let earlier = time::macros::date!(2010 - 12 - 31);
        let labels = tell_apart(
            vec![
                row(1, "A-1", "Thôn Hòa Bình", Some(("Xã Hồng Hà", day))),
                row(1, "A-1", "Thôn Hòa Bình", Some(("Xã Cũ Hơn", earlier))),
                row(2, "B-1", "Thôn Hoà Bình", Some(("Xã Liên Hà", day))),
                row(3, "C-1", "Thôn Hòa Bình", None),
                row(4, "D-1", "Thôn Đông", Some(("Xã Hồng Hà", day))),
                row(5, "E-1", "Cụm dân cư số 1", Some(("Xã Tân Hội", day))),
                row(6, "F-1", "Cụm dân cư số 1", Some(("Xã Tân Hội", day))),
            ],
            |r| r.parent_id,
        );
        let text = |n| labels.get(Uuid::from_u128(n)).unwrap().to_string();
        assert_eq!(text(1), "Thôn Hòa Bình (Hồng Hà cũ)");
        assert_eq!(text(2), "Thôn Hoà Bình (Liên Hà cũ)");
        assert_eq!(text(3), "Thôn Hòa Bình (C-1)");
        assert_eq!(text(4), "Thôn Đông");
        assert_eq!(text(5), "Cụm dân cư số 1 (E-1)");
        assert_eq!(text(6), "Cụm dân cư số 1 (F-1)");
        assert_eq!(labels.len(), 6);
    }
}

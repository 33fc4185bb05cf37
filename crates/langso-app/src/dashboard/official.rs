//! The monthly report as an administrative document (Nghị định 30/2020/NĐ-CP): the frame
//! around [`super::report_model`]. The issuing body, its superior and the place come from the
//! unit and its parent; the number, the recipients and the signer from the officer's form
//! ([`Signing`]), with defaults by the unit's level that name offices, never people.

use langso_domain::units::{Level, Unit, UnitKind};
use langso_render::official::Letterhead;
use langso_render::report::{report_pdf_with, report_xlsx_with};
use langso_store::units as unit_store;
use time::Date;
use uuid::Uuid;

use super::report::with_service_levels;
use super::{Dashboard, dashboard};
use crate::audit::{Change, record_alone};
use crate::auth::Actor;
use crate::{AppError, AppResult, Db, today};

/// What the officer writes before the report is produced. Empty fields take the defaults of
/// [`Signing::defaults`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Signing {
    /// The number given by the office's register ("15"); empty leaves the space to write it.
    pub number: String,
    /// Recipients, one a line ("UBND thành phố Hà Nội (b/c)").
    pub recipients: Vec<String>,
    /// Signing for ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH").
    pub capacity: String,
    /// The signer's title ("CHỦ TỊCH", "PHÓ CHỦ TỊCH").
    pub signer_title: String,
    /// The signer's name.
    pub signer_name: String,
}

/// The longest text a form field may hold, and the most recipients.
pub const MAX_FIELD_CHARS: usize = 200;
/// See [`MAX_FIELD_CHARS`].
pub const MAX_RECIPIENTS: usize = 20;

/// Names as written in a document's header: "Xã Ô Diên" → "XÃ Ô DIÊN".
fn upper(name: &str) -> String {
    name.to_uppercase()
}

/// A body named after its unit: "ỦY BAN NHÂN DÂN XÃ Ô DIÊN" for administrative units, the
/// unit's name for villages and street groups (they have no people's committee).
pub fn body(name: &str, level: Level) -> String {
    match level {
        Level::Village => upper(name),
        _ => format!("ỦY BAN NHÂN DÂN {}", upper(name)),
    }
}

/// The place in "Ô Diên, ngày …": the unit's name without its kind.
pub fn place(name: &str) -> String {
    const KINDS: &[&str] = &[
        "Thành phố ",
        "Tỉnh ",
        "Huyện ",
        "Quận ",
        "Thị xã ",
        "Thị trấn ",
        "Xã ",
        "Phường ",
        "Đặc khu ",
    ];
    KINDS
        .iter()
        .find_map(|kind| name.strip_prefix(kind))
        .unwrap_or(name)
        .to_owned()
}

/// "ngày 06 tháng 12 năm 2026": days under 10 and months under 3 written with a zero.
pub fn written_date(date: Date) -> String {
    let month = u8::from(date.month());
    let month = if month < 3 {
        format!("{month:02}")
    } else {
        month.to_string()
    };
    format!("ngày {:02} tháng {month} năm {}", date.day(), date.year())
}

impl Signing {
    /// The defaults for a unit (`parent`: the unit above it, if any): the capacity and title
    /// of a people's committee's chair (or a village head), the superior body and the
    /// archive as recipients.
    pub fn defaults(unit: &Unit, parent: Option<&Unit>) -> Signing {
        let village = unit.kind.level() == Level::Village;
        let mut recipients = Vec::new();
        if let Some(parent) = parent {
            recipients.push(format!("{} (b/c)", body(&parent.name, parent.kind.level())));
        }
        recipients.push("Lưu: VT".to_owned());
        Signing {
            number: String::new(),
            recipients,
            capacity: if village {
                String::new()
            } else {
                "TM. ỦY BAN NHÂN DÂN".to_owned()
            },
            signer_title: if village {
                match unit.kind {
                    UnitKind::StreetGroup => "TỔ TRƯỞNG TỔ DÂN PHỐ",
                    _ => "TRƯỞNG THÔN",
                }
                .to_owned()
            } else {
                "CHỦ TỊCH".to_owned()
            },
            signer_name: String::new(),
        }
    }

    /// Refuses fields past [`MAX_FIELD_CHARS`] or more than [`MAX_RECIPIENTS`] lines.
    pub fn check(&self) -> AppResult<()> {
        let long = [
            &self.number,
            &self.capacity,
            &self.signer_title,
            &self.signer_name,
        ]
        .into_iter()
        .chain(&self.recipients)
        .any(|t| t.chars().count() > MAX_FIELD_CHARS);
        if long || self.recipients.len() > MAX_RECIPIENTS {
            return Err(AppError::refused_key(
                "report-signing-too-long",
                &[("chars", &MAX_FIELD_CHARS), ("lines", &MAX_RECIPIENTS)],
            ));
        }
        Ok(())
    }
}

/// The unit reported on and the unit above it on `date`.
pub async fn report_units(db: &Db, unit: Uuid, date: Date) -> AppResult<(Unit, Option<Unit>)> {
    let parent = unit_store::parent_at(db, unit, date).await?;
    let unit = unit_store::get(db, unit).await?.ok_or(AppError::NotFound)?;
    Ok((unit, parent))
}

/// The frame of the report of `d` signed as `signing` (empty fields take the defaults).
pub fn letterhead(
    d: &Dashboard,
    unit: &Unit,
    parent: Option<&Unit>,
    signing: &Signing,
) -> Letterhead {
    let defaults = Signing::defaults(unit, parent);
    let or = |given: &str, default: &str| {
        let given = given.trim();
        if given.is_empty() {
            default.to_owned()
        } else {
            given.to_owned()
        }
    };
    let village = unit.kind.level() == Level::Village;
    let symbol = if village { "BC" } else { "BC-UBND" };
    let number = signing.number.trim();
    let number = if number.is_empty() {
        format!("Số:       /{symbol}")
    } else {
        format!("Số: {number}/{symbol}")
    };
    // A village reports from its commune's seat.
    let seat = if village {
        parent.unwrap_or(unit)
    } else {
        unit
    };
    let recipients: Vec<&String> = signing
        .recipients
        .iter()
        .filter(|r| !r.trim().is_empty())
        .collect();
    let recipients = if recipients.is_empty() {
        defaults.recipients.iter().collect()
    } else {
        recipients
    };
    let last = recipients.len().saturating_sub(1);
    let month = u8::from(d.as_of.month());
    Letterhead {
        superior: parent.map_or_else(String::new, |p| body(&p.name, p.kind.level())),
        issuer: body(&unit.name, unit.kind.level()),
        number,
        place_date: format!("{}, {}", place(&seat.name), written_date(today())),
        kind: "BÁO CÁO".to_owned(),
        summary: format!(
            "Kết quả thực hiện Chương trình Thôn thông minh tháng {month:02}/{} của {}",
            d.as_of.year(),
            d.name
        ),
        recipients: recipients
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let r = r
                    .trim()
                    .trim_start_matches('-')
                    .trim()
                    .trim_end_matches([';', '.']);
                format!("- {r}{}", if i == last { "." } else { ";" })
            })
            .collect(),
        capacity: if signing.capacity.trim().is_empty() && !signing.signer_title.trim().is_empty() {
            String::new()
        } else {
            or(&signing.capacity, &defaults.capacity)
        },
        signer_title: or(&signing.signer_title, &defaults.signer_title),
        signer_name: signing.signer_name.trim().to_owned(),
    }
}

async fn framed(
    db: &Db,
    actor: &Actor,
    unit: Uuid,
    date: Date,
    signing: &Signing,
) -> AppResult<(Dashboard, Letterhead)> {
    signing.check()?;
    let d = dashboard(db, actor, unit, date).await?;
    // The document is issued today, by the unit and under the superior of today.
    let (unit, parent) = report_units(db, unit, today()).await?;
    let head = letterhead(&d, &unit, parent.as_ref(), signing);
    Ok((d, head))
}

async fn audited(db: &Db, actor: &Actor, d: &Dashboard, format: &str) -> AppResult<()> {
    record_alone(
        db,
        actor,
        Change {
            action: "report.export",
            target_type: "monthly_report",
            target_id: format!("{} {} {format}", d.code, d.as_of),
            unit_id: Some(d.unit_id),
            summary: format!("{} ({format})", d.name),
        },
    )
    .await
}

/// The monthly report as an A4 PDF administrative document (audited).
pub async fn official_report_pdf(
    db: &Db,
    actor: &Actor,
    unit: Uuid,
    date: Date,
    signing: &Signing,
) -> AppResult<Vec<u8>> {
    let (d, head) = framed(db, actor, unit, date, signing).await?;
    let bytes = report_pdf_with(&with_service_levels(db, actor, &d, date).await, Some(&head))?;
    audited(db, actor, &d, "pdf").await?;
    Ok(bytes)
}

/// The monthly report as XLSX, each sheet under the document's header (audited).
pub async fn official_report_xlsx(
    db: &Db,
    actor: &Actor,
    unit: Uuid,
    date: Date,
    signing: &Signing,
) -> AppResult<Vec<u8>> {
    let (d, head) = framed(db, actor, unit, date, signing).await?;
    let bytes = report_xlsx_with(&with_service_levels(db, actor, &d, date).await, Some(&head))?;
    audited(db, actor, &d, "xlsx").await?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn dates_and_places_as_decree_30_writes_them() {
        assert_eq!(
            written_date(date!(2026 - 12 - 06)),
            "ngày 06 tháng 12 năm 2026"
        );
        assert_eq!(
            written_date(date!(2026 - 02 - 15)),
            "ngày 15 tháng 02 năm 2026"
        );
        assert_eq!(
            written_date(date!(2026 - 03 - 01)),
            "ngày 01 tháng 3 năm 2026"
        );
        assert_eq!(place("Xã Ô Diên"), "Ô Diên");
        assert_eq!(place("Thành phố Hà Nội"), "Hà Nội");
        assert_eq!(
            body("Xã Ô Diên", Level::Commune),
            "ỦY BAN NHÂN DÂN XÃ Ô DIÊN"
        );
    }
}

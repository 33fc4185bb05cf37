//! Posters and QR images for placements: the words come from the guide in force, the layout
//! from langso-render.

use langso_domain::procedures::{Channel, Placement, ProcedureVersion};
use langso_domain::units::Unit;
use langso_render::poster::{Poster, PosterSection, posters_pdf};
use langso_render::qr::{Correction, QrMatrix, SIZE_RANGE};
use langso_store::procedures as store;
use uuid::Uuid;

use crate::auth::{Actor, policy};
use crate::units::Labels;
use crate::{AppError, AppResult, CellError, Db, today};
use langso_domain::auth::Permission;

/// What posters need beyond the database.
#[derive(Clone, Debug, Default)]
pub struct PosterSettings {
    /// The public address residents reach (`https://langso.example.gov.vn`), without a final
    /// slash: QR codes encode `{public_url}/q/{token}`.
    pub public_url: String,
    /// The hotline printed at the foot of every poster, if any.
    pub hotline: Option<String>,
}

impl PosterSettings {
    /// The short URL a placement's QR encodes.
    pub fn scan_url(&self, placement: &Placement) -> String {
        format!(
            "{}/q/{}",
            self.public_url.trim_end_matches('/'),
            placement.token
        )
    }
}

fn size_checked(size: u32) -> AppResult<u32> {
    if SIZE_RANGE.contains(&size) {
        Ok(size)
    } else {
        Err(AppError::Invalid(vec![CellError::keyed(
            0,
            "size",
            "procedures-size-range",
            &[("min", SIZE_RANGE.start()), ("max", SIZE_RANGE.end())],
        )]))
    }
}

/// A placement the actor may print: read access to its unit's figures.
async fn printable(db: &Db, actor: &Actor, id: Uuid) -> AppResult<Placement> {
    let placement = store::placement(db, id).await?.ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::ReadDashboard, placement.unit_id).await?;
    Ok(placement)
}

async fn placement_qr(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    settings: &PosterSettings,
) -> AppResult<QrMatrix> {
    let placement = printable(db, actor, id).await?;
    Ok(QrMatrix::encode(
        &settings.scan_url(&placement),
        Correction::Medium,
    )?)
}

/// The placement's QR as a PNG about `size` pixels wide (error correction M, quiet zone).
pub async fn qr_png(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    settings: &PosterSettings,
    size: u32,
) -> AppResult<Vec<u8>> {
    let size = size_checked(size)?;
    Ok(placement_qr(db, actor, id, settings).await?.png(size)?)
}

/// The placement's QR as an SVG `size` pixels wide (error correction M, quiet zone).
pub async fn qr_svg(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    settings: &PosterSettings,
    size: u32,
) -> AppResult<String> {
    let size = size_checked(size)?;
    Ok(placement_qr(db, actor, id, settings).await?.svg(size))
}

/// "Thôn Tháp Thượng, Xã Ô Diên": the unit and its commune-level ancestor today; a unit with
/// namesakes in its commune carries its former commune ("Thôn Hòa Bình (Hồng Hà cũ), Xã Ô
/// Diên"). `labels` are those already read for a batch of posters.
async fn unit_line(db: &Db, unit_id: Uuid, labels: Option<&Labels>) -> AppResult<String> {
    let ancestors: Vec<Unit> = langso_store::units::ancestors(db, unit_id, today()).await?;
    let own = langso_store::units::get(db, unit_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let name = match labels.and_then(|l| l.get(unit_id)) {
        Some(label) => label.to_string(),
        None => crate::units::label_among_siblings(db, unit_id, today())
            .await?
            .map_or(own.name, |label| label.to_string()),
    };
    let commune = ancestors
        .iter()
        .rev()
        .find(|u| u.id != unit_id && u.kind.level() == langso_domain::units::Level::Commune);
    Ok(match commune {
        Some(commune) => format!("{name}, {}", commune.name),
        None => name,
    })
}

fn channel_line(channel: Channel) -> &'static str {
    match channel {
        Channel::OneStop => "Bộ phận một cửa Ủy ban nhân dân xã",
        Channel::Portal => "Trực tuyến: Cổng Dịch vụ công quốc gia (dichvucong.gov.vn)",
        Channel::Vneid => "Ứng dụng VNeID (tài khoản định danh điện tử mức 2)",
    }
}

fn one_procedure(poster: &mut Poster, guide: &ProcedureVersion) {
    let c = &guide.content;
    poster.title = c.name_vi.clone();
    poster.subtitle = format!("{} · Mã thủ tục {}", c.name_en, guide.code);
    poster.sections.push(PosterSection {
        heading: "Các bước thực hiện".to_owned(),
        items: c.steps_vi.clone(),
        numbered: true,
    });
    poster.sections.push(PosterSection {
        heading: "Lệ phí".to_owned(),
        items: c.fee_lines(),
        numbered: false,
    });
    poster.sections.push(PosterSection {
        heading: "Nơi nộp hồ sơ".to_owned(),
        items: c
            .channels
            .iter()
            .map(|ch| channel_line(*ch).to_owned())
            .collect(),
        numbered: false,
    });
    if let Some(linked) = &c.vneid_service_vi {
        poster.sections.push(PosterSection {
            heading: "Dịch vụ liên thông".to_owned(),
            items: vec![linked.clone()],
            numbered: false,
        });
    }
    poster.sections.push(PosterSection {
        heading: "Thời hạn giải quyết".to_owned(),
        items: vec![c.processing_time_vi.clone()],
        numbered: false,
    });
}

fn several_procedures(poster: &mut Poster, placement: &Placement, guides: &[&ProcedureVersion]) {
    poster.title = "Thủ tục hành chính thường gặp".to_owned();
    poster.subtitle = format!("Common administrative procedures · {}", placement.label);
    for guide in guides {
        let mut items = Vec::new();
        for (i, line) in guide.content.fee_lines().into_iter().enumerate() {
            items.push(if i == 0 {
                format!("Lệ phí: {line}")
            } else {
                line
            });
        }
        poster.sections.push(PosterSection {
            heading: format!("{} ({})", guide.content.name_vi, guide.code),
            items,
            numbered: false,
        });
    }
}

async fn poster_for(
    db: &Db,
    placement: &Placement,
    guides: &[ProcedureVersion],
    settings: &PosterSettings,
    labels: Option<&Labels>,
) -> AppResult<Poster> {
    let url = settings.scan_url(placement);
    let chosen: Vec<&ProcedureVersion> = placement
        .procedures
        .iter()
        .filter_map(|code| guides.iter().find(|g| &g.code == code))
        .collect();
    let mut poster = Poster {
        kicker: "HƯỚNG DẪN THỦ TỤC HÀNH CHÍNH".to_owned(),
        qr_url: url.clone(),
        qr_caption: vec![
            "Quét mã QR để xem hướng dẫn đầy đủ".to_owned(),
            "Scan for the full guide (Tiếng Việt / English)".to_owned(),
            url,
        ],
        ..Poster::default()
    };
    match chosen.as_slice() {
        [] => {
            return Err(AppError::refused_key(
                "procedures-placement-no-procedure-in-force",
                &[],
            ));
        }
        [one] => one_procedure(&mut poster, one),
        several => several_procedures(&mut poster, placement, several),
    }
    poster
        .footer
        .push(unit_line(db, placement.unit_id, labels).await?);
    poster.footer.push(placement.label.clone());
    if let Some(hotline) = settings.hotline.as_deref().filter(|h| !h.trim().is_empty()) {
        poster
            .footer
            .push(format!("Đường dây nóng / Hotline: {hotline}"));
    }
    Ok(poster)
}

/// One placement's A4 poster as a PDF.
pub async fn placement_poster_pdf(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    settings: &PosterSettings,
) -> AppResult<Vec<u8>> {
    let placement = printable(db, actor, id).await?;
    let guides = store::in_force(db, today()).await?;
    let poster = poster_for(db, &placement, &guides, settings, None).await?;
    Ok(posters_pdf(&poster.title.clone(), &[poster])?)
}

/// Every active placement under the unit holding `unit_code` today, one page each, in one
/// PDF: (the unit's name, the PDF, the number of pages).
pub async fn unit_posters_pdf(
    db: &Db,
    actor: &Actor,
    unit_code: &str,
    settings: &PosterSettings,
) -> AppResult<(String, Vec<u8>, usize)> {
    let unit = langso_store::units::by_code(db, unit_code.trim(), today())
        .await?
        .ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::ReadDashboard, unit.id).await?;
    let guides = store::in_force(db, today()).await?;
    // One read of the labels for every poster of the batch.
    let labels = crate::units::labels_under(db, unit.id, today(), 6).await?;
    let mut posters = Vec::new();
    for placement in store::placements_under(db, unit.id, today()).await? {
        if placement.active {
            posters.push(poster_for(db, &placement, &guides, settings, Some(&labels)).await?);
        }
    }
    if posters.is_empty() {
        return Err(AppError::refused_key("procedures-unit-no-placement", &[]));
    }
    let title = format!("Áp phích mã QR — {}", unit.name);
    let pages = posters.len();
    Ok((unit.name, posters_pdf(&title, &posters)?, pages))
}

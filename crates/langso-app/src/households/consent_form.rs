//! The paper side of consent: the scan of a signed form, kept with its event (a PDF,
//! JPEG or PNG told by its first bytes, at most [`MAX_SCAN`]), and the printable form of a
//! household in Vietnamese, listing its people and the purposes with signature lines.

use langso_domain::auth::Permission;
use langso_domain::consent::{PURPOSES, scan_type};
use langso_render::consent_form::{ConsentForm, consent_form_pdf as render};
use langso_render::official::Letterhead;
use langso_store::households::{self as store, ConsentScanRow};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::audit::{self, Change};
use crate::auth::policy;
use crate::dashboard::written_date;
use crate::{Actor, AppError, AppResult, CellError, Db, today};

/// The largest scan accepted: 5 MB, a few pages scanned at office quality.
pub const MAX_SCAN: usize = 5 * 1024 * 1024;

fn refused(key: &'static str) -> AppError {
    AppError::Invalid(vec![CellError::keyed(0, "scan", key, &[])])
}

/// Keeps the scan of the paper form of `consent` (an event of `household` recorded on paper,
/// with no scan yet).
pub async fn attach_scan(
    db: &Db,
    actor: &Actor,
    household: Uuid,
    consent: Uuid,
    bytes: &[u8],
) -> AppResult<()> {
    let row = store::get_household(db, household)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::WritePeople, row.unit_id).await?;
    let event = store::consents_of(db, household)
        .await?
        .into_iter()
        .find(|e| e.id == consent)
        .ok_or(AppError::NotFound)?;
    if event.method != "paper" {
        return Err(refused("households-consent-scan-not-paper"));
    }
    if event.has_scan {
        return Err(refused("households-consent-scan-exists"));
    }
    if bytes.is_empty() || bytes.len() > MAX_SCAN {
        return Err(AppError::Invalid(vec![CellError::keyed(
            0,
            "scan",
            "households-consent-scan-size",
            &[("limit", &(MAX_SCAN / 1024 / 1024))],
        )]));
    }
    let Some(content_type) = scan_type(bytes) else {
        return Err(refused("households-consent-scan-type"));
    };
    let mut tx = db.begin().await?;
    store::insert_consent_scan(
        &mut tx,
        &ConsentScanRow {
            consent_id: event.id,
            household_id: row.id,
            content_type: content_type.to_owned(),
            content: bytes.to_vec(),
            created_at: OffsetDateTime::now_utc(),
        },
    )
    .await?;
    audit::record(
        &mut tx,
        actor,
        Change {
            action: "household.consent_scan",
            target_type: "household",
            target_id: row.code.clone(),
            unit_id: Some(row.unit_id),
            summary: format!(
                "consent={} type={content_type} bytes={}",
                event.id,
                bytes.len()
            ),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The scan of a paper form: names and signatures as written, so it needs the PII right
/// like any unmasked view, and the view is recorded as one.
pub async fn consent_scan(
    db: &Db,
    actor: &Actor,
    household: Uuid,
    consent: Uuid,
) -> AppResult<ConsentScanRow> {
    let row = store::get_household(db, household)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::ReadPeople, row.unit_id).await?;
    if !actor.pii && !actor.is_system() {
        return Err(AppError::Forbidden);
    }
    let scan = store::consent_scan(db, household, consent)
        .await?
        .ok_or(AppError::NotFound)?;
    super::seen::record_seen(
        db,
        actor,
        Change {
            action: "household.consent_scan_view",
            target_type: "household",
            target_id: row.code.clone(),
            unit_id: Some(row.unit_id),
            summary: format!("consent={consent}"),
        },
        &[row.id],
    )
    .await?;
    Ok(scan)
}

/// Words for a relation code on the form.
fn relation_words(code: &str) -> &'static str {
    match code {
        "representative" => "Đại diện hộ",
        "head" => "Chủ hộ",
        "spouse" => "Vợ/chồng",
        "child" => "Con",
        "parent" => "Bố/mẹ",
        _ => "Khác",
    }
}

/// Words for a purpose code on the form.
fn purpose_words(code: &str) -> &'static str {
    match code {
        "programme" => "Tổ công nghệ số cộng đồng của thôn liên hệ (gọi điện, đến nhà)",
        "announcements" => "Nhận tin nhắn SMS/Zalo (thông báo của thôn, xã)",
        _ => "Tham gia khảo sát mức độ sử dụng dịch vụ số của hộ",
    }
}

/// The printable consent form of a household (A4 PDF, Vietnamese), listing the people the
/// ledger knows (the head and the representative first) and blank blocks for the others.
pub async fn consent_form_pdf(db: &Db, actor: &Actor, household: Uuid) -> AppResult<Vec<u8>> {
    let row = store::get_household(db, household)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::require(db, actor, Permission::ReadPeople, row.unit_id).await?;
    let commune = langso_store::units::get(db, row.commune_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let village = langso_store::units::get(db, row.unit_id)
        .await?
        .map(|u| u.name)
        .unwrap_or_default();
    let mut people: Vec<(String, String)> = Vec::new();
    let mut add = |name: &str, relation: &str| {
        let known = people
            .iter()
            .any(|(n, _)| langso_domain::text::fold(n) == langso_domain::text::fold(name));
        if !name.trim().is_empty() && !known {
            people.push((name.trim().to_owned(), relation_words(relation).to_owned()));
        }
    };
    add(&row.head_name, "head");
    add(&row.representative_name, "representative");
    if let Some(state) = super::consent_state(db, household).await? {
        for p in &state.people {
            add(&p.name, &p.relation);
        }
    }
    let place = ["Xã ", "Phường ", "Thị trấn ", "Đặc khu "]
        .iter()
        .find_map(|k| commune.name.strip_prefix(k))
        .unwrap_or(&commune.name)
        .to_owned();
    let blank = usize::try_from(row.members.max(0))
        .unwrap_or(0)
        .saturating_sub(people.len())
        .clamp(1, 10);
    let form = ConsentForm {
        head: Letterhead {
            superior: String::new(),
            issuer: format!("ỦY BAN NHÂN DÂN {}", commune.name.to_uppercase()),
            number: String::new(),
            place_date: format!("{place}, {}", written_date(today())),
            kind: "PHIẾU ĐỒNG Ý XỬ LÝ DỮ LIỆU CÁ NHÂN".to_owned(),
            summary: "Chương trình chuyển đổi số cộng đồng".to_owned(),
            recipients: Vec::new(),
            capacity: String::new(),
            signer_title: "NGƯỜI TIẾP NHẬN".to_owned(),
            signer_name: String::new(),
        },
        household: vec![
            ("Mã hộ:".to_owned(), row.code.clone()),
            ("Chủ hộ:".to_owned(), row.head_name.clone()),
            (
                "Địa chỉ:".to_owned(),
                [
                    row.house_number.as_str(),
                    row.alley.as_str(),
                    row.hamlet.as_str(),
                    &village,
                ]
                .into_iter()
                .filter(|s| !s.trim().is_empty())
                .collect::<Vec<_>>()
                .join(", "),
            ),
        ],
        intro: vec![
            format!(
                "Theo Luật Bảo vệ dữ liệu cá nhân (Luật số 91/2025/QH15), {} đề nghị từng thành viên \
                 của hộ cho biết có đồng ý để dữ liệu cá nhân của mình được xử lý cho từng mục đích \
                 dưới đây hay không.",
                commune.name
            ),
            "Mỗi người có thể rút lại sự đồng ý bất cứ lúc nào, bằng cách báo cho cán bộ thôn, xã \
             (trực tiếp, qua điện thoại hoặc bằng văn bản); việc rút lại có hiệu lực ngay."
                .to_owned(),
        ],
        purposes: PURPOSES
            .iter()
            .map(|p| purpose_words(p).to_owned())
            .collect(),
        people,
        blank,
        words: [
            "Đồng ý".to_owned(),
            "Không đồng ý".to_owned(),
            "Họ và tên".to_owned(),
            "Quan hệ với hộ".to_owned(),
            "Ngày ..... tháng ..... năm ..........".to_owned(),
            "Ký, ghi rõ họ tên".to_owned(),
        ],
    };
    let pdf = render(&form).map_err(|e| AppError::Internal(e.to_string()))?;
    audit::record_alone(
        db,
        actor,
        Change {
            action: "household.consent_form",
            target_type: "household",
            target_id: row.code.clone(),
            unit_id: Some(row.unit_id),
            summary: String::new(),
        },
    )
    .await?;
    Ok(pdf)
}

//! The record of processing activities and the impact assessment (Law 91/2025/QH15), generated
//! from the installation itself rather than written by hand: the kinds of data the schema
//! holds, the roles that reach them (from `langso_domain::auth`) with the accounts holding
//! them, the channels and processors configured for the unit, the retention lines given by
//! the caller, and the security measures the code applies, with figures read from the
//! database. A PDF and an XLSX under the unit's letterhead, ready to sign; for the unit's
//! administrators and officers (`ManageAccounts`), audited.

use langso_domain::auth::{Permission, Role};
use langso_domain::locale::minute;
use langso_render::official::Letterhead;
use langso_render::report::{Cell, Report, Section, report_pdf_with, report_xlsx_with};
use langso_store::comms as comms_store;
use langso_store::privacy::anomaly::EXPOSING;
use langso_store::privacy::record as store;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::anomaly::thresholds;
use super::breaches::letterhead;
use crate::audit::{Change, record_alone};
use crate::auth::{Actor, policy};
use crate::dashboard::{Signing, report_units};
use crate::{AppResult, Db, today};

/// The kinds of personal data Langso holds: (code, what it is in words).
pub const DATA_KINDS: [(&str, &str); 8] = [
    (
        "households",
        "Hộ gia đình: họ tên chủ hộ và người đại diện, địa chỉ (thôn, ngõ, số nhà)",
    ),
    (
        "members",
        "Thành viên hộ: số nhân khẩu, số người trưởng thành",
    ),
    (
        "phones",
        "Số điện thoại của người đại diện hộ, thành viên tổ CNSCĐ",
    ),
    (
        "citizen_ids",
        "Số định danh cá nhân (căn cước) của người đại diện hộ",
    ),
    (
        "digital_habits",
        "Thói quen số của hộ: thiết bị, Internet, dịch vụ công trực tuyến, thanh toán số",
    ),
    (
        "visits",
        "Các lần thăm hộ: ngày, người thăm, ghi nhận, hỗ trợ, ghi chú",
    ),
    (
        "fault_contacts",
        "Người báo sự cố: họ tên, số điện thoại, thư điện tử, ảnh gửi kèm",
    ),
    (
        "devices",
        "Thiết bị và tài khoản: tài khoản cán bộ, phiên đăng nhập, điện thoại dùng ngoại tuyến",
    ),
];

/// A data kind's words, or the code when unknown.
pub fn kind_label(code: &str) -> String {
    DATA_KINDS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or_else(|| code.to_owned(), |(_, words)| (*words).to_owned())
}

/// Why each kind is held (the purposes of processing).
fn purpose(code: &str) -> &'static str {
    match code {
        "households" | "members" => {
            "Quản lý hộ tham gia Chương trình chuyển đổi số, thống kê, báo cáo"
        }
        "phones" => "Liên hệ, gửi thông báo qua SMS/Zalo/thư điện tử khi có đồng ý",
        "citizen_ids" => "Xác định đúng người khi hỗ trợ dịch vụ công trực tuyến",
        "digital_habits" => "Khảo sát mức độ sử dụng công nghệ số, lập kế hoạch hỗ trợ",
        "visits" => "Theo dõi hỗ trợ tận hộ của Tổ công nghệ số cộng đồng",
        "fault_contacts" => "Tiếp nhận, xử lý và trả lời phản ánh sự cố của người dân",
        _ => "Đăng nhập, phân quyền, ghi nhật ký truy cập",
    }
}

/// One retention line of the record: a kind of data, how long it is kept, then what happens.
/// The retention rules (issue 21 item 4) hand their lines here; [`stated_retention`] states
/// what the installation does without them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetentionLine {
    /// The kind of data.
    pub kind: String,
    /// How long it is kept.
    pub keep: String,
    /// What happens after (deleted, anonymised).
    pub then: String,
}

/// The retention the installation applies without rules of its own: data kept while the
/// programme needs it and erased on request, the audit log never deleted, backups by count
/// (`backups_kept` when this server takes them on a schedule, else the setting's default).
pub fn stated_retention(backups_kept: Option<usize>) -> Vec<RetentionLine> {
    let backups = backups_kept.map_or_else(
        || "Số bản theo cấu hình LANGSO_BACKUP_KEEP (mặc định 7 bản)".to_owned(),
        |keep| format!("{keep} bản gần nhất, sao lưu theo lịch"),
    );
    let line = |kind: &str, keep: &str, then: &str| RetentionLine {
        kind: kind.to_owned(),
        keep: keep.to_owned(),
        then: then.to_owned(),
    };
    vec![
        line(
            "Hộ gia đình, thành viên, số điện thoại, số định danh",
            "Trong thời gian thực hiện Chương trình",
            "Xóa theo yêu cầu của chủ thể dữ liệu (xóa hộ: thay bằng dữ liệu ẩn danh)",
        ),
        line(
            "Nhật ký truy cập (audit)",
            "Không xóa",
            "Lưu làm bằng chứng; không chứa số cá nhân đầy đủ",
        ),
        line("Bản sao lưu", &backups, "Bản cũ hơn bị xóa tự động"),
    ]
}

/// The roles' rights in words.
fn rights(role: Role) -> String {
    let words = [
        (Permission::ReadPeople, "xem dữ liệu hộ"),
        (Permission::WritePeople, "sửa dữ liệu hộ"),
        (Permission::ExportPeople, "xuất danh sách"),
        (Permission::ReadAudit, "xem nhật ký"),
        (Permission::ManageAccounts, "quản lý tài khoản"),
        (Permission::ReadDashboard, "xem số liệu tổng hợp"),
    ];
    words
        .iter()
        .filter(|(p, _)| role.allows(*p))
        .map(|(_, w)| *w)
        .collect::<Vec<_>>()
        .join(", ")
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::Admin => "Quản trị",
        Role::Officer => "Cán bộ văn hóa - thông tin",
        Role::VillageHead => "Trưởng thôn, tổ trưởng tổ dân phố",
        Role::TeamMember => "Thành viên Tổ công nghệ số cộng đồng",
        Role::Viewer => "Người xem số liệu",
    }
}

/// The host of a provider's address, never its credentials.
fn host(endpoint: &str) -> String {
    let rest = endpoint.split_once("://").map_or(endpoint, |(_, r)| r);
    let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
    rest.split(['/', '?']).next().unwrap_or("").to_owned()
}

/// The record's model for `unit` (its name given), as read now.
pub async fn record_model(
    db: &Db,
    unit: Uuid,
    unit_name: &str,
    retention: &[RetentionLine],
) -> AppResult<Report> {
    let date = today();
    let now = OffsetDateTime::now_utc();
    let text = |t: &str| Cell::Text(t.to_owned());
    let households = store::households_under(db, unit, date).await?;
    let general = vec![
        vec![text("Bên kiểm soát dữ liệu"), text(unit_name)],
        vec![
            text("Hệ thống xử lý"),
            Cell::Text(format!(
                "Langso {} (cơ sở dữ liệu {})",
                env!("CARGO_PKG_VERSION"),
                db.dialect_name()
            )),
        ],
        vec![text("Số hộ gia đình đang lưu"), Cell::Count(households)],
        vec![text("Lập lúc"), Cell::Text(minute(now))],
    ];
    let kinds = DATA_KINDS
        .iter()
        .map(|(code, words)| {
            let basis = if *code == "phones" {
                "Đồng ý của chủ thể (liên hệ); nhiệm vụ của cơ quan nhà nước"
            } else {
                "Thực hiện nhiệm vụ của cơ quan nhà nước"
            };
            vec![text(words), text(purpose(code)), text(basis)]
        })
        .collect();
    let mut counts = store::accounts_by_role(db, unit, date).await?;
    counts.sort();
    let roles = Role::ALL
        .iter()
        .map(|role| {
            let (accounts, pii) = counts
                .iter()
                .find(|(r, ..)| r == role.as_str())
                .map_or((0, 0), |(_, a, p)| (*a, *p));
            vec![
                text(role_name(*role)),
                Cell::Text(rights(*role)),
                Cell::Count(accounts),
                Cell::Count(pii),
            ]
        })
        .collect();
    let mut channels = Vec::new();
    for (code, name, carries) in [
        ("zns", "Zalo (ZNS)", "Số điện thoại, nội dung thông báo"),
        (
            "sms",
            "SMS (cổng nhắn tin)",
            "Số điện thoại, nội dung tin nhắn",
        ),
        (
            "email",
            "Thư điện tử (SMTP)",
            "Địa chỉ thư, nội dung thông báo",
        ),
    ] {
        let settings = comms_store::channel_settings_for(db, unit, code, date).await?;
        let (processor, state) = match &settings {
            Some(s) => (
                format!("{} ({})", host(&s.endpoint), s.sender),
                if s.enabled {
                    "Đang dùng"
                } else {
                    "Đã tắt"
                },
            ),
            None => ("Chưa cấu hình".to_owned(), "Không dùng"),
        };
        channels.push(vec![
            text(name),
            Cell::Text(processor),
            text(state),
            text(carries),
        ]);
    }
    let retention = retention
        .iter()
        .map(|l| vec![text(&l.kind), text(&l.keep), text(&l.then)])
        .collect();
    let since = now - Duration::days(30);
    let exposures = store::entries_under(db, unit, date, EXPOSING, since).await?;
    let last_backup = langso_store::ops::last_backup(db).await?;
    let t = thresholds(db).await?;
    let measure = |what: &str, how: String| vec![text(what), Cell::Text(how)];
    let security = vec![
        measure(
            "Mật khẩu",
            "Băm bằng Argon2id, không lưu bản rõ; tối thiểu 10 ký tự; khóa tạm khi đăng nhập sai nhiều lần".to_owned(),
        ),
        measure(
            "Phiên đăng nhập",
            "Mã phiên ngẫu nhiên, chỉ lưu giá trị băm SHA-256; cookie HttpOnly; chống giả mạo yêu cầu (CSRF) trên mọi biểu mẫu".to_owned(),
        ),
        measure(
            "Che số cá nhân",
            "Số định danh và số điện thoại bị che (091*****78) với tài khoản không được cấp quyền, trên trang, API và tệp xuất".to_owned(),
        ),
        measure(
            "Phân quyền theo địa bàn",
            "Mỗi tài khoản chỉ thấy dữ liệu trong đơn vị được giao; ngoài phạm vi hệ thống trả lời như không tồn tại".to_owned(),
        ),
        measure(
            "Nhật ký truy cập",
            format!(
                "Mọi lần xem số đầy đủ và mọi lần xuất dữ liệu đều được ghi; 30 ngày qua: {} lượt trong đơn vị",
                langso_render::report::group_thousands(exposures)
            ),
        ),
        measure(
            "Phát hiện truy cập bất thường",
            format!(
                "Hằng ngày: tài khoản xem/xuất dữ liệu hơn {} lần mức trung bình 30 ngày và hơn {} người mở sự cố nháp, báo quản trị",
                t.factor, t.people
            ),
        ),
        measure(
            "Truyền dữ liệu ra ngoài",
            "Kết nối tới nhà cung cấp SMS, Zalo, thư điện tử được mã hóa TLS".to_owned(),
        ),
        measure(
            "Sao lưu",
            match last_backup {
                Some(b) => format!("Sao lưu định kỳ; bản thành công gần nhất: {}", minute(b.taken_at)),
                None => "Sao lưu định kỳ theo cấu hình; chưa ghi nhận bản sao lưu nào".to_owned(),
            },
        ),
        measure(
            "Vi phạm",
            "Sổ theo dõi vi phạm, thời hạn thông báo 72 giờ kể từ khi phát hiện".to_owned(),
        ),
    ];
    let risk = |what: &str, level: &str, how: &str| vec![text(what), text(level), text(how)];
    let pii: i64 = counts.iter().map(|(_, _, p)| p).sum();
    let impact = vec![
        risk(
            "Lộ số định danh, số điện thoại của người dân",
            if pii > 10 { "Cao" } else { "Trung bình" },
            &format!(
                "Che số mặc định; {pii} lượt cấp quyền xem số đầy đủ; ghi nhật ký mỗi lần xem"
            ),
        ),
        risk(
            "Xuất danh sách hàng loạt",
            "Trung bình",
            "Chỉ vai trò có quyền xuất; ghi nhật ký; phát hiện truy cập bất thường",
        ),
        risk(
            "Bên xử lý (SMS, Zalo, thư điện tử) nhận số điện thoại",
            "Thấp",
            "Chỉ gửi khi có đồng ý; chỉ chuyển số điện thoại và nội dung tin",
        ),
        risk(
            "Mất dữ liệu do sự cố",
            "Trung bình",
            "Sao lưu định kỳ; khôi phục được kiểm tra",
        ),
    ];
    let section = |title: &str, headers: &[&str], rows| Section {
        title: title.to_owned(),
        headers: headers.iter().map(|h| (*h).to_owned()).collect(),
        rows,
    };
    Ok(Report {
        title: format!("Hồ sơ xử lý dữ liệu cá nhân — {unit_name}"),
        subtitle: vec![
            "Căn cứ Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15 và văn bản hướng dẫn.".to_owned(),
            "Nội dung được lập tự động từ cấu hình và dữ liệu của hệ thống tại thời điểm lập."
                .to_owned(),
        ],
        sections: vec![
            section("1. Thông tin chung", &["Nội dung", "Thông tin"], general),
            section(
                "2. Dữ liệu cá nhân được xử lý",
                &["Loại dữ liệu", "Mục đích", "Căn cứ xử lý"],
                kinds,
            ),
            section(
                "3. Vai trò được truy cập",
                &["Vai trò", "Quyền", "Số tài khoản", "Được xem số đầy đủ"],
                roles,
            ),
            section(
                "4. Kênh liên lạc và bên xử lý",
                &["Kênh", "Bên xử lý", "Trạng thái", "Dữ liệu chuyển"],
                channels,
            ),
            section(
                "5. Thời hạn lưu trữ",
                &["Loại dữ liệu", "Thời hạn", "Sau thời hạn"],
                retention,
            ),
            section(
                "6. Biện pháp bảo vệ",
                &["Biện pháp", "Cách thực hiện"],
                security,
            ),
            section(
                "7. Đánh giá tác động",
                &["Rủi ro", "Mức độ", "Biện pháp giảm thiểu"],
                impact,
            ),
        ],
        charts: Vec::new(),
    })
}

async fn framed(
    db: &Db,
    actor: &Actor,
    unit: Uuid,
    signing: &Signing,
    retention: &[RetentionLine],
) -> AppResult<(Report, Letterhead, String)> {
    signing.check()?;
    policy::require(db, actor, Permission::ManageAccounts, unit).await?;
    let (unit, parent) = report_units(db, unit, today()).await?;
    let head = letterhead(
        &unit,
        parent.as_ref(),
        signing,
        "BC-UBND",
        "BÁO CÁO",
        "Ghi nhận hoạt động xử lý và đánh giá tác động xử lý dữ liệu cá nhân",
    );
    let model = record_model(db, unit.id, &unit.name, retention).await?;
    Ok((model, head, unit.code))
}

async fn audited(db: &Db, actor: &Actor, unit: Uuid, code: &str, format: &str) -> AppResult<()> {
    record_alone(
        db,
        actor,
        Change {
            action: "privacy.record_export",
            target_type: "unit",
            target_id: code.to_owned(),
            unit_id: Some(unit),
            summary: format.to_owned(),
        },
    )
    .await
}

/// The processing record of `unit` as an A4 PDF administrative document (audited).
pub async fn record_pdf(
    db: &Db,
    actor: &Actor,
    unit: Uuid,
    signing: &Signing,
    retention: &[RetentionLine],
) -> AppResult<Vec<u8>> {
    let (model, head, code) = framed(db, actor, unit, signing, retention).await?;
    let bytes = report_pdf_with(&model, Some(&head))?;
    audited(db, actor, unit, &code, "pdf").await?;
    Ok(bytes)
}

/// The processing record of `unit` as XLSX, a sheet per section under the letterhead
/// (audited).
pub async fn record_xlsx(
    db: &Db,
    actor: &Actor,
    unit: Uuid,
    signing: &Signing,
    retention: &[RetentionLine],
) -> AppResult<Vec<u8>> {
    let (model, head, code) = framed(db, actor, unit, signing, retention).await?;
    let bytes = report_xlsx_with(&model, Some(&head))?;
    audited(db, actor, unit, &code, "xlsx").await?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_provider_is_named_by_its_host_only() {
        assert_eq!(
            host("https://user:pw@sms.example.vn/api/v1"),
            "sms.example.vn"
        );
        assert_eq!(host("smtp.example.vn:587"), "smtp.example.vn:587");
        assert!(rights(Role::Viewer).contains("số liệu"));
        assert!(!rights(Role::TeamMember).contains("xuất"));
    }
}

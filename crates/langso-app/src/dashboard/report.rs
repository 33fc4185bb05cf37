//! The monthly programme report of a unit: the dashboard's figures and tables as XLSX (a
//! sheet per section, Vietnamese headers) and as an A4 PDF with its charts. Every export is
//! recorded in the audit log.

use langso_render::report::{Cell, Report, ReportChart, Section, report_pdf, report_xlsx};
use time::Date;
use uuid::Uuid;

use super::{Dashboard, dashboard};
use crate::audit::{Change, record_alone};
use crate::auth::Actor;
use crate::{AppResult, Db};

/// The report's content for a unit as of `date` (the last day of the month reported).
pub fn report_model(d: &Dashboard) -> Report {
    let f = &d.figures;
    let count = |label: &str, n: i64| vec![Cell::Text(label.to_owned()), Cell::Count(n)];
    let headline = vec![
        count("Tổ CNSCĐ cấp xã", f.commune_teams),
        count("Tổ CNSCĐ thôn, tổ dân phố, cụm dân cư", f.village_teams),
        count("Thành viên tổ CNSCĐ", f.members),
        count("Thôn, tổ dân phố", f.villages),
        count("Thôn thông minh đã công nhận", f.recognised),
        vec![
            Cell::Text("Tỉ lệ thôn thông minh".to_owned()),
            Cell::Share(f.recognised_share),
        ],
        count("Nhóm Zalo do tổ CNSCĐ quản lý", f.groups),
        count("Điểm wifi công cộng miễn phí", f.wifi_points),
        count("Camera an ninh", f.cameras),
        count("Đèn năng lượng mặt trời", f.solar_lights),
        count(
            "Thủ tục hành chính có mã QR hướng dẫn",
            f.procedures_with_qr,
        ),
        count("Hộ gia đình", f.households),
        count("Hộ đã đến tận nhà", f.visited),
        vec![
            Cell::Text("Tỉ lệ \"đi từng ngõ, gõ từng nhà\"".to_owned()),
            Cell::Share(f.coverage),
        ],
    ];
    let outreach = vec![
        count("Tập huấn", f.trainings),
        count("Hội nghị", f.conferences),
        count("Pano, áp phích", f.billboards),
        count("Phát thanh trên loa", f.broadcasts),
        count("Lượt người tham dự", f.attendance),
    ];
    let children = d
        .children
        .iter()
        .map(|c| {
            vec![
                Cell::Text(c.name.clone()),
                Cell::Count(c.households),
                Cell::Count(c.visited),
                Cell::Count(c.villages),
                Cell::Count(c.recognised),
            ]
        })
        .collect();
    let indicators = d
        .indicators
        .iter()
        .map(|s| vec![Cell::Text(s.label_vi.clone()), Cell::Share(s.share)])
        .collect();
    let months = d
        .months
        .iter()
        .map(|(m, v)| vec![Cell::Text(m.clone()), Cell::Count(*v)])
        .collect();
    Report {
        title: format!(
            "Báo cáo tháng {:02}/{} — {}",
            u8::from(d.as_of.month()),
            d.as_of.year(),
            d.name
        ),
        subtitle: vec![
            format!("Số liệu đến ngày {} (mã đơn vị {})", d.as_of, d.code),
            if d.path.is_empty() {
                String::new()
            } else {
                format!("Thuộc: {}", d.path.join(" › "))
            },
            "Chương trình Thôn thông minh — Langso".to_owned(),
        ],
        sections: vec![
            Section {
                title: "Chỉ tiêu chính".to_owned(),
                headers: vec!["Chỉ tiêu".to_owned(), "Giá trị".to_owned()],
                rows: headline,
            },
            Section {
                title: "Tuyên truyền, tập huấn".to_owned(),
                headers: vec!["Hoạt động".to_owned(), "Số lượng".to_owned()],
                rows: outreach,
            },
            Section {
                title: "Theo đơn vị".to_owned(),
                headers: ["Đơn vị", "Số hộ", "Hộ đã đến", "Số thôn", "Thôn thông minh"]
                    .map(str::to_owned)
                    .to_vec(),
                rows: children,
            },
            Section {
                title: "Chỉ số chuyển đổi số".to_owned(),
                headers: vec!["Chỉ số".to_owned(), "Tỉ lệ".to_owned()],
                rows: indicators,
            },
            Section {
                title: "Lượt đến hộ theo tháng".to_owned(),
                headers: vec!["Tháng".to_owned(), "Lượt đến hộ".to_owned()],
                rows: months,
            },
        ],
        charts: vec![
            ReportChart {
                title: "Thôn thông minh theo đơn vị".to_owned(),
                bars: d
                    .children
                    .iter()
                    .filter(|c| c.villages > 0)
                    .map(|c| {
                        (
                            c.name.clone(),
                            c.recognised as f64 / c.villages as f64,
                            format!("{}/{}", c.recognised, c.villages),
                        )
                    })
                    .collect(),
            },
            ReportChart {
                title: "Tỉ lệ theo chỉ số".to_owned(),
                bars: d
                    .indicators
                    .iter()
                    .map(|s| {
                        (
                            s.label_vi.clone(),
                            s.share.min(1.0),
                            format!("{:.0}%", s.share * 100.0),
                        )
                    })
                    .collect(),
            },
        ],
    }
}

/// The report with, for readers of the unit's work orders, the month's fault repairs on time
/// per commune (a section of its own, after the dashboard's).
async fn with_service_levels(db: &Db, actor: &Actor, d: &Dashboard, date: Date) -> Report {
    let mut model = report_model(d);
    let rows = crate::faults::levels::on_time_by_commune(db, actor, d.unit_id, date)
        .await
        .unwrap_or_default();
    if !rows.is_empty() {
        model.sections.push(Section {
            title: "Sửa chữa sự cố đúng hạn".to_owned(),
            headers: [
                "Xã, phường",
                "Đúng hạn",
                "Trễ hạn",
                "Đang quá hạn",
                "Tỉ lệ đúng hạn",
            ]
            .map(str::to_owned)
            .to_vec(),
            rows: rows
                .iter()
                .map(|r| {
                    vec![
                        Cell::Text(r.name.clone()),
                        Cell::Count(r.on_time),
                        Cell::Count(r.late),
                        Cell::Count(r.open_overdue),
                        Cell::Share(r.share()),
                    ]
                })
                .collect(),
        });
    }
    model
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

/// The monthly report as XLSX (audited).
pub async fn monthly_report_xlsx(
    db: &Db,
    actor: &Actor,
    unit: Uuid,
    date: Date,
) -> AppResult<Vec<u8>> {
    let d = dashboard(db, actor, unit, date).await?;
    let bytes = report_xlsx(&with_service_levels(db, actor, &d, date).await)?;
    audited(db, actor, &d, "xlsx").await?;
    Ok(bytes)
}

/// The monthly report as an A4 PDF (audited).
pub async fn monthly_report_pdf(
    db: &Db,
    actor: &Actor,
    unit: Uuid,
    date: Date,
) -> AppResult<Vec<u8>> {
    let d = dashboard(db, actor, unit, date).await?;
    let bytes = report_pdf(&with_service_levels(db, actor, &d, date).await)?;
    audited(db, actor, &d, "pdf").await?;
    Ok(bytes)
}

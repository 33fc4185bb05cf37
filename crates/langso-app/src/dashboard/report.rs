//! The monthly programme report of a unit: the dashboard's figures and tables as XLSX (a
//! sheet per section, Vietnamese headers) and as an A4 PDF with its charts. Every export is
//! recorded in the audit log.

use langso_render::report::{Cell, Report, ReportChart, Section, report_pdf, report_xlsx};
use time::Date;
use uuid::Uuid;

use langso_domain::locale::{NumberStyle, decimal, percent, share};
use langso_render::report::group_thousands;

use super::{Basis, Dashboard, Share, dashboard};
use crate::audit::{Change, record_alone};
use crate::auth::Actor;
use crate::{AppResult, Db};

/// The denominator an indicator is counted over, as the report names it.
fn basis_vi(s: &Share) -> &'static str {
    match s.basis {
        Basis::Households => "hộ",
        Basis::Adults => "người lớn",
        Basis::Business => "hộ kinh doanh",
    }
}

/// How an indicator's figure reads: a share (floored, never above 100 %) or, for a count
/// such as smartphones, an average per household.
fn figure_vi(s: &Share, part: i64, whole: i64) -> String {
    if s.average {
        if whole > 0 {
            format!(
                "{} mỗi hộ",
                decimal(part as f64 / whole as f64, 1, NumberStyle::Vietnamese)
            )
        } else {
            "—".to_owned()
        }
    } else {
        percent(part, whole, NumberStyle::Vietnamese)
    }
}

fn indicator_row(s: &Share) -> Vec<Cell> {
    vec![
        Cell::Text(s.label_vi.clone()),
        Cell::Count(s.part),
        Cell::Text(format!("{} {}", group_thousands(s.whole), basis_vi(s))),
        if s.average {
            Cell::Text(figure_vi(s, s.part, s.whole))
        } else {
            Cell::Share(s.share)
        },
    ]
}

fn target_row(s: &Share) -> Vec<Cell> {
    let then = s
        .trend
        .first()
        .map(|m| figure_vi(s, m.part, m.whole))
        .unwrap_or_default();
    let (goal, gap) = match &s.target {
        None => ("Chưa đặt".to_owned(), String::new()),
        Some(t) => {
            let goal = if s.average {
                format!("{} mỗi hộ", decimal(t.value, 1, NumberStyle::Vietnamese))
            } else {
                percent(
                    (t.value * 1000.0).round() as i64,
                    1000,
                    NumberStyle::Vietnamese,
                )
            };
            let gap = if t.needed == 0 {
                "Đã đạt".to_owned()
            } else if s.average {
                format!("còn {}", group_thousands(t.needed))
            } else {
                format!("còn {} {}", group_thousands(t.needed), basis_vi(s))
            };
            (format!("{goal} năm {} ({})", t.year, t.plan), gap)
        }
    };
    vec![
        Cell::Text(s.label_vi.clone()),
        Cell::Text(then),
        Cell::Text(figure_vi(s, s.part, s.whole)),
        Cell::Text(goal),
        Cell::Text(gap),
    ]
}

/// The report's content for a unit as of `date` (the last day of the month reported).
pub fn report_model(d: &Dashboard) -> Report {
    let f = &d.figures;
    let trend_from = d
        .indicators
        .first()
        .and_then(|s| s.trend.first())
        .map(|m| match m.month.split_once('-') {
            Some((year, month)) => format!("{month}/{year}"),
            None => m.month.clone(),
        })
        .unwrap_or_default();
    let count = |label: &str, n: i64| vec![Cell::Text(label.to_owned()), Cell::Count(n)];
    let headline = vec![
        count("Tổ CNSCĐ cấp xã", f.commune_teams),
        count("Tổ CNSCĐ thôn, tổ dân phố, cụm dân cư", f.village_teams),
        count("Thành viên tổ CNSCĐ", f.members),
        count("Thôn, tổ dân phố", f.villages),
        count("Thôn thông minh đã công nhận", f.recognised),
        count("Trong đó: không còn đạt tiêu chí", d.flagged.len() as i64),
        vec![
            Cell::Text("Tỉ lệ thôn thông minh (trên số thôn, tổ dân phố)".to_owned()),
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
            Cell::Text("Tỉ lệ \"đi từng ngõ, gõ từng nhà\" (trên số hộ)".to_owned()),
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
    let indicators = d.indicators.iter().map(indicator_row).collect();
    let targets = d.indicators.iter().map(target_row).collect();
    let flagged = d
        .flagged
        .iter()
        .map(|f| {
            vec![
                Cell::Text(f.name.clone()),
                Cell::Text(format!("{}/{}", f.met, f.judged)),
                Cell::Text(f.failing.join(", ")),
            ]
        })
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
            format!(
                "Số liệu đến ngày {} (mã đơn vị {})",
                langso_domain::locale::day(d.as_of),
                d.code
            ),
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
                headers: ["Chỉ số", "Số đạt", "Trên tổng số", "Tỉ lệ hoặc bình quân"]
                    .map(str::to_owned)
                    .to_vec(),
                rows: indicators,
            },
            Section {
                title: "Diễn biến và chỉ tiêu".to_owned(),
                headers: [
                    &format!("Chỉ số (đầu kỳ: cuối tháng {trend_from})"),
                    "Đầu kỳ",
                    "Tháng báo cáo",
                    "Chỉ tiêu",
                    "Còn thiếu",
                ]
                .map(str::to_owned)
                .to_vec(),
                rows: targets,
            },
            Section {
                title: "Thôn đã công nhận nhưng không còn đạt tiêu chí".to_owned(),
                headers: ["Thôn", "Tiêu chí đạt", "Tiêu chí chưa đạt"]
                    .map(str::to_owned)
                    .to_vec(),
                rows: flagged,
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
                            share(c.recognised, c.villages),
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
                    .filter(|s| !s.average)
                    .map(|s| {
                        (
                            s.label_vi.clone(),
                            s.share,
                            percent(s.part, s.whole, NumberStyle::Vietnamese),
                        )
                    })
                    .collect(),
            },
        ],
    }
}

/// The report with, for readers of the unit's work orders, the month's fault repairs on time
/// per commune (a section of its own, after the dashboard's).
pub(super) async fn with_service_levels(
    db: &Db,
    actor: &Actor,
    d: &Dashboard,
    date: Date,
) -> Report {
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

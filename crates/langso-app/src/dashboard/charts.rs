//! The dashboard's charts and map as server-drawn SVG (langso-render), Vietnamese labels.

use langso_domain::criteria::VillageStatus;
use langso_render::bars::{Bar, BarChart};
use langso_render::chart::{LineChart, Series};
use langso_render::map::{DotMap, LegendEntry, MapPoint};
use time::Date;
use uuid::Uuid;

use super::Dashboard;
use crate::auth::Actor;
use crate::criteria::evaluate_under;
use crate::{AppResult, Db};

fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

/// Households visited over time: visits per month, cumulated.
pub fn months_chart(d: &Dashboard) -> String {
    let mut total = 0;
    let values = d
        .months
        .iter()
        .map(|(_, v)| {
            total += v;
            total
        })
        .collect();
    LineChart {
        title: "Lượt đến hộ cộng dồn theo tháng / cumulative door-to-door visits".to_owned(),
        labels: d.months.iter().map(|(m, _)| m.clone()).collect(),
        series: vec![Series {
            name: "Lượt đến hộ / visits".to_owned(),
            values,
        }],
    }
    .svg()
}

/// Smart villages recognised per child unit (x of y).
pub fn children_chart(d: &Dashboard) -> String {
    BarChart {
        title: "Thôn thông minh theo đơn vị / smart villages per unit".to_owned(),
        bars: d
            .children
            .iter()
            .filter(|c| c.villages > 0)
            .map(|c| Bar {
                label: c.name.clone(),
                value: if c.villages > 0 {
                    c.recognised as f64 / c.villages as f64
                } else {
                    0.0
                },
                text: format!("{}/{}", c.recognised, c.villages),
            })
            .collect(),
        max: Some(1.0),
    }
    .svg()
}

/// Each indicator's share under the unit.
pub fn indicator_chart(d: &Dashboard) -> String {
    BarChart {
        title: "Tỉ lệ theo chỉ số / indicator shares".to_owned(),
        bars: d
            .indicators
            .iter()
            .map(|s| Bar {
                label: s.label_vi.clone(),
                value: s.share.min(1.0),
                text: percent(s.share),
            })
            .collect(),
        max: Some(1.0),
    }
    .svg()
}

fn status_label(status: VillageStatus) -> &'static str {
    match status {
        VillageStatus::NotStarted => "Chưa triển khai / not started",
        VillageStatus::InProgress => "Đang thực hiện / in progress",
        VillageStatus::MeetsCriteria => "Đạt tiêu chí / meets criteria",
        VillageStatus::Recognised => "Đã công nhận / recognised",
    }
}

/// The villages under `unit` on `date` as dots coloured by status, from their coordinates.
pub async fn map_svg(db: &Db, actor: &Actor, unit: Uuid, date: Date) -> AppResult<String> {
    let villages = evaluate_under(db, actor, unit, date).await?;
    let mut legend = Vec::new();
    for status in VillageStatus::ALL {
        let n = villages.iter().filter(|v| v.status == status).count();
        legend.push(LegendEntry {
            colour: status.colour().to_owned(),
            text: format!("{} ({n})", status_label(status)),
        });
    }
    let points = villages
        .iter()
        .filter_map(|v| {
            Some(MapPoint {
                label: format!("{} — {}", v.name, status_label(v.status)),
                latitude: v.latitude?,
                longitude: v.longitude?,
                colour: v.status.colour().to_owned(),
                href: Some(format!("/villages/{}", v.unit_id)),
            })
        })
        .collect();
    Ok(DotMap {
        title: format!("Bản đồ thôn theo trạng thái, ngày {date} / villages by status"),
        points,
        legend,
    }
    .svg())
}

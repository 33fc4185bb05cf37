//! Demo groups and announcements: 569 groups across the 129 villages (a main Zalo group per
//! village and groups per hamlet, some on Facebook or Telegram), memberships drawn from the
//! household register (coverage between 85% and 100% per village), and a history of
//! announcements to communes and villages over the past months.

use std::collections::BTreeMap;

use langso_domain::units::Level;
use langso_store::comms::{self as store, GroupRow};
use langso_store::households::{self as household_store, add_counters};
use langso_store::units as unit_store;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::{DemoSeed, SeedFuture};
use crate::comms::{NewAnnouncement, create_announcement};
use crate::progress::Progress;
use crate::{Actor, AppResult, Db, today};

/// The comms seed.
pub const SEED: DemoSeed = DemoSeed {
    domain: "comms",
    run: run_boxed,
};

fn run_boxed<'a>(db: &'a Db, progress: &'a dyn Progress) -> SeedFuture<'a> {
    Box::pin(run(db, progress))
}

/// Groups in the demo, as the source reports.
pub const DEMO_GROUPS: usize = 569;

const HAMLETS: [&str; 4] = ["Xóm Đông", "Xóm Đoài", "Xóm Giữa", "Xóm Trại"];

async fn run(db: &Db, progress: &dyn Progress) -> AppResult<()> {
    let date = today();
    let root = unit_store::by_code(db, "01", date)
        .await?
        .map(|u| u.id)
        .unwrap_or_default();
    let villages: Vec<_> = unit_store::subtree(db, root, date, 6)
        .await?
        .into_iter()
        .filter(|n| n.unit.kind.level() == Level::Village)
        .map(|n| n.unit)
        .collect();
    progress.start(
        "nhóm thôn demo / demo village groups",
        villages.len() as u64,
    );
    let base = DEMO_GROUPS / villages.len().max(1);
    let extra = DEMO_GROUPS - base * villages.len();
    let now = OffsetDateTime::now_utc();
    for (index, village) in villages.iter().enumerate() {
        let count = base + usize::from(index < extra);
        let mut groups = Vec::new();
        for n in 0..count {
            let (platform, name) = match n {
                0 => ("zalo", format!("{} – đại diện hộ", village.name)),
                1..=3 => ("zalo", format!("{} – {}", village.name, HAMLETS[n - 1])),
                _ if index % 3 == 0 => ("facebook", format!("Cộng đồng {}", village.name)),
                _ => ("telegram", format!("{} – thanh niên", village.name)),
            };
            groups.push(GroupRow {
                id: Uuid::now_v7(),
                unit_id: village.id,
                platform: platform.to_owned(),
                name,
                link: format!("https://zalo.me/g/demo{index:03}{n}"),
                admins: "Trưởng thôn; Bí thư chi đoàn".to_owned(),
                members: 0,
                created_at: now,
            });
        }
        let households =
            household_store::list_households(db, village.id, date, None, 100_000, 0).await?;
        let mut members: Vec<(Uuid, Uuid)> = Vec::new();
        let mut per_group: BTreeMap<Uuid, i64> = BTreeMap::new();
        let mut covered = 0;
        // Coverage differs between villages: every 10th household of some villages is missing.
        let skip = 7 + index % 30;
        for (n, household) in households.iter().enumerate() {
            if n % skip == skip - 1 && index % 4 != 0 {
                continue;
            }
            covered += 1;
            let mut join = |group: &GroupRow| {
                members.push((group.id, household.id));
                *per_group.entry(group.id).or_default() += 1;
            };
            join(&groups[0]);
            if let Some(group) = HAMLETS
                .iter()
                .position(|h| *h == household.hamlet)
                .and_then(|pos| groups.get(pos + 1))
            {
                join(group);
            }
        }
        for group in &mut groups {
            group.members = per_group.get(&group.id).copied().unwrap_or(0);
        }
        let mut counters = BTreeMap::new();
        counters.insert((village.id, "group:count".to_owned()), groups.len() as i64);
        counters.insert((village.id, "group:households".to_owned()), covered);
        let mut tx = db.begin().await?;
        store::insert_groups(&mut tx, &groups).await?;
        store::insert_members(&mut tx, &members, now).await?;
        add_counters(&mut tx, &counters).await?;
        tx.commit().await?;
        progress.advance(1);
    }
    history(db, &villages).await
}

const HISTORY: [(&str, &str, &str, &str); 6] = [
    (
        "guidance",
        "Hướng dẫn lên VNeID mức 2 tại nhà văn hóa",
        "Công an xã làm **VNeID mức 2** tại nhà văn hóa thôn sáng thứ Bảy.\n- Mang CCCD gắn chip\n- Mang điện thoại đã cài VNeID",
        "/huong-dan/vneid-muc-2",
    ),
    (
        "security",
        "Cảnh giác cuộc gọi giả danh công an",
        "Công an không gọi điện yêu cầu chuyển tiền hay cài ứng dụng lạ. Gặp cuộc gọi như vậy, hãy báo trưởng thôn.",
        "",
    ),
    (
        "procedure",
        "Đăng ký khai sinh trực tuyến",
        "Có thể đăng ký khai sinh cho con trên Cổng dịch vụ công, không cần lên xã.",
        "/thu-tuc/1.001193",
    ),
    (
        "event",
        "Ngày hội chuyển đổi số của xã",
        "**Chủ nhật** tuần này tại sân UBND xã: hướng dẫn cài VNeID, VssID, mở tài khoản thanh toán.",
        "/huong-dan/thanh-toan-dien-tu",
    ),
    (
        "emergency",
        "Cắt điện để sửa đường dây",
        "Điện lực cắt điện từ 7h đến 11h sáng thứ Năm để sửa đường dây.",
        "",
    ),
    (
        "guidance",
        "Cài Sổ sức khỏe điện tử",
        "Đội Tổ công nghệ số cộng đồng sẽ đến từng nhà hướng dẫn tích hợp Sổ sức khỏe điện tử.",
        "/huong-dan/so-suc-khoe-dien-tu",
    ),
];

/// Announcements to each commune (and some villages) over the past months, published and
/// backdated.
async fn history(db: &Db, villages: &[langso_domain::units::Unit]) -> AppResult<()> {
    let actor = Actor::system("demo");
    let date = today();
    let communes: Vec<Uuid> = unit_store::roots(db, date)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect();
    let mut targets = Vec::new();
    for root in communes {
        for node in unit_store::subtree(db, root, date, 6).await? {
            if node.unit.kind.level() == Level::Commune {
                targets.push(node.unit.id);
            }
        }
    }
    let per_commune = if super::is_small() { 1 } else { HISTORY.len() };
    let village_count = if super::is_small() { 2 } else { 30 };
    let mut plan: Vec<(Uuid, usize)> = Vec::new();
    for commune in &targets {
        for n in 0..per_commune {
            plan.push((*commune, n));
        }
    }
    for (n, village) in villages.iter().take(village_count).enumerate() {
        plan.push((village.id, (n + 1) % HISTORY.len()));
    }
    let now = OffsetDateTime::now_utc();
    let total = plan.len() as i64;
    for (index, (unit, n)) in plan.into_iter().enumerate() {
        let (category, title, body, link) = HISTORY[n];
        let row = create_announcement(
            db,
            &actor,
            &NewAnnouncement {
                unit_id: Some(unit),
                title: title.to_owned(),
                body: body.to_owned(),
                category: category.to_owned(),
                link: link.to_owned(),
                indicator: (n == 0).then(|| "vneid_2".to_owned()),
                publish_at: None,
                ..Default::default()
            },
        )
        .await?;
        let back = now - Duration::days(3 * (total - index as i64));
        let mut tx = db.begin().await?;
        store::backdate(&mut tx, row.id, back).await?;
        tx.commit().await?;
    }
    Ok(())
}

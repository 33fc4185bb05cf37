//! Demo teams, outreach, the "Hà Nội smart village (demo)" criteria set and recognitions, so
//! the dashboard of Huyện Đan Phượng as of 2024-12-31 shows the source's figures: 16 commune
//! teams, 129 village teams, 1,015 members (7 per team), 101 of 101 thôn and tổ dân phố
//! recognised. Names are synthetic. Built the same when the demo is small (tests): the figures
//! are what the tests assert.

use langso_domain::teams::{Affiliation, MemberRole};
use langso_domain::units::Level;
use langso_store::households::add_counter;
use langso_store::teams::{self as store, MemberRow};
use langso_store::units as unit_store;
use time::macros::date;
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use super::{DemoSeed, SeedFuture};
use crate::auth::Actor;
use crate::criteria::{
    RecognitionDecision, import_json, import_recognition, import_set, is_eligible,
};
use crate::progress::Progress;
use crate::teams::{OutreachInput, TeamInput, create_team, record_outreach};
use crate::{AppError, AppResult, Db};

/// The demo criteria set (a file, as a province would import it).
pub const DEMO_CRITERIA_JSON: &str = include_str!("../../data/criteria-hanoi-demo.json");

/// The seed.
pub const SEED: DemoSeed = DemoSeed {
    domain: "teams",
    run: run_boxed,
};

fn run_boxed<'a>(db: &'a Db, progress: &'a dyn Progress) -> SeedFuture<'a> {
    Box::pin(run(db, progress))
}

/// The day the demo's district is seen as it was (before the 2025 reorganisation).
pub const DEMO_AS_OF: Date = date!(2024 - 12 - 31);

/// Members per team: 145 teams × 7 = 1,015, the source's figure.
const PER_TEAM: usize = 7;

const FAMILY: [&str; 8] = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi"];
const GIVEN: [&str; 10] = [
    "Văn Hùng",
    "Thị Lan",
    "Đức Anh",
    "Thị Hoa",
    "Minh Tuấn",
    "Thu Trang",
    "Quang Huy",
    "Ngọc Mai",
    "Văn Nam",
    "Thanh Hương",
];

async fn run(db: &Db, progress: &dyn Progress) -> AppResult<()> {
    let actor = Actor::system("demo");
    let file = import_json(DEMO_CRITERIA_JSON.as_bytes())?;
    import_set(db, &actor, &file).await?;
    let district = unit_store::by_code(db, "273", DEMO_AS_OF)
        .await?
        .ok_or(AppError::NotFound)?;
    let tree = unit_store::subtree(db, district.id, DEMO_AS_OF, 3).await?;
    progress.start("tổ CNSCĐ demo / demo teams", tree.len() as u64);
    let mut n = 0usize;
    let mut recognised = 0i64;
    for node in &tree {
        let unit = &node.unit;
        let level = unit.kind.level();
        if !matches!(level, Level::Commune | Level::Village) {
            continue;
        }
        // Commune teams in early 2022 (Kế hoạch 55/KH-UBND), village teams over 2022.
        let decided = date!(2022 - 03 - 01)
            + Duration::days(if level == Level::Commune {
                0
            } else {
                7 * (n as i64 % 40)
            });
        let team = create_team(
            db,
            &actor,
            &TeamInput {
                unit_id: unit.id,
                name: String::new(),
                decision_number: format!("{}/QĐ-UBND", 40 + n),
                decision_date: decided,
            },
        )
        .await?;
        let members: Vec<MemberRow> = (0..PER_TEAM)
            .map(|k| {
                let i = n * PER_TEAM + k;
                MemberRow {
                    id: Uuid::now_v7(),
                    team_id: team.id,
                    unit_id: unit.id,
                    full_name: format!(
                        "{} {}",
                        FAMILY[i % FAMILY.len()],
                        GIVEN[(i / 3) % GIVEN.len()]
                    ),
                    role: match k {
                        0 => MemberRole::Leader,
                        1 => MemberRole::Deputy,
                        _ => MemberRole::Member,
                    }
                    .as_str()
                    .to_owned(),
                    affiliation: Affiliation::ALL[(i + k) % Affiliation::ALL.len()]
                        .as_str()
                        .to_owned(),
                    phone: Some(format!("09{:08}", (i * 7_919) % 100_000_000)),
                    joined_on: decided,
                    left_on: None,
                    created_at: OffsetDateTime::now_utc(),
                }
            })
            .collect();
        let mut tx = db.begin().await?;
        store::insert_members(&mut tx, &members).await?;
        add_counter(&mut tx, unit.id, "team:members", members.len() as i64).await?;
        tx.commit().await?;
        if is_eligible(unit) {
            let decision_date = date!(2023 - 06 - 15) + Duration::days(recognised * 5);
            import_recognition(
                db,
                &actor,
                unit.id,
                decision_date - Duration::days(30),
                &RecognitionDecision {
                    decision_number: format!("{}/QĐ-UBND", 2_000 + recognised),
                    decision_date,
                    note:
                        "công nhận thôn thông minh (dữ liệu mô phỏng) / smart village (synthetic)"
                            .to_owned(),
                },
            )
            .await?;
            recognised += 1;
        }
        if level == Level::Commune {
            outreach(db, &actor, unit.id, &unit.code, n).await?;
        }
        n += 1;
        progress.advance(1);
    }
    Ok(())
}

/// Trainings, conferences, billboards and broadcasts of one commune; Song Phượng (the pilot)
/// held the 12 conferences the source reports.
async fn outreach(db: &Db, actor: &Actor, unit: Uuid, code: &str, n: usize) -> AppResult<()> {
    let conferences = if code == "09829" { 12 } else { 1 + n % 3 };
    let mut events = Vec::new();
    for k in 0..conferences {
        events.push((
            "conference",
            60 + 5 * k as i64,
            "Quán triệt Nghị quyết 28-NQ/HU về chuyển đổi số",
        ));
    }
    events.push((
        "training",
        40,
        "Tập huấn cài đặt VNeID mức 2 và dịch vụ công trực tuyến",
    ));
    events.push((
        "loudspeaker",
        0,
        "Tuyên truyền thanh toán không dùng tiền mặt",
    ));
    events.push(("billboard", 0, "Pano \"Đi từng ngõ, gõ từng nhà\""));
    for (k, (kind, attendance, topic)) in events.into_iter().enumerate() {
        record_outreach(
            db,
            actor,
            &OutreachInput {
                unit_id: unit,
                kind: kind.to_owned(),
                held_on: date!(2022 - 04 - 01) + Duration::days(23 * k as i64 + n as i64),
                topic: topic.to_owned(),
                attendance,
                public: true,
            },
        )
        .await?;
    }
    Ok(())
}

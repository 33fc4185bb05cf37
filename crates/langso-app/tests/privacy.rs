//! Personal-data duties (issue 21, h21c): a breach record produces a notification draft with
//! its 72-hour deadline, read back with pdftotext; an account exporting far more personal data
//! than usual opens one draft incident, the commune's administrator is told, and a second run
//! (another node) opens no other; the processing record opens as PDF and XLSX with Vietnamese
//! intact. Everything outside the actor's unit is "not found". SQLite, and PostgreSQL with
//! LANGSO_TEST_DATABASE_URL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Cursor;
use std::process::Command;

use calamine::{Data, Reader, Xlsx};
use langso_app::auth::{Grant, NewAccount, create_user};
use langso_app::comms::preferences::{
    ContactsInput, PreferencesInput, save_contacts, save_preferences,
};
use langso_app::dashboard::Signing;
use langso_app::households::{ExportFormat, export_households};
use langso_app::privacy::anomaly::{check_anomalies, set_thresholds, thresholds};
use langso_app::privacy::breaches::{
    BreachInput, FollowUpInput, clock, follow_up, get_breach, list_breaches, notice_pdf,
    record_breach,
};
use langso_app::privacy::record::{RetentionLine, record_pdf, record_xlsx, stated_retention};
use langso_app::progress::NoProgress;
use langso_app::{Actor, AppError, Db, demo, today};
use langso_domain::auth::Role;
use langso_domain::locale::{VIETNAM, minute};
use langso_domain::units::Unit;
use langso_store::audit::{AuditRow, record as write_audit};
use langso_store::testing::TestDb;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// The text of a PDF, white space collapsed.
fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tai-lieu.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    let text = String::from_utf8(out.stdout).unwrap();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

async fn unit(db: &Db, code: &str) -> Unit {
    langso_app::units::by_code(db, code, today()).await.unwrap()
}

/// A new account with `role` on `unit`, reached by e-mail at once for alarms.
async fn person(db: &Db, login: &str, role: Role, unit: &Unit, pii: bool) -> Actor {
    let view = create_user(
        db,
        &Actor::system("test"),
        &NewAccount {
            login: login.into(),
            display_name: format!("Cán bộ {login}"),
            password: "mật-khẩu-đủ-dài-2026".into(),
            role,
            unit_id: unit.id,
            pii,
        },
    )
    .await
    .unwrap();
    let grants = vec![Grant {
        role,
        unit_id: unit.id,
        unit_name: unit.name.clone(),
    }];
    let actor = Actor::new(Some(view.user.id), login.into(), grants, pii);
    let email = format!("{login}@xa.example.vn");
    let contacts = ContactsInput {
        email,
        phone: String::new(),
    };
    save_contacts(db, &actor, view.user.id, &contacts)
        .await
        .unwrap();
    let preferences = PreferencesInput {
        channels: vec!["email".into()],
        quiet_start: "00:00".into(),
        quiet_end: "00:00".into(),
        fault: "immediate".into(),
        alarm: "immediate".into(),
        follow_up: "immediate".into(),
    };
    save_preferences(db, &actor, &preferences).await.unwrap();
    actor
}

/// A commune other than `commune`, for the scope checks.
async fn other_commune(db: &Db, commune: &Unit) -> Unit {
    let parent = langso_store::units::parent_at(db, commune.id, today())
        .await
        .unwrap()
        .unwrap();
    langso_store::units::children(db, parent.id, today())
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.id != commune.id)
        .unwrap()
}

#[tokio::test]
async fn a_breach_record_drafts_its_notification_with_the_72_hour_deadline() {
    let test = TestDb::new().await.unwrap();
    let db = &test.db;
    demo::build_small(db, &NoProgress).await.unwrap();
    let commune = unit(db, "09817").await;
    let officer = person(db, "canbo.xa", Role::Officer, &commune, false).await;
    let discovered = OffsetDateTime::now_utc().to_offset(VIETNAM) - Duration::hours(2);
    let local = |at: OffsetDateTime| format!("{}T{:02}:{:02}", at.date(), at.hour(), at.minute());
    let input = BreachInput {
        unit_id: commune.id,
        what: "Danh sách hộ kèm số điện thoại bị gửi nhầm vào nhóm Zalo của thôn".into(),
        occurred_at: local(discovered - Duration::hours(5)),
        discovered_at: local(discovered),
        units_affected: "Thôn Thượng, Thôn Hạ".into(),
        people: "1.250".into(),
        data_kinds: vec!["households".into(), "phones".into()],
        measures: "Thu hồi tin nhắn, yêu cầu thành viên nhóm xóa tệp".into(),
    };
    let row = record_breach(db, &officer, &input).await.unwrap();
    assert_eq!((row.status.as_str(), row.people), ("open", 1250));
    let c = clock(&row, OffsetDateTime::now_utc());
    assert!((69 * 60..=70 * 60).contains(&c.minutes_left), "{c:?}");
    assert!(!c.stopped);

    let signing = Signing {
        number: "21".into(),
        signer_name: "Nguyễn Thị Hoa".into(),
        ..Signing::default()
    };
    let text = pdf_text(&notice_pdf(db, &officer, row.id, &signing).await.unwrap());
    for expected in [
        "ỦY BAN NHÂN DÂN XÃ Ô DIÊN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số: 21/CV-UBND",
        "thông báo vi phạm quy định bảo vệ dữ liệu cá nhân",
        "Hạn thông báo (72 giờ kể từ khi phát hiện)",
        &minute(c.deadline),
        &minute(row.discovered_at),
        "gửi nhầm vào nhóm Zalo",
        "1.250",
        "Số điện thoại của người đại diện hộ",
        "Thu hồi tin nhắn",
        "- Cơ quan chuyên trách bảo vệ dữ liệu cá nhân (Bộ Công an);",
        "Nguyễn Thị Hoa",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in {text}");
    }

    // The follow-up stops the clock; a date before the discovery is refused.
    let early = FollowUpInput {
        status: "notified".into(),
        notified_on: "2020-01-01".into(),
        actions: String::new(),
    };
    let refused = follow_up(db, &officer, row.id, &early).await;
    assert!(matches!(refused, Err(AppError::Invalid(_))), "{refused:?}");
    let done = FollowUpInput {
        status: "notified".into(),
        notified_on: today().to_string(),
        actions: "Đã gửi thông báo; rà soát quyền xem số đầy đủ".into(),
    };
    let row = follow_up(db, &officer, row.id, &done).await.unwrap();
    assert_eq!(row.notified_on, Some(today()));
    assert!(clock(&row, OffsetDateTime::now_utc()).stopped);

    // Audited; outside the officer's commune the incident does not exist.
    let log = langso_app::audit::list(
        db,
        &Actor::system("test"),
        &langso_app::audit::AuditQuery {
            action: Some("privacy.".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    for action in [
        "privacy.breach_record",
        "privacy.breach_notice",
        "privacy.breach_follow_up",
    ] {
        assert!(actions.contains(&action), "{actions:?}");
    }
    let elsewhere = other_commune(db, &commune).await;
    let stranger = person(db, "canbo.khac", Role::Officer, &elsewhere, false).await;
    let hidden = get_breach(db, &stranger, row.id).await;
    assert!(matches!(hidden, Err(AppError::NotFound)), "{hidden:?}");
    let pdf = notice_pdf(db, &stranger, row.id, &Signing::default()).await;
    assert!(matches!(pdf, Err(AppError::NotFound)), "{pdf:?}");
    assert!(
        list_breaches(db, &stranger, elsewhere.id)
            .await
            .unwrap()
            .is_empty()
    );
    let team = person(db, "to.cnscd", Role::TeamMember, &commune, false).await;
    let refused = get_breach(db, &team, row.id).await;
    assert!(matches!(refused, Err(AppError::Forbidden)), "{refused:?}");
}

/// Writes one audit entry of `action` for `actor`, `days` days ago.
async fn past_entry(db: &Db, actor: &Actor, days: i64, action: &str, target: &str, summary: &str) {
    let mut tx = db.begin().await.unwrap();
    let entry = AuditRow {
        id: Uuid::now_v7(),
        at: OffsetDateTime::now_utc() - Duration::days(days),
        actor_id: actor.user_id,
        actor_label: actor.label.clone(),
        action: action.into(),
        target_type: "household".into(),
        target_id: target.into(),
        unit_id: None,
        summary: summary.into(),
    };
    write_audit(&mut tx, &entry).await.unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn an_account_exporting_far_more_than_usual_opens_one_draft_incident() {
    let test = TestDb::new().await.unwrap();
    let db = &test.db;
    demo::build_small(db, &NoProgress).await.unwrap();
    let commune = unit(db, "09817").await;
    let admin = person(db, "qt.xa", Role::Admin, &commune, false).await;
    let usual = person(db, "canbo.thuong", Role::Officer, &commune, true).await;
    let unusual = person(db, "canbo.xuat", Role::Officer, &commune, true).await;
    let today_export = export_households(db, &unusual, "09817", ExportFormat::Csv)
        .await
        .unwrap();
    let rows = today_export.rows;
    assert!(rows > 10, "the demo commune has {rows} households");
    // The shipped thresholds, then the commune's size: over rows - 1 people in a day.
    assert_eq!((thresholds(db).await.unwrap().factor, 5), (5, 5));
    assert_eq!(thresholds(db).await.unwrap().people, 200);
    let not_root = set_thresholds(db, &admin, "5", "10").await;
    assert!(matches!(not_root, Err(AppError::NotFound)), "{not_root:?}");
    let bad = set_thresholds(db, &Actor::system("test"), "0", "nhiều").await;
    assert!(matches!(bad, Err(AppError::Invalid(e)) if e.len() == 2));
    let people = i64::try_from(rows).unwrap() - 1;
    set_thresholds(db, &Actor::system("test"), "5", &people.to_string())
        .await
        .unwrap();

    // History: one household seen a day by the one; the whole list a day by the other.
    for day in 1..=30 {
        past_entry(db, &unusual, day, "household.view_unmasked", "X-1", "").await;
        let summary = format!("format=csv rows={rows} masked=false");
        past_entry(db, &usual, day, "household.export", "09817", &summary).await;
    }
    export_households(db, &usual, "09817", ExportFormat::Csv)
        .await
        .unwrap();

    let now = OffsetDateTime::now_utc();
    assert_eq!(check_anomalies(db, now).await.unwrap(), 1);
    // Another node, or the next run: the same account and day open nothing more.
    assert_eq!(check_anomalies(db, now).await.unwrap(), 0);
    let listed = list_breaches(db, &admin, commune.id).await.unwrap();
    assert_eq!(listed.len(), 1, "{listed:?}");
    let draft = &listed[0];
    assert_eq!(draft.status, "draft");
    assert_eq!(draft.anomaly_user_id, unusual.user_id);
    assert_eq!(draft.people, i64::try_from(rows).unwrap());
    assert!(draft.what.contains("canbo.xuat"), "{}", draft.what);
    // The commune's administrator is told, by e-mail, with the link to the incident.
    let told = langso_store::comms::messages_of(db, "notification", draft.id)
        .await
        .unwrap();
    assert!(
        told.iter().any(|m| m.address == "qt.xa@xa.example.vn"
            && m.body.contains(&format!("/privacy/breaches/{}", draft.id))),
        "{told:?}"
    );
    assert!(
        told.iter()
            .all(|m| m.address != "canbo.thuong@xa.example.vn")
    );
}

#[tokio::test]
async fn the_processing_record_is_a_signable_document_in_pdf_and_xlsx() {
    let test = TestDb::new().await.unwrap();
    let db = &test.db;
    demo::build_small(db, &NoProgress).await.unwrap();
    let commune = unit(db, "09817").await;
    let admin = person(db, "qt.xa", Role::Admin, &commune, true).await;
    let mut tx = db.begin().await.unwrap();
    let sms = langso_store::comms::ChannelSettingsRow {
        unit_id: commune.id,
        channel: "sms".into(),
        enabled: true,
        endpoint: "https://api.esms.example.vn/MainService.svc".into(),
        account: "khoa-api".into(),
        sender: "UBND O DIEN".into(),
        options: "{}".into(),
        secret: Some("bí-mật".into()),
        access_token: None,
        refresh_token: None,
        token_expires_at: None,
        updated_at: OffsetDateTime::now_utc(),
    };
    langso_store::comms::save_channel_settings(&mut tx, &sms)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut retention = stated_retention(None);
    retention.push(RetentionLine {
        kind: "Ghi chú thăm hộ".into(),
        keep: "24 tháng".into(),
        then: "Ẩn danh".into(),
    });
    let signing = Signing {
        signer_name: "Trần Văn Bình".into(),
        ..Signing::default()
    };
    let pdf = record_pdf(db, &admin, commune.id, &signing, &retention)
        .await
        .unwrap();
    let text = pdf_text(&pdf);
    for expected in [
        "ỦY BAN NHÂN DÂN XÃ Ô DIÊN",
        "Độc lập - Tự do - Hạnh phúc",
        "BÁO CÁO",
        "Ghi nhận hoạt động xử lý và đánh giá tác động",
        "Dữ liệu cá nhân được xử lý",
        "Số định danh cá nhân (căn cước)",
        "Thành viên Tổ công nghệ số cộng đồng",
        "api.esms.example.vn",
        "Ghi chú thăm hộ",
        "Argon2id",
        "Đánh giá tác động",
        "TM. ỦY BAN NHÂN DÂN",
        "Trần Văn Bình",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in {text}");
    }
    assert!(!text.contains("bí-mật") && !text.contains("khoa-api"));

    let xlsx = record_xlsx(db, &admin, commune.id, &signing, &retention)
        .await
        .unwrap();
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(xlsx)).unwrap();
    let names = book.sheet_names();
    assert_eq!(names.len(), 7, "{names:?}");
    let mut all = Vec::new();
    for name in &names {
        let range = book.worksheet_range(name).unwrap();
        assert_eq!(
            range.get_value((1, 0)),
            Some(&Data::String("ỦY BAN NHÂN DÂN XÃ Ô DIÊN".into()))
        );
        all.extend(range.rows().flatten().filter_map(|d| match d {
            Data::String(s) => Some(s.clone()),
            _ => None,
        }));
    }
    for expected in ["Ghi chú thăm hộ", "Quản trị", "Trần Văn Bình", "Nơi nhận:"] {
        assert!(all.iter().any(|s| s == expected), "{expected:?} in {all:?}");
    }

    // Another commune's officer cannot read it; a team member of the commune may not.
    let elsewhere = other_commune(db, &commune).await;
    let stranger = person(db, "canbo.khac", Role::Officer, &elsewhere, false).await;
    let hidden = record_pdf(db, &stranger, commune.id, &signing, &retention).await;
    assert!(matches!(hidden, Err(AppError::NotFound)), "{hidden:?}");
    let team = person(db, "to.cnscd", Role::TeamMember, &commune, false).await;
    let refused = record_xlsx(db, &team, commune.id, &signing, &retention).await;
    assert!(matches!(refused, Err(AppError::Forbidden)), "{refused:?}");
}

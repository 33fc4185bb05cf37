//! Criteria evaluated on hand-made facts.

use super::*;

fn crit(rule: Rule) -> Criterion {
    Criterion {
        code: "TC".into(),
        label_vi: "Thử".into(),
        label_en: "Test".into(),
        rule,
    }
}

fn facts(pairs: &[(&str, i64)]) -> VillageFacts {
    VillageFacts {
        counters: pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect(),
        ..Default::default()
    }
}

#[test]
fn judging_on_the_counter_keys_alone_gives_the_same_outcomes() {
    let (s, a) = ("smartphones".to_owned(), "camera".to_owned());
    let set = [
        crit(Rule::IndicatorShare {
            indicator: s,
            basis: Basis::BusinessHouseholds,
            min_share: 0.5,
        }),
        crit(Rule::Assets {
            asset: a,
            min: 2.0,
            per_100_households: true,
        }),
        crit(Rule::TeamMembers { min: 3 }),
        crit(Rule::GroupCoverage { min_share: 0.8 }),
    ];
    let keys = [
        "adults",
        "business",
        "households",
        "ind:smartphones",
        "ind:vneid_1",
    ];
    let more = [
        "asset:camera",
        "asset:wifi",
        "team:members",
        "group:households",
        "visits",
    ];
    let all = facts(
        &keys
            .iter()
            .chain(&more)
            .map(|k| (*k, 7))
            .collect::<Vec<_>>(),
    );
    let mut only = all.clone();
    only.counters.retain(|k, _| counter_keys(&set).contains(k));
    for c in &set {
        assert_eq!(evaluate(c, &all), evaluate(c, &only), "{c:?}");
    }
    assert!(!counter_keys(&set).contains(&"ind:vneid_1".to_owned()));
}

#[test]
fn a_recognised_village_failing_a_measured_criterion_is_flagged() {
    let outcome = |verdict| Outcome {
        code: "TC".into(),
        measured: None,
        threshold: 1.0,
        verdict,
    };
    let failing = [outcome(Verdict::Pass), outcome(Verdict::Fail)];
    let unmeasured = [outcome(Verdict::Pass), outcome(Verdict::NoData)];
    assert!(no_longer_meets(&failing, true));
    assert!(!no_longer_meets(&failing, false));
    assert!(!no_longer_meets(&unmeasured, true));
    assert_eq!(criteria_met(&failing), 1);
}

#[test]
fn shares_pass_at_the_threshold_and_missing_sources_are_no_data() {
    let c = crit(Rule::IndicatorShare {
        indicator: "vneid_2".into(),
        basis: Basis::Adults,
        min_share: 0.9,
    });
    let o = evaluate(&c, &facts(&[("adults", 10), ("ind:vneid_2", 9)]));
    assert_eq!((o.measured, o.verdict), (Some(0.9), Verdict::Pass));
    let o = evaluate(&c, &facts(&[("adults", 10), ("ind:vneid_2", 8)]));
    assert_eq!(o.verdict, Verdict::Fail);
    assert_eq!(
        evaluate(&c, &facts(&[("adults", 10)])).verdict,
        Verdict::Fail
    );
    assert_eq!(evaluate(&c, &facts(&[])).verdict, Verdict::NoData);
    let cameras = crit(Rule::Assets {
        asset: "camera".into(),
        min: 2.0,
        per_100_households: true,
    });
    assert_eq!(
        evaluate(&cameras, &facts(&[("households", 100)])).verdict,
        Verdict::NoData
    );
    let o = evaluate(
        &cameras,
        &facts(&[("households", 200), ("asset:camera", 5)]),
    );
    assert_eq!((o.measured, o.verdict), (Some(2.5), Verdict::Pass));
    let groups = crit(Rule::GroupCoverage { min_share: 1.0 });
    assert_eq!(
        evaluate(&groups, &facts(&[("households", 5)])).verdict,
        Verdict::NoData
    );
    let team = crit(Rule::TeamMembers { min: 3 });
    assert_eq!(evaluate(&team, &facts(&[])).verdict, Verdict::NoData);
    let mut f = facts(&[("team:members", 2)]);
    f.teams_exist = true;
    assert_eq!(evaluate(&team, &f).verdict, Verdict::Fail);
    let manual = crit(Rule::Manual {
        evidence_vi: String::new(),
    });
    assert_eq!(evaluate(&manual, &f).verdict, Verdict::NoData);
    f.approved_evidence.insert("TC".into());
    assert_eq!(evaluate(&manual, &f).verdict, Verdict::Pass);
}

#[test]
fn status_and_recognition_steps() {
    let o = |verdict| Outcome {
        code: "x".into(),
        measured: None,
        threshold: 1.0,
        verdict,
    };
    assert_eq!(
        status(&[o(Verdict::NoData)], false),
        VillageStatus::NotStarted
    );
    assert_eq!(
        status(&[o(Verdict::Pass), o(Verdict::NoData)], false),
        VillageStatus::InProgress
    );
    assert_eq!(
        status(&[o(Verdict::Pass)], false),
        VillageStatus::MeetsCriteria
    );
    assert_eq!(status(&[o(Verdict::Fail)], true), VillageStatus::Recognised);
    use RecognitionStep::*;
    assert!(Proposed.may_follow(None) && Recognised.may_follow(Some(Proposed)));
    assert!(!Recognised.may_follow(None) && !Revoked.may_follow(Some(Proposed)));
    assert!(Proposed.may_follow(Some(Revoked)));
}

#[test]
fn a_set_names_every_problem() {
    let file = CriteriaFile {
        name: " ".into(),
        province: "01".into(),
        valid_from: time::macros::date!(2024 - 01 - 01),
        valid_to: Some(time::macros::date!(2023 - 01 - 01)),
        criteria: vec![
            crit(Rule::GroupCoverage { min_share: 1.5 }),
            crit(Rule::QrPlacements { min: 1 }),
        ],
    };
    let problems = file.problems();
    assert_eq!(problems.len(), 4, "{problems:?}");
    let json = serde_json::to_string(&file.criteria[1]).unwrap();
    assert!(json.contains("\"kind\":\"qr_placements\""), "{json}");
}

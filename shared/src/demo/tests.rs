use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::*;

fn seeded(dir: &std::path::Path, seed_no: u64) -> (Store, SeedSummary) {
    let mut store = Store::open(dir).unwrap();
    store.init("GS0101", "城关市场监督管理所").unwrap();
    let opts = SeedOptions {
        records: 300,
        seed: seed_no,
        end: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
        years: 2,
    };
    let summary = seed(&mut store, &opts).unwrap();
    store.set_today(opts.end);
    (store, summary)
}

fn titles(store: &Store) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = store
        .list(&ListQuery {
            include_annex: true,
            limit: Some(1000),
            ..ListQuery::default()
        })
        .unwrap()
        .into_iter()
        .map(|r| (r.id, r.title))
        .collect();
    out.sort();
    out
}

#[test]
fn seeding_300_records_yields_every_kind_and_legal_mixed_progress() {
    let dir = tempfile::tempdir().unwrap();
    let (store, summary) = seeded(dir.path(), 2011);
    assert_eq!(summary.records, 300, "{summary:#?}");
    let q = ListQuery {
        include_annex: true,
        ..ListQuery::default()
    };
    assert_eq!(store.count(&q).unwrap(), 300);
    for kind in RecordKind::ALL {
        let n = store
            .count(&ListQuery {
                kind: Some(kind),
                ..ListQuery::default()
            })
            .unwrap();
        assert!(n > 0, "no {kind} record: {summary:#?}");
    }
    // Every report has its annex.
    assert_eq!(summary.by_kind["report"], summary.by_kind["annex"]);
    // A realistic mix: some closed, some overdue, most cases in between.
    assert!(summary.closed > 60, "{summary:#?}");
    assert!(summary.overdue > 0, "{summary:#?}");
    assert!(
        store
            .count(&ListQuery {
                overdue: true,
                ..ListQuery::default()
            })
            .unwrap()
            > 0
    );
    let open_cases = store
        .count(&ListQuery {
            kind: Some(RecordKind::Case),
            open_only: true,
            ..ListQuery::default()
        })
        .unwrap();
    assert!(open_cases > 5, "{summary:#?}");
    let case_statuses: BTreeSet<&String> = summary.by_status["case"].keys().collect();
    assert!(case_statuses.len() >= 5, "{case_statuses:?}");
}

#[test]
fn the_same_seed_gives_the_same_records_and_another_seed_does_not() {
    let (a, b, c) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let (sa, _) = seeded(a.path(), 7);
    let (sb, _) = seeded(b.path(), 7);
    let (sc, _) = seeded(c.path(), 8);
    assert_eq!(titles(&sa), titles(&sb));
    assert_ne!(titles(&sa), titles(&sc));
}

#[test]
fn seeding_again_with_the_same_options_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _) = seeded(dir.path(), 3);
    let again = seed(
        &mut store,
        &SeedOptions {
            records: 300,
            seed: 3,
            end: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
            years: 2,
        },
    )
    .unwrap();
    assert_eq!(again.records, 0);
    assert_eq!(again.unchanged, 300);
}

#[test]
fn chinese_search_finds_liquor_cases() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = seeded(dir.path(), 2011);
    let hits = store
        .list(&ListQuery {
            text: Some("茅台".into()),
            ..ListQuery::default()
        })
        .unwrap();
    assert!(!hits.is_empty());
}

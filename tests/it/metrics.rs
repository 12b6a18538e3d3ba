//! Every figure of the dashboard against small, hand-computed fixtures.

use serde_json::{Value, json};
use sqlx::PgPool;

use crate::support::{MIGRATIONS, card, dashboard, exec};

/// Six bodies, five conferences, six meetings and a little of everything else;
/// the expected figures below are computed by hand from these rows.
pub const FIXTURE: &str = "
INSERT INTO governing_bodies (id, name, type, organization_code, organization_type, created_at)
VALUES (1, '日本国', '国', NULL, NULL, '2026-01-01 00:00:00'),
       (2, '京都府', '都道府県', '260002', '都道府県', '2026-01-01 00:00:00'),
       (3, '京都府京都市', '市町村', '261009', '市', '2026-01-01 00:00:00'),
       (4, '葛飾区', '市町村', '131229', '特別区', '2026-01-01 00:00:00'),
       (5, '都城市', '市町村', NULL, '市', '2026-01-01 00:00:00'),
       (6, '謎の町', NULL, NULL, NULL, '2026-01-01 00:00:00');
INSERT INTO conferences (id, name, type, governing_body_id)
VALUES (1, '衆議院', '議院', 1), (2, '京都市議会', '市議会', 3), (3, '本会議', '区議会', 4),
       (4, '静岡市議会', '市議会', NULL), (5, '本会議', '市議会', 99);
INSERT INTO meetings (id, conference_id, date, created_at)
VALUES (1, 1, '2026-03-10', '2026-03-09 10:00:00'), (2, 1, '2026-03-04', '2026-03-05 00:00:00'),
       (3, 2, '2026-03-03', '2026-02-01 00:00:00'), (4, 4, '2026-03-09', '2026-02-01 00:00:00'),
       (5, 2, NULL, '2026-02-01 00:00:00'), (6, 2, '2026-04-01', '2026-02-01 00:00:00');
INSERT INTO minutes (id, meeting_id, processed_at, created_at)
VALUES (1, 1, '2026-03-09 10:00:00', '2026-03-09 09:00:00'), (2, 2, NULL, '2026-03-05 00:00:00'),
       (3, 3, '2026-03-01 00:00:00', '2026-02-28 00:00:00'), (4, 3, NULL, '2026-03-08 12:00:00');
INSERT INTO political_parties (id, name) VALUES (1, '自由民主党');
INSERT INTO politicians (id, name, political_party_id, created_at)
VALUES (1, '議員甲', 1, '2026-03-09 23:10:00'), (2, '議員乙', NULL, '2026-01-01 00:00:00');
INSERT INTO speakers (id, name, type, is_politician, politician_id, created_at)
VALUES (1, '甲', '政治家', TRUE, 1, '2026-03-09 23:10:00'), (2, '乙', '議長', FALSE, 2, '2026-03-01 00:00:00'),
       (3, '丙', '参考人', FALSE, NULL, '2026-01-01 00:00:00'), (4, '丁', 'politician', FALSE, NULL, '2026-01-01 00:00:00');
INSERT INTO conversations (id, minutes_id, speaker_id, comment, sequence_number)
VALUES (1, 1, 1, 'a', 1), (2, 1, 2, 'b', 2), (3, 1, 3, 'c', 3), (4, 1, NULL, 'd', 4),
       (5, 3, 3, 'e', 1), (6, 3, 4, 'f', 2), (7, 2, 1, 'g', 1);
INSERT INTO llm_processing_history (processing_type, model_name, model_version,
    input_reference_type, input_reference_id, status, started_at, completed_at, created_at)
VALUES ('minutes_division', 'm', '1', 'minutes', 1, 'completed',
        '2026-03-01 00:00:00', '2026-03-01 00:00:10', '2026-03-01 00:00:00'),
       ('minutes_division', 'm', '1', 'minutes', 2, 'failed',
        '2026-03-09 00:00:00', '2026-03-09 00:00:30', '2026-03-09 00:00:00'),
       ('speaker_matching', 'm', '1', 'speakers', 1, 'completed',
        '2026-02-01 00:00:00', '2026-02-01 00:00:05', '2026-02-01 00:00:00'),
       ('speaker_matching', 'm', '1', 'speakers', 2, 'pending', NULL, NULL, '2026-03-09 00:00:00')
";

#[sqlx::test(migrator = "MIGRATIONS")]
async fn empty_database_has_zero_counts_and_no_rates(pool: PgPool) {
    let doc = dashboard(&pool, "").await;

    assert_eq!(doc["coverage"]["total_bodies"], 0);
    assert_eq!(doc["coverage"]["rate"], Value::Null);
    assert_eq!(doc["meetings"]["rate"], Value::Null);
    assert_eq!(doc["speakers"]["rate"], Value::Null);
    assert_eq!(doc["speakers"]["conversation_rate"], Value::Null);
    assert_eq!(doc["activity"]["days"].as_array().unwrap().len(), 30);
    assert_eq!(doc["panels"], json!({}));
    for card in doc["cards"].as_array().unwrap() {
        if card["id"] != "registration" {
            assert_eq!(card["rate"], Value::Null, "{card}");
        }
    }
    assert!(!doc.to_string().contains("NaN"));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn one_municipality_is_a_real_zero(pool: PgPool) {
    exec(
        &pool,
        "INSERT INTO governing_bodies (name, type) VALUES ('京都府京都市', '市町村')",
    )
    .await;

    let doc = dashboard(&pool, "").await;

    assert_eq!(doc["coverage"]["rate"], json!(0.0));
    assert_eq!(doc["coverage"]["band"], "red");
    assert_eq!(doc["speakers"]["rate"], Value::Null);
    assert_eq!(doc["speakers"]["conversation_rate"], Value::Null);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn coverage_by_type_and_prefecture(pool: PgPool) {
    exec(&pool, FIXTURE).await;

    let doc = dashboard(&pool, "").await;
    let coverage = &doc["coverage"];

    assert_eq!(coverage["total_bodies"], 6);
    assert_eq!(coverage["bodies_with_data"], 2);
    assert_eq!(coverage["rate"], json!(33.3));
    assert_eq!(coverage["bodies_with_conferences"], 3);
    assert_eq!(coverage["conference_rate"], json!(50.0));
    let totals: i64 = coverage["by_type"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["total"].as_i64().unwrap())
        .sum();
    assert_eq!(totals, 6);
    assert!(
        coverage["by_type"]
            .as_array()
            .unwrap()
            .contains(&json!({"type": "未分類", "total": 1, "with_data": 0, "rate": 0.0}))
    );
    assert_eq!(
        coverage["prefectures"],
        json!([
            {"code": "26", "prefecture": "京都府", "total": 1, "with_data": 1, "rate": 100.0, "band": "green"},
            {"code": "13", "prefecture": "東京都", "total": 1, "with_data": 0, "rate": 0.0, "band": "red"},
            {"code": null, "prefecture": "不明", "total": 1, "with_data": 0, "rate": 0.0, "band": "red"}
        ])
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn prefecture_of_tricky_bodies(pool: PgPool) {
    exec(
        &pool,
        "INSERT INTO governing_bodies (name, type, organization_code) VALUES
        ('京都府京都市', '市町村', '261009'), ('葛飾区', '市町村', '131229'),
        ('府中市', '市町村', '132063'), ('府中市', '市町村', '342084'),
        ('東京都府中市', '市町村', NULL), ('都城市', '市町村', NULL)",
    )
    .await;

    let doc = dashboard(&pool, "").await;
    let by_name = |name: &str| {
        doc["coverage"]["prefectures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["prefecture"] == name)
            .map(|p| p["total"].as_i64().unwrap())
    };

    assert_eq!(by_name("京都府"), Some(1));
    assert_eq!(by_name("東京都"), Some(3));
    assert_eq!(by_name("広島県"), Some(1));
    assert_eq!(by_name("不明"), Some(1));
    assert_eq!(by_name("京都"), None);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn meetings_and_minutes(pool: PgPool) {
    exec(&pool, FIXTURE).await;

    let doc = dashboard(&pool, "").await;
    let meetings = &doc["meetings"];

    assert_eq!(
        (meetings["total"].clone(), meetings["with_minutes"].clone()),
        (json!(6), json!(3))
    );
    assert_eq!(meetings["rate"], json!(50.0));
    assert_eq!(meetings["conference_count"], 5);
    let top: Vec<(i64, i64)> = meetings["by_conference"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["conference_id"].as_i64().unwrap(),
                c["meetings"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(top, vec![(2, 3), (1, 2), (4, 1)]);
    assert_eq!(meetings["by_conference"][2]["governing_body"], Value::Null);
    assert_eq!(
        meetings["without_minutes"],
        json!({"count": 3, "rate": 50.0, "band": "red"})
    );
    let minutes = &meetings["minutes"];
    assert_eq!(
        (minutes["processed"].clone(), minutes["unprocessed"].clone()),
        (json!(2), json!(2))
    );
    assert_eq!(minutes["oldest_unprocessed"], "2026-03-05T09:00:00+09:00");
    assert_eq!(minutes["newest_unprocessed"], "2026-03-08T21:00:00+09:00");
    let per_day: Vec<&Value> = meetings["processed_per_day"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["count"] != 0)
        .collect();
    assert_eq!(
        per_day,
        vec![
            &json!({"date": "2026-03-01", "count": 1}),
            &json!({"date": "2026-03-09", "count": 1})
        ]
    );
    assert_eq!(meetings["processed_per_day"].as_array().unwrap().len(), 30);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn speakers_and_per_meeting_linking(pool: PgPool) {
    exec(&pool, FIXTURE).await;

    let doc = dashboard(&pool, "").await;
    let speakers = &doc["speakers"];

    assert_eq!(
        (speakers["total"].clone(), speakers["linked"].clone()),
        (json!(4), json!(2))
    );
    assert_eq!(speakers["band"], "yellow");
    assert_eq!(speakers["conversation_rate"], json!(85.7));
    assert_eq!(
        speakers["politician_speakers"],
        json!({"total": 2, "linked": 1, "rate": 50.0, "band": "red"})
    );
    assert_eq!(
        speakers["without_speaker"],
        json!({"count": 1, "rate": 14.3, "band": "yellow"})
    );
    let linking = &speakers["per_meeting"];
    assert_eq!(linking["meetings"], 3);
    let bins: Vec<i64> = linking["histogram"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["meetings"].as_i64().unwrap())
        .collect();
    assert_eq!(bins, vec![1, 0, 0, 0, 0, 1, 0, 0, 0, 1]);
    assert_eq!(
        linking["summary"],
        json!({"mean": 50.0, "median": 50.0, "min": 0.0,
        "max": 100.0, "full": 1, "at_least_80": 1})
    );
    assert_eq!(
        linking["worst"],
        json!([{"meeting_id": 3, "date": "2026-03-03",
        "conference": "京都市議会", "governing_body": "京都府京都市", "rate": 0.0,
        "conversations": 2}])
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn activity_days_follow_tokyo_calendar(pool: PgPool) {
    exec(&pool, FIXTURE).await;

    let doc = dashboard(&pool, "period=7d").await;
    let days = doc["activity"]["days"].as_array().unwrap();

    assert_eq!(
        doc["period"],
        json!({"key": "7d", "days": 7, "from": "2026-03-04", "to": "2026-03-10"})
    );
    assert_eq!(days.len(), 7);
    assert_eq!(
        days[0],
        json!({"date": "2026-03-04", "meetings": 1, "conversations": 1,
        "speakers": 0, "politicians": 0})
    );
    assert_eq!(
        days[6],
        json!({"date": "2026-03-10", "meetings": 1, "conversations": 4,
        "speakers": 1, "politicians": 1})
    );
    assert_eq!(days[5]["meetings"], 1);
    let heatmap = &doc["activity"]["heatmap"];
    assert_eq!(heatmap["weeks"], json!(["2026-W10", "2026-W11"]));
    assert_eq!(
        heatmap["cells"][6],
        json!({"week": "2026-W11", "weekday": 2, "conversations": 4})
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn months_parties_conferences_and_body_types(pool: PgPool) {
    exec(&pool, FIXTURE).await;

    let doc = dashboard(&pool, "").await;
    let activity = &doc["activity"];

    assert_eq!(
        activity["by_month"],
        json!([{"month": "2026-03", "meetings": 4, "recent": true}])
    );
    assert_eq!(activity["by_year"], json!([{"year": 2026, "meetings": 4}]));
    assert_eq!(
        activity["parties"],
        json!([
        {"party": "自由民主党", "conversations": 2, "politicians": 1, "per_politician": 2.0},
        {"party": null, "conversations": 1, "politicians": 1, "per_politician": 1.0}])
    );
    assert_eq!(activity["top_conferences"][0]["conversations"], 5);
    assert_eq!(activity["top_conferences"][1]["per_meeting"], json!(0.7));
    let municipal = activity["by_body_type"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["type"] == "市町村")
        .unwrap();
    assert_eq!(
        municipal,
        &json!({"type": "市町村", "bodies": 3, "conferences": 2,
        "meetings": 3, "minutes": 2, "conversations": 2, "meetings_per_body": 1.0})
    );
    let no_body = activity["by_body_type"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["type"] == "開催主体なし")
        .unwrap();
    assert_eq!(no_body["conferences"], 2);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn llm_processing_and_cards(pool: PgPool) {
    exec(&pool, FIXTURE).await;

    let doc = dashboard(&pool, "").await;
    let llm = &doc["processing"]["llm"];

    assert_eq!(
        (
            llm["total"].clone(),
            llm["failed"].clone(),
            llm["pending"].clone()
        ),
        (json!(4), json!(1), json!(1))
    );
    assert_eq!(llm["error_rate"], json!(25.0));
    assert_eq!(llm["by_type"][0]["worst"], true);
    assert_eq!(
        llm["by_type"][0]["duration_seconds"],
        json!({"mean": 20.0, "min": 10.0, "max": 30.0})
    );
    assert_eq!(card(&doc, "coverage")["change_7d"], json!(16.6));
    assert_eq!(card(&doc, "registration")["numerator"], 4);
    assert_eq!(card(&doc, "registration")["rate"], json!(0.2));
    assert_eq!(card(&doc, "minutes_processed")["change_7d"], json!(-50.0));
    assert_eq!(card(&doc, "speakers_linked")["change_7d"], Value::Null);
    assert_eq!(card(&doc, "llm_error_rate")["band"], "red");
    assert_eq!(card(&doc, "llm_error_rate")["change_7d"], json!(25.0));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn filters_narrow_bodies_meetings_and_conversations(pool: PgPool) {
    exec(&pool, FIXTURE).await;

    let municipal = dashboard(&pool, "type=%E5%B8%82%E7%94%BA%E6%9D%91").await;
    let kyoto = dashboard(&pool, "prefecture=26").await;
    let conference = dashboard(&pool, "conference=1").await;

    assert_eq!(municipal["coverage"]["total_bodies"], 3);
    assert_eq!(municipal["meetings"]["total"], 3);
    assert_eq!(municipal["speakers"]["conversations"], 2);
    assert_eq!(kyoto["coverage"]["total_bodies"], 2);
    assert_eq!(kyoto["meetings"]["total"], 3);
    assert_eq!(conference["meetings"]["total"], 2);
    assert_eq!(conference["speakers"]["conversations"], 5);
    assert_eq!(conference["coverage"]["total_bodies"], 6);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn missing_column_disables_only_its_panel(pool: PgPool) {
    exec(&pool, FIXTURE).await;
    exec(
        &pool,
        "ALTER TABLE politicians DROP COLUMN political_party_id",
    )
    .await;

    let doc = dashboard(&pool, "").await;

    assert_eq!(doc["panels"]["parties"]["code"], "missing_schema");
    assert!(
        doc["panels"]["parties"]["message"]
            .as_str()
            .unwrap()
            .contains("politicians.political_party_id")
    );
    assert_eq!(doc["activity"]["parties"], Value::Null);
    assert_eq!(doc["coverage"]["total_bodies"], 6);
}

/// Older Polibase versions have no `speakers.politician_id`: linking and parties say so,
/// while the panels that share the same pass over conversations still compute.
#[sqlx::test(migrator = "MIGRATIONS")]
async fn without_politician_links_the_shared_conversation_panels_still_compute(pool: PgPool) {
    exec(&pool, FIXTURE).await;
    let before = dashboard(&pool, "").await;
    exec(&pool, "ALTER TABLE speakers DROP COLUMN politician_id").await;

    let doc = dashboard(&pool, "").await;

    for panel in ["speakers", "linking", "parties"] {
        assert_eq!(doc["panels"][panel]["code"], "missing_schema", "{panel}");
    }
    for panel in ["top_conferences", "body_types", "activity", "meetings"] {
        assert!(
            doc["panels"].get(panel).is_none(),
            "{panel}: {}",
            doc["panels"]
        );
    }
    assert_eq!(
        doc["activity"]["top_conferences"],
        before["activity"]["top_conferences"]
    );
    assert_eq!(
        doc["activity"]["by_body_type"],
        before["activity"]["by_body_type"]
    );
    assert!(doc["activity"]["top_conferences"].as_array().unwrap().len() > 1);
}

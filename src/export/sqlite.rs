//! `data/casebook.sqlite`: the published records, plans and summaries as a SQLite database
//! for analysts (schema in the README). Built in a temporary file (an in-memory database plus
//! its serialised copy would hold the data twice) and read back, so the bytes go through the
//! same atomic site write as every page.
//!
//! Times are ISO 8601 in the site's timezone (`2024-03-12T09:30:00+08:00`), so they sort as
//! text; `month` (`2024-03`) and `year` are stored for grouping.

use std::path::Path;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};
use rusqlite::{params, Connection};

use super::{deadline_label, published_related, rows};
use crate::derive::Derived;
use crate::model::Library;

const SCHEMA: &str = r#"
CREATE TABLE records (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    category TEXT NOT NULL,
    department TEXT NOT NULL,
    discovered_at TEXT NOT NULL,
    month TEXT NOT NULL,
    year INTEGER NOT NULL,
    sentiment TEXT,
    warning TEXT,
    level TEXT,
    status TEXT NOT NULL,
    closed INTEGER NOT NULL,
    region TEXT,
    first_platform TEXT,
    first_published_at TEXT,
    reported_at TEXT,
    first_response_at TEXT,
    response_channel TEXT,
    closed_at TEXT,
    reach INTEGER,
    typical INTEGER NOT NULL,
    audience TEXT NOT NULL,
    deadline TEXT NOT NULL,
    due_at TEXT NOT NULL,
    response_minutes INTEGER,
    response_outcome TEXT NOT NULL,
    close_minutes INTEGER,
    body TEXT NOT NULL,
    source TEXT NOT NULL
);
CREATE TABLE timeline (record_id TEXT NOT NULL REFERENCES records(id), seq INTEGER NOT NULL,
    at TEXT NOT NULL, stage TEXT NOT NULL, note TEXT NOT NULL, PRIMARY KEY (record_id, seq));
CREATE TABLE platforms (record_id TEXT NOT NULL REFERENCES records(id), platform TEXT NOT NULL,
    PRIMARY KEY (record_id, platform));
CREATE TABLE tags (record_id TEXT NOT NULL REFERENCES records(id), tag TEXT NOT NULL,
    PRIMARY KEY (record_id, tag));
CREATE TABLE plan_links (record_id TEXT NOT NULL REFERENCES records(id), plan_id TEXT NOT NULL,
    PRIMARY KEY (record_id, plan_id));
CREATE TABLE related (record_id TEXT NOT NULL REFERENCES records(id),
    related_id TEXT NOT NULL REFERENCES records(id), PRIMARY KEY (record_id, related_id));
CREATE TABLE documents (record_id TEXT NOT NULL REFERENCES records(id), seq INTEGER NOT NULL,
    kind TEXT NOT NULL, number TEXT, date TEXT, PRIMARY KEY (record_id, seq));
CREATE TABLE plans (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    plan_type TEXT,
    issuer TEXT,
    doc_no TEXT,
    version TEXT,
    issued TEXT NOT NULL,
    effective TEXT,
    abolished TEXT,
    review_cycle_years INTEGER NOT NULL,
    last_reviewed TEXT,
    review_due TEXT,
    supersedes TEXT,
    superseded_by TEXT,
    body TEXT NOT NULL
);
CREATE TABLE summaries (
    period TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    unit TEXT,
    issue_no INTEGER,
    published TEXT,
    monitored_posts INTEGER,
    body TEXT NOT NULL
);
CREATE TABLE summary_cases (period TEXT NOT NULL REFERENCES summaries(period),
    record_id TEXT NOT NULL REFERENCES records(id), PRIMARY KEY (period, record_id));

CREATE VIEW monthly_counts AS
    SELECT month, category, COUNT(*) AS cases FROM records GROUP BY month, category;
CREATE VIEW overdue_records AS
    SELECT id, title, category, department, discovered_at, due_at
    FROM records WHERE response_outcome = '逾期未回应' ORDER BY discovered_at DESC;
"#;

/// Made once the rows are in: building an index from sorted rows is much faster than keeping
/// it up to date row by row, whose pages stop fitting SQLite's cache in a large library.
const INDEXES: &str = r#"
CREATE INDEX records_category ON records(category);
CREATE INDEX records_department ON records(department);
CREATE INDEX records_month ON records(month);
CREATE INDEX records_discovered ON records(discovered_at);
CREATE INDEX records_outcome ON records(response_outcome);
CREATE INDEX platforms_platform ON platforms(platform);
CREATE INDEX tags_tag ON tags(tag);
CREATE INDEX plan_links_plan ON plan_links(plan_id);
"#;

/// A view of response performance grouped by `column` (department, category): counts per
/// outcome and the on-time rate as the statistics pages define it.
fn response_view(column: &str) -> String {
    format!(
        "CREATE VIEW {column}_response AS
    SELECT {column},
           COUNT(*) AS cases,
           SUM(response_outcome = '按时') AS on_time,
           SUM(response_outcome = '超时') AS late,
           SUM(response_outcome = '逾期未回应') AS overdue,
           SUM(response_outcome = '待回应') AS pending,
           ROUND(100.0 * SUM(response_outcome = '按时')
                 / NULLIF(SUM(response_outcome IN ('按时', '超时', '逾期未回应')), 0), 1)
               AS on_time_rate_percent
    FROM records GROUP BY {column};"
    )
}

/// Write the database to `path`, a new file in the site being built (the database is never
/// held in memory whole).
pub fn write(lib: &Library, derived: &Derived, path: &Path) -> rusqlite::Result<()> {
    fill(Connection::open(path)?, lib, derived)
}

/// Create the tables and views and insert everything; the connection is closed on return.
fn fill(mut conn: Connection, lib: &Library, derived: &Derived) -> rusqlite::Result<()> {
    // A new file that a failed build throws away: no journal to recover from, no waiting
    // for the disk between statements. Large pages: a record's row (its body is kilobytes)
    // fits in one instead of spilling into overflow pages, and the file is written in fewer,
    // larger pieces (the export took 0.5 → 0.3 s at 10,000 records). A cache of up to
    // 128 MB instead of 2 MB: the tables' keys are kept up to date row by row, and with the
    // default cache their pages were written out and read back again and again (at 10,000
    // records 3,917 reads and 1,078 writes of the file, now 18 and 922; at 100,000 the export
    // took 13.7 s, now 9.0 s). The cache holds only pages the export has touched.
    conn.execute_batch(
        "PRAGMA page_size = 65536; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
         PRAGMA cache_size = -131072;",
    )?;
    conn.execute_batch(SCHEMA)?;
    for column in ["department", "category"] {
        conn.execute_batch(&response_view(column))?;
    }
    let tz = lib.config.timezone;
    let time = |t: &DateTime<FixedOffset>| t.with_timezone(&tz).to_rfc3339();
    let opt_time = |t: &Option<DateTime<FixedOffset>>| t.as_ref().map(time);
    let date = |d: &Option<NaiveDate>| d.as_ref().map(|d| d.format("%Y-%m-%d").to_string());

    let tx = conn.transaction()?;
    // Records point at each other (related); check the references once all are in.
    tx.execute_batch("PRAGMA defer_foreign_keys = ON")?;
    {
        let mut record = tx.prepare(&format!(
            "INSERT INTO records VALUES ({})",
            vec!["?"; 29].join(",")
        ))?;
        let mut timeline = tx.prepare("INSERT INTO timeline VALUES (?,?,?,?,?)")?;
        let mut platform = tx.prepare("INSERT OR IGNORE INTO platforms VALUES (?,?)")?;
        let mut tag = tx.prepare("INSERT OR IGNORE INTO tags VALUES (?,?)")?;
        let mut plan_link = tx.prepare("INSERT OR IGNORE INTO plan_links VALUES (?,?)")?;
        let mut related = tx.prepare("INSERT OR IGNORE INTO related VALUES (?,?)")?;
        let mut document = tx.prepare("INSERT INTO documents VALUES (?,?,?,?,?)")?;
        for (r, resp) in rows(lib, &derived.responses) {
            let local = r.discovered_at.with_timezone(&tz);
            record.execute(params![
                r.id,
                r.title,
                r.category,
                r.department,
                time(&r.discovered_at),
                local.format("%Y-%m").to_string(),
                local.year(),
                r.sentiment,
                r.warning,
                r.level,
                r.status,
                r.is_closed(),
                r.region,
                r.first_platform(),
                opt_time(&r.first_published_at),
                opt_time(&r.reported_at),
                opt_time(&r.first_response_at),
                r.response_channel,
                opt_time(&r.closed_at),
                r.reach.map(|n| i64::try_from(n).unwrap_or(i64::MAX)),
                r.typical,
                r.visibility.audience,
                deadline_label(lib, r),
                time(&resp.due),
                resp.minutes,
                resp.outcome.label(),
                resp.close_minutes,
                r.body.markdown,
                r.origin.path.display().to_string(),
            ])?;
            for (seq, t) in r.timeline.iter().enumerate() {
                timeline.execute(params![r.id, seq as i64, time(&t.at), t.stage, t.note])?;
            }
            for p in &r.platforms {
                platform.execute(params![r.id, p])?;
            }
            for t in &r.tags {
                tag.execute(params![r.id, t])?;
            }
            for p in &r.plans {
                plan_link.execute(params![r.id, p])?;
            }
            for id in published_related(lib, r) {
                related.execute(params![r.id, id])?;
            }
            for (seq, d) in r.documents.iter().enumerate() {
                document.execute(params![r.id, seq as i64, d.kind, d.number, date(&d.date)])?;
            }
        }

        let mut plan = tx.prepare(&format!(
            "INSERT INTO plans VALUES ({})",
            vec!["?"; 16].join(",")
        ))?;
        for (p, facts) in lib.plans.iter().zip(&derived.plans) {
            plan.execute(params![
                p.id,
                p.title,
                p.status,
                p.plan_type,
                p.issuer,
                p.doc_no,
                p.version,
                date(&Some(p.issued)),
                date(&p.effective),
                date(&p.abolished),
                p.review_cycle_years,
                date(&p.last_reviewed),
                date(&facts.review_due),
                p.supersedes
                    .as_ref()
                    .filter(|id| lib.plan_index(id).is_some()),
                facts.superseded_by.map(|i| &lib.plans[i].id),
                p.body.markdown,
            ])?;
        }

        let mut summary = tx.prepare("INSERT INTO summaries VALUES (?,?,?,?,?,?,?)")?;
        let mut summary_case = tx.prepare("INSERT OR IGNORE INTO summary_cases VALUES (?,?)")?;
        for s in &lib.summaries {
            let period = s.period.to_string();
            summary.execute(params![
                period,
                s.title,
                s.unit,
                s.issue_no.map(|n| i64::try_from(n).unwrap_or(i64::MAX)),
                date(&s.published),
                s.monitored_posts
                    .map(|n| i64::try_from(n).unwrap_or(i64::MAX)),
                s.body.markdown,
            ])?;
            for id in s
                .key_cases
                .iter()
                .filter(|id| lib.record_index(id).is_some())
            {
                summary_case.execute(params![period, id])?;
            }
        }
    }
    tx.execute_batch(INDEXES)?;
    tx.commit()?;
    conn.close().map_err(|(_, e)| e)
}

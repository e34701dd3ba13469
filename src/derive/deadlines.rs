//! Response metrics: how fast each incident was first answered, against its category's
//! deadline, and which unanswered ones are overdue as of the build's "now".
//!
//! The clock runs from `discovered_at` to `first_response_at`. `same-day` means by 24:00 of
//! the discovery day in the site's timezone, whatever offset the times were written with.

use chrono::{DateTime, Duration, FixedOffset, NaiveTime, TimeZone};
use serde::Serialize;

use crate::config::{Config, Deadline};
use crate::content::record::Record;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Answered by the deadline.
    OnTime,
    /// Answered after the deadline.
    Late,
    /// Not answered, and the deadline has passed.
    Overdue,
    /// Not answered, deadline still ahead.
    Pending,
}

impl Outcome {
    /// 按时 / 超时 / 逾期未回应 / 待回应
    pub fn label(self) -> &'static str {
        match self {
            Outcome::OnTime => "按时",
            Outcome::Late => "超时",
            Outcome::Overdue => "逾期未回应",
            Outcome::Pending => "待回应",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Response {
    /// When the first response was due.
    pub due: DateTime<FixedOffset>,
    /// Minutes from discovery to first response.
    pub minutes: Option<i64>,
    pub outcome: Outcome,
    /// Minutes from discovery to closing.
    pub close_minutes: Option<i64>,
}

/// The moment a record's first response is due.
pub fn due(
    discovered: DateTime<FixedOffset>,
    deadline: Deadline,
    tz: FixedOffset,
) -> DateTime<FixedOffset> {
    match deadline {
        Deadline::Minutes(m) => discovered + Duration::minutes(m),
        Deadline::SameDay => {
            let local_day = discovered.with_timezone(&tz).date_naive();
            let next = local_day.succ_opt().unwrap_or(local_day);
            tz.from_local_datetime(&next.and_time(NaiveTime::MIN))
                .single()
                .unwrap_or(discovered)
        }
    }
}

pub fn response(r: &Record, config: &Config, now: DateTime<FixedOffset>) -> Response {
    let deadline = config
        .category(&r.category)
        .map_or(Deadline::SameDay, |c| c.deadline);
    let due = due(r.discovered_at, deadline, config.timezone);
    let minutes = r
        .first_response_at
        .map(|t| (t - r.discovered_at).num_minutes());
    let outcome = match r.first_response_at {
        Some(t) if t <= due => Outcome::OnTime,
        Some(_) => Outcome::Late,
        None if now > due => Outcome::Overdue,
        None => Outcome::Pending,
    };
    Response {
        due,
        minutes,
        outcome,
        close_minutes: r.closed_at.map(|t| (t - r.discovered_at).num_minutes()),
    }
}

/// 95 → "1小时35分", 45 → "45分钟", 1530 → "1天1小时30分".
pub fn duration_label(minutes: i64) -> String {
    let (d, h, m) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    match (d, h, m) {
        (0, 0, m) => format!("{m}分钟"),
        (0, h, 0) => format!("{h}小时"),
        (0, h, m) => format!("{h}小时{m}分"),
        (d, 0, 0) => format!("{d}天"),
        (d, h, 0) => format!("{d}天{h}小时"),
        (d, h, m) => format!("{d}天{h}小时{m}分"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    #[test]
    fn same_day_ends_at_midnight_in_the_site_timezone() {
        let tz = FixedOffset::east_opt(8 * 3600).unwrap();
        assert_eq!(
            due(at("2024-03-12T23:59:00+08:00"), Deadline::SameDay, tz),
            at("2024-03-13T00:00:00+08:00")
        );
        assert_eq!(
            due(at("2024-03-13T00:00:00+08:00"), Deadline::SameDay, tz),
            at("2024-03-14T00:00:00+08:00")
        );
        // 17:30 UTC on the 12th is 01:30 on the 13th in +08:00: due by the end of the 13th.
        assert_eq!(
            due(at("2024-03-12T17:30:00Z"), Deadline::SameDay, tz),
            at("2024-03-14T00:00:00+08:00")
        );
    }

    #[test]
    fn fixed_deadlines_add_their_minutes() {
        let tz = FixedOffset::east_opt(8 * 3600).unwrap();
        assert_eq!(
            due(at("2024-03-12T23:00:00+08:00"), Deadline::Minutes(120), tz),
            at("2024-03-13T01:00:00+08:00")
        );
    }

    #[test]
    fn durations_read_in_chinese() {
        assert_eq!(duration_label(95), "1小时35分");
        assert_eq!(duration_label(45), "45分钟");
        assert_eq!(duration_label(120), "2小时");
        assert_eq!(duration_label(1530), "1天1小时30分");
        assert_eq!(duration_label(2880), "2天");
    }
}

//! Dates as German news text writes them: `5. September 2025`,
//! `5. Sept. 2025`, `Mittwoch5. November 2025`, `05.09.2025`, `4.9.2025` and
//! ISO `2025-09-04`, checked against the calendar and returned as ISO.

use std::sync::LazyLock;

use regex::Regex;

// ---------------------------------------------------------------- dates

const MONTHS: &[(&str, u32)] = &[
    ("januar", 1),
    ("jänner", 1),
    ("jan", 1),
    ("februar", 2),
    ("feb", 2),
    ("märz", 3),
    ("mär", 3),
    ("april", 4),
    ("apr", 4),
    ("mai", 5),
    ("juni", 6),
    ("jun", 6),
    ("juli", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("oktober", 10),
    ("okt", 10),
    ("november", 11),
    ("nov", 11),
    ("dezember", 12),
    ("dez", 12),
];

static GERMAN_DATE: LazyLock<Regex> = LazyLock::new(|| {
    // "5. November 2025", "Mittwoch5. November 2025", "5. Sept. 2025"
    Regex::new(r"(?i)(?:^|[^\d])(\d{1,2})\.\s*([a-zäöü]+)\.?\s+(\d{4})\b").expect("valid regex")
});
static NUMERIC_DATE: LazyLock<Regex> = LazyLock::new(|| {
    // "05.09.2025", "4.9.2025"
    Regex::new(r"(?:^|[^\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})\b").expect("valid regex")
});
static ISO_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d{4})-(\d{2})-(\d{2})\b").expect("valid regex"));

/// The first date stated in `text`, as ISO `YYYY-MM-DD`.
pub fn find_date(text: &str) -> Option<String> {
    let german = GERMAN_DATE.captures_iter(text).find_map(|c| {
        let month = month_number(&c[2])?;
        Some((c.get(0)?.start(), valid_date(&c[3], month, &c[1])?))
    });
    let numeric = NUMERIC_DATE.captures_iter(text).find_map(|c| {
        let month: u32 = c[2].parse().ok()?;
        Some((c.get(0)?.start(), valid_date(&c[3], month, &c[1])?))
    });
    let iso = ISO_DATE
        .captures_iter(text)
        .find_map(|c| Some((c.get(0)?.start(), valid_iso(&c[1], &c[2], &c[3])?)));
    [german, numeric, iso]
        .into_iter()
        .flatten()
        .min_by_key(|(start, _)| *start)
        .map(|(_, date)| date)
}

pub fn month_number(name: &str) -> Option<u32> {
    let name = name.to_lowercase();
    MONTHS.iter().find(|(n, _)| *n == name).map(|(_, m)| *m)
}

/// A line that is (almost) only a date or a time stamp.
pub fn is_date_line(text: &str) -> bool {
    find_date(text).is_some() && text.chars().filter(|c| c.is_alphabetic()).count() <= 20
}

pub fn valid_iso(year: &str, month: &str, day: &str) -> Option<String> {
    valid_date(year, month.parse().ok()?, day)
}

/// Checks the calendar and formats as ISO; `None` for impossible dates.
pub fn valid_date(year: &str, month: u32, day: &str) -> Option<String> {
    let year: u32 = year.parse().ok()?;
    let day: u32 = day.parse().ok()?;
    if !(1..=9999).contains(&year) || !(1..=12).contains(&month) || day == 0 {
        return None;
    }
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    (day <= days).then(|| format!("{year:04}-{month:02}-{day:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_dates_in_their_common_forms() {
        assert_eq!(
            find_date("Mittwoch5. November 2025").as_deref(),
            Some("2025-11-05")
        );
        assert_eq!(
            find_date("am 5. September 2025 in Paris").as_deref(),
            Some("2025-09-05")
        );
        assert_eq!(find_date("5. Sept. 2025").as_deref(), Some("2025-09-05"));
        assert_eq!(
            find_date("Stand: 05.09.2025").as_deref(),
            Some("2025-09-05")
        );
        assert_eq!(find_date("4.9.2025").as_deref(), Some("2025-09-04"));
        assert_eq!(find_date("2025-09-04").as_deref(), Some("2025-09-04"));
        assert_eq!(
            find_date("24. Februar 2022 stattfinden").as_deref(),
            Some("2022-02-24")
        );
    }

    #[test]
    fn impossible_or_missing_dates_are_not_invented() {
        assert_eq!(find_date("31. Februar 2025"), None);
        assert_eq!(find_date("32.01.2025"), None);
        assert_eq!(find_date("26 Länder sind dabei"), None);
        assert_eq!(find_date("mit 20 Prozent pro Jahr"), None);
        assert_eq!(find_date("5. Foo 2025"), None);
    }
}

//! Article metadata (date, title) and paragraph kinds and headings.
//!
//! Rules, in the order they apply:
//!
//! - A first line ` date 2025-09-04 Headline` (the scraper's header) gives
//!   the date, and the rest of the line is the title when it reads as a
//!   title. When the rest is a whole lead paragraph (long, several
//!   sentences) it stays a body paragraph and the title stays empty.
//! - Otherwise the first German or ISO date standing on a short line among
//!   the first few paragraphs gives the date, and the first paragraph before
//!   the running text that reads as a headline gives the title.
//! - After the title, a short line that does not end like a sentence is a
//!   section heading; it becomes the `heading` of the paragraphs below it
//!   until the next heading.
//!
//! Nothing is invented: a field that the text does not state stays empty.

use std::sync::LazyLock;

use regex::Regex;

use super::Kind;
use super::segment::RawParagraph;

/// What [`analyse`] found out about an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleMeta {
    pub title: Option<String>,
    pub date: Option<String>,
    /// One entry per raw paragraph, in order.
    pub paragraphs: Vec<ParagraphMeta>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParagraphMeta {
    pub kind: Kind,
    pub heading: Option<String>,
    /// Replacement text, when part of the line was metadata (the header).
    pub text: Option<String>,
}

/// How many leading paragraphs may hold the date or the headline.
const TOP_PARAGRAPHS: usize = 8;
/// A line holding the article date is short; a date inside running text is
/// about something else.
const MAX_DATE_LINE_CHARS: usize = 80;
const MAX_TITLE_CHARS: usize = 200;
const MAX_HEADING_CHARS: usize = 90;
const MAX_HEADING_WORDS: usize = 12;
const MIN_HEADING_WORDS: usize = 3;
/// Without a header, a headline has at least this many words; shorter lines
/// at the top are site names and navigation.
const MIN_TITLE_WORDS: usize = 4;

static HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*date\s+(\d{4})-(\d{2})-(\d{2})(?:\s+(.*))?$").expect("valid regex")
});

/// Works out the date, the title, and each paragraph's kind and heading.
pub fn analyse(paragraphs: &[RawParagraph]) -> ArticleMeta {
    let mut metas: Vec<ParagraphMeta> = paragraphs
        .iter()
        .map(|_| ParagraphMeta {
            kind: Kind::Body,
            heading: None,
            text: None,
        })
        .collect();
    let mut title = None;
    let date;
    let mut body_from = 0;

    let header = paragraphs
        .first()
        .filter(|p| p.line == 1)
        .and_then(|p| HEADER.captures(&p.text));
    if let Some(caps) = header {
        date = valid_iso(&caps[1], &caps[2], &caps[3]);
        let rest = caps.get(4).map_or("", |m| m.as_str()).trim().to_string();
        if !rest.is_empty() {
            if reads_as_title(&rest, 1) {
                metas[0].kind = Kind::Title;
                title = Some(rest.clone());
            }
            metas[0].text = Some(rest);
        }
        body_from = 1;
    } else {
        date = paragraphs
            .iter()
            .take(TOP_PARAGRAPHS)
            .filter(|p| p.text.chars().count() <= MAX_DATE_LINE_CHARS)
            .find_map(|p| find_date(&p.text));
        for (i, p) in paragraphs.iter().enumerate().take(TOP_PARAGRAPHS) {
            if reads_as_running_text(&p.text) {
                break;
            }
            if !is_date_line(&p.text) && reads_as_title(&p.text, MIN_TITLE_WORDS) {
                metas[i].kind = Kind::Title;
                title = Some(p.text.clone());
                body_from = i + 1;
                break;
            }
        }
    }

    let mut heading: Option<String> = None;
    for (i, p) in paragraphs.iter().enumerate().skip(body_from) {
        if reads_as_heading(&p.text) {
            metas[i].kind = Kind::Heading;
            heading = Some(p.text.clone());
        } else {
            metas[i].heading = heading.clone();
        }
    }
    ArticleMeta {
        title,
        date,
        paragraphs: metas,
    }
}

fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

fn ends_like_sentence(text: &str) -> bool {
    text.ends_with(['.', ',', ';', ':', '!', '…'])
}

fn reads_as_title(text: &str, min_words: usize) -> bool {
    let words = word_count(text);
    words >= min_words
        && text.chars().count() <= MAX_TITLE_CHARS
        && text.chars().any(char::is_alphabetic)
        && !text.ends_with(['.', ',', ';', ':'])
        && !has_inner_sentence_end(text)
}

/// "Satz eins. Satz zwei" has a sentence end inside; a headline does not.
fn has_inner_sentence_end(text: &str) -> bool {
    text.match_indices(". ")
        .any(|(i, _)| text[i + 2..].starts_with(char::is_uppercase) && !ends_in_number(&text[..i]))
}

fn ends_in_number(text: &str) -> bool {
    text.chars().next_back().is_some_and(|c| c.is_ascii_digit())
}

/// Running text: a long line, or one that ends like a sentence and is more
/// than a few words.
fn reads_as_running_text(text: &str) -> bool {
    text.chars().count() > MAX_TITLE_CHARS
        || (text.ends_with(['.', '!', '“', '"', '«', '»']) && word_count(text) > 12)
}

fn reads_as_heading(text: &str) -> bool {
    let words = word_count(text);
    (MIN_HEADING_WORDS..=MAX_HEADING_WORDS).contains(&words)
        && text.chars().count() <= MAX_HEADING_CHARS
        && text
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        && !ends_like_sentence(text)
        && !text.ends_with(')')
        && !is_date_line(text)
}

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

fn month_number(name: &str) -> Option<u32> {
    let name = name.to_lowercase();
    MONTHS.iter().find(|(n, _)| *n == name).map(|(_, m)| *m)
}

/// A line that is (almost) only a date or a time stamp.
fn is_date_line(text: &str) -> bool {
    find_date(text).is_some() && text.chars().filter(|c| c.is_alphabetic()).count() <= 20
}

fn valid_iso(year: &str, month: &str, day: &str) -> Option<String> {
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

    fn raw(lines: &[&str]) -> Vec<RawParagraph> {
        lines
            .iter()
            .enumerate()
            .map(|(i, t)| RawParagraph {
                line: i as u32 + 1,
                text: t.to_string(),
            })
            .collect()
    }

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

    #[test]
    fn header_line_gives_date_and_title() {
        let meta = analyse(&raw(&[
            " date 2025-09-04 Auch Witkoff bei Paris-Gipfel",
            "Text.",
        ]));
        assert_eq!(meta.date.as_deref(), Some("2025-09-04"));
        assert_eq!(meta.title.as_deref(), Some("Auch Witkoff bei Paris-Gipfel"));
        assert_eq!(meta.paragraphs[0].kind, Kind::Title);
        assert_eq!(
            meta.paragraphs[0].text.as_deref(),
            Some("Auch Witkoff bei Paris-Gipfel")
        );
    }

    #[test]
    fn header_line_with_a_lead_paragraph_keeps_it_as_body() {
        let lead = "Paris (dpa) - 26 Länder sind bereit, Truppen zu entsenden. Das teilten Macron und von der Leyen mit.";
        let meta = analyse(&raw(&[&format!(" date 2025-09-04 {lead}")]));
        assert_eq!(meta.date.as_deref(), Some("2025-09-04"));
        assert_eq!(meta.title, None);
        assert_eq!(meta.paragraphs[0].kind, Kind::Body);
        assert_eq!(meta.paragraphs[0].text.as_deref(), Some(lead));
    }

    #[test]
    fn date_and_headline_near_the_top_without_header() {
        let meta = analyse(&raw(&[
            "Mittwoch5. November 2025",
            "De Maart",
            "Koalition für Ukraine: 26 Länder sind dabei",
            "Das Treffen von Trump und Putin in Alaska ist schon zwei Wochen her, aber eine Zusammenkunft ist nicht in Sicht.",
            "Machtdarstellung gegen Diplomatie",
            "Was bedeuten all diese widersprüchlichen Signale?",
        ]));
        assert_eq!(meta.date.as_deref(), Some("2025-11-05"));
        assert_eq!(
            meta.title.as_deref(),
            Some("Koalition für Ukraine: 26 Länder sind dabei")
        );
        let kinds: Vec<Kind> = meta.paragraphs.iter().map(|p| p.kind).collect();
        assert_eq!(
            kinds,
            [
                Kind::Body,
                Kind::Body,
                Kind::Title,
                Kind::Body,
                Kind::Heading,
                Kind::Heading
            ]
        );
        assert_eq!(meta.paragraphs[3].heading, None);
    }

    #[test]
    fn headings_apply_until_the_next_heading() {
        let meta = analyse(&raw(&[
            "Erster Absatz mit einem ganzen Satz, der deutlich länger ist als eine Überschrift.",
            "Berlin will Vorschlag machen",
            "Ein Absatz darunter.",
            "Noch ein Absatz darunter.",
            "Zweifel an Abschreckungswirkung",
            "Letzter Absatz.",
        ]));
        let headings: Vec<Option<&str>> = meta
            .paragraphs
            .iter()
            .map(|p| p.heading.as_deref())
            .collect();
        assert_eq!(
            headings,
            [
                None,
                None,
                Some("Berlin will Vorschlag machen"),
                Some("Berlin will Vorschlag machen"),
                None,
                Some("Zweifel an Abschreckungswirkung")
            ]
        );
        assert_eq!(meta.title, None, "running text first: no headline");
        assert_eq!(meta.date, None);
    }

    #[test]
    fn a_date_inside_running_text_is_not_the_article_date() {
        let meta = analyse(&raw(&[
            "Die Ministerin will verhindern, dass ein zweiter 24. Februar 2022 stattfinden kann, sagte sie.",
        ]));
        assert_eq!(meta.date, None);
    }
}

//! What each paragraph is: article metadata (date, title, agency), paragraph
//! kinds, section headings, reader comments.
//!
//! The steps run in this order, each only on paragraphs that no earlier step
//! has claimed:
//!
//! 1. **Header**: a first line ` date 2025-09-04 Headline` gives the date and
//!    (when the rest reads as a headline, not a whole lead) the title.
//! 2. **Top of the page**: otherwise the first short line with a date among
//!    the first paragraphs gives the date, and the first line before the
//!    running text that reads as a headline is the title. Lines above the
//!    title (a date alone, a site name) and lines near the top that repeat
//!    the title are boilerplate, so a doubled headline yields one title.
//! 3. **Comments**: a short author line followed by a time stamp line
//!    (`5. September 2025 - 13.48`) opens the reader comments; everything
//!    from there on is `comment`, with its author and time as metadata.
//! 4. **Rules**: the patterns of `rules.toml` (and a user's rule file) give
//!    boilerplate and captions.
//! 5. **Pull quotes**: a short quoted sentence followed by a speaker line
//!    ("Yuriko Backes (DP)") and perhaps the speaker's role.
//! 6. **Headings**: short lines that do not end like a sentence; each one
//!    becomes the `heading` of the paragraphs below it.
//! 7. **Agencies**: credits such as `(dpa)`, `Paris (dpa) -` or `/mit dpa`.
//!    An article with a single agency is that agency's copy throughout; in
//!    an article with several (a live report), a credit covers its section.
//!
//! Nothing is invented: what the text does not state stays empty.

use std::sync::LazyLock;

use regex::Regex;

use super::Kind;
use super::metadata::{self, find_date, is_date_line};
use super::rules::Rules;
use super::segment::RawParagraph;

/// What [`classify`] found out about an article.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ArticleMeta {
    pub title: Option<String>,
    pub date: Option<String>,
    /// Every agency credited, in order of first appearance.
    pub agency: Vec<String>,
    /// One entry per raw paragraph, in order.
    pub paragraphs: Vec<ParagraphMeta>,
    /// What was stated but could not be used (a header date that is not
    /// one): `(line, what)`.
    pub warnings: Vec<(u32, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParagraphMeta {
    pub kind: Kind,
    pub heading: Option<String>,
    pub agency: Vec<String>,
    pub comment_author: Option<String>,
    /// `YYYY-MM-DDTHH:MM`.
    pub comment_date: Option<String>,
    /// Replacement text, when part of the line was metadata (the header).
    pub text: Option<String>,
}

/// Facts a source states outright (JSON Lines fields, HTML tags); they win
/// over what the text would suggest.
#[derive(Debug, Clone, Default)]
pub struct Given {
    pub title: Option<String>,
    pub date: Option<String>,
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
/// A comment author line is a name, not a sentence.
const MAX_AUTHOR_WORDS: usize = 5;
/// A pull quote is a sentence or two, not a paragraph.
const MAX_QUOTE_CHARS: usize = 300;
/// A speaker's role under a pull quote: "Luxemburgische Verteidigungsministerin".
const MAX_ROLE_WORDS: usize = 4;

static HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*date\s+(\d{4})-(\d{1,2})-(\d{1,2})(?:\s+(.*))?$").expect("valid regex")
});

/// Works out the metadata of an article and of each of its paragraphs.
pub fn classify(paragraphs: &[RawParagraph], rules: &Rules, given: &Given) -> ArticleMeta {
    let mut metas: Vec<ParagraphMeta> = paragraphs
        .iter()
        .map(|p| ParagraphMeta {
            kind: p.kind.unwrap_or(Kind::Body),
            heading: None,
            agency: Vec::new(),
            comment_author: None,
            comment_date: None,
            text: None,
        })
        .collect();
    // Paragraphs whose kind a source fixed (HTML tags) are not re-examined.
    let mut claimed: Vec<bool> = paragraphs.iter().map(|p| p.kind.is_some()).collect();
    let texts: Vec<&str> = paragraphs.iter().map(|p| p.text.as_str()).collect();

    let mut warnings = Vec::new();
    let (title, date, body_from) =
        top_of_article(paragraphs, &mut metas, &mut claimed, given, &mut warnings);
    mark_comments(&texts, rules, &mut metas, &mut claimed);
    for (i, text) in texts.iter().enumerate() {
        if let Some(rule) = rules.kind_of(text).filter(|_| !claimed[i]) {
            metas[i].kind = rule.kind;
            claimed[i] = true;
        }
    }
    mark_quotes(&texts, rules, &mut metas, &mut claimed);
    for i in body_from..texts.len() {
        if !claimed[i] && reads_as_heading(texts[i]) {
            metas[i].kind = Kind::Heading;
        }
    }
    assign_headings(&texts, &mut metas);
    let agency = assign_agencies(&texts, rules, &mut metas);
    ArticleMeta {
        title,
        date,
        agency,
        paragraphs: metas,
        warnings,
    }
}

/// Steps 1 and 2: header or top of the page. Returns the title, the date
/// and the index of the first paragraph after the title.
fn top_of_article(
    paragraphs: &[RawParagraph],
    metas: &mut [ParagraphMeta],
    claimed: &mut [bool],
    given: &Given,
    warnings: &mut Vec<(u32, String)>,
) -> (Option<String>, Option<String>, usize) {
    let mut date = given.date.clone();
    let mut title = given.title.clone();

    // The header is the first paragraph (blank lines may come before it).
    let header = paragraphs
        .first()
        .filter(|p| p.kind.is_none())
        .and_then(|p| Some((p.line, HEADER.captures(&p.text)?)));
    if let Some((line, caps)) = header {
        let stated = metadata::valid_iso(&caps[1], &caps[2], &caps[3]);
        if stated.is_none() && date.is_none() {
            warnings.push((
                line,
                format!(
                    "'{}-{}-{}' in the header is not a date (YYYY-MM-DD); the article is indexed without one",
                    &caps[1], &caps[2], &caps[3]
                ),
            ));
        }
        date = date.or(stated);
        let rest = caps.get(4).map_or("", |m| m.as_str()).trim().to_string();
        if rest.is_empty() {
            // Only the date: a line of metadata, and the title, if any, is
            // further down.
            metas[0].kind = Kind::Boilerplate;
            claimed[0] = true;
        } else {
            if reads_as_title(&rest, 1) {
                metas[0].kind = Kind::Title;
                claimed[0] = true;
                title = title.or_else(|| Some(rest.clone()));
            }
            metas[0].text = Some(rest);
            return (title, date, 1);
        }
    }

    if date.is_none() {
        date = paragraphs
            .iter()
            .take(TOP_PARAGRAPHS)
            .filter(|p| p.text.chars().count() <= MAX_DATE_LINE_CHARS)
            .find_map(|p| find_date(&p.text));
    }
    // A title the source stated: the paragraph that repeats it is the title.
    let title_at = match &title {
        Some(t) => paragraphs
            .iter()
            .take(TOP_PARAGRAPHS)
            .position(|p| same_words(&p.text, t) && p.kind.is_none_or(|k| k == Kind::Title)),
        None => paragraphs
            .iter()
            .take(TOP_PARAGRAPHS)
            .take_while(|p| !reads_as_running_text(&p.text))
            .position(|p| {
                p.kind.is_none()
                    && !is_date_line(&p.text)
                    && reads_as_title(&p.text, MIN_TITLE_WORDS)
            }),
    };
    let Some(at) = title_at else {
        return (title, date, 0);
    };
    let text = paragraphs[at].text.clone();
    metas[at].kind = Kind::Title;
    claimed[at] = true;
    // Above the headline: date lines, site names, navigation.
    for i in 0..at {
        if !claimed[i] {
            metas[i].kind = Kind::Boilerplate;
            claimed[i] = true;
        }
    }
    // Below it, before the running text: the headline again (kicker and
    // headline with a separator, or exactly). Where the page glued the
    // kicker to the headline in one of them ("zugeschaltetKoalition"), the
    // one with its words apart is the article's title; the paragraph of
    // kind title stays as the file has it.
    let words = |t: &str| t.split_whitespace().count();
    let mut spaced = text.clone();
    for i in at + 1..paragraphs.len().min(at + 1 + TOP_PARAGRAPHS) {
        if reads_as_running_text(&paragraphs[i].text) {
            break;
        }
        if !claimed[i] && same_words(&paragraphs[i].text, &text) {
            metas[i].kind = Kind::Boilerplate;
            claimed[i] = true;
            if words(&paragraphs[i].text) > words(&spaced) {
                spaced = paragraphs[i].text.clone();
            }
        }
    }
    (title.or(Some(spaced)), date, at + 1)
}

/// True when two lines have the same words, ignoring punctuation, case and
/// where a kicker was glued to the headline ("zugeschaltetKoalition").
fn same_words(a: &str, b: &str) -> bool {
    let letters = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let (a, b) = (letters(a), letters(b));
    !a.is_empty() && a == b
}

/// Step 3: reader comments at the end.
fn mark_comments(texts: &[&str], rules: &Rules, metas: &mut [ParagraphMeta], claimed: &mut [bool]) {
    let timestamp = |t: &str| {
        rules
            .set()
            .comment_timestamps
            .iter()
            .find_map(|p| p.captures(t.trim()))
            .and_then(|c| {
                let month = c["month"]
                    .parse::<u32>()
                    .ok()
                    .or_else(|| metadata::month_number(&c["month"]))?;
                let day = metadata::valid_date(&c["year"], month, &c["day"])?;
                let hour: u32 = c["hour"].parse().ok()?;
                let minute: u32 = c["minute"].parse().ok()?;
                (hour < 24 && minute < 60).then(|| format!("{day}T{hour:02}:{minute:02}"))
            })
    };
    let is_author = |t: &str| {
        let words = t.split_whitespace().count();
        (1..=MAX_AUTHOR_WORDS).contains(&words) && !t.ends_with(['.', ',', ';', ':', '!', '?'])
    };
    let Some(start) = (0..texts.len().saturating_sub(1))
        .find(|&i| !claimed[i] && is_author(texts[i]) && timestamp(texts[i + 1]).is_some())
    else {
        return;
    };
    let mut author: Option<String> = None;
    let mut date: Option<String> = None;
    let mut i = start;
    while i < texts.len() {
        let stamp = texts.get(i + 1).and_then(|next| timestamp(next));
        if let Some(stamp) = stamp.filter(|_| is_author(texts[i])) {
            author = Some(texts[i].trim().to_string());
            date = Some(stamp);
        }
        metas[i].kind = Kind::Comment;
        metas[i].comment_author = author.clone();
        metas[i].comment_date = date.clone();
        claimed[i] = true;
        i += 1;
    }
}

/// Step 5: a pull quote, its speaker, and the speaker's role.
fn mark_quotes(texts: &[&str], rules: &Rules, metas: &mut [ParagraphMeta], claimed: &mut [bool]) {
    for i in 1..texts.len() {
        let quote = texts[i - 1];
        let quote_like = quote.chars().count() <= MAX_QUOTE_CHARS
            && quote.ends_with(['.', '!', '?', '“', '”', '"', '»', '«'])
            && !claimed[i - 1];
        if !quote_like || claimed[i] || !rules.is_quote_attribution(texts[i]) {
            continue;
        }
        for j in [i - 1, i] {
            metas[j].kind = Kind::Quote;
            claimed[j] = true;
        }
        if let Some(role) = texts.get(i + 1) {
            let words = role.split_whitespace().count();
            if !claimed[i + 1]
                && (1..=MAX_ROLE_WORDS).contains(&words)
                && !role.ends_with(['.', ',', ';', ':', '!', '?'])
            {
                metas[i + 1].kind = Kind::Quote;
                claimed[i + 1] = true;
            }
        }
    }
}

/// Step 6b: each paragraph stands under the last heading above it; comments
/// and the title stand under none.
fn assign_headings(texts: &[&str], metas: &mut [ParagraphMeta]) {
    let mut heading: Option<String> = None;
    for (i, text) in texts.iter().enumerate() {
        match metas[i].kind {
            Kind::Heading => heading = Some(text.to_string()),
            Kind::Title | Kind::Comment => {}
            _ => metas[i].heading = heading.clone(),
        }
    }
}

fn is_content(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Title | Kind::Heading | Kind::Body | Kind::Quote | Kind::Caption
    )
}

/// Step 7: agency credits per paragraph and for the article.
fn assign_agencies(texts: &[&str], rules: &Rules, metas: &mut [ParagraphMeta]) -> Vec<String> {
    let own: Vec<Vec<String>> = texts
        .iter()
        .zip(metas.iter())
        .map(|(t, m)| {
            if m.kind == Kind::Comment {
                Vec::new()
            } else {
                rules.agencies_in(t)
            }
        })
        .collect();
    let mut article: Vec<String> = Vec::new();
    for a in own.iter().flatten() {
        if !article.contains(a) {
            article.push(a.clone());
        }
    }
    if article.len() == 1 {
        for (m, own) in metas.iter_mut().zip(&own) {
            if is_content(m.kind) || !own.is_empty() {
                m.agency = article.clone();
            }
        }
        return article;
    }
    // Several agencies: a credit covers the section it stands in (from one
    // heading to the next; the title belongs to none).
    let mut start = 0;
    while start < texts.len() {
        let end = (start + 1..texts.len())
            .find(|&i| metas[i].kind == Kind::Heading)
            .unwrap_or(texts.len());
        let mut section: Vec<String> = Vec::new();
        for i in start..end {
            if is_content(metas[i].kind) {
                for a in &own[i] {
                    if !section.contains(a) {
                        section.push(a.clone());
                    }
                }
            }
        }
        for i in start..end {
            if metas[i].kind == Kind::Title {
                continue;
            }
            metas[i].agency = if is_content(metas[i].kind) {
                section.clone()
            } else {
                own[i].clone()
            };
        }
        start = end;
    }
    article
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
        && !reads_as_running_text(text)
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
/// than a few words. A trailing credit ("… sein soll. (dpa)") is ignored.
fn reads_as_running_text(text: &str) -> bool {
    let core = match text
        .strip_suffix(')')
        .and_then(|t| t.rfind('(').map(|i| &t[..i]))
    {
        Some(before) => before.trim_end(),
        None => text,
    };
    text.chars().count() > MAX_TITLE_CHARS
        || (core.ends_with(['.', '!', '“', '"', '«', '»']) && word_count(core) > 12)
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
                kind: None,
            })
            .collect()
    }

    fn run(lines: &[&str]) -> ArticleMeta {
        classify(&raw(lines), &Rules::built_in(), &Given::default())
    }

    fn kinds(meta: &ArticleMeta) -> Vec<Kind> {
        meta.paragraphs.iter().map(|p| p.kind).collect()
    }

    #[test]
    fn header_line_gives_date_and_title() {
        let meta = run(&[" date 2025-09-04 Auch Witkoff bei Paris-Gipfel", "Text."]);
        assert_eq!(meta.date.as_deref(), Some("2025-09-04"));
        assert_eq!(meta.title.as_deref(), Some("Auch Witkoff bei Paris-Gipfel"));
        assert_eq!(meta.paragraphs[0].kind, Kind::Title);
        assert_eq!(
            meta.paragraphs[0].text.as_deref(),
            Some("Auch Witkoff bei Paris-Gipfel")
        );
    }

    /// A headline repeated below itself, once with the kicker glued to it
    /// and once with a separator: one title paragraph (the first), one
    /// boilerplate repeat, and the spaced form as the article's title,
    /// whichever of the two comes first.
    #[test]
    fn a_glued_kicker_gives_the_title_of_its_spaced_repeat() {
        let glued = "Per Video zugeschaltetKoalition für Ukraine: 26 Länder dabei";
        let spaced = "Per Video zugeschaltet / Koalition für Ukraine: 26 Länder dabei";
        let body = "Die Staats- und Regierungschefs sprachen am Donnerstag lange über Garantien.";
        for (first, second) in [(glued, spaced), (spaced, glued)] {
            let meta = run(&["Mittwoch5. November 2025", first, second, body]);
            assert_eq!(meta.title.as_deref(), Some(spaced), "{first}");
            assert_eq!(
                kinds(&meta),
                [
                    Kind::Boilerplate,
                    Kind::Title,
                    Kind::Boilerplate,
                    Kind::Body
                ]
            );
        }
        // Repeated exactly: the title as it stands.
        let meta = run(&[glued, glued, body]);
        assert_eq!(meta.title.as_deref(), Some(glued));
    }

    #[test]
    fn a_header_of_only_a_date_is_metadata_and_the_title_comes_after_it() {
        let title = "Koalition der Willigen berät in Paris";
        let body = "Die Staats- und Regierungschefs sprachen am Donnerstag lange über Garantien.";
        let meta = run(&[" date 2025-09-04", title, body]);
        assert_eq!(meta.date.as_deref(), Some("2025-09-04"));
        assert_eq!(meta.title.as_deref(), Some(title));
        assert_eq!(kinds(&meta), [Kind::Boilerplate, Kind::Title, Kind::Body]);
        assert!(meta.warnings.is_empty());
    }

    #[test]
    fn a_header_after_blank_lines_is_still_the_header() {
        // Two blank lines first: the header paragraph starts on line 3.
        let mut paragraphs = raw(&[" date 2025-09-04 Gipfel in Paris", "Text."]);
        for p in &mut paragraphs {
            p.line += 2;
        }
        let meta = classify(&paragraphs, &Rules::built_in(), &Given::default());
        assert_eq!(meta.date.as_deref(), Some("2025-09-04"));
        assert_eq!(meta.title.as_deref(), Some("Gipfel in Paris"));
        assert_eq!(meta.paragraphs[0].text.as_deref(), Some("Gipfel in Paris"));
    }

    #[test]
    fn a_header_date_that_is_no_date_is_reported_at_its_line() {
        for (date, ok) in [
            ("2025-13-45", None),
            ("2025-02-29", None),
            ("2024-02-29", Some("2024-02-29")),
            ("2025-9-4", Some("2025-09-04")),
        ] {
            let meta = run(&[&format!(" date {date} Gipfel in Paris"), "Text."]);
            assert_eq!(meta.date.as_deref(), ok, "{date}");
            assert_eq!(meta.title.as_deref(), Some("Gipfel in Paris"), "{date}");
            match ok {
                Some(_) => assert!(meta.warnings.is_empty(), "{date}: {:?}", meta.warnings),
                None => {
                    assert_eq!(meta.warnings.len(), 1, "{date}");
                    let (line, what) = &meta.warnings[0];
                    assert_eq!(*line, 1);
                    assert!(what.contains(date) && what.contains("not a date"), "{what}");
                }
            }
        }
    }

    #[test]
    fn header_line_with_a_lead_paragraph_keeps_it_as_body() {
        let lead = "Paris (dpa) - 26 Länder sind bereit, Truppen zu entsenden. Das teilten Macron und von der Leyen mit.";
        let meta = run(&[&format!(" date 2025-09-04 {lead}")]);
        assert_eq!(meta.date.as_deref(), Some("2025-09-04"));
        assert_eq!(meta.title, None);
        assert_eq!(meta.paragraphs[0].kind, Kind::Body);
        assert_eq!(meta.paragraphs[0].text.as_deref(), Some(lead));
        assert_eq!(meta.agency, ["dpa"]);
    }

    #[test]
    fn top_of_page_chrome_and_a_doubled_headline() {
        let meta = run(&[
            "Mittwoch5. November 2025",
            "De Maart",
            "Kicker hierKoalition für Ukraine: 26 Länder sind dabei",
            "Kicker hier / Koalition für Ukraine: 26 Länder sind dabei",
            "Das Treffen von Trump und Putin in Alaska ist schon zwei Wochen her, aber eine Zusammenkunft ist nicht in Sicht.",
            "Machtdarstellung gegen Diplomatie",
            "Was bedeuten all diese widersprüchlichen Signale? Niemand weiß es so genau, sagen die Beobachter.",
        ]);
        assert_eq!(meta.date.as_deref(), Some("2025-11-05"));
        assert_eq!(
            meta.title.as_deref(),
            Some("Kicker hier / Koalition für Ukraine: 26 Länder sind dabei")
        );
        assert_eq!(
            kinds(&meta),
            [
                Kind::Boilerplate,
                Kind::Boilerplate,
                Kind::Title,
                Kind::Boilerplate,
                Kind::Body,
                Kind::Heading,
                Kind::Body
            ]
        );
        assert_eq!(
            meta.paragraphs[6].heading.as_deref(),
            Some("Machtdarstellung gegen Diplomatie")
        );
    }

    #[test]
    fn comments_with_author_and_time() {
        let meta = run(&[
            "Erster Absatz mit einem ganzen Satz, der deutlich länger ist als eine Überschrift.",
            "Zwischentitel für den Abschnitt",
            "Letzter Absatz des Artikels.",
            "fraulein smilla",
            "5. September 2025 - 13.48",
            "Was hat sie da zu suchen?",
            "Nomi",
            "05.09.2025 - 11:16",
            "Mengt dann wierklech een dass Truppen kommen.",
        ]);
        let k = kinds(&meta);
        assert_eq!(&k[..3], [Kind::Body, Kind::Heading, Kind::Body]);
        assert!(k[3..].iter().all(|&k| k == Kind::Comment), "{k:?}");
        let who: Vec<(Option<&str>, Option<&str>)> = meta.paragraphs[3..]
            .iter()
            .map(|p| (p.comment_author.as_deref(), p.comment_date.as_deref()))
            .collect();
        let a = (Some("fraulein smilla"), Some("2025-09-05T13:48"));
        let b = (Some("Nomi"), Some("2025-09-05T11:16"));
        assert_eq!(who, [a, a, a, b, b, b]);
        assert!(meta.paragraphs[3..].iter().all(|p| p.heading.is_none()));
    }

    #[test]
    fn pull_quote_with_speaker_and_role() {
        let meta = run(&[
            "Ein langer Absatz über die Lage, der ganz sicher kein Zitat ist und deshalb Fließtext bleibt, bis er endet.",
            "Wir wollen keinen Krieg mit Russland. Aber wir müssen uns darauf vorbereiten.",
            "Yuriko Backes (DP)",
            "Luxemburgische Verteidigungsministerin",
            "Potenziell verfügt das Großherzogtum über Fähigkeiten, die eingesetzt werden könnten.",
        ]);
        assert_eq!(
            kinds(&meta),
            [
                Kind::Body,
                Kind::Quote,
                Kind::Quote,
                Kind::Quote,
                Kind::Body
            ]
        );
    }

    #[test]
    fn one_agency_covers_the_article_several_cover_their_sections() {
        let single = run(&[
            "Paris (dpa) - Ein Absatz, der mit einer Ortsmarke und dem Kürzel der Agentur beginnt.",
            "Eine Zwischenüberschrift hier",
            "Noch ein Absatz ohne eigenes Kürzel.",
        ]);
        assert!(single.paragraphs.iter().all(|p| p.agency == ["dpa"]));
        let live = run(&[
            "Erster Absatz ohne Kürzel, der lang genug ist, um kein Titel zu sein, wirklich nicht.",
            "Zweiter Absatz endet mit Kürzel. (rtr)",
            "Eine Zwischenüberschrift hier",
            "Ein Absatz von einer anderen Agentur. (afp)",
        ]);
        assert_eq!(live.agency, ["rtr", "afp"]);
        let per: Vec<&[String]> = live
            .paragraphs
            .iter()
            .map(|p| p.agency.as_slice())
            .collect();
        assert_eq!(
            per,
            [
                &["rtr".to_string()][..],
                &["rtr".to_string()],
                &["afp".to_string()],
                &["afp".to_string()]
            ]
        );
    }

    #[test]
    fn given_title_and_date_win() {
        let given = Given {
            title: Some("Gegebener Titel der Meldung".into()),
            date: Some("2024-01-02".into()),
        };
        let meta = classify(
            &raw(&[
                "Gegebener Titel der Meldung",
                "Am 5. März 2025 geschah etwas, worüber hier lang und breit berichtet wird.",
            ]),
            &Rules::built_in(),
            &given,
        );
        assert_eq!(meta.date.as_deref(), Some("2024-01-02"));
        assert_eq!(meta.paragraphs[0].kind, Kind::Title);
    }
}

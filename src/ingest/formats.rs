//! Input formats: plain text, JSON Lines and HTML, each turned into raw
//! paragraphs plus what the source states outright (title, date, url, …).
//! Classification and language detection are then the same for all.

use std::collections::HashMap;
use std::path::Path;

use scraper::{ElementRef, Html, Selector};
use serde::Deserialize;

use super::classify::Given;
use super::segment::{self, RawParagraph};
use super::{FileArticles, Kind, Rules, build_article, metadata, parse_article};

/// The format of a file, by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    JsonLines,
    Html,
}

impl Format {
    pub fn of(path: &Path) -> Format {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        match ext.as_str() {
            "jsonl" | "ndjson" => Format::JsonLines,
            "html" | "htm" => Format::Html,
            _ => Format::Text,
        }
    }
}

/// Parses decoded text of the given format.
pub fn parse(format: Format, doc: &str, path: &Path, text: &str, rules: &Rules) -> FileArticles {
    match format {
        Format::Text => parse_article(doc, path, text, rules),
        Format::JsonLines => json_lines(doc, path, text, rules),
        Format::Html => html(doc, path, text, rules),
    }
}

/// A date as a source states it ("2025-09-04T10:00:00Z", "5. September
/// 2025") as ISO `YYYY-MM-DD`.
fn normalise_date(value: &str) -> Option<String> {
    let value = value.trim();
    value
        .get(..10)
        .and_then(|d| {
            let (y, rest) = d.split_once('-')?;
            let (m, day) = rest.split_once('-')?;
            metadata::valid_iso(y, m, day)
        })
        .or_else(|| metadata::find_date(value))
}

// ---------------------------------------------------------------- JSON Lines

#[derive(Debug, Deserialize)]
struct JsonArticle {
    text: String,
    #[serde(default)]
    id: Option<serde_json::Value>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    author: Option<String>,
}

/// "an array", "a number", … for messages.
fn json_kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// One article per line; `doc` is the record's `id` or `FILE#LINE`.
fn json_lines(stem: &str, path: &Path, text: &str, rules: &Rules) -> FileArticles {
    let mut out = FileArticles::default();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let number = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let record: JsonArticle = match serde_json::from_str(line) {
            Ok(r) => r,
            Err(e) => {
                let found = match serde_json::from_str::<serde_json::Value>(line) {
                    // Each line is parsed alone: serde's "line 1" would
                    // contradict the line the problem is reported at.
                    Ok(serde_json::Value::Object(_)) | Err(_) => e.to_string().replace(
                        &format!(" at line {} column {}", e.line(), e.column()),
                        &format!(" (column {})", e.column()),
                    ),
                    Ok(other) => format!(
                        "expected an object with a 'text' field, found {}",
                        json_kind(&other)
                    ),
                };
                out.problems
                    .push((number, format!("not an article record: {found}")));
                continue;
            }
        };
        let doc = match &record.id {
            Some(serde_json::Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            None | Some(serde_json::Value::Null) => format!("{stem}#{number}"),
            Some(serde_json::Value::String(_)) => {
                out.problems.push((
                    number,
                    format!(
                        "'id' is empty: give the record an id, or leave 'id' out to have {stem}#{number}"
                    ),
                ));
                continue;
            }
            Some(other) => {
                out.problems.push((
                    number,
                    format!("'id' must be a string or a number, not {other}"),
                ));
                continue;
            }
        };
        if let Some(first) = seen.get(&doc) {
            out.problems.push((
                number,
                format!("duplicate id '{doc}' (first on line {first}); skipped"),
            ));
            continue;
        }
        let date = record.date.as_deref().and_then(normalise_date);
        if record.date.as_deref().is_some_and(|d| !d.trim().is_empty()) && date.is_none() {
            out.warnings.push((
                number,
                "'date' is not a date; the article is indexed without one".into(),
            ));
        }
        let raw: Vec<RawParagraph> = segment::paragraphs(&record.text)
            .into_iter()
            .map(|p| RawParagraph {
                line: number as u32,
                ..p
            })
            .collect();
        let given = Given {
            title: record.title.clone().filter(|t| !t.trim().is_empty()),
            date,
        };
        match build_article(&doc, path, raw, rules, &given, &mut out.warnings) {
            Some(mut article) => {
                article.url = record.url;
                article.source = record.source;
                article.author = record.author;
                seen.insert(doc, number);
                out.articles.push(article);
            }
            None => out.problems.push((number, "'text' is empty".into())),
        }
    }
    out
}

// ---------------------------------------------------------------- HTML

/// Elements whose content is never article text.
const DROPPED: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "aside", "form", "svg", "iframe", "button",
];

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("valid selector")
}

fn collapse(text: impl Iterator<Item = impl AsRef<str>>) -> String {
    let joined: String = text.map(|t| t.as_ref().to_string()).collect();
    joined.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn meta_content(html: &Html, css: &str) -> Option<String> {
    html.select(&selector(css))
        .filter_map(|e| e.value().attr("content"))
        .map(|c| c.trim().to_string())
        .find(|c| !c.is_empty())
}

/// A saved article page: title, date, paragraphs, headings and captions.
fn html(doc: &str, path: &Path, source: &str, rules: &Rules) -> FileArticles {
    let mut out = FileArticles::default();
    out.articles
        .extend(html_article(doc, path, source, rules, &mut out.warnings));
    out
}

fn html_article(
    doc: &str,
    path: &Path,
    source: &str,
    rules: &Rules,
    warnings: &mut Vec<(usize, String)>,
) -> Option<super::Article> {
    let page = Html::parse_document(source);
    let first_text = |css: &str| {
        page.select(&selector(css))
            .map(|e| collapse(e.text()))
            .find(|t| !t.is_empty())
    };
    let title = meta_content(&page, r#"meta[property="og:title"]"#)
        .or_else(|| first_text("h1"))
        .or_else(|| first_text("title"));
    let stated: Vec<String> = page
        .select(&selector("time[datetime]"))
        .filter_map(|e| e.value().attr("datetime"))
        .map(str::to_string)
        .chain(meta_content(
            &page,
            r#"meta[property="article:published_time"]"#,
        ))
        .filter(|d| !d.trim().is_empty())
        .collect();
    let date = stated.iter().find_map(|d| normalise_date(d));
    if date.is_none()
        && let Some(first) = stated.first()
    {
        let line = source
            .find(first.as_str())
            .map_or(1, |at| 1 + source[..at].matches('\n').count());
        warnings.push((
            line,
            format!("'{first}' is not a date; the article is indexed without one"),
        ));
    }

    let mut raw = Vec::new();
    let mut locator = LineLocator::new(source);
    walk(page.root_element(), false, false, &mut raw, &mut locator);
    let mut article = build_article(doc, path, raw, rules, &Given { title, date }, warnings)?;
    article.url = page
        .select(&selector(r#"link[rel="canonical"]"#))
        .filter_map(|e| e.value().attr("href"))
        .map(str::to_string)
        .next()
        .or_else(|| meta_content(&page, r#"meta[property="og:url"]"#));
    article.source = meta_content(&page, r#"meta[property="og:site_name"]"#);
    article.author = meta_content(&page, r#"meta[name="author"]"#);
    Some(article)
}

/// Collects paragraphs in document order.
fn walk(
    element: ElementRef,
    in_article: bool,
    in_quote: bool,
    out: &mut Vec<RawParagraph>,
    locator: &mut LineLocator,
) {
    for child in element.children().filter_map(ElementRef::wrap) {
        let name = child.value().name();
        if DROPPED.contains(&name) {
            continue;
        }
        // The page's own header and footer go; an article's header (with
        // its headline) stays.
        if (name == "header" || name == "footer") && !in_article {
            continue;
        }
        let kind = match name {
            "h1" => Some(Some(Kind::Title)),
            "h2" | "h3" | "h4" => Some(Some(Kind::Heading)),
            "figcaption" => Some(Some(Kind::Caption)),
            "p" if in_quote => Some(Some(Kind::Quote)),
            "p" => Some(None),
            "blockquote" if !has_paragraphs(child) => Some(Some(Kind::Quote)),
            _ => None,
        };
        match kind {
            Some(kind) => {
                let text = collapse(child.text());
                if !text.is_empty() {
                    out.push(RawParagraph {
                        line: locator.line_of(&text),
                        text,
                        kind,
                    });
                }
            }
            None => walk(
                child,
                in_article || name == "article" || name == "main",
                in_quote || name == "blockquote",
                out,
                locator,
            ),
        }
    }
}

fn has_paragraphs(element: ElementRef) -> bool {
    element.select(&selector("p")).next().is_some()
}

/// Finds the source line of extracted text. The HTML parser keeps no
/// positions, so this searches the page's text (the source without its
/// tags, comments, scripts and styles, so that markup inside a word, as in
/// `Ber<b>liner</b>`, does not split it) for the text's first plain word,
/// moving forward only, and then follows its other words, so that the next
/// paragraph is looked for after it; an entity inside a word can defeat it,
/// in which case the previous paragraph's line is used.
struct LineLocator<'a> {
    source: &'a str,
    /// The source's text outside tags, from `<body>` on.
    text: String,
    /// Where each run of `text` starts: (offset in `text`, offset in
    /// `source`); a run is a piece of the source as it is.
    runs: Vec<(usize, usize)>,
    /// In `text`.
    cursor: usize,
    /// `cursor` in the source.
    source_cursor: usize,
    line: u32,
}

impl<'a> LineLocator<'a> {
    fn new(source: &'a str) -> Self {
        // Article text is in the body; the head repeats the title.
        let body = source
            .find("<body")
            .or_else(|| source.find("<BODY"))
            .unwrap_or(0);
        let mut text = String::new();
        let mut runs = Vec::new();
        let mut at = body;
        while at < source.len() {
            let next = next_markup(source, at);
            if next > at {
                runs.push((text.len(), at));
                text.push_str(&source[at..next]);
            }
            at = end_of_markup(source, next);
        }
        if runs.is_empty() {
            runs.push((0, body));
        }
        LineLocator {
            source,
            text,
            runs,
            cursor: 0,
            source_cursor: body,
            line: 1 + source[..body].matches('\n').count() as u32,
        }
    }

    fn line_of(&mut self, text: &str) -> u32 {
        let mut words = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.len() >= 3 && w.is_ascii());
        let Some(probe) = words
            .next()
            .or_else(|| text.split_whitespace().next())
            .filter(|w| !w.is_empty())
        else {
            return self.line;
        };
        let Some(at) = self.find_in_text(probe, usize::MAX) else {
            return self.line;
        };
        self.advance_to(at);
        let line = self.line;
        // Follow the paragraph's other words through the page, so that the
        // next paragraph is looked for after this one: its first word may
        // occur in this one too. A word not found close by (an entity
        // inside it) is passed over.
        let mut end = at + probe.len();
        for word in words {
            if let Some(found) = self.find_in_text(word, FOLLOW_WINDOW) {
                end = found + word.len();
                self.advance_to(found);
            }
        }
        self.advance_to(end);
        line
    }

    /// Where `word` next occurs in the page's text, at most `window` bytes
    /// after the cursor.
    fn find_in_text(&self, word: &str, window: usize) -> Option<usize> {
        let mut limit = self.text.len().min(self.cursor.saturating_add(window));
        while !self.text.is_char_boundary(limit) {
            limit -= 1;
        }
        let found = self.text.get(self.cursor..limit)?.find(word)?;
        Some(self.cursor + found)
    }

    /// Moves the cursor forward to `at` (in the page's text), counting the
    /// source lines passed.
    fn advance_to(&mut self, at: usize) {
        if at <= self.cursor {
            return;
        }
        let run = self
            .runs
            .partition_point(|&(t, _)| t <= at)
            .saturating_sub(1);
        let (run_text, run_source) = self.runs[run];
        let target = run_source + (at - run_text);
        if target > self.source_cursor {
            self.line += self.source[self.source_cursor..target]
                .matches('\n')
                .count() as u32;
            self.source_cursor = target;
        }
        self.cursor = at;
    }
}

/// Where the next tag, comment or declaration starts at or after `at` (a
/// `<` not followed by a letter, `/`, `!` or `?` is text).
fn next_markup(source: &str, at: usize) -> usize {
    let bytes = source.as_bytes();
    let mut from = at;
    while let Some(i) = source[from..].find('<') {
        let lt = from + i;
        if bytes
            .get(lt + 1)
            .is_some_and(|&b| b.is_ascii_alphabetic() || matches!(b, b'/' | b'!' | b'?'))
        {
            return lt;
        }
        from = lt + 1;
    }
    source.len()
}

/// Where the markup starting at `at` ends: after a comment's `-->`, after
/// the closing tag of a script or style (their content is not text), or
/// after the tag's `>`.
fn end_of_markup(source: &str, at: usize) -> usize {
    let rest = &source[at..];
    let after = |needle: &str, from: usize| {
        find_ignoring_case(&source[from..], needle)
            .map_or(source.len(), |i| from + i + needle.len())
    };
    // `<!-->` and `<!--->` are whole (empty) comments in HTML.
    for empty in ["<!-->", "<!--->"] {
        if rest.starts_with(empty) {
            return at + empty.len();
        }
    }
    if rest.starts_with("<!--") {
        return after("-->", at + 4);
    }
    let tag_end = after(">", at);
    for raw in ["<script", "<style"] {
        let name_ends = rest
            .as_bytes()
            .get(raw.len())
            .is_some_and(|b| !b.is_ascii_alphanumeric());
        if name_ends
            && rest
                .get(..raw.len())
                .is_some_and(|r| r.eq_ignore_ascii_case(raw))
        {
            let close = format!("</{}", &raw[1..]);
            let closing = after(&close, tag_end.min(source.len()));
            return if closing >= source.len() {
                source.len()
            } else {
                after(">", closing)
            };
        }
    }
    tag_end
}

/// `haystack.find(needle)` for an ASCII `needle`, ignoring ASCII case.
fn find_ignoring_case(haystack: &str, needle: &str) -> Option<usize> {
    let needle = needle.as_bytes();
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|window| window.eq_ignore_ascii_case(needle))
}

/// How far ahead, in bytes, the next word of a paragraph is looked for.
const FOLLOW_WINDOW: usize = 2000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_sources_state_them() {
        assert_eq!(
            normalise_date("2025-09-04T10:00:00+02:00").as_deref(),
            Some("2025-09-04")
        );
        assert_eq!(
            normalise_date("5. September 2025").as_deref(),
            Some("2025-09-05")
        );
        assert_eq!(normalise_date("gestern"), None);
    }

    #[test]
    fn json_lines_records_become_articles_and_bad_lines_problems() {
        let text = concat!(
            r#"{"id": "a1", "title": "Gipfel in Paris", "date": "2025-09-04", "text": "Erster Absatz.\n\nZweiter Absatz. (dpa)", "url": "https://example.org/a1"}"#,
            "\n",
            r#"{"title": "ohne Text"}"#,
            "\n\n",
            r#"{"text": "Ein Artikel ohne id."}"#,
            "\n",
            "{kaputt\n",
            r#"{"id": "a1", "text": "doppelt"}"#,
            "\n",
        );
        let out = json_lines("dump", Path::new("dump.jsonl"), text, &Rules::built_in());
        let docs: Vec<&str> = out.articles.iter().map(|a| a.doc.as_str()).collect();
        assert_eq!(docs, ["a1", "dump#4"]);
        let a1 = &out.articles[0];
        assert_eq!(a1.title.as_deref(), Some("Gipfel in Paris"));
        assert_eq!(a1.date.as_deref(), Some("2025-09-04"));
        assert_eq!(a1.url.as_deref(), Some("https://example.org/a1"));
        assert_eq!(a1.paragraphs.len(), 2);
        assert!(a1.paragraphs.iter().all(|p| p.line == 1));
        assert_eq!(a1.agency, ["dpa"]);
        let lines: Vec<usize> = out.problems.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [2, 5, 6]);
        assert!(out.problems[0].1.contains("text"), "{:?}", out.problems);
        assert!(out.problems[2].1.contains("duplicate id 'a1'"));
    }

    #[test]
    fn an_html_paragraph_starting_with_a_word_of_the_one_before_gets_its_own_line() {
        let page = "<html><body>\n<p>Der Gipfel begann mit Macron.</p>\n\
                    <p>Macron in Paris: <b>der</b> Gastgeber &amp; Macron.</p>\n\
                    <p>Macron sprach.</p>\n<p>Paris, <i>Gipfel</i> und Paris.</p>\n\
                    <p>Gipfel.</p></body></html>";
        let (lines, expected) = lines_and_paragraph_lines(page);
        assert_eq!(expected, [2, 3, 4, 5, 6]);
        assert_eq!(lines, expected);
    }

    /// The lines given to the paragraphs of `page`, and the lines of its
    /// `<p>` tags counted in the source (one per line in these pages).
    fn lines_and_paragraph_lines(page: &str) -> (Vec<u32>, Vec<u32>) {
        let article = html("seite", Path::new("seite.html"), page, &Rules::built_in())
            .articles
            .remove(0);
        let lines = article.paragraphs.iter().map(|p| p.line).collect();
        let expected = page
            .split('\n')
            .enumerate()
            .filter(|(_, l)| l.contains("<p>"))
            .map(|(i, _)| i as u32 + 1)
            .collect();
        (lines, expected)
    }

    #[test]
    fn markup_inside_a_word_does_not_move_later_paragraphs() {
        // "Berliner" is split by markup in the first paragraph and whole in
        // the third; scripts, styles and comments are not the page's text.
        let page = "<html><body>\n<p>Die Ber<b>liner</b> Zeitung berichtet.</p>\n\
                    <script>var Zeitung = 'Berliner';</script>\n\
                    <p>Zeitung am Sonntag <!-- Berliner --> meldet.</p>\n\
                    <style>p { content: 'Berliner' }</style>\n\
                    <p>Berliner Morgenpost.</p>\n<p>Zeitung.</p></body></html>";
        let (lines, expected) = lines_and_paragraph_lines(page);
        assert_eq!(expected, [2, 4, 6, 7]);
        assert_eq!(lines, expected);
        // Empty comments end at their own '>'; an unclosed one, a `<` in
        // the text and uppercase tags do not lose the lines either.
        let page = "<html><BODY>\n<!-->\n<P>Erster Absatz hier.</P>\n<!--->\n\
                    <p>Zweiter Absatz, 3 < 4 dort.</p>\n<p>Dritter Absatz da.</p>\n\
                    <!-- offen\n</body></html>";
        let (lines, _) = lines_and_paragraph_lines(page);
        assert_eq!(lines, [3, 5, 6]);
    }

    #[test]
    fn an_html_date_that_is_no_date_is_reported_at_its_line() {
        let page = "<html><body>\n<article>\n<time datetime=\"2025-02-30\">30. Februar</time>\n\
                    <p>Die Koalition berät in Paris.</p></article></body></html>";
        let found = html("seite", Path::new("seite.html"), page, &Rules::built_in());
        assert_eq!(found.articles.len(), 1);
        assert_eq!(found.articles[0].date, None);
        let line = 1 + page[..page.find("2025-02-30").unwrap()]
            .matches('\n')
            .count();
        assert_eq!(found.warnings.len(), 1, "{:?}", found.warnings);
        assert_eq!(found.warnings[0].0, line);
        assert!(found.warnings[0].1.contains("'2025-02-30' is not a date"));
        // A good date anywhere is enough: no warning.
        let good = page.replace(
            "<article>",
            "<article><time datetime=\"2025-02-28\"></time>",
        );
        let found = html("seite", Path::new("seite.html"), &good, &Rules::built_in());
        assert_eq!(found.articles[0].date.as_deref(), Some("2025-02-28"));
        assert!(found.warnings.is_empty(), "{:?}", found.warnings);
    }

    #[test]
    fn html_pages_yield_title_date_and_typed_paragraphs() {
        let page = r#"<!doctype html>
<html><head><title>Gipfel | Zeitung</title>
<meta property="og:title" content="Gipfel in Paris">
<meta property="article:published_time" content="2025-09-04T08:00:00Z">
<script>var x = "Sicherheitsgarantien im Skript";</script></head>
<body><header><nav>Startseite Politik</nav>Zeitungskopf</header>
<article><h1>Gipfel in Paris</h1>
<p>Die Koalition der Willigen ber&auml;t &uuml;ber Sicherheitsgarantien.</p>
<figure><img src="x.jpg"><figcaption>Macron in Paris. Foto: AFP</figcaption></figure>
<h2>Deutschland z&ouml;gert</h2>
<p>Berlin will sich noch nicht festlegen.</p>
<blockquote><p>Wir wollen keinen Krieg.</p></blockquote>
</article><footer>Impressum</footer></body></html>"#;
        let article = html("seite", Path::new("seite.html"), page, &Rules::built_in())
            .articles
            .remove(0);
        assert_eq!(article.title.as_deref(), Some("Gipfel in Paris"));
        assert_eq!(article.date.as_deref(), Some("2025-09-04"));
        let got: Vec<(Kind, &str, u32)> = article
            .paragraphs
            .iter()
            .map(|p| (p.kind, p.text.as_str(), p.line))
            .collect();
        assert_eq!(
            got,
            [
                (Kind::Title, "Gipfel in Paris", 7),
                (
                    Kind::Body,
                    "Die Koalition der Willigen berät über Sicherheitsgarantien.",
                    8
                ),
                (Kind::Caption, "Macron in Paris. Foto: AFP", 9),
                (Kind::Heading, "Deutschland zögert", 10),
                (Kind::Body, "Berlin will sich noch nicht festlegen.", 11),
                (Kind::Quote, "Wir wollen keinen Krieg.", 12),
            ]
        );
        assert_eq!(
            article.paragraphs[4].heading.as_deref(),
            Some("Deutschland zögert")
        );
    }
}

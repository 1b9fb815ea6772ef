//! The text format for people, in the manner of grep and ripgrep: where the
//! hit is (`path:line`, clickable in most terminals and editors), what it is
//! from, and the snippet with the matches in bold colour.

use std::io::{self, Write};
use std::time::Duration;

use anstyle::{AnsiColor, Style};

use super::{ArticleSink, Printer, plural};
use crate::search::{ArticleHit, Hit, Totals};

const PATH: Style = AnsiColor::Magenta.on_default();
const LINE: Style = AnsiColor::Green.on_default();
const META: Style = Style::new().dimmed();
const MATCH: Style = AnsiColor::Red.on_default().bold();

pub struct TextPrinter<'a> {
    out: Box<dyn Write + 'a>,
    color: bool,
    shown: u64,
    /// Whether the hits come best first (else "the first N" are shown).
    by_score: bool,
}

impl<'a> TextPrinter<'a> {
    pub fn new(out: Box<dyn Write + 'a>, color: bool) -> Self {
        TextPrinter {
            out,
            color,
            shown: 0,
            by_score: true,
        }
    }

    /// Says "showing the first N" instead of "the best N" at the end.
    pub fn not_by_score(mut self) -> Self {
        self.by_score = false;
        self
    }

    fn paint(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_string()
        }
    }
}

impl TextPrinter<'_> {
    /// The snippet, matches coloured when colour is on.
    fn snippet(&self, hit: &Hit) -> String {
        let mut snippet = String::new();
        let (open, close) = if self.color {
            (MATCH.render().to_string(), MATCH.render_reset().to_string())
        } else {
            (String::new(), String::new())
        };
        hit.snippet
            .render(|s, out| out.push_str(s), (&open, &close), &mut snippet);
        snippet
    }

    fn totals(&mut self, totals: &Totals, elapsed: Duration, what: &str) -> io::Result<()> {
        let mut line = super::totals_line(totals);
        if what == "articles" {
            line.push_str(&format!(
                ", showing {}",
                plural(self.shown, "article", "articles")
            ));
        } else if self.shown < totals.paragraphs {
            line.push_str(&format!(", showing {what} {}", self.shown));
        }
        line.push_str(&super::out_of_scope_note(totals));
        line.push_str(&format!(" ({:.1} ms)", elapsed.as_secs_f64() * 1000.0));
        writeln!(self.out, "{}", self.paint(META, &line))?;
        self.out.flush()
    }
}

impl Printer for TextPrinter<'_> {
    fn hit(&mut self, hit: &Hit) -> io::Result<()> {
        self.shown += 1;
        let mut head = format!(
            "{:>3}. {}:{}",
            hit.rank,
            self.paint(PATH, &hit.path),
            self.paint(LINE, &hit.line.to_string())
        );
        let mut meta = Vec::new();
        if let Some(date) = &hit.date {
            meta.push(date.clone());
        }
        if hit.kind != "body" {
            meta.push(hit.kind.clone());
        }
        if !hit.agency.is_empty() {
            meta.push(hit.agency.join(","));
        }
        if let Some(author) = &hit.comment_author {
            let when = hit.comment_date.as_deref().unwrap_or("");
            meta.push(format!("comment by {author} {when}").trim_end().to_string());
        }
        meta.push(hit.lang.clone());
        meta.push(format!("score {:.2}", hit.score));
        head.push_str("  ");
        head.push_str(&self.paint(META, &meta.join(" · ")));
        writeln!(self.out, "{head}")?;

        let context: Vec<&str> = [hit.title.as_deref(), hit.heading.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        if !context.is_empty() {
            writeln!(self.out, "     {}", self.paint(META, &context.join(" › ")))?;
        }
        writeln!(self.out, "     {}", self.snippet(hit))?;
        if let Some(explanation) = &hit.explanation {
            let mut lines = Vec::new();
            explain_lines(explanation, 0, &mut lines);
            for line in lines {
                writeln!(self.out, "     {}", self.paint(META, &line))?;
            }
        }
        writeln!(self.out)
    }

    fn finish(&mut self, totals: &Totals, elapsed: Duration) -> io::Result<()> {
        let what = if self.by_score {
            "the best"
        } else {
            "the first"
        };
        self.totals(totals, elapsed, what)
    }
}

/// `--articles` for people: one entry per article with its number of
/// matching paragraphs and the snippet of the best one.
pub struct ArticlePrinter<'a>(TextPrinter<'a>);

impl<'a> ArticlePrinter<'a> {
    pub fn new(out: Box<dyn Write + 'a>, color: bool) -> Self {
        ArticlePrinter(TextPrinter::new(out, color))
    }
}

impl ArticleSink for ArticlePrinter<'_> {
    fn article(&mut self, article: &ArticleHit) -> io::Result<()> {
        let p = &mut self.0;
        p.shown += 1;
        let hit = &article.best;
        let mut meta = Vec::new();
        if let Some(date) = &hit.date {
            meta.push(date.clone());
        }
        meta.push(plural(article.matches, "paragraph", "paragraphs"));
        meta.push(format!("best score {:.2}", hit.score));
        let head = format!(
            "{:>3}. {}  {}",
            hit.rank,
            p.paint(PATH, &hit.path),
            p.paint(META, &meta.join(" · "))
        );
        writeln!(p.out, "{head}")?;
        if let Some(title) = &hit.title {
            writeln!(p.out, "     {}", p.paint(META, title))?;
        }
        let snippet = p.snippet(hit);
        let line = p.paint(LINE, &hit.line.to_string());
        writeln!(p.out, "     {line}: {snippet}")?;
        writeln!(p.out)
    }

    fn finish(&mut self, totals: &Totals, elapsed: Duration) -> io::Result<()> {
        self.0.totals(totals, elapsed, "articles")
    }
}

/// tantivy's explanation tree, summed up: one line per matched term with
/// its field, its weight and what it added to the score. (`--format json`
/// has the whole tree.)
fn explain_lines(node: &serde_json::Value, _depth: usize, out: &mut Vec<String>) {
    let mut terms = Vec::new();
    collect_terms(node, 1.0, &mut terms);
    let total = node["value"].as_f64().unwrap_or(0.0);
    out.push(format!("score {total:.3} ="));
    for (value, term, boost) in terms {
        let weight = if (boost - 1.0).abs() > f64::EPSILON {
            format!(" (weight {boost})")
        } else {
            String::new()
        };
        out.push(format!("  {value:>7.3}  {term}{weight}"));
    }
}

/// `(contribution, "field:term", weight)` of every term in the tree.
fn collect_terms(node: &serde_json::Value, boost: f64, out: &mut Vec<(f64, String, f64)>) {
    let description = node["description"].as_str().unwrap_or("");
    let value = node["value"].as_f64().unwrap_or(0.0);
    let boost = description
        .strip_prefix("Boost x")
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|b| b.parse::<f64>().ok())
        .map_or(boost, |b| boost * b);
    if description.starts_with("TermQuery") {
        let term = node["context"]
            .as_array()
            .and_then(|c| c.iter().find_map(|v| v.as_str()))
            .map(describe_term)
            .unwrap_or_else(|| "?".into());
        out.push((value * boost, term, boost));
        return;
    }
    if let Some(details) = node["details"].as_array() {
        for detail in details {
            collect_terms(detail, boost, out);
        }
    }
}

/// `Term=Term(field=text, type=Str, "garanti")` → `text:garanti`.
fn describe_term(context: &str) -> String {
    let field = context
        .split("field=")
        .nth(1)
        .and_then(|r| r.split(',').next())
        .unwrap_or("?");
    let term = context.split('"').nth(1).unwrap_or("?");
    format!("{field}:{term}")
}

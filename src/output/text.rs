//! The text format for people, in the manner of grep and ripgrep: where the
//! hit is (`path:line`, clickable in most terminals and editors), what it is
//! from, and the snippet with the matches in bold colour.

use std::io::{self, Write};
use std::time::Duration;

use anstyle::{AnsiColor, Style};

use super::Printer;
use crate::search::{Hit, Totals};

const PATH: Style = AnsiColor::Magenta.on_default();
const LINE: Style = AnsiColor::Green.on_default();
const META: Style = Style::new().dimmed();
const MATCH: Style = AnsiColor::Red.on_default().bold();

pub struct TextPrinter<'a> {
    out: Box<dyn Write + 'a>,
    color: bool,
    shown: u64,
}

impl<'a> TextPrinter<'a> {
    pub fn new(out: Box<dyn Write + 'a>, color: bool) -> Self {
        TextPrinter {
            out,
            color,
            shown: 0,
        }
    }

    fn paint(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_string()
        }
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
        let mut snippet = String::new();
        let (open, close) = if self.color {
            (MATCH.render().to_string(), MATCH.render_reset().to_string())
        } else {
            (String::new(), String::new())
        };
        hit.snippet
            .render(|s, out| out.push_str(s), (&open, &close), &mut snippet);
        writeln!(self.out, "     {snippet}")?;
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
        let plural =
            |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let mut line = format!(
            "{} in {}",
            plural(totals.paragraphs, "paragraph", "paragraphs"),
            plural(totals.articles, "article", "articles")
        );
        if self.shown < totals.paragraphs {
            line.push_str(&format!(", showing the best {}", self.shown));
        }
        if totals.out_of_scope > 0 {
            line.push_str(&format!(
                "; {} more in comments or boilerplate (--include comment,boilerplate)",
                totals.out_of_scope
            ));
        }
        line.push_str(&format!(" ({:.1} ms)", elapsed.as_secs_f64() * 1000.0));
        writeln!(self.out, "{}", self.paint(META, &line))?;
        self.out.flush()
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

//! `show`: an article as the indexer understood it, for people.

use std::io::{self, Write};

use crate::search::{ArticleView, ParagraphView};

/// Writes the article's metadata, then each paragraph (or those in
/// `range`, with `focus` marked) with number, kind, line, heading,
/// language and text.
pub fn write_article(
    out: &mut dyn Write,
    article: &ArticleView,
    range: Option<(u64, u64)>,
    focus: Option<u64>,
) -> io::Result<()> {
    let or_dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    let list = |v: &[String]| {
        if v.is_empty() {
            "-".to_string()
        } else {
            v.join(", ")
        }
    };
    writeln!(out, "doc:     {}", article.doc)?;
    writeln!(out, "path:    {}", article.path)?;
    writeln!(out, "title:   {}", or_dash(&article.title))?;
    writeln!(out, "date:    {}", or_dash(&article.date))?;
    writeln!(out, "lang:    {}", article.lang)?;
    writeln!(out, "agency:  {}", list(&article.agency))?;
    for (label, value) in [
        ("url:     ", &article.url),
        ("source:  ", &article.source),
        ("author:  ", &article.author),
    ] {
        if let Some(v) = value {
            writeln!(out, "{label}{v}")?;
        }
    }
    writeln!(out, "paragraphs: {}", article.paragraphs.len())?;
    for p in &article.paragraphs {
        if range.is_some_and(|(from, to)| p.para < from || p.para > to) {
            continue;
        }
        writeln!(out)?;
        write_paragraph(out, article, p, focus == Some(p.para))?;
    }
    Ok(())
}

fn write_paragraph(
    out: &mut dyn Write,
    article: &ArticleView,
    p: &ParagraphView,
    focus: bool,
) -> io::Result<()> {
    let mut facts = vec![p.kind.clone()];
    if p.lang_confidence > 0.0 {
        facts.push(format!("{} {:.2}", p.lang, p.lang_confidence));
    } else {
        facts.push(p.lang.clone());
    }
    if !p.agency.is_empty() {
        facts.push(format!("agency {}", p.agency.join(",")));
    }
    if let Some(author) = &p.comment_author {
        facts.push(format!("by {author}"));
    }
    if let Some(date) = &p.comment_date {
        facts.push(date.clone());
    }
    if let Some(heading) = &p.heading {
        facts.push(format!("under \u{201E}{heading}\u{201C}"));
    }
    let mark = if focus { ">" } else { " " };
    writeln!(
        out,
        "{mark}[{}] {}:{}  {}",
        p.para,
        article.path,
        p.line,
        facts.join(" · ")
    )?;
    writeln!(out, "     {}", p.text)
}

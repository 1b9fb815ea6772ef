//! The concordance for people: one line per occurrence, the matches in one
//! column, left context right-aligned before it, right context after it:
//!
//! ```text
//! 002_dc0d09b4cc2bf6e8:21   Witkoff bei Paris-Gipfel Moskau:  Sicherheitsgarantien  sind „Gefahr“ für Europa
//! ```

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use crate::search::Occurrence;

const LOCATION: Style = AnsiColor::Magenta.on_default();
const MATCH: Style = AnsiColor::Red.on_default().bold();

/// Line breaks and tabs as spaces, so that an occurrence stays one line.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect()
}

pub struct KwicPrinter<'a> {
    out: Box<dyn Write + 'a>,
    color: bool,
    /// Characters of context on each side.
    width: usize,
    /// Characters the `doc:line` column is padded to.
    location_width: usize,
}

impl<'a> KwicPrinter<'a> {
    pub fn new(out: Box<dyn Write + 'a>, color: bool, width: usize, location_width: usize) -> Self {
        KwicPrinter {
            out,
            color,
            width,
            location_width,
        }
    }

    fn paint(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_string()
        }
    }

    pub fn line(&mut self, o: &Occurrence) -> io::Result<()> {
        let location = format!("{}:{}", o.doc, o.line);
        let pad = self.location_width.saturating_sub(location.chars().count());
        let left = one_line(&o.left);
        let left_pad = self.width.saturating_sub(left.chars().count());
        let line = format!(
            "{}{}  {}{}  {}  {}",
            self.paint(LOCATION, &location),
            " ".repeat(pad),
            " ".repeat(left_pad),
            left,
            self.paint(MATCH, &one_line(&o.matched)),
            one_line(&o.right)
        );
        writeln!(self.out, "{}", line.trim_end())
    }

    pub fn finish(&mut self, summary: &str) -> io::Result<()> {
        if !summary.is_empty() {
            writeln!(self.out, "{summary}")?;
        }
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_stand_in_one_column() {
        let occurrence = |left: &str, matched: &str| Occurrence {
            doc: "a".into(),
            path: "a.txt".into(),
            para: 1,
            line: 7,
            date: None,
            left: left.into(),
            matched: matched.into(),
            right: " danach".into(),
            start: 0,
            end: 0,
        };
        let mut buf = Vec::new();
        {
            let mut p = KwicPrinter::new(Box::new(&mut buf), false, 10, 6);
            p.line(&occurrence("Über\ndie ", "Länder")).unwrap();
            p.line(&occurrence("", "Land")).unwrap();
            p.finish("").unwrap();
        }
        let out = String::from_utf8(buf).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "a:7      Über die   Länder   danach");
        assert_eq!(lines[1], "a:7                 Land   danach");
    }
}

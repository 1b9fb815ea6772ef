//! Reports about the index for people and programs: the totals of `count`
//! and the summary of `stats`.

use std::io::{self, Write};

use serde_json::json;

use super::{Columns, Format, Table, TableOptions, plural, totals_line, utc_time};
use crate::search::{Group, Stats, Totals};

/// `count` without grouping: a line of text, or a table of one row
/// (`options` give the HTML page its header).
pub fn write_totals(
    out: &mut dyn Write,
    format: Format,
    totals: &Totals,
    options: &TableOptions,
) -> io::Result<()> {
    match format {
        Format::Markdown | Format::Html => {
            let mut table: Table<Totals> =
                Table::new(format, Columns::all::<Totals>(), Box::new(out), options)?;
            table.row(totals)?;
            table.finish(&format!(
                "{}{}",
                totals_line(totals),
                super::out_of_scope_note(totals)
            ))
        }
        Format::Json | Format::Jsonl => {
            serde_json::to_writer(&mut *out, totals)?;
            writeln!(out)
        }
        Format::Csv | Format::Tsv => {
            let sep = if format == Format::Tsv { '\t' } else { ',' };
            writeln!(out, "paragraphs{sep}articles{sep}out_of_scope")?;
            writeln!(
                out,
                "{}{sep}{}{sep}{}",
                totals.paragraphs, totals.articles, totals.out_of_scope
            )
        }
        _ => writeln!(
            out,
            "{}{}",
            totals_line(totals),
            super::out_of_scope_note(totals)
        ),
    }
}

/// `2 (2126472 and 6272 paragraphs)`, and the merge owed, if one is.
fn segments_line(stats: &Stats) -> String {
    let sizes: Vec<String> = stats.segments.iter().map(u64::to_string).collect();
    let mut line = match sizes.as_slice() {
        [] => "none".to_string(),
        [one] => format!("1 ({one} paragraphs)"),
        [first @ .., last] => format!(
            "{} ({} and {last} paragraphs)",
            sizes.len(),
            first.join(", ")
        ),
    };
    if stats.merge_pending {
        line.push_str("; a merge is owed, which the next `fundstelle index` does");
    }
    line
}

/// A size in bytes for people: `812 B`, `1.4 MiB`.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

fn groups_line(groups: &[Group]) -> String {
    groups
        .iter()
        .map(|g| format!("{} {}", g.key.as_deref().unwrap_or("(none)"), g.paragraphs))
        .collect::<Vec<_>>()
        .join(", ")
}

fn groups_json(groups: &[Group]) -> serde_json::Value {
    groups
        .iter()
        .map(|g| json!({"value": g.key, "paragraphs": g.paragraphs, "articles": g.articles}))
        .collect()
}

/// `stats` as text (`index` names the folder) or as one JSON object.
pub fn write_stats(
    out: &mut dyn Write,
    format: Format,
    index: &str,
    stats: &Stats,
) -> io::Result<()> {
    if matches!(format, Format::Json | Format::Jsonl) {
        let value = json!({
            "index": index,
            "articles": stats.articles,
            "paragraphs": stats.paragraphs,
            "kinds": groups_json(&stats.kinds),
            "languages": groups_json(&stats.languages),
            "agencies": stats.agencies.as_deref().map(groups_json),
            "first_date": stats.dates.as_ref().map(|d| &d.0),
            "last_date": stats.dates.as_ref().map(|d| &d.1),
            "undated_articles": stats.undated_articles,
            "forms": stats.forms,
            "stems": stats.stems,
            "size_bytes": stats.size_bytes,
            "built_at": stats.built_at,
            "fundstelle_version": stats.fundstelle_version,
            "schema_version": stats.schema_version,
            "sources": stats.sources,
            "complete": stats.incomplete_after.is_none(),
            "segments": stats.segments,
            "merge_pending": stats.merge_pending,
        });
        serde_json::to_writer_pretty(&mut *out, &value)?;
        return writeln!(out);
    }
    let dates = match &stats.dates {
        Some((first, last)) => format!("{first} to {last}"),
        None => "none stated".to_string(),
    };
    let mut rows: Vec<(&str, String)> = vec![
        ("index", index.to_string()),
        ("articles", stats.articles.to_string()),
        (
            "paragraphs",
            format!("{} ({})", stats.paragraphs, groups_line(&stats.kinds)),
        ),
        ("languages", groups_line(&stats.languages)),
        (
            "dates",
            format!(
                "{dates}; {} without a date",
                plural(stats.undated_articles, "article", "articles")
            ),
        ),
        (
            "agencies",
            match &stats.agencies {
                Some(groups) => groups_line(groups),
                None => "not recorded by this index".to_string(),
            },
        ),
        (
            "terms",
            format!("{} surface forms, {} stems", stats.forms, stats.stems),
        ),
        ("size", human_size(stats.size_bytes)),
        ("segments", segments_line(stats)),
        (
            "built",
            format!(
                "{} by fundstelle {} (index format {})",
                utc_time(stats.built_at),
                stats.fundstelle_version,
                stats.schema_version
            ),
        ),
        ("sources", stats.sources.join(", ")),
    ];
    if let Some(files) = stats.incomplete_after {
        rows.push((
            "state",
            format!(
                "incomplete: an `index` run is under way or was stopped after {}; \
                 an `index` run on it without PATHs completes it",
                plural(files, "file", "files")
            ),
        ));
    }
    for (name, value) in rows {
        writeln!(out, "{name:<11}{value}")?;
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_like_ls_h() {
        assert_eq!(human_size(812), "812 B");
        assert_eq!(human_size(1536), "1.5 KiB");
        assert_eq!(human_size(3 * 1024 * 1024), "3.0 MiB");
    }
}

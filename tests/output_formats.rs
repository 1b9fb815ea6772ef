//! Every table format round-trips through a real parser: hits with German
//! text full of quotes, semicolons, line breaks, umlauts, pipes and markup
//! are written with the library's tables and read back with the csv crate,
//! serde_json, an HTML parser (scraper) and a Markdown parser
//! (pulldown-cmark); what comes back must be what went in.

use std::ops::Range;

use fundstelle::output::{Columns, Format, Page, Record, Table, TableOptions};
use fundstelle::search::{Hit, Snippet};
use serde_json::Value;

/// Text no format may mangle.
const NASTY: &str = "Merz sagte: „Wir stehen zur Ukraine“; Macron: \"Ja | nein\"\n\
zweite Zeile <script>alert('ü')</script> & Öl, Maß; Vertreter*innen_x [Link](http://x) `Code`";

fn hit(rank: u64, text: &str, title: Option<&str>) -> Hit {
    // Mark every "Ukraine" and "Öl" by hand: an independent reference.
    let mut highlights: Vec<Range<usize>> = Vec::new();
    for word in ["Ukraine", "Öl"] {
        for (i, _) in text.match_indices(word) {
            highlights.push(i..i + word.len());
        }
    }
    highlights.sort_by_key(|r| r.start);
    Hit {
        rank,
        score: 1.5 + rank as f32,
        doc: format!("doc_{rank}"),
        path: format!("artikel/doc_{rank}.txt"),
        para: rank,
        line: 10 * rank,
        date: Some("2025-09-04".into()),
        title: title.map(String::from),
        heading: None,
        kind: "body".into(),
        lang: "deu".into(),
        agency: vec!["dpa".into(), "mit \"afp\"; rtr".into()],
        comment_author: None,
        comment_date: None,
        snippet: Snippet::new(text, &highlights),
        highlights,
        text: text.into(),
        explanation: None,
        address: tantivy::DocAddress::new(0, 0),
    }
}

fn hits() -> Vec<Hit> {
    vec![
        hit(1, NASTY, Some("Titel mit | Pipe; und „Zitat“")),
        hit(2, "Schlichter Absatz über die Ukraine.", None),
    ]
}

fn render(format: Format, columns: Columns, options: &TableOptions) -> Vec<u8> {
    let mut buf = Vec::new();
    {
        let mut table: Table<Hit> =
            Table::new(format, columns, Box::new(&mut buf), options).unwrap();
        for h in hits() {
            table.row(&h).unwrap();
        }
        table.finish("2 paragraphs in 2 articles").unwrap();
    }
    buf
}

fn marked_parts(h: &Hit) -> Vec<String> {
    h.snippet
        .highlights
        .iter()
        .map(|r| h.snippet.text[r.clone()].to_string())
        .collect()
}

#[test]
fn csv_round_trips_with_any_delimiter_and_bom() {
    for (delimiter, bom) in [(b',', false), (b';', true), (b'\t', false)] {
        let options = TableOptions {
            delimiter,
            bom,
            ..TableOptions::default()
        };
        let bytes = render(Format::Csv, Columns::all::<Hit>(), &options);
        let body = if bom {
            assert!(bytes.starts_with("\u{feff}".as_bytes()));
            &bytes[3..]
        } else {
            &bytes[..]
        };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .from_reader(body);
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(header, Hit::COLUMNS);
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2);
        for (row, h) in rows.iter().zip(hits()) {
            let col = |name: &str| Hit::COLUMNS.iter().position(|c| *c == name).unwrap();
            assert_eq!(&row[col("text")], h.text, "text survives");
            assert_eq!(
                &row[col("agency")],
                h.agency.join(","),
                "agency list survives"
            );
            assert_eq!(row[7], h.title.clone().unwrap_or_default());
            assert_eq!(row[1].parse::<f32>().unwrap(), h.score);
            let ranges: Vec<[usize; 2]> = serde_json::from_str(&row[col("highlights")]).unwrap();
            assert_eq!(
                ranges,
                h.highlights
                    .iter()
                    .map(|r| [r.start, r.end])
                    .collect::<Vec<_>>()
            );
        }
    }
}

/// TSV is never quoted: each line is one row and each tab ends a field, so
/// `cut -f` and `awk -F'\t'` see the columns. Tabs and line breaks inside
/// a field are written as spaces; quotes stay.
#[test]
fn tsv_splits_on_tabs_and_lines_alone() {
    let mut tabbed = hit(3, "Links\tMitte\r\nRechts \"zitiert\"", None);
    tabbed.title = Some("\"Titel\"\tmit Tab".into());
    let mut buf = Vec::new();
    {
        let mut table: Table<Hit> = Table::new(
            Format::Tsv,
            Columns::all::<Hit>(),
            Box::new(&mut buf),
            &TableOptions::default(),
        )
        .unwrap();
        for h in hits().iter().chain([&tabbed]) {
            table.row(h).unwrap();
        }
        table.finish("").unwrap();
    }
    let out = String::from_utf8(buf).unwrap();
    let rows: Vec<Vec<&str>> = out.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows.len(), 4, "a header and three rows: {out}");
    assert_eq!(rows[0], Hit::COLUMNS);
    for row in &rows {
        assert_eq!(row.len(), Hit::COLUMNS.len(), "{row:?}");
    }
    let col = |name: &str| Hit::COLUMNS.iter().position(|c| *c == name).unwrap();
    assert_eq!(rows[1][col("text")], NASTY.replace('\n', " "));
    assert_eq!(rows[3][col("text")], "Links Mitte  Rechts \"zitiert\"");
    assert_eq!(rows[3][col("title")], "\"Titel\" mit Tab");
    assert_eq!(rows[1][col("agency")], "dpa,mit \"afp\"; rtr");
}

#[test]
fn json_and_jsonl_round_trip_with_chosen_fields_in_order() {
    let columns = Columns::parse::<Hit>("doc,date,title,line,snippet,text").unwrap();
    let jsonl = render(Format::Jsonl, columns.clone(), &TableOptions::default());
    let lines: Vec<Value> = String::from_utf8(jsonl)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let json: Vec<Value> =
        serde_json::from_slice(&render(Format::Json, columns, &TableOptions::default())).unwrap();
    assert_eq!(lines, json);
    for (v, h) in json.iter().zip(hits()) {
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        // serde_json's map sorts keys; the order is checked on the raw text below.
        assert_eq!(keys.len(), 6);
        assert_eq!(v["text"], h.text.as_str());
        assert_eq!(v["line"], h.line);
        assert_eq!(
            v["title"],
            h.title.as_deref().map_or(Value::Null, Value::from)
        );
    }
    let raw = String::from_utf8(render(
        Format::Jsonl,
        Columns::parse::<Hit>("line,doc").unwrap(),
        &TableOptions::default(),
    ))
    .unwrap();
    assert!(raw.starts_with("{\"line\":10,\"doc\":\"doc_1\"}"), "{raw}");
}

#[test]
fn html_escapes_all_data_and_marks_only_matches() {
    let options = TableOptions {
        page: Page {
            title: "fundstelle export".into(),
            query: "Ukraine <b>\"fett\"</b>".into(),
            exported_at: "2025-11-23 10:00 UTC".into(),
            index: "index/ <i>".into(),
        },
        ..TableOptions::default()
    };
    let bytes = render(Format::Html, Columns::all::<Hit>(), &options);
    let page = scraper::Html::parse_document(std::str::from_utf8(&bytes).unwrap());
    let select = |css: &str| scraper::Selector::parse(css).unwrap();
    // Only the markup the page generates: no script, bold or italic element
    // from the data, and no mark outside the snippets.
    for tag in ["script", "b", "i", "a"] {
        assert_eq!(page.select(&select(tag)).count(), 0, "<{tag}> from data");
    }
    let query: String = page
        .select(&select("dd.query"))
        .next()
        .unwrap()
        .text()
        .collect();
    assert_eq!(query, "Ukraine <b>\"fett\"</b>");
    let index: String = page
        .select(&select("dd.index"))
        .next()
        .unwrap()
        .text()
        .collect();
    assert_eq!(index, "index/ <i>");
    let rows: Vec<_> = page.select(&select("tbody tr")).collect();
    assert_eq!(rows.len(), 2);
    for (row, h) in rows.iter().zip(hits()) {
        let cell = |class: &str| -> String {
            row.select(&select(&format!("td.{class}")))
                .next()
                .unwrap()
                .text()
                .collect()
        };
        assert_eq!(cell("text"), h.text);
        assert_eq!(cell("title"), h.title.clone().unwrap_or_default());
        assert_eq!(cell("snippet"), h.snippet.text);
        let marks: Vec<String> = row
            .select(&select("td.snippet mark"))
            .map(|m| m.text().collect())
            .collect();
        assert_eq!(marks, marked_parts(&h));
    }
    assert_eq!(page.select(&select("mark")).count(), 3);
    let footer: String = page
        .select(&select("footer"))
        .next()
        .unwrap()
        .text()
        .collect();
    assert!(footer.contains("2 paragraphs"));
}

/// The cells of a Markdown table, each as (plain text, bold parts).
fn markdown_cells(md: &str) -> Vec<Vec<(String, Vec<String>)>> {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let mut rows = Vec::new();
    let mut row: Vec<(String, Vec<String>)> = Vec::new();
    let mut cell: Option<(String, Vec<String>)> = None;
    let mut strong: Option<String> = None;
    for event in Parser::new_ext(md, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::TableCell) => cell = Some((String::new(), Vec::new())),
            Event::End(TagEnd::TableCell) => row.extend(cell.take()),
            Event::End(TagEnd::TableRow | TagEnd::TableHead) => rows.push(std::mem::take(&mut row)),
            Event::Start(Tag::Strong) => strong = Some(String::new()),
            Event::End(TagEnd::Strong) => {
                if let (Some(c), Some(s)) = (cell.as_mut(), strong.take()) {
                    c.1.push(s);
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(c) = cell.as_mut() {
                    c.0.push_str(&t);
                }
                if let Some(s) = strong.as_mut() {
                    s.push_str(&t);
                }
            }
            // The only HTML a cell may contain is the generated line break.
            Event::InlineHtml(h) | Event::Html(h) => {
                assert_eq!(&*h, "<br>", "HTML from data in Markdown");
                if let Some(c) = cell.as_mut() {
                    c.0.push('\n');
                }
            }
            _ => {}
        }
    }
    rows
}

#[test]
fn markdown_table_escapes_pipes_and_keeps_every_character() {
    let bytes = render(
        Format::Markdown,
        Columns::all::<Hit>(),
        &TableOptions::default(),
    );
    let md = String::from_utf8(bytes).unwrap();
    // One header, one separator, one line per hit: no line break or pipe
    // from the data breaks the table.
    assert_eq!(md.lines().count(), 4, "{md}");
    let rows = markdown_cells(&md);
    assert_eq!(rows.len(), 3);
    let header: Vec<&str> = rows[0].iter().map(|c| c.0.as_str()).collect();
    assert_eq!(header, Hit::COLUMNS);
    let text = Hit::COLUMNS.iter().position(|c| *c == "text").unwrap();
    let snippet = Hit::COLUMNS.iter().position(|c| *c == "snippet").unwrap();
    let title = Hit::COLUMNS.iter().position(|c| *c == "title").unwrap();
    for (row, h) in rows[1..].iter().zip(hits()) {
        assert_eq!(row.len(), Hit::COLUMNS.len());
        assert_eq!(row[text].0, h.text);
        assert_eq!(row[title].0, h.title.clone().unwrap_or_default());
        assert_eq!(row[snippet].0, h.snippet.text);
        assert_eq!(row[snippet].1, marked_parts(&h));
    }
}

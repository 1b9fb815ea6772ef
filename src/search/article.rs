//! An article as the indexer understood it, read back from the index.

use anyhow::Result;
use serde::Serialize;
use tantivy::TantivyDocument;
use tantivy::schema::Value;

use super::query::{Node, Query, ValueField};
use super::{Searcher, str_field, u64_field};

/// An article's metadata and paragraphs, as indexed.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleView {
    pub doc: String,
    pub path: String,
    pub title: Option<String>,
    pub date: Option<String>,
    pub lang: String,
    pub agency: Vec<String>,
    pub url: Option<String>,
    pub source: Option<String>,
    pub author: Option<String>,
    pub paragraphs: Vec<ParagraphView>,
}

/// One paragraph as indexed.
#[derive(Debug, Clone, Serialize)]
pub struct ParagraphView {
    pub para: u64,
    pub line: u64,
    pub kind: String,
    pub heading: Option<String>,
    pub lang: String,
    pub lang_confidence: f64,
    pub agency: Vec<String>,
    pub comment_author: Option<String>,
    pub comment_date: Option<String>,
    pub text: String,
}

impl Searcher {
    /// The article with id `doc`, or `None` if the index has none.
    pub fn article(&self, doc: &str) -> Result<Option<ArticleView>> {
        let query = Query {
            text: format!("doc:{doc}"),
            root: Node::Value {
                field: ValueField::Doc,
                value: doc.to_string(),
            },
            expanded: true,
            highlight: false,
        };
        let f = self.fields;
        let mut article: Option<ArticleView> = None;
        let mut paragraphs = Vec::new();
        let searcher = self.reader.searcher();
        let tantivy_query = query.to_tantivy(&self.fields, &self.sections);
        self.stream_all(
            &searcher,
            tantivy_query.as_ref(),
            &mut |_, _, stored: TantivyDocument| {
                let stored = &stored;
                if article.is_none() {
                    article = Some(ArticleView {
                        doc: str_field(stored, f.doc).unwrap_or_default(),
                        path: str_field(stored, f.path).unwrap_or_default(),
                        title: str_field(stored, f.title_shown),
                        date: str_field(stored, f.date),
                        lang: str_field(stored, f.article_lang).unwrap_or_default(),
                        agency: str_field(stored, f.article_agency)
                            .map(|a| a.split(',').map(str::to_string).collect())
                            .unwrap_or_default(),
                        url: str_field(stored, f.url),
                        source: str_field(stored, f.source),
                        author: str_field(stored, f.author),
                        paragraphs: Vec::new(),
                    });
                }
                paragraphs.push(ParagraphView {
                    para: u64_field(stored, f.para),
                    line: u64_field(stored, f.line),
                    kind: str_field(stored, f.kind).unwrap_or_default(),
                    heading: str_field(stored, f.heading_shown),
                    lang: str_field(stored, f.lang).unwrap_or_default(),
                    lang_confidence: stored
                        .get_first(f.lang_confidence)
                        .and_then(|v| v.as_f64())
                        .unwrap_or(0.0),
                    agency: stored
                        .get_all(f.agency)
                        .filter_map(|v| v.as_str())
                        .map(str::to_string)
                        .collect(),
                    comment_author: str_field(stored, f.comment_author),
                    comment_date: str_field(stored, f.comment_date),
                    text: str_field(stored, f.text).unwrap_or_default(),
                });
                Ok(())
            },
        )?;
        paragraphs.sort_by_key(|p| p.para);
        Ok(article.map(|mut a| {
            a.paragraphs = paragraphs;
            a
        }))
    }
}

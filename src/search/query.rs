//! The query language: parsing what the user typed and turning it into a
//! tantivy query.
//!
//! fundstelle parses queries itself instead of using tantivy's
//! `QueryParser`, for three reasons: unquoted words and quoted text go to
//! different fields (stemmed vs. exact), errors must say *where* the query
//! is wrong (tantivy's parser gives no position), and the highlighter must
//! know exactly which words and phrases are wanted (not excluded ones).
//!
//! Grammar (operators are upper case; `AND` binds tighter than `OR`):
//!
//! ```text
//! query   := and ( "OR" and )*
//! and     := unary ( "AND"? unary )*
//! unary   := ( "NOT" | "-" | "+" ) unary | primary
//!            ("-"/"+" directly before the term; a run of dashes with a
//!             space after it, "--" or "-–", is punctuation)
//! primary := "(" query ")" | FIELD ":" value | "\"" phrase "\"" ("~" N)? | word
//! value   := word | "\"" phrase "\"" | "[" bound " TO " bound "]" (or "{…}", exclusive)
//! ```

use std::collections::HashSet;
use std::fmt;
use std::ops::Bound;
use std::sync::Arc;

use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, PhrasePrefixQuery,
    PhraseQuery, Query as TantivyQuery, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use unicode_normalization::UnicodeNormalization;

use super::any_term::AnyTerm;
use super::boosts::Boosted;
use super::join::{Block, BlockJoin, SectionColumns};
use super::lexicon::{self, IndexLexicon};
use crate::analysis::{self, compound};
use crate::index::Fields;
use crate::index::schema::name;
use crate::ingest::metadata::valid_date;
use crate::ingest::{Kind, KindSet};

/// A query that cannot be run, with the position (in characters, 0-based)
/// where the problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    pub query: String,
    pub position: usize,
    pub message: String,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "invalid query at position {}: {}",
            self.position + 1,
            self.message
        )?;
        writeln!(f, "  {}", self.query)?;
        write!(f, "  {}^", " ".repeat(self.position))
    }
}

impl std::error::Error for QueryError {}

/// The analysed text fields a word or phrase can be searched in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextField {
    Text,
    Title,
    Heading,
}

/// The fields matched by exact value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValueField {
    Doc,
    Lang,
    Kind,
    Agency,
}

impl ValueField {
    /// The name users type before the colon.
    pub fn name(self) -> &'static str {
        match self {
            ValueField::Doc => name::DOC,
            ValueField::Lang => name::LANG,
            ValueField::Kind => name::KIND,
            ValueField::Agency => name::AGENCY,
        }
    }

    /// The index field holding the values.
    pub fn field(self, fields: &Fields) -> Field {
        match self {
            ValueField::Doc => fields.doc,
            ValueField::Lang => fields.lang,
            ValueField::Kind => fields.kind,
            ValueField::Agency => fields.agency,
        }
    }
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Node {
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    /// Unquoted word(s): every inflected form (stemmed field), and the
    /// indexed compounds containing the word (filled in by
    /// [`Query::expand`]).
    Words {
        field: TextField,
        text: String,
        position: usize,
        compounds: Vec<String>,
    },
    /// Quoted text: this exact sequence of surface forms; with `prefix`, the
    /// last word is a prefix (`"Koalition der Will*"`).
    Phrase {
        field: TextField,
        text: String,
        slop: u32,
        prefix: bool,
        position: usize,
    },
    /// `Selenskij~1`: surface forms within this edit distance.
    Fuzzy {
        field: TextField,
        text: String,
        distance: u8,
        position: usize,
    },
    /// `Sicherheits*`: surface forms starting with `text`; `terms` are the
    /// indexed forms it expands to (filled in by [`Query::expand`]).
    Prefix {
        field: TextField,
        text: String,
        position: usize,
        terms: Vec<String>,
    },
    /// `doc:…`, `lang:…`, `kind:…`.
    Value {
        field: ValueField,
        value: String,
    },
    /// `date:…` as a range of ISO date strings.
    Dates {
        lower: Bound<String>,
        upper: Bound<String>,
    },
}

/// The fields a user can name, for error messages.
pub const USER_FIELDS: &[&str] = &[
    name::TEXT,
    name::TITLE,
    name::HEADING,
    name::DOC,
    name::DATE,
    name::LANG,
    name::KIND,
    name::AGENCY,
];

/// Field names that are also German words as written in prose ("drei
/// Stunden lang: …"): followed by a colon and a space, they are prose;
/// only at the end of the query are they a field without its value.
const GERMAN_WORD_FIELDS: &[&str] = &[name::LANG];

/// An example of a field with its value, for error messages.
fn field_example(name: &str) -> &'static str {
    match name {
        name::TEXT => "text:Ukraine",
        name::TITLE => "title:Ukraine",
        name::HEADING => "heading:Ukraine",
        name::DOC => "doc:000_d714841662dd548e",
        name::DATE => "date:2025-09-04",
        name::LANG => "lang:deu",
        name::KIND => "kind:heading",
        name::AGENCY => "agency:dpa",
        _ => "title:Ukraine",
    }
}

/// A parsed query together with the text it came from.
#[derive(Debug, Clone)]
pub struct Query {
    pub text: String,
    pub root: Node,
    /// The parts that depend on the index are filled in ([`Query::expand`]):
    /// running it again looks nothing up again.
    pub(crate) expanded: bool,
    /// Hits are highlighted (a concordance finds its occurrences itself).
    pub(crate) highlight: bool,
}

impl Query {
    /// Parses `text`.
    pub fn parse(text: &str) -> Result<Query, QueryError> {
        // The index holds NFC text; so must the query.
        let normalised: String = text.nfc().collect();
        let text = normalised.as_str();
        let tokens = lex(text)?;
        let mut parser = Parser {
            query: text,
            tokens,
            next: 0,
            depth: 0,
        };
        if parser.tokens.is_empty() {
            let message = if text.trim().is_empty() {
                "the query is empty"
            } else {
                "the query has no letters or digits to search for"
            };
            return Err(parser.error(0, message));
        }
        let root = parser.or()?;
        if let Some(token) = parser.tokens.get(parser.next) {
            let message = match token.kind {
                Tok::RParen => "')' without a matching '('".to_string(),
                _ => format!("unexpected {}", token.kind.describe()),
            };
            return Err(parser.error(token.position, &message));
        }
        let query = Query {
            text: text.to_string(),
            root,
            expanded: false,
            highlight: true,
        };
        query.check_words(&query.root)?;
        Ok(query)
    }

    /// The query that matches every paragraph (for statistics).
    pub fn everything() -> Query {
        Query {
            text: String::new(),
            root: Node::And(Vec::new()),
            expanded: false,
            highlight: true,
        }
    }

    /// Adds a date range (`--from`, `--to`; both inclusive) to the query.
    pub fn restrict_dates(&mut self, from: Option<&str>, to: Option<&str>) -> Result<(), String> {
        if from.is_none() && to.is_none() {
            return Ok(());
        }
        let check =
            |flag: &str, d: &str| parse_date_bound(d).map_err(|why| format!("{flag} {d}: {why}"));
        let lower = match from {
            Some(d) => Bound::Included(check("--from", d)?),
            None => Bound::Unbounded,
        };
        let upper = match to {
            Some(d) => Bound::Excluded(format!("{}~", check("--to", d)?)),
            None => Bound::Unbounded,
        };
        // As in a query's range: one that ends before it starts is an
        // error, not zero hits.
        if let (Bound::Included(l), Bound::Excluded(u), Some(from), Some(to)) =
            (&lower, &upper, from, to)
            && l >= u
        {
            return Err(format!(
                "--from {from} is later than --to {to}, so no date is in between; put the earlier date in --from"
            ));
        }
        let root = std::mem::replace(&mut self.root, Node::And(Vec::new()));
        self.root = Node::And(vec![root, Node::Dates { lower, upper }]);
        Ok(())
    }

    /// Rejects words that contain nothing searchable.
    fn check_words(&self, node: &Node) -> Result<(), QueryError> {
        match node {
            Node::And(children) | Node::Or(children) => {
                children.iter().try_for_each(|c| self.check_words(c))
            }
            Node::Not(child) => self.check_words(child),
            Node::Words { text, position, .. }
            | Node::Phrase { text, position, .. }
            | Node::Fuzzy { text, position, .. }
            | Node::Prefix { text, position, .. } => {
                if analysis::analyze(text).is_empty() {
                    Err(QueryError {
                        query: self.text.clone(),
                        position: *position,
                        message: format!("'{text}' has no letters or digits to search for"),
                    })
                } else {
                    Ok(())
                }
            }
            Node::Value { .. } | Node::Dates { .. } => Ok(()),
        }
    }

    /// Fills in what depends on the index: the compounds containing each
    /// unquoted word, and the words each prefix stands for.
    pub fn expand(&mut self, lexicon: &IndexLexicon) -> Result<(), QueryError> {
        let text = self.text.clone();
        expand_node(&mut self.root, lexicon, &text)?;
        self.expanded = true;
        Ok(())
    }

    /// True when the query asks for an unquoted word in the paragraph text
    /// (not under `NOT`): its score looks for the word in the section's
    /// heading too.
    pub fn has_words(&self) -> bool {
        fn walk(node: &Node) -> bool {
            match node {
                Node::And(c) | Node::Or(c) => c.iter().any(walk),
                Node::Words { field, .. } => *field == TextField::Text,
                _ => false,
            }
        }
        walk(&self.root)
    }

    /// The filters (`doc:`, `lang:`, `kind:`, `agency:`, `date:`) the query
    /// asks for, not those it excludes (under `NOT`/`-`).
    pub fn filters(&self) -> Vec<&Node> {
        fn walk<'a>(node: &'a Node, out: &mut Vec<&'a Node>) {
            match node {
                Node::And(c) | Node::Or(c) => c.iter().for_each(|n| walk(n, out)),
                Node::Value { .. } | Node::Dates { .. } => out.push(node),
                _ => {}
            }
        }
        let mut filters = Vec::new();
        walk(&self.root, &mut filters);
        filters
    }

    /// The kinds the query asks for itself (`kind:…`, not under `NOT`/`-`):
    /// they are added to the scope. A kind only excluded (`-kind:title`)
    /// leaves the scope as it is.
    pub fn named_kinds(&self) -> Vec<Kind> {
        let mut kinds = Vec::new();
        for node in self.filters() {
            if let Node::Value {
                field: ValueField::Kind,
                value,
            } = node
                && let Ok(kind) = value.parse::<Kind>()
                && !kinds.contains(&kind)
            {
                kinds.push(kind);
            }
        }
        kinds
    }

    /// The kinds no match of the query can have, because its conjunction
    /// excludes them: `-kind:comment`, `NOT (kind:comment OR
    /// kind:boilerplate)`. (An exclusion inside an `OR` excludes nothing
    /// for the whole query.)
    pub fn excluded_kinds(&self) -> Vec<Kind> {
        fn conjunction(node: &Node, out: &mut Vec<Kind>) {
            match node {
                Node::And(children) => children.iter().for_each(|c| conjunction(c, out)),
                Node::Not(inner) => negated(inner, out),
                _ => {}
            }
        }
        fn negated(node: &Node, out: &mut Vec<Kind>) {
            match node {
                Node::Value {
                    field: ValueField::Kind,
                    value,
                } => {
                    if let Ok(kind) = value.parse::<Kind>()
                        && !out.contains(&kind)
                    {
                        out.push(kind);
                    }
                }
                // NOT (a OR b) is NOT a AND NOT b.
                Node::Or(children) => children.iter().for_each(|c| negated(c, out)),
                _ => {}
            }
        }
        let mut kinds = Vec::new();
        conjunction(&self.root, &mut kinds);
        kinds
    }

    /// Restricts the query to paragraphs of `kinds` and returns the query for
    /// the paragraphs this leaves out (to count them), if it leaves out any.
    pub fn restrict_kinds(&mut self, kinds: &[Kind]) -> Option<Query> {
        let of = |ks: Vec<Kind>| {
            Node::Or(
                ks.into_iter()
                    .map(|k| Node::Value {
                        field: ValueField::Kind,
                        value: k.as_str().to_string(),
                    })
                    .collect(),
            )
        };
        let left_out: Vec<Kind> = Kind::ALL
            .into_iter()
            .filter(|k| !kinds.contains(k))
            .collect();
        let root = std::mem::replace(&mut self.root, Node::And(Vec::new()));
        // The kind filters need no expansion: an expanded query stays one.
        let excluded = (!left_out.is_empty()).then(|| Query {
            text: self.text.clone(),
            root: Node::And(vec![root.clone(), of(left_out)]),
            expanded: self.expanded,
            highlight: self.highlight,
        });
        self.root = Node::And(vec![root, of(kinds.to_vec())]);
        excluded
    }

    /// The query limited to paragraphs of `kinds` and of the kinds it asks
    /// for itself ([`Query::named_kinds`]), with what is needed to count
    /// the matches this leaves out.
    pub fn in_scope(self, kinds: &[Kind]) -> Scoped {
        let mut kinds = kinds.to_vec();
        for kind in self.named_kinds() {
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
        }
        let every_kind = Kind::ALL.iter().all(|k| kinds.contains(k));
        Scoped::of(self, (!every_kind).then_some(kinds))
    }

    /// Lower-case words that look like operators ("or", "and", "not"):
    /// worth a hint when a query finds nothing, since they are searched as
    /// ordinary words.
    pub fn operator_lookalikes(&self) -> Vec<String> {
        let mut found = Vec::new();
        collect_lookalikes(&self.root, &mut found);
        found
    }

    /// The tantivy query to execute.
    /// The tantivy query; its section joins open the section columns they
    /// need in `sections` (or find them there).
    pub(super) fn to_tantivy(
        &self,
        fields: &Fields,
        sections: &Arc<SectionColumns>,
    ) -> Box<dyn TantivyQuery> {
        compile(&self.root, &Compiling { fields, sections })
    }

    /// What the hits of this query highlight: its [`matchers`](Self::matchers),
    /// or nothing when the caller finds its occurrences itself (a
    /// concordance).
    pub fn hit_matchers(&self) -> Vec<Matcher> {
        if self.highlight {
            self.matchers()
        } else {
            Vec::new()
        }
    }

    /// What the highlighter should mark: every word or phrase the query asks
    /// for in the paragraph text (nothing under `NOT`/`-`, no filters).
    pub fn matchers(&self) -> Vec<Matcher> {
        let mut out = Vec::new();
        collect_matchers(&self.root, &mut out);
        out
    }
}

/// A query restricted to the kinds of paragraph in scope (the default
/// scope plus `--include`), made by [`Query::in_scope`].
#[derive(Debug, Clone)]
pub struct Scoped {
    /// The restricted query: what every way of running it runs.
    pub query: Query,
    /// The query as asked, before the restriction.
    pub unrestricted: Query,
    /// The kinds in scope; `None` when the query names kinds itself and is
    /// not restricted.
    pub kinds: Option<Vec<Kind>>,
    /// The query for the matches the scope leaves out, if it leaves out any.
    pub left_out: Option<Query>,
}

impl Scoped {
    /// `unrestricted` limited to `kinds` (`None`: not limited).
    pub fn of(unrestricted: Query, kinds: Option<Vec<Kind>>) -> Scoped {
        let mut query = unrestricted.clone();
        let left_out = kinds.as_ref().and_then(|k| query.restrict_kinds(k));
        Scoped {
            query,
            unrestricted,
            kinds,
            left_out,
        }
    }

    /// The kinds the scope leaves out, but for those the query excludes
    /// itself (`-kind:comment`): no match of those is left out by the scope.
    pub fn left_out_kinds(&self) -> KindSet {
        let excluded = self.unrestricted.excluded_kinds();
        self.kinds.as_ref().map_or(KindSet::default(), |k| {
            KindSet::of(k.iter().copied().chain(excluded)).others()
        })
    }
}

/// How one word of a [`Matcher`] is recognised in a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TermMatch {
    /// The word's stem is one of these (the word's own, and the stems of
    /// compounds containing it), sorted ([`TermMatch::stems`]): a word with
    /// hundreds of compounds is looked up, not compared with each.
    Stems(Vec<String>),
    /// The lowercased surface form is exactly this.
    Exact(String),
    /// The lowercased surface form starts with this.
    Prefix(String),
    /// The lowercased surface form is within this many edits.
    Fuzzy(String, u8),
}

impl TermMatch {
    /// [`TermMatch::Stems`] of these stems, sorted and without repeats.
    pub fn stems(mut stems: Vec<String>) -> TermMatch {
        stems.sort_unstable();
        stems.dedup();
        TermMatch::Stems(stems)
    }

    pub fn matches(&self, word: &analysis::AnalyzedWord) -> bool {
        match self {
            TermMatch::Stems(stems) => stems.binary_search(&word.stem).is_ok(),
            TermMatch::Exact(form) => &word.exact == form,
            TermMatch::Prefix(prefix) => word.exact.starts_with(prefix.as_str()),
            TermMatch::Fuzzy(form, distance) => {
                strsim::osa_distance(&word.exact, form) <= usize::from(*distance)
            }
        }
    }
}

/// A word sequence to find in a paragraph, as the index sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matcher {
    /// `(relative position, how to recognise the word)`.
    pub terms: Vec<(usize, TermMatch)>,
    pub slop: u32,
}

fn collect_matchers(node: &Node, out: &mut Vec<Matcher>) {
    match node {
        Node::And(children) | Node::Or(children) => {
            children.iter().for_each(|c| collect_matchers(c, out))
        }
        Node::Not(_) | Node::Value { .. } | Node::Dates { .. } => {}
        Node::Words {
            field: TextField::Text,
            text,
            compounds,
            ..
        } => {
            let terms = terms(text, false);
            let single = terms.len() == 1;
            out.push(Matcher {
                terms: terms
                    .into_iter()
                    .map(|(p, t)| {
                        let mut stems = vec![t];
                        if single {
                            stems.extend(compounds.iter().cloned());
                        }
                        (p, TermMatch::stems(stems))
                    })
                    .collect(),
                slop: 0,
            })
        }
        Node::Phrase {
            field: TextField::Text,
            text,
            slop,
            prefix,
            ..
        } => {
            let terms = terms(text, true);
            let last = terms.len().saturating_sub(1);
            out.push(Matcher {
                terms: terms
                    .into_iter()
                    .enumerate()
                    .map(|(i, (p, t))| {
                        if *prefix && i == last {
                            (p, TermMatch::Prefix(t))
                        } else {
                            (p, TermMatch::Exact(t))
                        }
                    })
                    .collect(),
                slop: *slop,
            })
        }
        Node::Fuzzy {
            field: TextField::Text,
            text,
            distance,
            ..
        } => out.push(Matcher {
            terms: vec![(0, TermMatch::Fuzzy(analysis::lowercase(text), *distance))],
            slop: 0,
        }),
        Node::Prefix {
            field: TextField::Text,
            text,
            ..
        } => out.push(Matcher {
            terms: vec![(0, TermMatch::Prefix(analysis::lowercase(text)))],
            slop: 0,
        }),
        Node::Words { .. } | Node::Phrase { .. } | Node::Fuzzy { .. } | Node::Prefix { .. } => {}
    }
}

/// The analysed terms of `text` with positions relative to the first.
/// True when `node` is a filter no paragraph of the index passes.
pub(crate) fn passes_nothing(node: &Node, lexicon: &IndexLexicon) -> bool {
    match node {
        Node::Value { field, value } => lexicon.doc_freq(field.field(lexicon.fields), value) == 0,
        Node::Dates { lower, upper } => !lexicon.has_term_within(
            lexicon.fields.date,
            lower.as_ref().map(String::as_str),
            upper.as_ref().map(String::as_str),
        ),
        _ => false,
    }
}

fn expand_node(node: &mut Node, lexicon: &IndexLexicon, query: &str) -> Result<(), QueryError> {
    match node {
        // Nothing can match beside a filter no paragraph passes (`Datei
        // lang:en`): its words need not be looked up (an unquoted word's
        // compounds can be hundreds of terms).
        Node::And(children) if children.iter().any(|c| passes_nothing(c, lexicon)) => Ok(()),
        Node::And(children) | Node::Or(children) => children
            .iter_mut()
            .try_for_each(|c| expand_node(c, lexicon, query)),
        Node::Not(child) => expand_node(child, lexicon, query),
        // The compounds come from the paragraph text's vocabulary, for
        // `title:` and `heading:` words too (a title's words are nearly
        // always in some paragraph as well).
        Node::Words {
            text, compounds, ..
        } => {
            if terms(text, false).len() == 1 {
                // The word without what the analysis drops around it
                // ("Garantien?", "Länder."): its compounds all the same.
                let word = text.trim_matches(|c: char| !analysis::is_word_char(c));
                *compounds = compound::compounds_containing(word, lexicon);
            }
            Ok(())
        }
        Node::Prefix {
            field,
            text,
            terms,
            position,
        } => {
            let exact = text_fields(lexicon.fields, *field).1;
            *terms = lexicon.terms_with_prefix(exact, &analysis::lowercase(text));
            if terms.len() > lexicon::MAX_EXPANSIONS {
                return Err(QueryError {
                    query: query.to_string(),
                    position: *position,
                    message: format!(
                        "'{text}*' stands for more than {} words; make the prefix longer",
                        lexicon::MAX_EXPANSIONS
                    ),
                });
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

fn collect_lookalikes(node: &Node, out: &mut Vec<String>) {
    match node {
        Node::And(children) | Node::Or(children) => {
            children.iter().for_each(|c| collect_lookalikes(c, out))
        }
        Node::Not(child) => collect_lookalikes(child, out),
        Node::Words { text, .. } if ["or", "and", "not"].contains(&text.as_str()) => {
            out.push(text.clone())
        }
        _ => {}
    }
}

/// The analysed terms of `text` with positions relative to the first.
pub(crate) fn terms(text: &str, exact: bool) -> Vec<(usize, String)> {
    analysis::analyze(text)
        .into_iter()
        .map(|w| (w.position, if exact { w.exact } else { w.stem }))
        .collect()
}

fn text_fields(fields: &Fields, field: TextField) -> (Field, Field) {
    match field {
        TextField::Text => (fields.text, fields.text_exact),
        TextField::Title => (fields.title, fields.title_exact),
        TextField::Heading => (fields.heading, fields.heading_exact),
    }
}

fn terms_query(field: Field, terms: Vec<(usize, String)>, slop: u32) -> Box<dyn TantivyQuery> {
    let mut terms: Vec<(usize, Term)> = terms
        .into_iter()
        .map(|(p, t)| (p, Term::from_field_text(field, &t)))
        .collect();
    if terms.len() == 1 {
        let (_, term) = terms.remove(0);
        Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
    } else {
        Box::new(PhraseQuery::new_with_offset_and_slop(terms, slop))
    }
}

/// How many words the last word of a quoted prefix phrase may stand for.
const PHRASE_PREFIX_EXPANSIONS: u32 = 1000;
/// Weight of a compound match against a whole-word match, so that whole
/// words rank first.
const COMPOUND_WEIGHT: f32 = 0.1;
/// Extra weight when the paragraph has the word in the very form typed
/// ("Sicherheit" above "sichern" and "Sicherung", which share its stem).
const SAME_FORM_WEIGHT: f32 = 0.5;
/// Extra weight when the word is also in the article's title or the
/// paragraph's section heading.
const TITLE_WEIGHT: f32 = 0.5;
const HEADING_WEIGHT: f32 = 0.3;

/// An unquoted word: its stem in the text, or a compound containing it
/// (weighted down); in the paragraph text, the form typed, and a match in
/// the title or heading, add to the score.
fn words_query(
    to: &Compiling,
    field: TextField,
    text: &str,
    compounds: &[String],
) -> Box<dyn TantivyQuery> {
    let fields = to.fields;
    let (stemmed, exact) = text_fields(fields, field);
    let terms = terms(text, false);
    if terms.len() != 1 {
        return terms_query(stemmed, terms, 0);
    }
    let stem = &terms[0].1;
    let term = |f: Field, t: &str| -> Box<dyn TantivyQuery> {
        Box::new(TermQuery::new(
            Term::from_field_text(f, t),
            IndexRecordOption::WithFreqs,
        ))
    };
    let mut alternatives = vec![(Term::from_field_text(stemmed, stem), 1.0)];
    for compound in compounds {
        alternatives.push((Term::from_field_text(stemmed, compound), COMPOUND_WEIGHT));
    }
    let word_or_compounds = Box::new(AnyTerm::new(alternatives));
    if field != TextField::Text {
        return word_or_compounds;
    }
    let form = super::query::terms(text, true)
        .pop()
        .map(|(_, form)| form)
        .unwrap_or_default();
    Box::new(Boosted::new(
        word_or_compounds,
        vec![
            Box::new(BoostQuery::new(term(exact, &form), SAME_FORM_WEIGHT)),
            Box::new(BoostQuery::new(
                Box::new(BlockJoin::new(
                    term(fields.title, stem),
                    Block::Article,
                    to.sections,
                )),
                TITLE_WEIGHT,
            )),
            Box::new(BoostQuery::new(
                Box::new(BlockJoin::new(
                    term(fields.heading, stem),
                    Block::Section,
                    to.sections,
                )),
                HEADING_WEIGHT,
            )),
        ],
    ))
}

/// Surface forms starting with `prefix`: the expanded `terms` when known,
/// otherwise tantivy's own expansion.
fn prefix_query(field: Field, terms: &[String], prefix: &str) -> Box<dyn TantivyQuery> {
    if terms.is_empty() {
        let mut query = PhrasePrefixQuery::new(vec![Term::from_field_text(field, prefix)]);
        query.set_max_expansions(PHRASE_PREFIX_EXPANSIONS);
        return Box::new(query);
    }
    Box::new(AnyTerm::new(
        terms
            .iter()
            .map(|t| (Term::from_field_text(field, t), 1.0))
            .collect(),
    ))
}

/// A filter: matches without changing the score.
fn filter(query: Box<dyn TantivyQuery>) -> Box<dyn TantivyQuery> {
    Box::new(ConstScoreQuery::new(query, 0.0))
}

/// What compiling a query needs besides the query.
struct Compiling<'a> {
    fields: &'a Fields,
    sections: &'a Arc<SectionColumns>,
}

fn compile(node: &Node, to: &Compiling) -> Box<dyn TantivyQuery> {
    let query = compile_node(node, to);
    // Titles and headings are indexed on the first paragraph of their
    // article or section; a match there covers all of its paragraphs.
    match node {
        Node::Words { field, .. }
        | Node::Phrase { field, .. }
        | Node::Fuzzy { field, .. }
        | Node::Prefix { field, .. } => match field {
            TextField::Title => Box::new(BlockJoin::new(query, Block::Article, to.sections)),
            TextField::Heading => Box::new(BlockJoin::new(query, Block::Section, to.sections)),
            TextField::Text => query,
        },
        _ => query,
    }
}

fn compile_node(node: &Node, to: &Compiling) -> Box<dyn TantivyQuery> {
    let fields = to.fields;
    match node {
        Node::And(children) => {
            let mut clauses: Vec<(Occur, Box<dyn TantivyQuery>)> = children
                .iter()
                .map(|c| match c {
                    Node::Not(inner) => (Occur::MustNot, compile(inner, to)),
                    other => (Occur::Must, compile(other, to)),
                })
                .collect();
            if !clauses.iter().any(|(o, _)| *o == Occur::Must) {
                clauses.push((Occur::Must, filter(Box::new(AllQuery))));
            }
            Box::new(BooleanQuery::new(clauses))
        }
        Node::Or(children) => Box::new(BooleanQuery::new(
            children
                .iter()
                .map(|c| (Occur::Should, compile(c, to)))
                .collect(),
        )),
        Node::Not(inner) => Box::new(BooleanQuery::new(vec![
            (Occur::Must, filter(Box::new(AllQuery))),
            (Occur::MustNot, compile(inner, to)),
        ])),
        Node::Words {
            field,
            text,
            compounds,
            ..
        } => words_query(to, *field, text, compounds),
        Node::Phrase {
            field,
            text,
            slop,
            prefix: false,
            ..
        } => terms_query(text_fields(fields, *field).1, terms(text, true), *slop),
        Node::Phrase {
            field,
            text,
            prefix: true,
            ..
        } => {
            let exact = text_fields(fields, *field).1;
            let terms: Vec<(usize, Term)> = terms(text, true)
                .into_iter()
                .map(|(p, t)| (p, Term::from_field_text(exact, &t)))
                .collect();
            if terms.len() == 1 {
                // A lone quoted prefix: the same as an unquoted one.
                return prefix_query(exact, &[], &analysis::lowercase(text));
            }
            let mut query = PhrasePrefixQuery::new_with_offset(terms);
            query.set_max_expansions(PHRASE_PREFIX_EXPANSIONS);
            Box::new(query)
        }
        Node::Fuzzy {
            field,
            text,
            distance,
            ..
        } => Box::new(FuzzyTermQuery::new(
            Term::from_field_text(text_fields(fields, *field).1, &analysis::lowercase(text)),
            *distance,
            true,
        )),
        Node::Prefix {
            field, text, terms, ..
        } => prefix_query(
            text_fields(fields, *field).1,
            terms,
            &analysis::lowercase(text),
        ),
        Node::Value { field, value } => filter(Box::new(TermQuery::new(
            Term::from_field_text(field.field(fields), value),
            IndexRecordOption::Basic,
        ))),
        Node::Dates { lower, upper } => {
            let term = |s: &String| Term::from_field_text(fields.date, s);
            // Dates start with a digit, so "0" is below every date: an open
            // lower end still requires the paragraph to have a date.
            let lower = match lower {
                Bound::Unbounded => Bound::Included(term(&"0".to_string())),
                Bound::Included(s) => Bound::Included(term(s)),
                Bound::Excluded(s) => Bound::Excluded(term(s)),
            };
            let upper = match upper {
                Bound::Unbounded => Bound::Unbounded,
                Bound::Included(s) => Bound::Included(term(s)),
                Bound::Excluded(s) => Bound::Excluded(term(s)),
            };
            filter(Box::new(RangeQuery::new(lower, upper)))
        }
    }
}

// ---------------------------------------------------------------- lexer

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    LParen,
    RParen,
    And,
    Or,
    Not,
    Plus,
    Minus,
    Word(String),
    Phrase(String, u32),
    Field(String),
    Range {
        lower: String,
        upper: String,
        inclusive_lower: bool,
        inclusive_upper: bool,
    },
}

impl Tok {
    fn describe(&self) -> String {
        match self {
            Tok::LParen => "'('".into(),
            Tok::RParen => "')'".into(),
            Tok::And => "'AND'".into(),
            Tok::Or => "'OR'".into(),
            Tok::Not => "'NOT'".into(),
            Tok::Plus => "'+'".into(),
            Tok::Minus => "'-'".into(),
            Tok::Word(w) => format!("'{w}'"),
            Tok::Phrase(p, _) => format!("\"{p}\""),
            Tok::Field(f) => format!("'{f}:'"),
            Tok::Range { .. } => "a range".into(),
        }
    }

    fn starts_term(&self) -> bool {
        !matches!(self, Tok::RParen | Tok::And | Tok::Or)
    }
}

#[derive(Debug, Clone)]
struct Token {
    kind: Tok,
    position: usize,
}

/// The largest edit distance of a fuzzy word.
const MAX_FUZZY: u8 = 2;
/// The fewest letters before a prefix '*'.
const MIN_PREFIX_CHARS: usize = 2;
/// The largest phrase slop accepted; more would only slow things down.
const MAX_SLOP: u32 = 1000;
/// How deeply groups and negations may nest.
const MAX_DEPTH: usize = 64;

fn lex(query: &str) -> Result<Vec<Token>, QueryError> {
    let chars: Vec<char> = query.chars().collect();
    let err = |position: usize, message: String| QueryError {
        query: query.to_string(),
        position,
        message,
    };
    let mut out = Vec::new();
    let mut i = 0;
    let ends_word = |c: char| c.is_whitespace() || matches!(c, '(' | ')' | '"');
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        let push = |out: &mut Vec<Token>, kind| {
            out.push(Token {
                kind,
                position: start,
            })
        };
        if c.is_whitespace() {
            i += 1;
        } else if c == '(' {
            push(&mut out, Tok::LParen);
            i += 1;
        } else if c == ')' {
            push(&mut out, Tok::RParen);
            i += 1;
        } else if c == '"' {
            let close = chars[i + 1..]
                .iter()
                .position(|&c| c == '"')
                .map(|p| p + i + 1)
                .ok_or_else(|| err(start, "unclosed quote: add the closing '\"'".into()))?;
            let text: String = chars[i + 1..close].iter().collect();
            if let Some(p) = text.trim_end_matches('*').find('*').filter(|&p| {
                // A gender star ("Vertreter*innen") is part of the word.
                let after = &text[p + 1..];
                !(after.starts_with("innen") || after.starts_with("in"))
            }) {
                let position = start + 1 + text[..p].chars().count();
                return Err(err(
                    position,
                    "'*' marks a prefix only at the end of a phrase, as in \"Koalition der Will*\""
                        .into(),
                ));
            }
            i = close + 1;
            let mut slop = 0;
            if chars.get(i) == Some(&'~') {
                let digits: String = chars[i + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .collect();
                slop = digits
                    .parse()
                    .ok()
                    .filter(|&n| n <= MAX_SLOP)
                    .ok_or_else(|| {
                        err(i, format!("'~' after a phrase needs a number from 0 to {MAX_SLOP}, as in \"…\"~2"))
                    })?;
                i += 1 + digits.len();
            }
            push(&mut out, Tok::Phrase(text, slop));
        } else if c == '-' || c == '+' {
            // A sign is one '-' or '+' right before a term. A run of signs
            // and dashes with a space (or the end) after it is prose
            // punctuation, like a lone '-' ("Ukraine -- Russland",
            // "Ukraine -– Russland"); one right before a term ("--Russland")
            // is neither, and says so.
            let run_end = (i..chars.len())
                .find(|&j| !is_sign_or_dash(chars[j]))
                .unwrap_or(chars.len());
            let before_term = chars
                .get(run_end)
                .is_some_and(|n| !n.is_whitespace() && *n != ')');
            if !before_term {
                i = run_end;
            } else if run_end == i + 1 {
                push(&mut out, if c == '-' { Tok::Minus } else { Tok::Plus });
                i += 1;
            } else {
                let run: String = chars[i..run_end].iter().collect();
                let next: String = chars[run_end..]
                    .iter()
                    .take_while(|&&c| !ends_word(c))
                    .collect();
                let word = if next.chars().any(analysis::is_word_char) {
                    next
                } else {
                    "Russland".to_string()
                };
                return Err(err(
                    start,
                    format!(
                        "'{run}' right before a word is not an operator: write one sign (-{word} leaves it out, +{word} requires it), or put a space after dashes between words"
                    ),
                ));
            }
        } else if c == '[' || c == '{' {
            return Err(err(
                start,
                "a range needs a field in front, as in date:[2025-09-01 TO 2025-09-30]".into(),
            ));
        } else {
            // A field is `name:value`, with the value right after the colon.
            // "Ukraine: 26 Länder" (colon, then space) is prose, not a field.
            let name_end = (i..chars.len())
                .find(|&j| !(chars[j].is_alphabetic() || chars[j] == '_'))
                .unwrap_or(chars.len());
            let colon = name_end > i && chars.get(name_end) == Some(&':');
            let is_field = colon && chars.get(name_end + 1).is_some_and(|c| !c.is_whitespace());
            // A field's own name with nothing right after the colon
            // ("title: Ukraine", a trailing "lang:") is a filter gone
            // wrong, not prose: searching the word "title" instead would
            // be a silent surprise.
            if colon && !is_field {
                let name: String = chars[i..name_end].iter().collect();
                // "drei Stunden lang: …" is prose; a trailing `lang:` is not.
                let at_end = chars[name_end + 1..].iter().all(|c| c.is_whitespace());
                if USER_FIELDS.contains(&name.as_str())
                    && (at_end || !GERMAN_WORD_FIELDS.contains(&name.as_str()))
                {
                    return Err(err(
                        name_end + 1,
                        format!(
                            "'{name}:' needs its value right after the colon, as in {}",
                            field_example(&name)
                        ),
                    ));
                }
            }
            if is_field {
                let name: String = chars[i..name_end].iter().collect();
                push(&mut out, Tok::Field(name.clone()));
                i = name_end + 1;
                // A sign belongs before the field (`-title:Witkoff`); after
                // the colon it would be dropped by the analysis or make a
                // value nothing has. (An article id may start with one.)
                if matches!(chars[i], '-' | '+') && name != name::DOC {
                    let sign = chars[i];
                    let value = (i..chars.len())
                        .find(|&j| !is_sign_or_dash(chars[j]))
                        .unwrap_or(chars.len());
                    // The value as it should be written: a word, or a
                    // quoted phrase up to its closing quote.
                    let value_end = if chars.get(value) == Some(&'"') {
                        chars[value + 1..]
                            .iter()
                            .position(|&c| c == '"')
                            .map_or(chars.len(), |p| value + p + 2)
                    } else {
                        (value..chars.len())
                            .find(|&j| chars[j].is_whitespace())
                            .unwrap_or(chars.len())
                    };
                    let rest: String = chars[value..value_end].iter().collect();
                    let rest = if rest.is_empty() {
                        field_example(&name)
                            .split_once(':')
                            .map_or("", |(_, v)| v)
                            .to_string()
                    } else {
                        rest
                    };
                    let meaning = if sign == '-' {
                        "to leave these paragraphs out"
                    } else {
                        "to require it"
                    };
                    return Err(err(
                        i,
                        format!(
                            "a sign goes before the field, not after its colon: write {sign}{name}:{rest} {meaning}"
                        ),
                    ));
                }
                match chars[i] {
                    '[' | '{' => {
                        let (token, next) = lex_range(&chars, i).map_err(|(p, m)| err(p, m))?;
                        out.push(Token {
                            kind: token,
                            position: i,
                        });
                        i = next;
                    }
                    '"' => {} // the phrase is lexed next
                    '(' => {
                        return Err(err(
                            i,
                            format!(
                                "groups after a field are not supported: write {name}:Ukraine {name}:Krieg"
                            ),
                        ));
                    }
                    _ => {
                        // Values may contain parentheses ("artikel(1)"); a
                        // closing one without its opening one ends a group.
                        let mut end = i;
                        let mut depth = 0usize;
                        while end < chars.len() && !chars[end].is_whitespace() && chars[end] != '"'
                        {
                            match chars[end] {
                                '(' => depth += 1,
                                ')' if depth == 0 => break,
                                ')' => depth -= 1,
                                _ => {}
                            }
                            end += 1;
                        }
                        let value: String = chars[i..end].iter().collect();
                        if name != name::DOC {
                            check_plain_word(&value, i).map_err(|(p, m)| err(p, m))?;
                        }
                        out.push(Token {
                            kind: Tok::Word(value),
                            position: i,
                        });
                        i = end;
                    }
                }
                continue;
            }
            let mut end = i;
            while end < chars.len() && !ends_word(chars[end]) {
                end += 1;
            }
            let word: String = chars[i..end].iter().collect();
            match word.as_str() {
                "AND" | "&&" => push(&mut out, Tok::And),
                "OR" | "||" => push(&mut out, Tok::Or),
                "NOT" => push(&mut out, Tok::Not),
                _ => {
                    check_plain_word(&word, start).map_err(|(p, m)| err(p, m))?;
                    // A lone dash or other punctuation between words is prose.
                    if word.chars().any(analysis::is_word_char) {
                        push(&mut out, Tok::Word(word));
                    }
                }
            }
            i = end;
        }
    }
    Ok(out)
}

/// A sign or a dash: what a run of prose dashes ("--", "-–") is made of.
fn is_sign_or_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '+' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{fe58}' | '\u{fe63}' | '\u{ff0d}'
    )
}

/// Rejects operators that fundstelle does not support inside words,
/// rather than silently searching for something else. Allowed: a trailing
/// `*` (prefix), a trailing `~N` (fuzzy), and prose punctuation: a question
/// mark at the end, a gender star ("Vertreter*innen").
fn check_plain_word(word: &str, start: usize) -> Result<(), (usize, String)> {
    let chars: Vec<char> = word.chars().collect();
    for (offset, &c) in chars.iter().enumerate() {
        if !matches!(c, '*' | '?' | '~' | '^' | '!') {
            continue;
        }
        // Only for the characters checked: a long word stays linear.
        let rest: String = chars[offset + 1..].iter().collect();
        let last = offset + 1 == chars.len();
        let message = match c {
            '*' if offset > 0 && (rest.starts_with("innen") || rest == "in") => continue,
            '*' if last => continue,
            '?' if rest.chars().all(|c| !analysis::is_word_char(c)) => continue,
            '~' if offset > 0 && rest.chars().all(|c| c.is_ascii_digit()) => continue,
            '*' => "'*' marks a prefix only at the end of a word, as in Sicherheits*",
            '?' => {
                "the wildcard '?' is not supported; use a prefix (Sicherheits*) or fuzzy matching (Garantie~1)"
            }
            '~' => "'~' goes at the end of a word, followed by the edit distance: Selenskij~1",
            '^' => "boosting ('^') is not supported",
            '!' if offset == 0 => "'!' is not an operator here: use NOT or -",
            _ => continue,
        };
        return Err((start + offset, message.to_string()));
    }
    Ok(())
}

fn lex_range(chars: &[char], open: usize) -> Result<(Tok, usize), (usize, String)> {
    let closing = if chars[open] == '[' { ']' } else { '}' };
    let close = chars[open + 1..]
        .iter()
        .position(|&c| c == ']' || c == '}')
        .map(|p| p + open + 1)
        .ok_or((open, format!("unclosed range: add '{closing}'")))?;
    let inner: String = chars[open + 1..close].iter().collect();
    let parts: Vec<&str> = inner.split_whitespace().collect();
    let [lower, "TO", upper] = parts.as_slice() else {
        return Err((
            open,
            "a range is written [FROM TO UNTIL], e.g. [2025-09-01 TO 2025-09-30]".into(),
        ));
    };
    Ok((
        Tok::Range {
            lower: lower.to_string(),
            upper: upper.to_string(),
            inclusive_lower: chars[open] == '[',
            inclusive_upper: chars[close] == ']',
        },
        close + 1,
    ))
}

// ---------------------------------------------------------------- parser

struct Parser<'a> {
    query: &'a str,
    tokens: Vec<Token>,
    next: usize,
    /// Current nesting of groups and negations.
    depth: usize,
}

impl Parser<'_> {
    fn error(&self, position: usize, message: &str) -> QueryError {
        QueryError {
            query: self.query.to_string(),
            position,
            message: message.to_string(),
        }
    }

    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.next).map(|t| &t.kind)
    }

    fn end_position(&self) -> usize {
        self.query.chars().count()
    }

    /// Consumes a binary operator, making sure a term follows it.
    fn operator(&mut self) -> Result<(), QueryError> {
        let token = self.tokens[self.next].clone();
        self.next += 1;
        if !self.peek().is_some_and(Tok::starts_term) {
            let position = self
                .tokens
                .get(self.next)
                .map_or(self.end_position(), |t| t.position);
            return Err(self.error(
                position,
                &format!("{} needs a search term on its right", token.kind.describe()),
            ));
        }
        Ok(())
    }

    /// Enters a group or negation, refusing absurd nesting.
    fn deeper(&mut self, position: usize) -> Result<(), QueryError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(
                position,
                &format!("the query nests more than {MAX_DEPTH} levels deep"),
            ));
        }
        Ok(())
    }

    fn or(&mut self) -> Result<Node, QueryError> {
        let mut items = vec![self.and()?];
        while self.peek() == Some(&Tok::Or) {
            self.operator()?;
            items.push(self.and()?);
        }
        drop_repeats(&mut items);
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Node::Or(items)
        })
    }

    fn and(&mut self) -> Result<Node, QueryError> {
        let mut items = vec![self.unary()?];
        loop {
            match self.peek() {
                Some(Tok::And) => {
                    self.operator()?;
                    items.push(self.unary()?);
                }
                Some(t) if t.starts_term() => items.push(self.unary()?),
                _ => break,
            }
        }
        drop_repeats(&mut items);
        Ok(if items.len() == 1 && !matches!(items[0], Node::Not(_)) {
            items.remove(0)
        } else {
            Node::And(items)
        })
    }

    fn unary(&mut self) -> Result<Node, QueryError> {
        let Some(token) = self.tokens.get(self.next).cloned() else {
            let after = self
                .tokens
                .last()
                .map(|t| t.kind.describe())
                .unwrap_or_default();
            return Err(self.error(
                self.end_position(),
                &format!("the query ends after {after}: a search term is missing"),
            ));
        };
        match token.kind {
            Tok::Not | Tok::Minus => {
                self.next += 1;
                self.deeper(token.position)?;
                let inner = self.unary()?;
                self.depth -= 1;
                // `NOT -Paris`, `NOT NOT Paris`, `-(-Paris)`: two negations
                // cancel out, which is rarely what was meant.
                let negated = match &inner {
                    Node::Not(_) => true,
                    Node::And(items) => items.len() == 1 && matches!(items[0], Node::Not(_)),
                    _ => false,
                };
                if negated {
                    return Err(self.error(
                        token.position,
                        "two negations in a row cancel out: leave both out to search the term, \
                         or keep one to leave it out",
                    ));
                }
                Ok(Node::Not(Box::new(inner)))
            }
            Tok::Plus => {
                self.next += 1;
                self.deeper(token.position)?;
                let inner = self.unary();
                self.depth -= 1;
                inner
            }
            _ => self.primary(),
        }
    }

    fn primary(&mut self) -> Result<Node, QueryError> {
        let Some(token) = self.tokens.get(self.next).cloned() else {
            return Err(self.error(self.end_position(), "a search term is missing"));
        };
        self.next += 1;
        match token.kind {
            Tok::LParen => {
                if self.peek() == Some(&Tok::RParen) {
                    return Err(self.error(token.position, "empty parentheses"));
                }
                self.deeper(token.position)?;
                let inner = self.or()?;
                self.depth -= 1;
                if self.peek() != Some(&Tok::RParen) {
                    return Err(self.error(token.position, "'(' is never closed: add ')'"));
                }
                self.next += 1;
                Ok(inner)
            }
            Tok::Word(text) => self.word_node(TextField::Text, text, token.position),
            Tok::Phrase(text, slop) => {
                self.phrase_node(TextField::Text, text, slop, token.position + 1)
            }
            Tok::Field(name) => self.field_value(&name, token.position),
            Tok::And | Tok::Or => Err(self.error(
                token.position,
                &format!("{} needs a search term on its left", token.kind.describe()),
            )),
            other => Err(self.error(token.position, &format!("unexpected {}", other.describe()))),
        }
    }

    /// An unquoted word: plain, a prefix (`Sicherheits*`) or fuzzy
    /// (`Selenskij~1`); the lexer has checked the syntax.
    fn word_node(
        &self,
        field: TextField,
        text: String,
        position: usize,
    ) -> Result<Node, QueryError> {
        if let Some((word, distance)) = text.rsplit_once('~') {
            let distance = if distance.is_empty() {
                MAX_FUZZY
            } else {
                distance
                    .parse::<u8>()
                    .ok()
                    .filter(|d| *d <= MAX_FUZZY)
                    .ok_or_else(|| {
                        self.error(
                            position + word.chars().count(),
                            &format!("'~' takes an edit distance from 0 to {MAX_FUZZY}, as in Selenskij~1"),
                        )
                    })?
            };
            return Ok(Node::Fuzzy {
                field,
                text: word.to_string(),
                distance,
                position,
            });
        }
        if let Some(prefix) = text.strip_suffix('*') {
            if prefix
                .chars()
                .filter(|c| analysis::is_word_char(*c))
                .count()
                < MIN_PREFIX_CHARS
            {
                return Err(self.error(
                    position,
                    &format!("a prefix needs at least {MIN_PREFIX_CHARS} letters before '*'"),
                ));
            }
            return Ok(Node::Prefix {
                field,
                text: prefix.to_string(),
                position,
                terms: Vec::new(),
            });
        }
        Ok(Node::Words {
            field,
            text,
            position,
            compounds: Vec::new(),
        })
    }

    /// Quoted text; a `*` at its very end makes the last word a prefix.
    fn phrase_node(
        &self,
        field: TextField,
        text: String,
        slop: u32,
        position: usize,
    ) -> Result<Node, QueryError> {
        let (text, prefix) = match text.strip_suffix('*') {
            Some(t) => (t.to_string(), true),
            None => (text, false),
        };
        if prefix && slop > 0 {
            return Err(self.error(
                position,
                "a phrase ending in '*' cannot also have a slop (~N)",
            ));
        }
        Ok(Node::Phrase {
            field,
            text,
            slop,
            prefix,
            position,
        })
    }

    fn field_value(&mut self, field: &str, position: usize) -> Result<Node, QueryError> {
        let value = self.tokens.get(self.next).cloned();
        let value_position = value.as_ref().map_or(position, |v| v.position);
        self.next += 1;
        let text_field = match field {
            name::TEXT => Some(TextField::Text),
            name::TITLE => Some(TextField::Title),
            name::HEADING => Some(TextField::Heading),
            _ => None,
        };
        let value_field = match field {
            name::DOC => Some(ValueField::Doc),
            name::LANG => Some(ValueField::Lang),
            name::KIND => Some(ValueField::Kind),
            name::AGENCY => Some(ValueField::Agency),
            _ => None,
        };
        let kind = value.map(|v| v.kind);
        if let Some(f) = text_field {
            return match kind {
                Some(Tok::Word(text)) => self.word_node(f, text, value_position),
                Some(Tok::Phrase(text, slop)) => {
                    self.phrase_node(f, text, slop, value_position + 1)
                }
                _ => Err(self.error(
                    value_position,
                    &format!("{field}: needs a word or a quoted phrase"),
                )),
            };
        }
        if let Some(f) = value_field {
            let raw = match kind {
                Some(Tok::Word(w)) | Some(Tok::Phrase(w, 0)) => w,
                _ => return Err(self.error(value_position, &format!("{field}: needs a value"))),
            };
            let value = match f {
                ValueField::Doc => raw,
                ValueField::Lang | ValueField::Agency => raw.to_lowercase(),
                ValueField::Kind => raw
                    .parse::<Kind>()
                    .map_err(|m| self.error(value_position, &m))?
                    .as_str()
                    .to_string(),
            };
            return Ok(Node::Value { field: f, value });
        }
        if field == name::DATE {
            return self.date_value(kind, value_position);
        }
        Err(self.error(
            position,
            &format!(
                "unknown field '{field}'; fields are {} (to search for a colon, put the text in quotes)",
                USER_FIELDS.join(", ")
            ),
        ))
    }

    fn date_value(&self, value: Option<Tok>, position: usize) -> Result<Node, QueryError> {
        let bad = |v: &str, why: &str| {
            let message = if why != NOT_A_DATE {
                format!("date: '{v}': {why}")
            } else {
                format!(
                    "date: '{v}' is not a date; use YYYY-MM-DD, YYYY-MM, YYYY or [FROM TO UNTIL]"
                )
            };
            self.error(position, &message)
        };
        match value {
            Some(Tok::Word(w)) => {
                let w = parse_date_bound(&w).map_err(|why| bad(&w, why))?;
                Ok(Node::Dates {
                    lower: Bound::Included(w.clone()),
                    upper: Bound::Excluded(format!("{w}~")),
                })
            }
            Some(Tok::Range {
                lower,
                upper,
                inclusive_lower,
                inclusive_upper,
            }) => {
                let bound = |v: &str| -> Result<Option<String>, QueryError> {
                    if v == "*" {
                        return Ok(None);
                    }
                    parse_date_bound(v).map(Some).map_err(|why| bad(v, why))
                };
                // A partial date ("2025-09") as a bound means the whole month;
                // appending '~' (sorts after every digit and '-') expresses
                // "after everything starting with this" on the string order.
                let lower = match bound(&lower)? {
                    None => Bound::Unbounded,
                    Some(v) if inclusive_lower => Bound::Included(v),
                    Some(v) => Bound::Included(format!("{v}~")),
                };
                let upper = match bound(&upper)? {
                    None => Bound::Unbounded,
                    Some(v) if inclusive_upper => Bound::Excluded(format!("{v}~")),
                    Some(v) => Bound::Excluded(v),
                };
                // Both ends are inclusive below and exclusive above here.
                if let (Bound::Included(l), Bound::Excluded(u)) = (&lower, &upper)
                    && l >= u
                {
                    return Err(self.error(
                        position,
                        "date: the range is empty (it ends before it starts); put the earlier date first",
                    ));
                }
                Ok(Node::Dates { lower, upper })
            }
            Some(other) => Err(bad(&other.describe(), NOT_A_DATE)),
            None => Err(bad("", NOT_A_DATE)),
        }
    }
}

/// Drops the clauses that repeat an earlier one of the same `AND` or `OR`
/// (`Selenskij~2 Selenskij~2`): they match the same paragraphs, and each
/// copy would be looked up, compiled and scored again (3000 copies of a
/// fuzzy word took 764 MB). The first copy stays, with its position.
fn drop_repeats(items: &mut Vec<Node>) {
    if items.len() < 2 {
        return;
    }
    let mut seen = HashSet::new();
    items.retain(|item| seen.insert(without_positions(item)));
}

/// `node` with every position in the query set to 0: what it asks for,
/// wherever it was written.
fn without_positions(node: &Node) -> Node {
    fn clear(node: &mut Node) {
        match node {
            Node::And(children) | Node::Or(children) => children.iter_mut().for_each(clear),
            Node::Not(child) => clear(child),
            Node::Words { position, .. }
            | Node::Phrase { position, .. }
            | Node::Fuzzy { position, .. }
            | Node::Prefix { position, .. } => *position = 0,
            Node::Value { .. } | Node::Dates { .. } => {}
        }
    }
    let mut node = node.clone();
    clear(&mut node);
    node
}

/// Checks `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
/// Why a date bound is not one.
const NOT_A_DATE: &str = "expected a date as YYYY-MM-DD, YYYY-MM or YYYY";
const NO_SUCH_DAY: &str = "there is no such day in the calendar";
const NO_SUCH_MONTH: &str = "there is no such month";

/// A date or the start of one (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`; a month or
/// day may have one digit, as in "2025-9-4") as the index writes dates
/// ("2025-09-04"), or why it is none.
fn parse_date_bound(value: &str) -> Result<String, &'static str> {
    let parts: Vec<&str> = value.split('-').collect();
    let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    let month = |m: &str| m.parse::<u32>().map_err(|_| NOT_A_DATE);
    match parts.as_slice() {
        [y] if digits(y, 4..=4) => Ok(y.to_string()),
        [y, m] if digits(y, 4..=4) && digits(m, 1..=2) => valid_date(y, month(m)?, "1")
            .map(|d| d[..7].to_string())
            .ok_or(NO_SUCH_MONTH),
        [y, m, d] if digits(y, 4..=4) && digits(m, 1..=2) && digits(d, 1..=2) => {
            let month = month(m)?;
            valid_date(y, month, d).ok_or(if (1..=12).contains(&month) {
                NO_SUCH_DAY
            } else {
                NO_SUCH_MONTH
            })
        }
        _ => Err(NOT_A_DATE),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(q: &str) -> Node {
        Query::parse(q).unwrap_or_else(|e| panic!("{e}")).root
    }

    #[test]
    fn words_of_the_text_are_told_from_the_rest() {
        let has = |q: &str| Query::parse(q).unwrap().has_words();
        for q in [
            "Ukraine",
            "kind:heading Europa",
            "\"Koalition\" OR Willigen",
        ] {
            assert!(has(q), "{q}");
        }
        for q in [
            "\"Koalition der Willigen\"",
            "Sicherheit*",
            "Selenskij~1",
            "title:Europa",
            "heading:Europa",
            "lang:deu -Ukraine",
        ] {
            assert!(!has(q), "{q}");
        }
    }

    fn words(t: &str, position: usize) -> Node {
        Node::Words {
            field: TextField::Text,
            text: t.into(),
            position,
            compounds: Vec::new(),
        }
    }

    #[test]
    fn words_are_anded_and_or_binds_looser() {
        assert_eq!(
            parse("a b OR c"),
            Node::Or(vec![
                Node::And(vec![words("a", 0), words("b", 2)]),
                words("c", 7)
            ])
        );
        assert_eq!(
            parse("a AND b"),
            Node::And(vec![words("a", 0), words("b", 6)])
        );
    }

    #[test]
    fn negation_and_required_forms() {
        assert_eq!(
            parse("-Russland +Truppen"),
            Node::And(vec![
                Node::Not(Box::new(words("Russland", 1))),
                words("Truppen", 11)
            ])
        );
        assert_eq!(
            parse("NOT x"),
            Node::And(vec![Node::Not(Box::new(words("x", 4)))])
        );
    }

    #[test]
    fn phrases_with_slop_and_fields() {
        assert_eq!(
            parse("\"Koalition der Willigen\"~2"),
            Node::Phrase {
                field: TextField::Text,
                text: "Koalition der Willigen".into(),
                slop: 2,
                prefix: false,
                position: 1
            }
        );
        assert_eq!(
            parse("kind:Heading"),
            Node::Value {
                field: ValueField::Kind,
                value: "heading".into()
            }
        );
        assert_eq!(
            parse("date:2025-09"),
            Node::Dates {
                lower: Bound::Included("2025-09".into()),
                upper: Bound::Excluded("2025-09~".into())
            }
        );
        assert_eq!(
            parse("date:[2025-09-01 TO *]"),
            Node::Dates {
                lower: Bound::Included("2025-09-01".into()),
                upper: Bound::Unbounded
            }
        );
    }

    #[test]
    fn hyphenated_words_and_times_are_words() {
        assert_eq!(parse("Ukraine-Krieg"), words("Ukraine-Krieg", 0));
        assert_eq!(parse("16:30"), words("16:30", 0));
    }

    fn error(q: &str) -> QueryError {
        Query::parse(q).expect_err(q)
    }

    #[test]
    fn errors_carry_positions() {
        assert_eq!(error("\"Koalition der").position, 0);
        assert_eq!(error("Krieg AND").position, 9);
        assert_eq!(error("(Krieg").position, 0);
        assert_eq!(error("Krieg )").position, 6);
        assert_eq!(error("a foo:bar").position, 2);
        assert!(error("a foo:bar").message.contains("unknown field 'foo'"));
        assert!(
            error("kind:tabelle")
                .message
                .contains("title, heading, body")
        );
        assert_eq!(error("OR Krieg").position, 0);
        assert_eq!(error("date:2025-13-01").position, 5);
        assert_eq!(error("  ").position, 0);
        assert_eq!(error("– …").position, 0);
    }

    /// A field's name with nothing right after its colon is an error at
    /// the colon's end, for every field; other words before a colon and a
    /// space stay prose.
    #[test]
    fn a_field_without_its_value_is_an_error() {
        for field in USER_FIELDS {
            let mut queries = vec![format!("{field}:"), format!("Krieg {field}:")];
            if !GERMAN_WORD_FIELDS.contains(field) {
                queries.push(format!("Krieg {field}: Ukraine"));
            }
            for query in queries {
                let e = error(&query);
                let colon = query.find(':').unwrap();
                assert_eq!(e.position, colon + 1, "{query}");
                assert!(
                    e.message.contains(&format!("'{field}:' needs its value")),
                    "{query}"
                );
                let example = field_example(field);
                assert!(example.starts_with(&format!("{field}:")), "{example}");
                assert!(Query::parse(example).is_ok(), "{example}");
            }
        }
        assert!(Query::parse("Titel: Ukraine").is_ok());
        assert!(Query::parse("Kind: Ukraine").is_ok());
        // A field name that is a German word is prose before more text.
        assert!(Query::parse("drei Stunden lang: Verhandlungen").is_ok());
        assert_eq!(error("Verhandlungen lang:").position, 19);
        assert_eq!(error("Verhandlungen lang:  ").position, 19);
    }

    #[test]
    fn prose_punctuation_is_not_syntax() {
        assert_eq!(
            parse("Ukraine: 26 Länder"),
            Node::And(vec![
                words("Ukraine:", 0),
                words("26", 9),
                words("Länder", 12)
            ])
        );
        assert_eq!(
            parse("Ukraine – Krieg"),
            Node::And(vec![words("Ukraine", 0), words("Krieg", 10)])
        );
        assert_eq!(parse("Vertreter*innen"), words("Vertreter*innen", 0));
        assert_eq!(parse("Krieg?"), words("Krieg?", 0));
        assert_eq!(
            parse("doc:artikel(1)"),
            Node::Value {
                field: ValueField::Doc,
                value: "artikel(1)".into()
            }
        );
        assert_eq!(
            parse("(doc:a OR doc:b)"),
            Node::Or(vec![
                Node::Value {
                    field: ValueField::Doc,
                    value: "a".into()
                },
                Node::Value {
                    field: ValueField::Doc,
                    value: "b".into()
                }
            ])
        );
        assert_eq!(parse("La\u{0308}nder"), words("Länder", 0));
    }

    #[test]
    fn date_bounds_are_written_as_the_index_writes_dates() {
        assert_eq!(parse_date_bound("2025-9-4"), Ok("2025-09-04".into()));
        assert_eq!(parse_date_bound("2025-09-04"), Ok("2025-09-04".into()));
        assert_eq!(parse_date_bound("2025-9"), Ok("2025-09".into()));
        assert_eq!(parse_date_bound("2025"), Ok("2025".into()));
        assert_eq!(parse_date_bound("2024-2-29"), Ok("2024-02-29".into()));
        assert_eq!(parse_date_bound("2025-02-29"), Err(NO_SUCH_DAY));
        assert_eq!(parse_date_bound("2025-13"), Err(NO_SUCH_MONTH));
        assert_eq!(parse_date_bound("2025-13-1"), Err(NO_SUCH_MONTH));
        for bad in [
            "25-09-04",
            "2025-009-04",
            "2025-09-04-1",
            "2025/09/04",
            "",
            "2025-",
        ] {
            assert_eq!(parse_date_bound(bad), Err(NOT_A_DATE), "{bad}");
        }
        // The same paragraphs whichever way the date is written.
        assert_eq!(parse("date:2025-9-4"), parse("date:2025-09-04"));
        let mut short = Query::parse("Ukraine").unwrap();
        short
            .restrict_dates(Some("2025-9-4"), Some("2025-9"))
            .unwrap();
        let mut long = Query::parse("Ukraine").unwrap();
        long.restrict_dates(Some("2025-09-04"), Some("2025-09"))
            .unwrap();
        assert_eq!(short.root, long.root);
        let e = error("date:2025-02-30");
        assert!(e.message.contains("no such day"), "{}", e.message);
    }

    #[test]
    fn two_negations_in_a_row_are_an_error_at_the_first() {
        for (query, at) in [
            ("NOT -Paris", 0),
            ("-NOT Paris", 0),
            ("NOT NOT Paris", 0),
            ("-(-Paris)", 0),
            ("Ukraine NOT (NOT Paris)", 8),
            ("Ukraine -(NOT Paris)", 8),
        ] {
            let e = error(query);
            assert_eq!(e.position, at, "{query}");
            assert!(
                e.message.contains("two negations"),
                "{query}: {}",
                e.message
            );
        }
        // One negation, or a negated group with more in it, is fine.
        assert!(Query::parse("Ukraine -(Paris OR Berlin)").is_ok());
        assert!(Query::parse("Ukraine -(-Paris Berlin)").is_ok());
        assert!(Query::parse("NOT Paris -Berlin").is_ok());
    }

    /// A run of dashes between words is punctuation, as a lone '-' is;
    /// only one sign right before a term is an operator.
    #[test]
    fn dashes_between_words_are_punctuation_not_an_exclusion() {
        let both = Node::And(vec![words("Ukraine", 0), words("Russland", 11)]);
        assert_eq!(parse("Ukraine -- Russland"), both);
        assert_eq!(parse("Ukraine -– Russland"), both);
        assert_eq!(parse("Ukraine +- Russland"), both);
        assert_eq!(
            parse("Ukraine ---- Russland"),
            Node::And(vec![words("Ukraine", 0), words("Russland", 13)])
        );
        assert_eq!(parse("Ukraine --"), words("Ukraine", 0));
        assert_eq!(
            parse("Ukraine -Russland"),
            Node::And(vec![
                words("Ukraine", 0),
                Node::Not(Box::new(words("Russland", 9)))
            ])
        );
        for doubled in [
            "Ukraine --Russland",
            "Ukraine -–Russland",
            "Ukraine +-Russland",
        ] {
            let e = error(doubled);
            assert_eq!(e.position, 8, "{doubled}");
            assert!(
                e.message.contains("-Russland leaves it out"),
                "{doubled}: {e}"
            );
        }
    }

    /// `title:-Witkoff` is not `title:Witkoff`: a sign after a field's
    /// colon is an error at the sign, suggesting it before the field.
    #[test]
    fn a_sign_after_a_fields_colon_is_an_error() {
        for (query, suggestion) in [
            ("title:-Witkoff", "write -title:Witkoff"),
            ("title:+Witkoff", "write +title:Witkoff"),
            ("Krieg title:--Witkoff", "write -title:Witkoff"),
            (
                "heading:-\"in Paris\" Krieg",
                "write -heading:\"in Paris\" ",
            ),
            ("kind:-heading", "write -kind:heading"),
            ("date:-2025", "write -date:2025"),
            ("agency:+dpa", "write +agency:dpa"),
        ] {
            let e = error(query);
            assert_eq!(e.position, query.find(':').unwrap() + 1, "{query}");
            assert!(e.message.contains(suggestion), "{query}: {e}");
            let suggested = suggestion.trim_start_matches("write ");
            assert!(Query::parse(suggested).is_ok(), "{suggestion}");
        }
        // An article id may start with a dash.
        assert_eq!(
            parse("doc:-entwurf"),
            Node::Value {
                field: ValueField::Doc,
                value: "-entwurf".into()
            }
        );
    }

    /// A clause written twice in one AND or OR is kept once (the first,
    /// with its position); the same word in different places, or once
    /// excluded, is not a repeat.
    #[test]
    fn repeated_clauses_are_kept_once() {
        let fuzzy = |position| Node::Fuzzy {
            field: TextField::Text,
            text: "Selenskij".into(),
            distance: 2,
            position,
        };
        let many = vec!["Selenskij~2"; 3000].join(" ");
        assert_eq!(parse(&many), fuzzy(0));
        assert_eq!(
            parse("Krieg Selenskij~2 Krieg Selenskij~2"),
            Node::And(vec![words("Krieg", 0), fuzzy(6)])
        );
        assert_eq!(
            parse("a OR b OR a"),
            Node::Or(vec![words("a", 0), words("b", 5)])
        );
        assert_eq!(
            parse("(a b) OR (a  b)"),
            Node::And(vec![words("a", 1), words("b", 3)])
        );
        assert_eq!(
            parse("-a -a b"),
            Node::And(vec![Node::Not(Box::new(words("a", 1))), words("b", 6)])
        );
        // Not repeats: another field, another distance, excluded once.
        assert!(matches!(parse("a title:a"), Node::And(c) if c.len() == 2));
        assert!(matches!(parse("a~1 a~2"), Node::And(c) if c.len() == 2));
        assert!(matches!(parse("a -a"), Node::And(c) if c.len() == 2));
    }

    #[test]
    fn odd_syntax_is_an_error_not_a_different_search() {
        assert_eq!(error("!Ukraine").position, 0);
        assert!(error("[2025 TO 2026]").message.contains("date:["));
        let e = error("Ukraine AND (Krieg OR)");
        assert_eq!(e.position, 21);
        assert!(
            e.message.contains("'OR' needs a search term on its right"),
            "{e}"
        );
        assert!(
            error("Länder:Paris")
                .message
                .contains("unknown field 'Länder'")
        );
        assert!(error("\"a b\"~1001").message.contains("1000"));
        let deep = format!("{}Ukraine{}", "(".repeat(500), ")".repeat(500));
        assert!(error(&deep).message.contains("levels deep"));
        let nots = format!("{}Ukraine", "NOT ".repeat(5000));
        assert!(error(&nots).message.contains("levels deep"));
        let pluses = format!("{}Ukraine", "+".repeat(5000));
        assert!(Query::parse(&pluses).is_err());
        assert!(error("Gar*ntie").message.contains("only at the end"));
        assert!(error("Gar?ntie").message.contains("'?' is not supported"));
        assert!(error("G*").message.contains("at least 2 letters"));
        assert!(error("Garantie~3").message.contains("from 0 to 2"));
        assert!(error("\"Koalition*\"~2").message.contains("slop"));
    }

    #[test]
    fn lower_case_operators_are_words_worth_a_hint() {
        let q = Query::parse("Ukraine or Russland").unwrap();
        assert_eq!(q.operator_lookalikes(), ["or"]);
        assert!(
            Query::parse("Ukraine OR Russland")
                .unwrap()
                .operator_lookalikes()
                .is_empty()
        );
    }

    #[test]
    fn error_display_points_at_the_problem() {
        let shown = error("Krieg ) Frieden").to_string();
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(lines[1], "  Krieg ) Frieden");
        assert_eq!(lines[2], "        ^");
    }

    #[test]
    fn excluded_words_are_not_highlighted() {
        let q =
            Query::parse("Truppen -Russland NOT Moskau title:Ukraine \"Koalition der\"").unwrap();
        let m = q.matchers();
        assert_eq!(m.len(), 2);
        assert_eq!(
            m[0].terms,
            [(0, TermMatch::Stems(vec![analysis::stem_word("Truppen")]))]
        );
        assert_eq!(
            m[1].terms,
            [
                (0, TermMatch::Exact("koalition".into())),
                (1, TermMatch::Exact("der".into()))
            ]
        );
    }

    #[test]
    fn a_date_range_that_ends_before_it_starts_is_an_error() {
        for empty in [
            "date:[2025 TO 2024]",
            "date:{2025 TO 2025}",
            "date:[2025-09-02 TO 2025-09-01]",
        ] {
            let err = Query::parse(empty).unwrap_err();
            assert!(err.message.contains("the range is empty"), "{empty}: {err}");
        }
        for fine in [
            "date:[2024 TO 2025]",
            "date:[2025-09 TO 2025-09]",
            "date:[2025 TO *]",
        ] {
            assert!(Query::parse(fine).is_ok(), "{fine}");
        }
    }

    #[test]
    fn kinds_the_query_excludes_are_not_left_out_by_the_scope() {
        let kinds = |q: &str| Query::parse(q).unwrap().excluded_kinds();
        assert_eq!(kinds("Ukraine -kind:comment"), [Kind::Comment]);
        assert_eq!(
            kinds("Ukraine NOT (kind:comment OR kind:boilerplate)"),
            [Kind::Comment, Kind::Boilerplate]
        );
        assert_eq!(kinds("-kind:title"), [Kind::Title]);
        assert!(kinds("Ukraine OR (Krieg -kind:comment)").is_empty());
        assert!(kinds("Ukraine kind:comment").is_empty());
        assert!(kinds("Ukraine NOT (kind:comment Krieg)").is_empty());
        let mut q = Query::parse("Ukraine -kind:comment").unwrap();
        q.restrict_dates(Some("2025"), None).unwrap();
        let scoped = q.in_scope(&Kind::DEFAULT_SCOPE);
        assert_eq!(
            scoped.left_out_kinds().iter().collect::<Vec<_>>(),
            [Kind::Boilerplate]
        );
    }

    #[test]
    fn restrict_dates_validates_flags() {
        let mut q = Query::parse("Krieg").unwrap();
        assert!(q.restrict_dates(Some("25-9-1"), None).is_err());
        assert!(q.restrict_dates(None, Some("2025-09-31")).is_err());
        q.restrict_dates(Some("2025-09-01"), Some("2025-09-30"))
            .unwrap();
        assert!(matches!(q.root, Node::And(ref c) if c.len() == 2));
        // A range that ends before it starts is an error naming both dates;
        // a day within the month `--to` names is not.
        for (from, to) in [
            ("2025-10", "2025-09"),
            ("2026", "2025-12-31"),
            ("2025-09-02", "2025-09-01"),
        ] {
            let e = Query::parse("Krieg")
                .unwrap()
                .restrict_dates(Some(from), Some(to))
                .unwrap_err();
            assert!(
                e.contains(&format!("--from {from} is later than --to {to}")),
                "{e}"
            );
        }
        for (from, to) in [
            ("2025-09-05", "2025-09"),
            ("2025", "2025"),
            ("2025-09-01", "2025-09-01"),
        ] {
            let mut q = Query::parse("Krieg").unwrap();
            assert!(
                q.restrict_dates(Some(from), Some(to)).is_ok(),
                "{from} {to}"
            );
        }
    }
}

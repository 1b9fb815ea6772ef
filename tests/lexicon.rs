//! The index's vocabulary as the compound search asks about it: which stems
//! exist, and whether any stem starts with a piece. Checked on a real index
//! of two small files against the stems of every word in them.

mod common;

use std::collections::BTreeSet;

use common::{TestEnv, words};
use fundstelle::analysis::{compound::Lexicon, stem_word};
use fundstelle::index::{BuildOptions, IndexDir};
use fundstelle::ingest::{Rules, collect_files};
use fundstelle::search::lexicon::IndexLexicon;

const FILES: [(&str, &str); 2] = [
    (
        "docs/a.txt",
        "Gipfel in Paris\n\nDie Koalition der Willigen verhandelt über Sicherheitsgarantien.\n\nDie Truppenpräsenz an der Grenze wächst, sagte die Verteidigungsministerin.\n",
    ),
    (
        "docs/b.txt",
        "Luftverteidigung für die Ukraine\n\nDeutschland liefert weitere Systeme zur Luftverteidigung.\n",
    ),
];

#[test]
fn stems_and_stem_prefixes_are_those_of_the_indexed_words() {
    let env = TestEnv::empty();
    let mut vocabulary = BTreeSet::new();
    let filler: String = (1..=30)
        .map(|n| format!("Absatz {n} über das Wetter am Morgen.\n\n"))
        .collect();
    let mut texts = FILES.to_vec();
    texts.push(("docs/c.txt", &filler));
    for (_, text) in &texts {
        for line in text.lines() {
            vocabulary.extend(words(line).iter().map(|w| stem_word(w)));
        }
    }
    // Two segments: the first run indexes a.txt and the filler, the second
    // adds b.txt (too little to merge them, and this build keeps small
    // segments apart); some stems are only in b.txt.
    let dir = IndexDir::new(env.path().join("index"));
    for run in [vec![0, 2], vec![1]] {
        for i in run {
            env.write(texts[i].0, texts[i].1);
        }
        let files = collect_files(&[env.path().join("docs")]).unwrap();
        dir.build(
            &files,
            &[],
            &Rules::built_in(),
            &BuildOptions {
                small_segment: 0,
                ..Default::default()
            },
            &mut |_| {},
        )
        .unwrap();
    }
    let open = dir.open().unwrap();
    let reader = open.index.reader().unwrap();
    let searcher = reader.searcher();
    assert_eq!(searcher.segment_readers().len(), 2);
    let lexicon = IndexLexicon::new(&searcher, &open.fields);

    let mut prefixes: BTreeSet<String> = BTreeSet::new();
    for stem in &vocabulary {
        assert!(lexicon.has_stem(stem), "{stem}");
        assert!(!lexicon.has_stem(&format!("{stem}qx")), "{stem}qx");
        let chars: Vec<char> = stem.chars().collect();
        for n in 1..=chars.len() {
            prefixes.insert(chars[..n].iter().collect());
        }
        prefixes.insert(format!("{stem}x"));
        prefixes.insert(format!("qx{stem}"));
    }
    let (mut yes, mut no) = (0, 0);
    for prefix in &prefixes {
        let expected = vocabulary
            .iter()
            .any(|stem| stem.starts_with(prefix.as_str()));
        assert_eq!(lexicon.has_stem_with_prefix(prefix), expected, "{prefix}");
        // Asked again, the remembered answer is the same.
        assert_eq!(lexicon.has_stem_with_prefix(prefix), expected, "{prefix}");
        if expected { yes += 1 } else { no += 1 }
    }
    assert!(yes > 100 && no > 20, "{yes} {no}");
}

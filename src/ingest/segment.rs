//! Text to raw paragraphs.
//!
//! Scraped articles put each paragraph on one line, so every non-empty line
//! is a paragraph. Hard-wrapped text (mail, agency feeds, old archives) breaks
//! lines near a fixed width in mid-sentence; there the lines of a block
//! (separated by blank lines) form one paragraph, and a hyphen that only
//! exists because of the line break is removed again.
//!
//! Whether a text is hard-wrapped is decided once per text, from the lines
//! that are followed by another non-empty line: in wrapped text almost all of
//! them are long and of nearly the same length, no line is far longer, and
//! most of them end in mid-sentence.

/// A paragraph before classification: its text and the line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawParagraph {
    /// 1-based line number of the paragraph's first line.
    pub line: u32,
    pub text: String,
    /// The kind, when the source states it (an HTML `<h2>`, `<figcaption>`).
    pub kind: Option<super::Kind>,
}

/// The widest line a hard-wrapped text may have, in characters.
const MAX_WRAP_WIDTH: usize = 120;
/// How many continued lines a text needs before it can count as wrapped.
const MIN_CONTINUED_LINES: usize = 3;

/// Splits decoded text into raw paragraphs.
pub fn paragraphs(text: &str) -> Vec<RawParagraph> {
    let lines: Vec<&str> = text.split('\n').collect();
    if is_hard_wrapped(&lines) {
        blocks(&lines)
            .map(|(first, block)| RawParagraph {
                line: first as u32 + 1,
                text: join_wrapped(block),
                kind: None,
            })
            .collect()
    } else {
        lines
            .iter()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| RawParagraph {
                line: i as u32 + 1,
                text: l.trim().to_string(),
                kind: None,
            })
            .collect()
    }
}

/// Blank-line separated blocks as `(index of first line, lines)`.
fn blocks<'a>(lines: &'a [&'a str]) -> impl Iterator<Item = (usize, &'a [&'a str])> {
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < lines.len() && lines[i].trim().is_empty() {
            i += 1;
        }
        if i >= lines.len() {
            return None;
        }
        let start = i;
        while i < lines.len() && !lines[i].trim().is_empty() {
            i += 1;
        }
        Some((start, &lines[start..i]))
    })
}

/// True when the text looks hard-wrapped at a fixed width.
pub fn is_hard_wrapped(lines: &[&str]) -> bool {
    let width = |l: &str| l.trim_end().chars().count();
    let widest = lines.iter().map(|l| width(l)).max().unwrap_or(0);
    if widest > MAX_WRAP_WIDTH {
        return false;
    }
    let continued: Vec<usize> = lines
        .windows(2)
        .filter(|w| !w[0].trim().is_empty() && !w[1].trim().is_empty())
        .map(|w| width(w[0]))
        .collect();
    if continued.len() < MIN_CONTINUED_LINES {
        return false;
    }
    let near_width = continued.iter().filter(|&&w| w * 10 >= widest * 6).count();
    if near_width * 10 < continued.len() * 8 {
        return false;
    }
    // A wrap falls at a sentence's end only by chance (about one line in
    // ten); short lines that each end a sentence are a list, a ticker, a
    // poem: one paragraph a line.
    let sentence_ends = lines
        .windows(2)
        .filter(|w| !w[0].trim().is_empty() && !w[1].trim().is_empty())
        .filter(|w| ends_sentence(w[0]))
        .count();
    sentence_ends * 2 < continued.len()
}

/// Whether a line ends with a sentence's end (`.`, `!`, `?`, `…`, also
/// before closing quotes or brackets).
fn ends_sentence(line: &str) -> bool {
    line.trim_end()
        .trim_end_matches(['"', '\'', '“', '”', '„', '»', '«', '’', ')', ']'])
        .ends_with(['.', '!', '?', '…'])
}

/// Words after which a line-break hyphen is a real "Staats- und"-style hyphen.
const CONJUNCTIONS: &[&str] = &["und", "oder", "bis", "sowie", "noch", "als", "wie", "bzw"];

/// Joins the lines of a wrapped block into one paragraph.
fn join_wrapped(block: &[&str]) -> String {
    let mut out = String::new();
    for line in block.iter().map(|l| l.trim()) {
        if out.is_empty() {
            out.push_str(line);
            continue;
        }
        let hyphenated = out.ends_with('-')
            && out[..out.len() - 1]
                .chars()
                .next_back()
                .is_some_and(char::is_alphabetic);
        let next_word: String = line.chars().take_while(|c| c.is_alphabetic()).collect();
        let starts_lower = next_word.chars().next().is_some_and(char::is_lowercase);
        if hyphenated && starts_lower && !CONJUNCTIONS.contains(&next_word.as_str()) {
            // "Sicherheits-" + "garantien": the hyphen only marks the break.
            out.pop();
        } else if hyphenated && !starts_lower && !next_word.is_empty() {
            // "Nato-" + "Truppen": a real hyphen that happened to end the line.
        } else {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_paragraph_per_non_empty_line_in_unwrapped_text() {
        let text = "Titel der Meldung\n\nErster Absatz, sehr lang. Noch ein Satz.\nZweiter Absatz.\n\n  \nDritter.";
        let paras = paragraphs(text);
        let lines: Vec<u32> = paras.iter().map(|p| p.line).collect();
        assert_eq!(lines, [1, 3, 4, 7]);
        assert_eq!(paras[3].text, "Dritter.");
    }

    const WRAPPED: &str = "\
Die Koalition der Willigen beriet am Donnerstag in Paris über die
Sicherheits-
garantien für die Ukraine. Auch die Staats-
und Regierungschefs mehrerer Länder, darunter auch die Nato-
Truppensteller, waren zugeschaltet und sprachen über die Lage.

Ein zweiter Absatz beginnt hier und wird ebenfalls an einer festen
Spaltenbreite umbrochen, so wie es Agenturtexte und alte Archive tun.
";

    #[test]
    fn detects_hard_wrapping() {
        let lines: Vec<&str> = WRAPPED.split('\n').collect();
        assert!(is_hard_wrapped(&lines));
        let seedlike = "Ein Absatz.\nNoch einer.\nUnd noch einer, der sehr viel länger ist als die anderen Zeilen und weit über die Breite eines umbrochenen Textes hinausgeht, ohne Ende.\nKurz.";
        let lines: Vec<&str> = seedlike.split('\n').collect();
        assert!(!is_hard_wrapped(&lines));
    }

    #[test]
    fn lines_of_one_length_that_each_end_a_sentence_are_not_wrapped() {
        // A ticker: every line about as long as the others, as in wrapped
        // text, but each one a whole sentence.
        let ticker = "\
10:15 Uhr: Selenskyj trifft Macron in Paris.
10:32 Uhr: Russland meldet neue Angriffe.
10:47 Uhr: Die EU kündigt Sanktionen an!
11:02 Uhr: Merz spricht im Bundestag.
11:20 Uhr: Wer zahlt für die Garantien?
11:41 Uhr: „Wir stehen bereit“, sagt er.“";
        let lines: Vec<&str> = ticker.split('\n').collect();
        assert!(!is_hard_wrapped(&lines));
        let paras = paragraphs(ticker);
        assert_eq!(paras.len(), lines.len());
        for (i, p) in paras.iter().enumerate() {
            assert_eq!((p.line as usize, p.text.as_str()), (i + 1, lines[i]));
        }
        // The same lines broken in mid-sentence are wrapped.
        let broken = "\
10:15 Uhr: Selenskyj trifft Macron in
Paris. 10:32 Uhr: Russland meldet neue
Angriffe. 10:47 Uhr: Die EU kündigt
Sanktionen an. 11:02 Uhr: Merz spricht
im Bundestag.";
        let lines: Vec<&str> = broken.split('\n').collect();
        assert!(is_hard_wrapped(&lines));
    }

    #[test]
    fn joins_blocks_and_undoes_line_break_hyphens() {
        let paras = paragraphs(WRAPPED);
        assert_eq!(paras.len(), 2);
        assert_eq!(paras[0].line, 1);
        assert_eq!(paras[1].line, 7);
        let first = &paras[0].text;
        assert!(
            first.contains("über die Sicherheitsgarantien für"),
            "{first}"
        );
        assert!(first.contains("Staats- und Regierungschefs"), "{first}");
        assert!(first.contains("Nato-Truppensteller"), "{first}");
        assert!(!first.contains('\n'));
    }
}

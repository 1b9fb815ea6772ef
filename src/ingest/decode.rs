//! Bytes to text: the encoding detected, line endings unified, NFC.
//!
//! - A byte order mark decides: UTF-8, UTF-16LE or UTF-16BE.
//! - Without one, text whose every other byte is NUL is UTF-16 (LE when the
//!   NULs come second, BE when first), as Windows tools write it.
//! - Otherwise valid UTF-8 is UTF-8.
//! - Otherwise `chardetng` guesses the legacy encoding (in practice
//!   Windows-1252 / ISO-8859-1 for German text) and `encoding_rs` decodes it.
//! - Any other text with NUL bytes is binary and refused, naming the line
//!   of the first one.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::is_nfc_quick;

/// Why a file's bytes are not text we can index.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("looks binary: a NUL byte on line {line} (byte {offset}); not text")]
    Binary { line: usize, offset: usize },
    #[error("not valid {encoding} (line {line})")]
    Invalid {
        encoding: &'static str,
        line: usize,
        offset: usize,
    },
}

/// Decoded text and the encoding it was in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
}

/// How far into a file to look for NUL bytes, the mark of binary data.
const BINARY_SNIFF: usize = 8192;

/// Decodes a file's bytes into normalised text.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    let (encoding, body) = match Encoding::for_bom(bytes) {
        Some((encoding, bom_length)) => (encoding, &bytes[bom_length..]),
        None => {
            if let Some(offset) = bytes.iter().take(BINARY_SNIFF).position(|&b| b == 0) {
                match utf16_without_bom(bytes) {
                    Some(encoding) => (encoding, bytes),
                    None => return Err(binary(bytes, offset)),
                }
            } else if let Err(e) = std::str::from_utf8(bytes) {
                // UTF-8 with a few broken bytes is damaged UTF-8, not a
                // legacy encoding: decoding it as Windows-1252 would turn
                // every umlaut into mojibake without a word.
                if has_utf8_sequences(bytes) {
                    return Err(invalid("UTF-8", bytes, e.valid_up_to()));
                }
                let mut detector =
                    chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
                detector.feed(bytes, true);
                (detector.guess(None, chardetng::Utf8Detection::Deny), bytes)
            } else {
                (UTF_8, bytes)
            }
        }
    };
    let text = if encoding == UTF_8 {
        std::str::from_utf8(body)
            .map_err(|e| invalid("UTF-8", body, e.valid_up_to()))?
            .to_string()
    } else {
        let (text, had_errors) = encoding.decode_without_bom_handling(body);
        if had_errors {
            let offset = text.find('\u{FFFD}').unwrap_or(0);
            return Err(DecodeError::Invalid {
                encoding: encoding.name(),
                line: 1 + text[..offset].matches('\n').count(),
                offset,
            });
        }
        if let Some(at) = text.find('\0') {
            return Err(DecodeError::Binary {
                line: 1 + text[..at].matches('\n').count(),
                offset: at,
            });
        }
        text.into_owned()
    };
    let text = normalise_line_endings(text);
    let text = match is_nfc_quick(text.chars()) {
        unicode_normalization::IsNormalized::Yes => text,
        _ => text.nfc().collect(),
    };
    Ok(Decoded {
        text,
        encoding: encoding.name(),
    })
}

/// UTF-16 without a byte order mark, told by where the NULs are: in text of
/// Latin letters every other byte is NUL, always at odd offsets (LE) or
/// always at even ones (BE). Binary data has NULs on both sides, or, where
/// it is a run of small 16-bit numbers, decodes to control characters
/// rather than text.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sniff = &bytes[..bytes.len().min(BINARY_SNIFF) & !1];
    if sniff.len() < 4 {
        return None;
    }
    let pairs = sniff.len() / 2;
    let (mut even, mut odd) = (0, 0);
    for pair in sniff.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    // German text: most characters are below U+0100 (high byte NUL); few
    // are NUL in the low byte (U+0100, U+0200, … are not letters of it).
    let encoding = if odd * 10 >= pairs * 7 && even * 50 <= pairs {
        UTF_16LE
    } else if even * 10 >= pairs * 7 && odd * 50 <= pairs {
        UTF_16BE
    } else {
        return None;
    };
    reads_as_text(&encoding.decode_without_bom_handling(sniff).0).then_some(encoding)
}

/// Whether decoded `text` is text: at most 1% control characters (besides
/// tabs, line and page breaks). Letters need not be many: a table of
/// figures is text too.
fn reads_as_text(text: &str) -> bool {
    let (mut chars, mut controls) = (0usize, 0usize);
    for c in text.chars() {
        chars += 1;
        controls += usize::from(c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c'));
    }
    chars > 0 && controls * 100 <= chars
}

fn binary(bytes: &[u8], offset: usize) -> DecodeError {
    DecodeError::Binary {
        line: 1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count(),
        offset,
    }
}

/// True when `bytes` contain well-formed multi-byte UTF-8 sequences (legacy
/// 8-bit German text practically never does).
fn has_utf8_sequences(bytes: &[u8]) -> bool {
    bytes.utf8_chunks().any(|chunk| !chunk.valid().is_ascii())
}

fn invalid(encoding: &'static str, bytes: &[u8], offset: usize) -> DecodeError {
    let offset = offset.min(bytes.len());
    let line = 1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count();
    DecodeError::Invalid {
        encoding,
        line,
        offset,
    }
}

fn normalise_line_endings(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bytes: &[u8]) -> (String, &'static str) {
        let d = decode(bytes).unwrap();
        (d.text, d.encoding)
    }

    #[test]
    fn strips_bom_and_crlf() {
        assert_eq!(
            text(b"\xEF\xBB\xBFeins\r\nzwei\rdrei\n"),
            ("eins\nzwei\ndrei\n".into(), "UTF-8")
        );
    }

    #[test]
    fn composes_decomposed_umlauts() {
        assert_eq!(text("La\u{0308}nder".as_bytes()).0, "Länder");
    }

    #[test]
    fn utf16_with_bom() {
        let mut le = vec![0xFF, 0xFE];
        le.extend("Grüße aus Köln".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(text(&le), ("Grüße aus Köln".into(), "UTF-16LE"));
        let mut be = vec![0xFE, 0xFF];
        be.extend("Grüße".encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(text(&be), ("Grüße".into(), "UTF-16BE"));
    }

    #[test]
    fn windows_1252_is_detected() {
        let bytes = b"Die Gr\xFC\xDFe aus K\xF6ln \x84zitiert\x93 \x80 und \xC4rger \xFCber die L\xE4nder.\n";
        assert_eq!(
            text(bytes),
            (
                "Die Grüße aus Köln „zitiert“ € und Ärger über die Länder.\n".into(),
                "windows-1252"
            )
        );
    }

    #[test]
    fn damaged_utf8_is_reported_not_read_as_windows_1252() {
        let bytes = "Grüße aus Köln\nund \u{fc}ber".as_bytes().to_vec();
        let mut damaged = bytes.clone();
        damaged.insert(damaged.len() - 3, 0xFF);
        assert!(matches!(
            decode(&damaged),
            Err(DecodeError::Invalid {
                encoding: "UTF-8",
                line: 2,
                ..
            })
        ));
    }

    #[test]
    fn rejects_binary_naming_the_line() {
        assert_eq!(
            decode(b"abc\0def"),
            Err(DecodeError::Binary { line: 1, offset: 3 })
        );
        let bytes = b"eins\nzwei\ndr\0ei\x00\x01\x02";
        assert_eq!(
            decode(bytes),
            Err(DecodeError::Binary {
                line: 3,
                offset: 12
            })
        );
        // NULs on both sides of the pairs: not UTF-16 either.
        let mixed: Vec<u8> = (0..64u8).flat_map(|i| [i % 3, 0, 0, i]).collect();
        assert!(matches!(decode(&mixed), Err(DecodeError::Binary { .. })));
    }

    #[test]
    fn utf16_without_bom_is_read_from_where_its_nuls_are() {
        let words = "Grüße aus Köln\nÜber die Länder.\n";
        let le: Vec<u8> = words.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(text(&le), (words.into(), "UTF-16LE"));
        let be: Vec<u8> = words.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(text(&be), (words.into(), "UTF-16BE"));
    }

    #[test]
    fn utf16_without_bom_that_starts_with_a_table_of_figures_is_text() {
        let mut words = String::new();
        for i in 0..400 {
            words.push_str(&format!(
                "{i:>6} {:>8.2} {:>+6.1}%\n",
                f64::from(i) * 1.5,
                0.3
            ));
        }
        words.push_str("Die Börse schloss am Freitag fester.\n");
        let be: Vec<u8> = words.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(text(&be), (words, "UTF-16BE"));
    }

    #[test]
    fn small_16_bit_numbers_are_binary_not_utf16() {
        // A table of 16-bit numbers from 1 to 250: every high byte NUL, as in
        // UTF-16LE text, but the low bytes are numbers, not letters.
        let numbers: Vec<u8> = (0..2048u16)
            .flat_map(|i| ((1 + (u32::from(i) * 37) % 250) as u16).to_le_bytes())
            .collect();
        assert!(matches!(decode(&numbers), Err(DecodeError::Binary { .. })));
        let swapped: Vec<u8> = (0..2048u16)
            .flat_map(|i| ((1 + (u32::from(i) * 37) % 250) as u16).to_be_bytes())
            .collect();
        assert!(matches!(decode(&swapped), Err(DecodeError::Binary { .. })));
    }

    #[test]
    fn broken_utf16_is_reported_with_its_line() {
        // A lone high surrogate.
        let bytes = [0xFF, 0xFE, b'a', 0, b'\n', 0, 0x00, 0xD8, b'b', 0];
        assert!(matches!(
            decode(&bytes),
            Err(DecodeError::Invalid {
                encoding: "UTF-16LE",
                ..
            })
        ));
    }
}

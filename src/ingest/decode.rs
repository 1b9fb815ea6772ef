//! Bytes to text: UTF-8 (with or without BOM), CRLF accepted, NFC.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::is_nfc_quick;

/// Why a file's bytes are not text we can index.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("looks binary (NUL byte at offset {offset})")]
    Binary { offset: usize },
    #[error("not valid UTF-8 (line {line}, byte offset {offset})")]
    InvalidUtf8 { line: usize, offset: usize },
}

/// How far into a file to look for NUL bytes, the mark of binary data.
const BINARY_SNIFF: usize = 8192;

/// Decodes a file's bytes into normalised text.
///
/// - a UTF-8 byte order mark is stripped;
/// - `\r\n` and lone `\r` become `\n`, so line numbers match what editors show;
/// - the text is put into Unicode NFC, so a decomposed "a + U+0308" and a
///   precomposed "ä" are the same word.
pub fn decode(bytes: &[u8]) -> Result<String, DecodeError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Some(offset) = bytes.iter().take(BINARY_SNIFF).position(|&b| b == 0) {
        return Err(DecodeError::Binary { offset });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let offset = e.valid_up_to();
        let line = 1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count();
        DecodeError::InvalidUtf8 { line, offset }
    })?;
    let text = normalise_line_endings(text);
    Ok(match is_nfc_quick(text.chars()) {
        unicode_normalization::IsNormalized::Yes => text,
        _ => text.nfc().collect(),
    })
}

fn normalise_line_endings(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_string();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_bom_and_crlf() {
        let text = decode(b"\xEF\xBB\xBFeins\r\nzwei\rdrei\n").unwrap();
        assert_eq!(text, "eins\nzwei\ndrei\n");
    }

    #[test]
    fn composes_decomposed_umlauts() {
        let text = decode("La\u{0308}nder".as_bytes()).unwrap();
        assert_eq!(text, "Länder");
    }

    #[test]
    fn rejects_binary_and_invalid_utf8_with_position() {
        assert_eq!(decode(b"abc\0def"), Err(DecodeError::Binary { offset: 3 }));
        assert_eq!(
            decode(b"eins\nzwei \xFC\n"),
            Err(DecodeError::InvalidUtf8 {
                line: 2,
                offset: 10
            })
        );
    }
}

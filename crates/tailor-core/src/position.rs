//! The one rule for a genomic position, whichever file it comes from.
//!
//! VCF, BCF, MAF, segment tables and fusion breakpoints all carry 1-based positions.
//! They used to be checked by each reader on its own, so `POS 0` passed in one file and
//! failed in another, and `2^64-1` was accepted by one reader and refused by the next.
//! VCF states the range (1 to 2^31-1, because BCF stores positions as 32-bit signed
//! integers), and no chromosome of any assembly Tailor supports comes near it, so every
//! reader applies that range here and words the error the same way.

use std::fmt;

/// The largest position any reader accepts: 2^31 - 1, as the VCF specification states.
pub const MAX_POSITION: u64 = (1 << 31) - 1;

/// Why a position was refused; its `Display` is the message every reader shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PositionError {
    /// The value as written, cut short and escaped for display.
    found: String,
}

impl PositionError {
    fn new(text: &str) -> Self {
        Self { found: shown(text) }
    }
}

impl fmt::Display for PositionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "expected a 1-based position from 1 to {MAX_POSITION}, found {}",
            self.found
        )
    }
}

impl std::error::Error for PositionError {}

/// Parses a 1-based position: ASCII digits only, 1 to [`MAX_POSITION`].
///
/// ```
/// use tailor_core::position::{parse_position, MAX_POSITION};
/// assert_eq!(parse_position("25398285"), Ok(25_398_285));
/// assert!(parse_position("0").is_err());
/// assert!(parse_position(&(MAX_POSITION + 1).to_string()).is_err());
/// assert_eq!(
///     parse_position("12a").unwrap_err().to_string(),
///     "expected a 1-based position from 1 to 2147483647, found `12a`"
/// );
/// ```
pub fn parse_position(text: &str) -> Result<u64, PositionError> {
    parse_position_bytes(text.as_bytes()).ok_or_else(|| PositionError::new(text))
}

/// [`parse_position`] for raw bytes (the VCF reader works on bytes, not text).
pub fn parse_position_bytes(bytes: &[u8]) -> Option<u64> {
    // Ten digits hold every value up to MAX_POSITION; more can only be out of range, and
    // the cut keeps the sum below from overflowing.
    if bytes.is_empty() || bytes.len() > 10 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let value = bytes
        .iter()
        .fold(0u64, |v, &b| v * 10 + u64::from(b - b'0'));
    check_position(value).ok()
}

/// Checks a position that was already read as a number (BCF stores it as binary).
///
/// ```
/// use tailor_core::position::check_position;
/// assert_eq!(check_position(1), Ok(1));
/// assert!(check_position(0).is_err());
/// ```
pub fn check_position(value: u64) -> Result<u64, PositionError> {
    if (1..=MAX_POSITION).contains(&value) {
        Ok(value)
    } else {
        Err(PositionError::new(&value.to_string()))
    }
}

/// The error for bytes that are not a position, for readers that work on bytes.
pub fn position_error(bytes: &[u8]) -> PositionError {
    PositionError::new(&String::from_utf8_lossy(bytes))
}

/// Quotes a value from an input for a message: at most 40 characters, escaped, so a
/// binary or absurdly long field cannot flood a terminal or leak a file's content.
pub fn shown(text: &str) -> String {
    const MAX: usize = 40;
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("`{}…`", text[..cut].escape_debug()),
        None => format!("`{}`", text.escape_debug()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_range_is_one_to_two_to_the_31_minus_one() {
        for bad in [
            "",
            "0",
            "-1",
            "+5",
            " 5",
            "1e5",
            "2147483648",
            "4294967296",
            "9223372036854775808",
            "18446744073709551615",
            "99999999999999999999999",
        ] {
            assert!(parse_position(bad).is_err(), "{bad:?} accepted");
        }
        assert_eq!(parse_position("1"), Ok(1));
        assert_eq!(parse_position("2147483647"), Ok(MAX_POSITION));
        assert_eq!(parse_position("0000000001"), Ok(1));
    }

    #[test]
    fn long_values_are_cut_and_escaped() {
        let long = format!("{}\t", "9".repeat(100));
        let message = parse_position(&long).unwrap_err().to_string();
        assert!(message.ends_with("…`"), "{message}");
        assert!(message.len() < 120, "{message}");
        assert_eq!(shown("a\tb"), "`a\\tb`");
    }
}

//! The error type shared by the parser and the [`Case`](crate::Case) accessors.

use std::fmt;

/// An error located in a vector file: a parse error, a missing or malformed
/// field, unread fields at [`Case::finish`](crate::Case::finish), or an I/O
/// problem while reading the file.
///
/// `line` is 1-based; `0` means the error concerns the whole file (for
/// example it could not be read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VectorError {
    file: String,
    line: usize,
    message: String,
}

impl VectorError {
    /// Builds an error for `file` at `line` (1-based, `0` for the whole file).
    pub fn new(file: impl Into<String>, line: usize, message: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            line,
            message: message.into(),
        }
    }

    /// The file name the error refers to, as given to [`parse_str`](crate::parse_str)
    /// (for [`load`](crate::load), the path relative to the `vectors/` dir).
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The 1-based line the error refers to, or `0` for the whole file.
    pub fn line(&self) -> usize {
        self.line
    }

    /// The human-readable description, without the location.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for VectorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        }
    }
}

impl std::error::Error for VectorError {}

//! The output-buffer rule of the cipher contexts, checked by every backend, and the way error
//! texts name a byte count.

use std::fmt;

use crate::exceptions::{Error, Result};

/// A byte count as error texts write it: "1 byte", "16 bytes".
#[derive(Clone, Copy)]
pub(crate) struct Bytes(pub(crate) usize);

impl fmt::Display for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            1 => f.write_str("1 byte"),
            n => write!(f, "{n} bytes"),
        }
    }
}

/// The output-buffer rule of `update_into`: fails, naming the size needed, when `out` is short.
pub(crate) fn check_output_len(needed: usize, out: &[u8]) -> Result<()> {
    if out.len() < needed {
        return Err(Error::invalid(format!(
            "output buffer too small: need at least {}, got {}",
            Bytes(needed),
            Bytes(out.len())
        )));
    }
    Ok(())
}

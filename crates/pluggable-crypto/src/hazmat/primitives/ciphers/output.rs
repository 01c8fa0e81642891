//! The output-buffer rule of the cipher contexts, checked by every backend.

use crate::exceptions::{Bytes, Error, Result};

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

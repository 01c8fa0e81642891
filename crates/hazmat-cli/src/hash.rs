//! `hazmat hash`: digests in the coreutils `sha256sum` formats, and `-c` verification.

use clap::Args;

use crate::common::{Failure, Options};

/// Arguments of `hazmat hash`.
#[derive(Args)]
pub(crate) struct HashArgs {}

/// Runs `hazmat hash`.
pub(crate) fn run(_args: &HashArgs, _options: &Options) -> Result<(), Failure> {
    Err(Failure::usage("not yet implemented"))
}

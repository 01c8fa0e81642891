//! `hazmat mac`: message authentication codes of files.

use clap::Subcommand;

use crate::common::{Failure, Options};

/// The MAC algorithms of `hazmat mac`.
#[derive(Subcommand)]
pub(crate) enum MacCommand {}

/// Runs `hazmat mac ...`.
pub(crate) fn run(_command: &MacCommand, _options: &Options) -> Result<(), Failure> {
    Err(Failure::usage("not yet implemented"))
}

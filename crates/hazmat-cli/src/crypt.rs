//! `hazmat encrypt` / `hazmat decrypt`.

use clap::Args;

use crate::common::{Failure, Options};

/// Arguments of `hazmat encrypt`.
#[derive(Args)]
pub(crate) struct EncryptArgs {}

/// Arguments of `hazmat decrypt`.
#[derive(Args)]
pub(crate) struct DecryptArgs {}

/// Runs `hazmat encrypt`.
pub(crate) fn encrypt(_args: &EncryptArgs, _options: &Options) -> Result<(), Failure> {
    Err(Failure::usage("not yet implemented"))
}

/// Runs `hazmat decrypt`.
pub(crate) fn decrypt(_args: &DecryptArgs, _options: &Options) -> Result<(), Failure> {
    Err(Failure::usage("not yet implemented"))
}

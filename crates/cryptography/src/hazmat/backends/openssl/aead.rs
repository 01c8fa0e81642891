//! One-shot AEADs on the openssl backend.

use crate::hazmat::backends::interfaces::AeadBackend;

use super::OpenSslBackend;

impl AeadBackend for OpenSslBackend {}

//! RFC 8439 section 2.8.2, "Example and Test Vector for AEAD_CHACHA20_POLY1305".

pub(crate) const KEY: &str = "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f";
pub(crate) const NONCE: &str = "070000004041424344454647";
pub(crate) const AAD: &str = "50515253c0c1c2c3c4c5c6c7";
pub(crate) const PT: &[u8] = b"Ladies and Gentlemen of the class of '99: If I could offer you \
                               only one tip for the future, sunscreen would be it.";
pub(crate) const CT: &str = "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6\
                             3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36\
                             92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc\
                             3ff4def08e4b7a9de576d26586cec64b6116";
pub(crate) const TAG: &str = "1ae10b594f09e26a7e902ecbd0600691";

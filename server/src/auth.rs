//! Device tokens and enrollment codes. Neither is stored in clear: the relay
//! keeps HMAC-SHA256 of each under a key only the relay knows (a keyed hash:
//! a stolen database alone cannot be used to forge or test tokens). Every
//! relay instance on one database must use the same key file.

use hmac::{Hmac, Mac};
use rand::Rng;
use sha2::Sha256;

/// The relay's secret key for hashing tokens and codes.
#[derive(Clone)]
pub struct TokenKey(Vec<u8>);

impl std::fmt::Debug for TokenKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenKey(<redacted>)")
    }
}

impl TokenKey {
    pub fn new(bytes: Vec<u8>) -> Self {
        TokenKey(bytes)
    }

    /// Loads the key from `path`, creating a random one (mode 0600) if the
    /// file does not exist.
    pub fn load_or_create(path: &std::path::Path) -> std::io::Result<TokenKey> {
        match std::fs::read(path) {
            Ok(bytes) if bytes.len() >= 32 => Ok(TokenKey(bytes)),
            Ok(_) => Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("{} is shorter than 32 bytes; delete it to make a new key (every enrolled device must then enroll again)", path.display()),
            )),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key: [u8; 32] = rand::random();
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir)?;
                }
                std::fs::write(path, key)?;
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
                }
                Ok(TokenKey(key.to_vec()))
            }
            Err(e) => Err(e),
        }
    }

    /// The keyed hash of a token or code, hex.
    pub fn hash(&self, secret: &str) -> String {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.0).expect("HMAC takes keys of any length");
        mac.update(secret.as_bytes());
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// A new device token: 256 random bits, URL-safe.
pub fn new_token() -> String {
    let bytes: [u8; 32] = rand::random();
    format!(
        "hd_{}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    )
}

/// A one-time enrollment code a person can read out on the phone: 12
/// characters from an alphabet without look-alikes, in groups of four.
pub fn new_enrollment_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    let chars: Vec<char> = (0..12)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// Codes are compared without dashes, spaces or case.
pub fn normalise_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_keyed_and_stable() {
        let a = TokenKey::new(vec![1; 32]);
        let b = TokenKey::new(vec![2; 32]);
        assert_eq!(a.hash("x"), a.hash("x"));
        assert_ne!(a.hash("x"), b.hash("x"));
        assert_eq!(a.hash("x").len(), 64);
    }

    #[test]
    fn codes_are_readable_and_normalise() {
        let c = new_enrollment_code();
        assert_eq!(c.len(), 14);
        assert_eq!(normalise_code(&c.to_lowercase()).len(), 12);
        assert_eq!(normalise_code(" abcd-efgh-jkmn "), "ABCDEFGHJKMN");
    }
}

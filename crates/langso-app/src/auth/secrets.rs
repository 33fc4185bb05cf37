//! Passwords (argon2id) and random tokens (stored as SHA-256).

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use sha2::{Digest, Sha256};

use crate::{AppError, AppResult};

/// Hashes a password with argon2id and a random salt, as a PHC string.
pub fn hash_password(password: &str) -> AppResult<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| AppError::Internal(format!("password hashing failed: {e}")))
}

/// Whether `password` matches a stored PHC string.
pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|hash| {
            Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A real argon2id hash of a password nobody knows, made once with the same parameters as
/// every stored hash: a login that does not exist is verified against it, so a wrong
/// password costs the same time whether or not the login exists.
pub(crate) fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        let mut seed = [0u8; 16];
        let _ = getrandom::fill(&mut seed);
        hash_password(&hex(&seed)).unwrap_or_default()
    });
    &DUMMY
}

/// 32 random bytes from the operating system, hex-encoded, with a readable prefix.
pub fn random_token(prefix: &str) -> AppResult<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
    Ok(format!("{prefix}{}", hex(&bytes)))
}

/// Letters a temporary password is drawn from: lower case and digits without the ones read
/// alike (l/1, o/0), so an officer can read it out over the phone.
const READABLE: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";

/// A temporary password of 12 readable characters (60 bits), given once to its holder, who
/// changes it after signing in.
pub fn temporary_password() -> AppResult<String> {
    let mut bytes = [0u8; 12];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
    Ok(bytes
        .iter()
        .map(|b| char::from(READABLE[usize::from(*b) % READABLE.len()]))
        .collect())
}

/// SHA-256 of a token, hex: what the database keeps (tokens are long random values, so a fast
/// hash is enough; passwords use argon2).
pub fn sha256_hex(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_and_tokens_differ() {
        let hash = hash_password("mật khẩu thật dài").unwrap_or_default();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("mật khẩu thật dài", &hash));
        assert!(!verify_password("mat khau that dai", &hash));
        assert!(!verify_password("x", "not a hash"));
        // The dummy hash parses and has the parameters of a real one, so verifying against it
        // costs what a real verification costs.
        let dummy = PasswordHash::new(dummy_hash()).map(|h| h.to_string());
        let real = PasswordHash::new(&hash).map(|h| h.to_string());
        let params = |phc: &str| phc.split('$').take(4).collect::<Vec<_>>().join("$");
        assert!(dummy.is_ok());
        assert_eq!(
            params(&dummy.unwrap_or_default()),
            params(&real.unwrap_or_default())
        );
        assert!(!verify_password("mật khẩu thật dài", dummy_hash()));
        let (a, b) = (
            random_token("lso_").unwrap_or_default(),
            random_token("lso_").unwrap_or_default(),
        );
        assert_ne!(a, b);
        assert_eq!(a.len(), 4 + 64);
        assert_eq!(sha256_hex("abc").len(), 64);
    }
}

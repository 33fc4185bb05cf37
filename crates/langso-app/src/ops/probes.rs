//! What the checker reads outside the database: a filesystem's free space (`statvfs`, through
//! rustix) and a certificate's end of validity (x509-parser, PEM or DER).

use std::path::{Path, PathBuf};

use time::OffsetDateTime;

/// A certificate file larger than this is refused (a chain of a few certificates is ~10 KB).
pub const MAX_CERTIFICATE_BYTES: u64 = 1024 * 1024;

/// Bytes an unprivileged process may still write on the filesystem holding `path`, and the
/// filesystem's size. A path that does not exist yet (a backup folder before the first
/// backup) is measured at its nearest existing ancestor.
pub fn disk_space(path: &Path) -> Result<(u64, u64), String> {
    let existing = existing_ancestor(path);
    let stat = rustix::fs::statvfs(&existing)
        .map_err(|error| format!("statvfs {}: {error}", existing.display()))?;
    let unit = stat.f_frsize.max(1);
    Ok((
        stat.f_bavail.saturating_mul(unit),
        stat.f_blocks.saturating_mul(unit),
    ))
}

fn existing_ancestor(path: &Path) -> PathBuf {
    let mut at = if path.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        path.to_owned()
    };
    while !at.exists() {
        match at.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => at = parent.to_owned(),
            _ => return PathBuf::from("."),
        }
    }
    at
}

/// When the first certificate in `file` (PEM or DER) stops being valid.
pub fn certificate_not_after(file: &Path) -> Result<OffsetDateTime, String> {
    let size = std::fs::metadata(file)
        .map_err(|error| format!("{}: {error}", file.display()))?
        .len();
    if size > MAX_CERTIFICATE_BYTES {
        return Err(format!(
            "{}: {size} bytes, more than a certificate file may hold ({MAX_CERTIFICATE_BYTES})",
            file.display()
        ));
    }
    let bytes = std::fs::read(file).map_err(|error| format!("{}: {error}", file.display()))?;
    not_after(&bytes).map_err(|error| format!("{}: {error}", file.display()))
}

/// When the first certificate in `bytes` (PEM or DER) stops being valid.
pub fn not_after(bytes: &[u8]) -> Result<OffsetDateTime, String> {
    let der = if bytes.starts_with(b"-----") || bytes.windows(11).any(|w| w == b"-----BEGIN ") {
        let mut found = None;
        for pem in x509_parser::pem::Pem::iter_from_buffer(bytes) {
            let pem = pem.map_err(|error| format!("not a PEM file: {error}"))?;
            if pem.label == "CERTIFICATE" {
                found = Some(pem.contents);
                break;
            }
        }
        found.ok_or_else(|| "no CERTIFICATE in the PEM file".to_owned())?
    } else {
        bytes.to_vec()
    };
    let (_, certificate) = x509_parser::parse_x509_certificate(&der)
        .map_err(|error| format!("not an X.509 certificate: {error}"))?;
    Ok(certificate.validity().not_after.to_datetime())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_current_folder_has_a_size_and_a_missing_folder_is_measured_above() {
        let (free, total) = disk_space(Path::new(".")).unwrap_or((0, 0));
        assert!(total > 0 && free <= total);
        let below = disk_space(Path::new("./no/such/folder/yet")).unwrap_or((0, 0));
        assert_eq!(below.1, total);
    }

    proptest! {
        #[test]
        fn any_bytes_parse_or_are_refused(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = not_after(&bytes);
        }

        #[test]
        fn any_pem_looking_text_parses_or_is_refused(body in "[A-Za-z0-9+/=\n]{0,300}") {
            let text = format!("-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n");
            let _ = not_after(text.as_bytes());
        }
    }
}

//! The installable round (issue 18): the web app manifest, its icon, the service worker and the
//! round's offline script, all our own and embedded in the binary.
//!
//! The pages keep working without them; they only let a team member's phone keep the round
//! (fetched from `/round/offline` into IndexedDB), record visits without signal and send them
//! later. The worker and the page share one core (`static/offline-core.js`, the phone's
//! database and the sending), served in front of each. The worker's first line names a hash
//! of every file it caches, so a new binary with a changed script or stylesheet installs a new
//! worker, which replaces the cached copies.

use std::sync::LazyLock;

use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::html::{Routes, Visitor};

const CORE: &str = include_str!("../../static/offline-core.js");
const ROUND: &str = include_str!("../../static/offline-round.js");
const WORKER: &str = include_str!("../../static/sw.js");
const STYLESHEET: &str = include_str!("../../static/langso.css");
const ICON: &str = include_str!("../../static/icon.svg");

/// The page's script: the core, then the round's screens.
static PAGE_SCRIPT: LazyLock<String> = LazyLock::new(|| format!("{CORE}\n{ROUND}"));

/// The worker: its version (the hash of what it caches), the core, then the worker itself.
static WORKER_SCRIPT: LazyLock<String> = LazyLock::new(|| {
    let version = fnv(&[CORE, ROUND, WORKER, STYLESHEET, ICON]);
    format!("var LANGSO_BUILD = '{version:016x}';\n{CORE}\n{WORKER}")
});

/// The routes of the installable round.
pub(crate) fn routes() -> Routes {
    Routes::new()
        .get("/manifest.webmanifest", manifest)
        .get("/sw.js", worker)
        .get("/static/offline-round.js", page_script)
        .get("/static/icon.svg", icon)
}

/// FNV-1a over the sources: a stable fingerprint, not a security measure.
fn fnv(parts: &[&str]) -> u64 {
    parts
        .iter()
        .flat_map(|part| part.bytes())
        .fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        })
}

/// The manifest, named in the reader's language; it opens "my round".
async fn manifest(visitor: Visitor) -> Response {
    let name = crate::messages::render(visitor.lang, "offline-app-name", &[]);
    let short = crate::messages::render(visitor.lang, "offline-app-short-name", &[]);
    let body = serde_json::json!({
        "name": name,
        "short_name": short,
        "lang": visitor.lang.code(),
        "start_url": "/round",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b5394",
        "icons": [{ "src": "/static/icon.svg", "sizes": "any", "type": "image/svg+xml",
                    "purpose": "any" }],
    });
    (
        [
            (header::CONTENT_TYPE, "application/manifest+json"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body.to_string(),
    )
        .into_response()
}

/// The worker is always checked with the server (the browser does so at most daily anyway),
/// so a new version reaches the phone the next time it is online. `Service-Worker-Allowed`
/// is not needed: the worker sits at the root, and its scope is the whole site.
async fn worker() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        WORKER_SCRIPT.as_str(),
    )
        .into_response()
}

/// The page script: revalidated like the worker, since the worker keeps its own copy for offline.
async fn page_script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        PAGE_SCRIPT.as_str(),
    )
        .into_response()
}

async fn icon() -> Response {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        ICON,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worker_version_follows_its_sources() {
        assert_ne!(fnv(&["a"]), fnv(&["b"]));
        assert!(WORKER_SCRIPT.starts_with("var LANGSO_BUILD = '"));
    }
}

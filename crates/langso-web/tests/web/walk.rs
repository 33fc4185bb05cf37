//! The signed-in pages a browser test walks: every GET page of `langso_web::page_routes`,
//! those with an id reached through the first link of their list, as a person would. A page
//! route that is neither walked nor named below as something other than a page fails
//! [`every_page_route_is_walked`], so a new screen cannot escape the phone, accessibility and
//! one-language checks.

use fantoccini::Client;
use serde_json::Value;

/// The pages a signed-in person opens from the menu (forbidden ones answer an error page,
/// which is checked too).
pub(crate) const PAGES: &[&str] = &[
    "/",
    "/units",
    "/account",
    "/account/notifications",
    "/dashboard",
    "/dashboard?unit=09817",
    "/reports/monthly",
    "/progress",
    "/round",
    "/round/sheet",
    "/households",
    "/households/assign",
    "/households/import",
    "/teams",
    "/outreach",
    "/criteria",
    "/groups",
    "/announcements",
    "/announcements/new",
    "/coverage",
    "/coverage/uncovered",
    "/assets",
    "/assets/import",
    "/alarms",
    "/work-orders",
    "/qr",
    "/qr/new",
    "/qr/analytics",
    "/admin/users",
    "/admin/alerts",
    "/webhooks",
    "/channels",
    "/radio",
    "/audit",
    "/plans",
    "/plans?unit=09817",
    "/households/impossible",
    "/households/review",
    "/privacy/breaches",
    "/privacy/record",
    // --- h21b: personal-data requests, retention, the working-day calendar ---
    "/privacy/requests",
    "/privacy/retention",
    "/privacy/calendar",
];

/// (list page, the route of the detail pages its links open).
pub(crate) const DETAILS: &[(&str, &str)] = &[
    ("/units", "/units/{id}"),
    ("/households", "/households/{id}"),
    ("/teams", "/teams/{id}"),
    ("/dashboard?unit=09817", "/villages/{id}"),
    ("/criteria", "/criteria/{id}"),
    ("/groups", "/groups/{id}"),
    ("/announcements", "/announcements/{id}"),
    ("/assets", "/assets/{id}"),
    ("/work-orders", "/work-orders/{id}"),
    ("/qr", "/qr/placements/{id}"),
    ("/admin/users", "/admin/users/{id}"),
    ("/webhooks", "/webhooks/{id}"),
    ("/qr/analytics", "/procedures/{code}/history"),
    ("/qr/analytics", "/procedures/{code}/new-version"),
    ("/plans?unit=09817", "/plans/{id}"),
    ("/privacy/breaches", "/privacy/breaches/{id}"),
    ("/privacy/requests?all=1", "/privacy/requests/{id}"),
];

/// Pages under a household's page.
const HOUSEHOLD_PAGES: &[&str] = &[
    "/households/{id}/visit",
    "/households/{id}/groups",
    "/households/{id}/consent",
    "/households/{id}/seen",
];

/// GET routes that are not officer pages: files, redirects, feeds and the residents' pages
/// (those are checked by the public-page tests).
const NOT_WALKED: &[&str] = &[
    "/login",
    // The printable consent form (PDF) and a paper form's scan.
    "/households/{id}/consent/form.pdf",
    "/households/{id}/consent/{event}/scan",
    // The phone's copy of the round (JSON), the installable app's files, the announcer's print
    // page (opened from an announcement, checked in `comms_aim`), the Zalo card (PNG) and the
    // radio's public calendar and feed.
    "/round/offline",
    "/manifest.webmanifest",
    "/sw.js",
    "/static/offline-round.js",
    "/static/icon.svg",
    "/static/announce.js",
    "/announcements/{id}/radio-script",
    "/announcements/{id}/zalo-card.png",
    "/dai-truyen-thanh/{commune}/lich.ics",
    "/dai-truyen-thanh/{commune}/lich.atom",
    "/lang/{code}",
    "/static/langso.css",
    "/static/fault-form.js",
    "/assets/map.svg",
    "/audit/export",
    "/households/export",
    "/households/import/template",
    "/assets/import/template",
    "/reports/monthly/file",
    "/privacy/record/file",
    "/privacy/breaches/{id}/notice",
    "/evidence/{id}/file",
    "/work-orders/{id}/photo",
    // The SMS gateway's delivery reports (a provider calls it, with its token).
    "/hooks/esms/{token}",
    "/q/{token}",
    "/thu-tuc",
    "/thu-tuc/{code}",
    "/v/{village}/feed",
    "/v/{village}/feed.atom",
    "/bao-hong/{token}/feed.atom",
    "/bao-hong/anh/{id}",
    "/a/{code}",
    "/huong-dan",
    "/huong-dan/{slug}",
    "/bao-hong",
    "/bao-hong/{token}",
    "/bao-hong/phan-anh/{id}",
    "/wifi",
    "/open311/v2/{file}",
    "/open311/v2/services/{code}",
    "/open311/v2/requests/{id}",
    "/open311/v2/tokens/{id}",
];

/// The first link on the current page to a page of `route` (`/teams/{id}`,
/// `/procedures/{code}/history`): the placeholder stands for one path segment.
async fn first_link(client: &Client, route: &str) -> Option<String> {
    let (prefix, rest) = route.split_once('{').unwrap_or((route, "}"));
    let suffix = rest.split_once('}').map_or("", |(_, suffix)| suffix);
    let script = format!(
        "return [...document.querySelectorAll('a[href^=\"{prefix}\"]')].map(a => a.getAttribute('href')).find(h => h.endsWith('{suffix}') && /^[0-9A-Za-z.-]+$/.test(h.slice({}, h.length - {}))) || null",
        prefix.len(),
        suffix.len()
    );
    match client.execute(&script, vec![]).await.unwrap() {
        Value::String(href) => Some(href),
        _ => None,
    }
}

/// Every page to check for the signed-in person of `client`: the menu pages, then the first
/// detail page of each list this person can see.
pub(crate) async fn pages(client: &Client, base: &str) -> Vec<String> {
    let mut pages: Vec<String> = PAGES.iter().map(|p| (*p).to_owned()).collect();
    for (list, route) in DETAILS {
        client.goto(&format!("{base}{list}")).await.unwrap();
        if let Some(href) = first_link(client, route).await {
            if *route == "/households/{id}" {
                for page in HOUSEHOLD_PAGES {
                    pages.push(page.replace("/households/{id}", &href));
                }
            }
            pages.push(href);
        }
    }
    pages
}

#[test]
fn every_page_route_is_walked() {
    let routes = langso_web::page_routes(&langso_web::Settings::default());
    let walked: Vec<&str> = PAGES
        .iter()
        .map(|page| page.split('?').next().unwrap_or_default())
        .chain(DETAILS.iter().map(|(_, route)| *route))
        .chain(HOUSEHOLD_PAGES.iter().copied())
        .chain(NOT_WALKED.iter().copied())
        .collect();
    let missed: Vec<_> = routes
        .list()
        .iter()
        .filter(|(method, path)| *method == "GET" && !walked.contains(path))
        .collect();
    assert!(
        missed.is_empty(),
        "page routes no browser test opens: {missed:?}"
    );
}

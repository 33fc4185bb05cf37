//! The public pages' views: what a guide or a list shows, in the reader's language.

use askama::Template;
use langso_app::procedures::{Channel, ProcedureVersion, ScanTarget};

use crate::html::Chrome;
use crate::messages::Lang;

/// A guide as shown.
pub struct GuideView {
    code: String,
    title: String,
    other_name: String,
    version: i64,
    effective: time::Date,
    steps: Vec<String>,
    steps_in_vietnamese: bool,
    documents: Vec<String>,
    fee: Vec<String>,
    processing: String,
    channels: Vec<&'static str>,
    portal_url: String,
    vneid: Option<String>,
    legal_basis: String,
    related: Option<String>,
}

#[derive(Template)]
#[template(path = "guide.html")]
struct GuidePage {
    chrome: Chrome,
    g: GuideView,
}

/// One line of a list of guides.
pub struct GuideLink {
    code: String,
    name: String,
    other_name: String,
}

#[derive(Template)]
#[template(path = "guides.html")]
struct GuidesPage {
    chrome: Chrome,
    place: Option<String>,
    guides: Vec<GuideLink>,
    /// The fault form, told which poster the resident came from (h16a: routes the report).
    report_href: Option<String>,
}

fn channel_key(channel: Channel) -> &'static str {
    match channel {
        Channel::OneStop => "guide-channel-one-stop",
        Channel::Portal => "guide-channel-portal",
        Channel::Vneid => "guide-channel-vneid",
    }
}

fn view(lang: Lang, version: &ProcedureVersion) -> GuideView {
    let c = &version.content;
    let english = lang == Lang::En;
    let (title, other_name) = if english {
        (c.name_en.clone(), c.name_vi.clone())
    } else {
        (c.name_vi.clone(), c.name_en.clone())
    };
    let steps_in_vietnamese = english && c.steps_en.is_empty();
    GuideView {
        code: version.code.to_string(),
        title,
        other_name,
        version: version.version,
        effective: version.effective_from,
        steps: if english && !c.steps_en.is_empty() {
            c.steps_en.clone()
        } else {
            c.steps_vi.clone()
        },
        steps_in_vietnamese,
        documents: c.documents_vi.clone(),
        fee: c.fee_lines(),
        processing: if english && !c.processing_time_en.is_empty() {
            c.processing_time_en.clone()
        } else {
            c.processing_time_vi.clone()
        },
        channels: c
            .channels
            .iter()
            .map(|ch| lang.t(channel_key(*ch)))
            .collect(),
        portal_url: version.code.portal_url(),
        vneid: if english {
            c.vneid_service_en
                .clone()
                .or_else(|| c.vneid_service_vi.clone())
        } else {
            c.vneid_service_vi.clone()
        },
        legal_basis: c.legal_basis.clone(),
        related: c.related.clone(),
    }
}

/// The guide page.
pub fn guide_page(chrome: Chrome, version: &ProcedureVersion) -> Result<String, askama::Error> {
    GuidePage {
        g: view(chrome.lang, version),
        chrome,
    }
    .render()
}

/// The list of guides, all of them or a placement's (then the frame comes back to it).
pub fn index_page(
    mut chrome: Chrome,
    guides: &[ProcedureVersion],
    place: Option<&ScanTarget>,
) -> Result<String, askama::Error> {
    let english = chrome.lang == Lang::En;
    let link = |v: &ProcedureVersion| GuideLink {
        code: v.code.to_string(),
        name: if english {
            v.content.name_en.clone()
        } else {
            v.content.name_vi.clone()
        },
        other_name: if english {
            v.content.name_vi.clone()
        } else {
            v.content.name_en.clone()
        },
    };
    let (links, place_label, back) = match place {
        Some(target) if target.active => (
            target
                .procedures
                .iter()
                .filter_map(|code| guides.iter().find(|g| &g.code == code))
                .map(link)
                .collect(),
            Some(target.label.clone()),
            format!("/thu-tuc?diem={}", target.token),
        ),
        _ => (
            guides.iter().map(link).collect(),
            None,
            "/thu-tuc".to_owned(),
        ),
    };
    chrome.back = back;
    let report_href = place
        .filter(|t| t.active)
        .map(|t| format!("/bao-hong?diem={}", t.token));
    GuidesPage {
        chrome,
        place: place_label,
        guides: links,
        report_href,
    }
    .render()
}

//! Every page a browser test walks reads wholly in its language: in Vietnamese and in English,
//! as the administrator. Data shown as entered (names, addresses, titles, unit names) is marked
//! `translate="no"` in the templates and left out; what remains must be the page language's own
//! words: an English page has no Vietnamese letter outside its catalogue texts (a few of which
//! name Vietnamese things: "tổ dân phố", "Tiếng Việt"), and a Vietnamese page none of the
//! English catalogue's sentences nor common English words.

use std::collections::BTreeSet;

use fantoccini::Client;
use langso_web::messages::{Lang, plain_texts};

use crate::browser::{log_in, phone, start_driver};
use crate::support::TestApp;
use crate::walk;

/// The text a person reads on the current page outside data marked `translate="no"`: the
/// visible text and the labels given as attributes. (The window title names the page's data,
/// a team or a village, and cannot mark it; its words are the heading's, checked here.)
async fn own_words(client: &Client) -> String {
    let script = "const body = document.body.cloneNode(true);
        body.querySelectorAll('[translate=no], script, style, svg, datalist').forEach(e => e.remove());
        const labels = [...body.querySelectorAll('[title], [aria-label], [placeholder], [alt], input[type=submit][value]')]
          .map(e => [e.title, e.getAttribute('aria-label'), e.placeholder, e.alt, e.type === 'submit' ? e.value : ''].filter(Boolean).join(' '));
        return body.textContent + ' ' + labels.join(' ');";
    let text = client.execute(script, vec![]).await.unwrap();
    text.as_str().unwrap_or_default().to_owned()
}

/// What is wrong with `text` for a page in `lang`, if anything.
fn foreign(text: &str, lang: Lang, other_sentences: &BTreeSet<&str>) -> Option<String> {
    match lang {
        Lang::En => {
            let mut rest = text.to_owned();
            let mut own: Vec<&str> = plain_texts(Lang::En).collect();
            own.sort_by_key(|t| std::cmp::Reverse(t.len()));
            for own in own {
                if own.chars().any(|c| c.is_alphabetic() && !c.is_ascii()) {
                    rest = rest.replace(own, " ");
                }
            }
            let words: Vec<&str> = rest
                .split_whitespace()
                .filter(|w| w.chars().any(|c| c.is_alphabetic() && !c.is_ascii()))
                .take(8)
                .collect();
            (!words.is_empty()).then(|| format!("Vietnamese words {words:?}"))
        }
        Lang::Vi => {
            let sentences: Vec<&&str> = other_sentences
                .iter()
                .filter(|s| text.contains(**s))
                .take(5)
                .collect();
            let english: Vec<&str> = text
                .split(|c: char| !c.is_alphabetic())
                .filter(|w| ENGLISH_WORDS.contains(w))
                .take(8)
                .collect();
            (!sentences.is_empty() || !english.is_empty())
                .then(|| format!("English {sentences:?} {english:?}"))
        }
    }
}

/// Words that only an English text has (none is a Vietnamese word).
const ENGLISH_WORDS: &[&str] = &[
    "the", "and", "of", "required", "invalid", "column", "row", "not", "with", "from", "must",
    "none", "yes", "error", "found", "date", "name", "status",
];

/// English catalogue texts of two words or more that no Vietnamese text equals.
fn english_sentences() -> BTreeSet<&'static str> {
    let vietnamese: BTreeSet<&str> = plain_texts(Lang::Vi).collect();
    plain_texts(Lang::En)
        .filter(|t| t.split_whitespace().count() >= 2 && !vietnamese.contains(t))
        .collect()
}

#[tokio::test]
async fn every_page_reads_wholly_in_its_language() {
    let Some(driver) = start_driver() else {
        eprintln!("SKIPPED: chromedriver is not installed");
        return;
    };
    let app = TestApp::with_demo().await;
    let client = phone(&driver).await;
    let english = english_sentences();
    let mut mixed = Vec::new();
    log_in(&client, &app.base, "admin", "/").await;
    let pages = walk::pages(&client, &app.base).await;
    for (lang, code) in [(Lang::Vi, "vi"), (Lang::En, "en")] {
        client
            .goto(&format!("{}/lang/{code}?back=/", app.base))
            .await
            .unwrap();
        for page in &pages {
            client.goto(&format!("{}{page}", app.base)).await.unwrap();
            let text = own_words(&client).await;
            if let Some(problem) = foreign(&text, lang, &english) {
                mixed.push(format!("{code} {page}: {problem}"));
            }
        }
    }
    client.close().await.unwrap();
    assert!(pages.len() > 30, "only {} pages", pages.len());
    assert!(
        mixed.is_empty(),
        "pages in two languages:\n{}",
        mixed.join("\n")
    );
}

#[test]
fn the_check_sees_a_mixed_page() {
    let english = english_sentences();
    assert!(foreign("Hộ gia đình / Households", Lang::En, &english).is_some());
    assert!(foreign("bắt buộc / required", Lang::Vi, &english).is_some());
    assert!(foreign("Hộ gia đình 1.015", Lang::Vi, &english).is_none());
    assert!(foreign("Households 1,015", Lang::En, &english).is_none());
}

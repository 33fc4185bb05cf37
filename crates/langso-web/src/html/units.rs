//! Unit names as pages word them, and the unit picker. After the 2025 merger one commune can
//! hold four "Thôn Hòa Bình": a label carries the former commune, worded in the page's
//! language ("Thôn Hòa Bình (Hồng Hà cũ)" / "Thôn Hòa Bình (formerly Hồng Hà)"), or the code
//! when nothing else tells it apart. The picker (`templates/unit_picker.html`) offers the
//! units of the actor's scope by those labels in an `<input list>` with a `<datalist>`: the
//! browser filters as one types, without JavaScript, and nobody types a GSO code.

use langso_app::Db;
use langso_app::units::{self as app_units, PickerOption, UnitLabel};
use langso_domain::auth::Permission;
use uuid::Uuid;

use super::{Page, PageError};
use crate::messages::{self, Lang};

/// A unit's label in `lang`.
pub fn unit_label(lang: Lang, label: &UnitLabel) -> String {
    match (&label.former, &label.code) {
        (Some(former), _) => messages::render(
            lang,
            "units-formerly",
            &[("name", label.name.clone()), ("former", former.clone())],
        ),
        (None, Some(code)) => messages::render(
            lang,
            "units-with-code",
            &[("name", label.name.clone()), ("code", code.clone())],
        ),
        (None, None) => label.name.clone(),
    }
}

impl super::Chrome {
    /// A unit's told-apart label in the page's language, for templates.
    pub fn unit(&self, label: &UnitLabel) -> String {
        unit_label(self.lang, label)
    }
}

/// One choice of the picker, as the template shows it.
#[derive(Clone, Debug)]
pub struct UnitChoice {
    /// The unit's label in the page's language: what the field holds once chosen.
    pub value: String,
    /// The unit above it ("Xã Ô Diên"), shown beside the choice; empty for the top ones.
    pub within: String,
}

/// The unit picker of one form field (`templates/unit_picker.html`, included by a template
/// whose struct has a `unit_picker` field).
#[derive(Clone, Debug)]
pub struct UnitPicker {
    /// The field's name and id ("unit").
    pub field: &'static str,
    /// The catalogue key of the field's label.
    pub label_key: &'static str,
    /// What the field holds: the chosen unit's label, or what was typed.
    pub value: String,
    /// Whether a unit must be chosen.
    pub required: bool,
    /// The catalogue key of the error beside the field (nothing matched), if any.
    pub error_key: Option<&'static str>,
    /// The choices, parents first.
    pub choices: Vec<UnitChoice>,
    options: Vec<PickerOption>,
    lang: Lang,
}

impl UnitPicker {
    /// The units the page's actor may pick for `permission` today; `current`, if one of them,
    /// is shown as chosen.
    pub async fn load(
        db: &Db,
        page: &Page,
        permission: Permission,
        field: &'static str,
        label_key: &'static str,
        current: Option<Uuid>,
    ) -> Result<UnitPicker, PageError> {
        let options = app_units::picker_options(db, &page.actor, permission, langso_app::today())
            .await
            .map_err(page.failing())?;
        let lang = page.lang;
        let choices = options
            .iter()
            .map(|o| UnitChoice {
                value: unit_label(lang, &o.label),
                within: o.within.clone().unwrap_or_default(),
            })
            .collect();
        let value = current
            .and_then(|id| options.iter().find(|o| o.label.id == id))
            .map(|o| unit_label(lang, &o.label))
            .unwrap_or_default();
        Ok(UnitPicker {
            field,
            label_key,
            value,
            required: true,
            error_key: None,
            choices,
            options,
            lang,
        })
    }

    /// The datalist's id.
    pub fn list_id(&self) -> String {
        format!("{}-choices", self.field)
    }

    /// The unit the submitted text names (a label in either language, an id, or a code from
    /// an old link). Nothing matched: the text stays in the field with an error beside it.
    pub fn picked(&mut self, text: &str) -> Option<Uuid> {
        let lang = self.lang;
        let found = app_units::pick(&self.options, text, |label| unit_label(lang, label));
        match found {
            Some(id) => {
                if let Some(option) = self.options.iter().find(|o| o.label.id == id) {
                    self.value = unit_label(lang, &option.label);
                }
                self.error_key = None;
            }
            None => {
                self.value = text.trim().to_owned();
                self.error_key = Some("units-picker-none");
            }
        }
        found
    }
}

/// The unit a submitted field names: a choice of `picker` (when the reader has one), else the
/// id or code of any unit. The action then checks the reader's scope on it, so a unit outside
/// that scope answers 404 as it does everywhere, never "no such choice".
pub async fn picked_or_named(db: &Db, picker: Option<&mut UnitPicker>, text: &str) -> Option<Uuid> {
    if let Some(picker) = picker
        && let Some(id) = picker.picked(text)
    {
        return Some(id);
    }
    app_units::resolve(db, Some(text), langso_app::today())
        .await
        .ok()
}

#[cfg(test)]
mod tests {
    use askama::Template;

    use super::*;
    use crate::html::Chrome;

    /// A page holding only the picker, to render the partial as pages include it.
    #[derive(Template)]
    #[template(source = "{% include \"unit_picker.html\" %}", ext = "html")]
    struct Probe {
        chrome: Chrome,
        unit_picker: UnitPicker,
    }

    fn option(n: u128, name: &str, former: Option<&str>) -> PickerOption {
        PickerOption {
            label: UnitLabel {
                former: former.map(str::to_owned),
                ..UnitLabel::plain(Uuid::from_u128(n), name)
            },
            within: Some("Xã Ô Diên".to_owned()),
            code: format!("09817-T{n:02}"),
        }
    }

    #[test]
    fn the_picker_offers_labels_in_the_page_language_and_picks_them_back() {
        let options = vec![
            option(1, "Thôn Hòa Bình", Some("Hồng Hà")),
            option(2, "Thôn Hòa Bình", Some("Liên Hà")),
            option(3, "Thôn Đông", None),
        ];
        let mut picker = UnitPicker {
            field: "unit",
            label_key: "units-search-label",
            value: String::new(),
            required: true,
            error_key: None,
            choices: options
                .iter()
                .map(|o| UnitChoice {
                    value: unit_label(Lang::En, &o.label),
                    within: o.within.clone().unwrap_or_default(),
                })
                .collect(),
            options,
            lang: Lang::En,
        };
        assert_eq!(
            picker.picked("Thôn Hòa Bình (formerly Liên Hà)"),
            Some(Uuid::from_u128(2))
        );
        assert_eq!(picker.value, "Thôn Hòa Bình (formerly Liên Hà)");
        let html = Probe {
            chrome: Chrome::new(Lang::En, "/".to_owned(), false),
            unit_picker: picker.clone(),
        }
        .render()
        .unwrap_or_default();
        assert!(html.contains(r#"<input id="unit" name="unit" type="text" list="unit-choices""#));
        assert!(
            html.contains(r#"<option value="Thôn Hòa Bình (formerly Hồng Hà)">Xã Ô Diên</option>"#)
        );
        assert!(html.contains(r#"value="Thôn Hòa Bình (formerly Liên Hà)""#));
        assert!(!html.contains("field-error"));

        assert_eq!(picker.picked("Thôn Hòa Bình"), None);
        let html = Probe {
            chrome: Chrome::new(Lang::Vi, "/".to_owned(), false),
            unit_picker: picker,
        }
        .render()
        .unwrap_or_default();
        assert!(html.contains("field-error"));
        assert!(html.contains("Không có đơn vị nào khớp"));
    }

    #[test]
    fn a_label_reads_in_each_language() {
        let label = UnitLabel {
            former: Some("Hồng Hà".to_owned()),
            ..UnitLabel::plain(Uuid::nil(), "Thôn Hòa Bình")
        };
        assert_eq!(unit_label(Lang::Vi, &label), "Thôn Hòa Bình (Hồng Hà cũ)");
        assert_eq!(
            unit_label(Lang::En, &label),
            "Thôn Hòa Bình (formerly Hồng Hà)"
        );
        let coded = UnitLabel {
            code: Some("09817-C01".to_owned()),
            ..UnitLabel::plain(Uuid::nil(), "Cụm dân cư số 1")
        };
        assert_eq!(unit_label(Lang::En, &coded), "Cụm dân cư số 1 (09817-C01)");
        assert_eq!(
            unit_label(Lang::Vi, &UnitLabel::plain(Uuid::nil(), "Thôn Đông")),
            "Thôn Đông"
        );
    }
}

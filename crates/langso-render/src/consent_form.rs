//! The printable consent form of a household: the official letterhead, the household,
//! what the data is for, then one block per person of the household with a box per purpose
//! ("đồng ý" / "không đồng ý"), the day and a signature line, blank blocks for people not
//! yet known, and the receiving officer's signature. Every text comes from the caller.

use krilla::Document;
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::surface::Surface;

use crate::official::{self, Letterhead};
use crate::pen::{Face, INK, Pen, rect};
use crate::{RenderError, RenderResult};

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const MARGIN: f32 = 48.0;

/// What the form shows.
#[derive(Clone, Debug, Default)]
pub struct ConsentForm {
    /// The letterhead (issuer, place and date, kind "PHIẾU …", the receiving officer).
    pub head: Letterhead,
    /// The household, as (label, value) lines.
    pub household: Vec<(String, String)>,
    /// What the data is for and the person's rights, paragraph by paragraph.
    pub intro: Vec<String>,
    /// The purposes, in words.
    pub purposes: Vec<String>,
    /// The people already known: (name, relation in words).
    pub people: Vec<(String, String)>,
    /// Blank blocks after the known people (at most 10).
    pub blank: usize,
    /// Words of the boxes and lines: "Đồng ý", "Không đồng ý", "Họ và tên", "Quan hệ với hộ",
    /// "Ngày … tháng … năm …", "Ký, ghi rõ họ tên".
    pub words: [String; 6],
}

/// A box to tick, its top-left at (x, y - size).
fn tick_box(surface: &mut Surface<'_>, x: f32, y: f32, size: f32) {
    let top = y - size + 1.0;
    rect(surface, x, top, size, 0.7, INK);
    rect(surface, x, top + size, size, 0.7, INK);
    rect(surface, x, top, 0.7, size, INK);
    rect(surface, x + size, top, 0.7, size + 0.7, INK);
}

/// The form as an A4 PDF, as many pages as the people need.
pub fn consent_form_pdf(form: &ConsentForm) -> RenderResult<Vec<u8>> {
    let pen = Pen::new()?;
    let width = PAGE_W - 2.0 * MARGIN;
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(form.head.kind.clone())
            .language("vi".to_owned())
            .creator("Langso".to_owned()),
    );
    let settings =
        PageSettings::from_wh(PAGE_W, PAGE_H).ok_or_else(|| RenderError::Pdf("A4".to_owned()))?;
    let mut people: Vec<(String, String)> = form.people.clone();
    people.extend(std::iter::repeat_n(
        (String::new(), String::new()),
        form.blank.min(10),
    ));
    let block_h = 18.0 * (3 + form.purposes.len()) as f32 + 30.0;
    let mut next = 0;
    let mut first = true;
    let mut pages = 0;
    while first || next < people.len() {
        pages += 1;
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        let mut y = MARGIN;
        if first {
            y = official::draw_top(&pen, &mut surface, &form.head, MARGIN, y - 10.0, width);
            y += 10.0;
            for (label, value) in &form.household {
                y += 15.0;
                let lw = pen.width(label, 10.5, Face::Bold) + 6.0;
                pen.draw(&mut surface, MARGIN, y, 10.5, Face::Bold, label);
                pen.text(
                    &mut surface,
                    MARGIN + lw,
                    y,
                    10.5,
                    false,
                    INK,
                    value,
                    width - lw,
                );
            }
            y += 8.0;
            for paragraph in &form.intro {
                for line in pen.wrap(paragraph, 10.0, Face::Regular, width) {
                    y += 13.5;
                    pen.draw(&mut surface, MARGIN, y, 10.0, Face::Regular, &line);
                }
                y += 4.0;
            }
            first = false;
        }
        while next < people.len() && y + block_h < PAGE_H - MARGIN {
            let (name, relation) = &people[next];
            y += 22.0;
            let blank = "………………………………………";
            let name_line = format!(
                "{}: {}",
                form.words[2],
                if name.is_empty() { blank } else { name }
            );
            let relation_line = format!(
                "{}: {}",
                form.words[3],
                if relation.is_empty() { blank } else { relation }
            );
            pen.draw(
                &mut surface,
                MARGIN,
                y,
                10.5,
                Face::Bold,
                &format!("{}. ", next + 1),
            );
            pen.text(
                &mut surface,
                MARGIN + 18.0,
                y,
                10.5,
                false,
                INK,
                &name_line,
                width * 0.6,
            );
            pen.text(
                &mut surface,
                MARGIN + width * 0.62,
                y,
                10.5,
                false,
                INK,
                &relation_line,
                width * 0.38,
            );
            for purpose in &form.purposes {
                y += 18.0;
                pen.text(
                    &mut surface,
                    MARGIN + 18.0,
                    y,
                    10.0,
                    false,
                    INK,
                    purpose,
                    width * 0.55,
                );
                let bx = MARGIN + width * 0.6;
                tick_box(&mut surface, bx, y, 9.0);
                pen.draw(
                    &mut surface,
                    bx + 14.0,
                    y,
                    10.0,
                    Face::Regular,
                    &form.words[0],
                );
                let bx = bx + 80.0;
                tick_box(&mut surface, bx, y, 9.0);
                pen.draw(
                    &mut surface,
                    bx + 14.0,
                    y,
                    10.0,
                    Face::Regular,
                    &form.words[1],
                );
            }
            y += 20.0;
            pen.draw(
                &mut surface,
                MARGIN + 18.0,
                y,
                10.0,
                Face::Oblique,
                &form.words[4],
            );
            pen.centered(
                &mut surface,
                MARGIN + width * 0.78,
                y,
                10.0,
                Face::Oblique,
                &form.words[5],
            );
            y += 34.0;
            pen.rule(&mut surface, MARGIN + width * 0.62, y, width * 0.32);
            next += 1;
        }
        if next >= people.len() {
            let need = official::closing_height(&pen, &form.head, width);
            if y + need < PAGE_H - MARGIN {
                official::draw_closing(&pen, &mut surface, &form.head, MARGIN, y, width);
            } else {
                surface.finish();
                page.finish();
                let mut page = document.start_page_with(settings.clone());
                let mut surface = page.surface();
                official::draw_closing(&pen, &mut surface, &form.head, MARGIN, MARGIN, width);
                surface.finish();
                page.finish();
                break;
            }
        }
        surface.finish();
        page.finish();
        if pages > 20 {
            break;
        }
    }
    document
        .finish()
        .map_err(|e| RenderError::Pdf(format!("{e:?}")))
}

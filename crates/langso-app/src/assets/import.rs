//! Reading an asset register from the files offices keep — CSV (UTF-8, comma or semicolon, a
//! BOM tolerated) or XLSX (the first sheet) — into [`AssetInput`]s for
//! [`import_numbered`](super::import_numbered): every bad cell is named by row and by the
//! column header as written in the file, and nothing is written unless the whole file is good.
//!
//! The file is read by the household import's reader ([`crate::households::sheet`]), so both
//! imports accept the same files: headers in Vietnamese or English, matched without regard to
//! accents, case or spacing, in any order; Excel dates and numbers as Excel stores them.
//! Values of the closed lists (kind, place, funding, status, lamp) may be written as codes
//! (`solar_light`) or as offices write them ("Đèn năng lượng mặt trời", "Xã hội hóa").
//!
//! Columns (Vietnamese header / English header): Mã thiết bị / code, Mã thôn / unit_code,
//! Loại thiết bị / kind, Tên / name, Loại vị trí / place_type, Vĩ độ / latitude, Kinh độ /
//! longitude, Ngày lắp đặt / installed_on, Nguồn kinh phí / funding, Người quản lý / keeper,
//! Trạng thái / status, Loại bóng / lamp_type, Chu kỳ báo cáo / heartbeat_seconds, Người đóng
//! góp / contributors (`Tên: số tiền; Tên: số tiền`), Ghi chú / notes. Only the unit, kind,
//! name, place and funding columns are required.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use langso_domain::text::fold;

use super::import_values::value_code;
use super::register::{AssetImport, AssetInput, import_numbered};
use crate::auth::Actor;
use crate::households::limits::MAX_REPORTED_ERRORS;
use crate::households::sheet::{self, Cell, Rows, cell_date, cell_integer, header_key};
use crate::{AppError, AppResult, CellError, Db};

/// The most a web upload of an asset register may weigh.
pub const MAX_ASSET_UPLOAD: usize = 10 * 1024 * 1024;

/// A column of the asset register.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum Column {
    Code,
    Unit,
    Kind,
    Name,
    Place,
    Latitude,
    Longitude,
    InstalledOn,
    Funding,
    Keeper,
    Status,
    Lamp,
    Heartbeat,
    Contributors,
    Notes,
}

/// Each column: the field name validation errors use, the canonical Vietnamese header, and
/// the folded headers recognised.
const COLUMNS: &[(Column, &str, &str, &[&str])] = &[
    (
        Column::Code,
        "code",
        "Mã thiết bị",
        &["ma thiet bi", "ma tai san", "ma", "ma so", "code"],
    ),
    (
        Column::Unit,
        "unit",
        "Mã thôn",
        &[
            "ma thon",
            "ma thon to dan pho",
            "ma don vi",
            "ma to dan pho",
            "unit code",
            "unit",
        ],
    ),
    (
        Column::Kind,
        "kind",
        "Loại thiết bị",
        &["loai thiet bi", "loai tai san", "loai", "kind"],
    ),
    (
        Column::Name,
        "name",
        "Tên",
        &[
            "ten",
            "ten thiet bi",
            "ten tai san",
            "mo ta",
            "ten mo ta",
            "name",
        ],
    ),
    (
        Column::Place,
        "place_type",
        "Loại vị trí",
        &[
            "loai vi tri",
            "vi tri",
            "vi tri lap dat",
            "noi lap dat",
            "place type",
        ],
    ),
    (
        Column::Latitude,
        "latitude",
        "Vĩ độ",
        &["vi do", "latitude", "lat"],
    ),
    (
        Column::Longitude,
        "longitude",
        "Kinh độ",
        &["kinh do", "longitude", "lon", "lng"],
    ),
    (
        Column::InstalledOn,
        "installed_on",
        "Ngày lắp đặt",
        &[
            "ngay lap dat",
            "ngay lap",
            "ngay dua vao su dung",
            "installed on",
        ],
    ),
    (
        Column::Funding,
        "funding",
        "Nguồn kinh phí",
        &[
            "nguon kinh phi",
            "kinh phi",
            "nguon von",
            "nguon",
            "funding",
        ],
    ),
    (
        Column::Keeper,
        "keeper",
        "Người quản lý",
        &[
            "nguoi quan ly",
            "nguoi phu trach",
            "nguoi giu",
            "quan ly",
            "keeper",
        ],
    ),
    (
        Column::Status,
        "status",
        "Trạng thái",
        &["trang thai", "tinh trang", "status"],
    ),
    (
        Column::Lamp,
        "lamp_type",
        "Loại bóng",
        &["loai bong", "loai den", "bong den", "lamp type"],
    ),
    (
        Column::Heartbeat,
        "heartbeat_seconds",
        "Chu kỳ báo cáo (giây)",
        &[
            "chu ky bao cao giay",
            "chu ky bao cao",
            "chu ky giay",
            "heartbeat seconds",
        ],
    ),
    (
        Column::Contributors,
        "contributors",
        "Người đóng góp",
        &[
            "nguoi dong gop",
            "dong gop",
            "cac ho dong gop",
            "nguoi gop",
            "contributors",
        ],
    ),
    (
        Column::Notes,
        "notes",
        "Ghi chú",
        &["ghi chu", "notes", "note"],
    ),
];

const REQUIRED: [Column; 5] = [
    Column::Unit,
    Column::Kind,
    Column::Name,
    Column::Place,
    Column::Funding,
];

/// Which file column holds which register column.
struct Layout {
    index: BTreeMap<Column, usize>,
    headers: Vec<String>,
}

impl Layout {
    fn new(headers: &[String]) -> Result<Layout, Vec<CellError>> {
        let mut index = BTreeMap::new();
        let mut errors = Vec::new();
        for (i, header) in headers.iter().enumerate() {
            let key = header_key(header);
            if key.is_empty() || key == "stt" || key == "tt" || key == "so tt" {
                continue;
            }
            let Some((column, ..)) = COLUMNS
                .iter()
                .find(|(_, field, _, names)| names.contains(&key.as_str()) || fold(field) == key)
            else {
                continue;
            };
            if let Some(first) = index.insert(*column, i) {
                errors.push(CellError::keyed(
                    1,
                    header,
                    "assets-column-duplicate",
                    &[("column", &headers[first])],
                ));
            }
        }
        for column in REQUIRED {
            if !index.contains_key(&column) {
                let name = canonical(column);
                errors.push(CellError::keyed(
                    1,
                    name,
                    "assets-column-missing",
                    &[("column", &name)],
                ));
            }
        }
        if errors.is_empty() {
            Ok(Layout {
                index,
                headers: headers.to_vec(),
            })
        } else {
            Err(errors)
        }
    }

    fn cell<'a>(&self, cells: &'a [Cell], column: Column) -> &'a Cell {
        self.index
            .get(&column)
            .and_then(|i| cells.get(*i))
            .unwrap_or(&Cell::Empty)
    }

    fn text(&self, cells: &[Cell], column: Column) -> String {
        self.cell(cells, column).text()
    }

    /// The header as written in the file (or the canonical one when the column is absent).
    fn header(&self, column: Column) -> String {
        self.index
            .get(&column)
            .and_then(|i| self.headers.get(*i))
            .cloned()
            .unwrap_or_else(|| canonical(column).to_owned())
    }

    /// A validation error's field name as the header written in the file.
    fn header_of_field(&self, field: &str) -> Option<String> {
        COLUMNS
            .iter()
            .find(|(_, f, _, _)| *f == field)
            .map(|(column, ..)| self.header(*column))
    }
}

fn canonical(column: Column) -> &'static str {
    COLUMNS
        .iter()
        .find(|(c, ..)| *c == column)
        .map_or("", |(_, _, header, _)| *header)
}

/// Parses a CSV or XLSX file (told apart by content) and imports it all or nothing
/// (`dry_run`: check only, write nothing).
pub async fn import_assets_file(
    db: &Db,
    actor: &Actor,
    bytes: Vec<u8>,
    dry_run: bool,
) -> AppResult<AssetImport> {
    let rows = sheet::open(Cursor::new(bytes))?;
    let (layout, inputs) = parse_rows(rows)?;
    match import_numbered(db, actor, &inputs, dry_run).await {
        Err(AppError::Invalid(problems)) => {
            let dropped = problems.len().saturating_sub(MAX_REPORTED_ERRORS);
            let mut problems: Vec<CellError> = problems
                .into_iter()
                .take(MAX_REPORTED_ERRORS)
                .map(|mut p| {
                    if let Some(header) = layout.header_of_field(&p.column) {
                        p.column = header;
                    }
                    p
                })
                .collect();
            if dropped > 0 {
                problems.push(CellError::keyed(
                    0,
                    "",
                    "households-file-more-errors",
                    &[("count", &dropped)],
                ));
            }
            Err(AppError::Invalid(problems))
        }
        other => other,
    }
}

/// Parses the CSV (or XLSX) from a reader and imports it all or nothing.
pub async fn import_assets_csv(
    db: &Db,
    actor: &Actor,
    input: impl Read,
    dry_run: bool,
) -> AppResult<AssetImport> {
    // Read whole (the checks need every row): no more than an upload may weigh.
    let mut bytes = Vec::new();
    input
        .take(MAX_ASSET_UPLOAD as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(crate::households::sheet::io)?;
    if bytes.len() > MAX_ASSET_UPLOAD {
        return Err(AppError::refused_key(
            "assets-file-too-large",
            &[("limit", &(MAX_ASSET_UPLOAD >> 20))],
        ));
    }
    import_assets_file(db, actor, bytes, dry_run).await
}

/// Parses CSV or XLSX bytes into numbered inputs; every bad cell is reported.
pub fn parse_file(bytes: Vec<u8>) -> AppResult<Vec<(usize, AssetInput)>> {
    let rows = sheet::open(Cursor::new(bytes))?;
    parse_rows(rows).map(|(_, inputs)| inputs)
}

fn parse_rows(mut rows: Box<dyn Rows + Send>) -> AppResult<(Layout, Vec<(usize, AssetInput)>)> {
    let layout = Layout::new(rows.headers()).map_err(AppError::Invalid)?;
    let mut problems = Vec::new();
    let mut dropped = 0usize;
    let mut inputs = Vec::new();
    while let Some(next) = rows.next_row() {
        let (line, cells) = next?;
        let mut bad = |column: Column, key: &'static str| {
            problems.push(CellError::keyed(line, &layout.header(column), key, &[]));
        };
        let mut number = |column: Column| -> Option<f64> {
            match layout.cell(&cells, column) {
                Cell::Empty => None,
                Cell::Number(n) => Some(*n),
                cell => {
                    let text = cell.text();
                    if text.is_empty() {
                        return None;
                    }
                    // Offices write decimal commas ("21,0889").
                    match text.replace(',', ".").parse::<f64>() {
                        Ok(n) => Some(n),
                        Err(_) => {
                            bad(column, "assets-cell-not-number");
                            None
                        }
                    }
                }
            }
        };
        let latitude = number(Column::Latitude);
        let longitude = number(Column::Longitude);
        let heartbeat = match layout.cell(&cells, Column::Heartbeat) {
            cell if cell.is_blank() => None,
            cell => match cell_integer(cell) {
                Some(n) => Some(n),
                None => {
                    bad(Column::Heartbeat, "assets-cell-not-whole-number");
                    None
                }
            },
        };
        let installed_on = match layout.cell(&cells, Column::InstalledOn) {
            cell if cell.is_blank() => None,
            cell => match cell_date(cell) {
                Some(date) => Some(date),
                None => {
                    bad(Column::InstalledOn, "assets-cell-not-date");
                    None
                }
            },
        };
        let mut contributors = Vec::new();
        for part in layout
            .text(&cells, Column::Contributors)
            .split(';')
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            match part.rsplit_once(':').map(|(n, a)| {
                (
                    n.trim(),
                    a.trim()
                        .trim_end_matches('đ')
                        .trim()
                        .replace(['.', ',', ' '], "")
                        .parse::<i64>(),
                )
            }) {
                Some((name, Ok(amount))) if !name.is_empty() => {
                    contributors.push((name.to_owned(), amount))
                }
                _ => bad(Column::Contributors, "assets-cell-contributors-format"),
            }
        }
        let lamp = value_code(Column::Lamp, &layout.text(&cells, Column::Lamp));
        inputs.push((
            line,
            AssetInput {
                code: layout.text(&cells, Column::Code),
                unit_id: None,
                unit_code: Some(layout.text(&cells, Column::Unit)),
                kind: value_code(Column::Kind, &layout.text(&cells, Column::Kind)),
                name: layout.text(&cells, Column::Name),
                place_type: value_code(Column::Place, &layout.text(&cells, Column::Place)),
                latitude,
                longitude,
                installed_on,
                funding: value_code(Column::Funding, &layout.text(&cells, Column::Funding)),
                contributors,
                keeper: layout.text(&cells, Column::Keeper),
                status: value_code(Column::Status, &layout.text(&cells, Column::Status)),
                lamp_type: Some(lamp).filter(|l| !l.is_empty()),
                heartbeat_seconds: heartbeat,
                notes: layout.text(&cells, Column::Notes),
            },
        ));
        if problems.len() > MAX_REPORTED_ERRORS {
            dropped += problems.len() - MAX_REPORTED_ERRORS;
            problems.truncate(MAX_REPORTED_ERRORS);
        }
    }
    if dropped > 0 {
        problems.push(CellError::keyed(
            0,
            "",
            "households-file-more-errors",
            &[("count", &dropped)],
        ));
    }
    if problems.is_empty() {
        Ok((layout, inputs))
    } else {
        Err(AppError::Invalid(problems))
    }
}

/// The Vietnamese headers of every column, in register order: the import template's header
/// row (see [`super::asset_import_template`]).
pub(super) fn template_headers() -> Vec<&'static str> {
    COLUMNS.iter().map(|(_, _, header, _)| *header).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn values_as_offices_write_them() {
        assert_eq!(
            value_code(Column::Kind, " Đèn năng lượng mặt trời "),
            "solar_light"
        );
        assert_eq!(value_code(Column::Kind, "solar_light"), "solar_light");
        assert_eq!(value_code(Column::Funding, "Xã hội hóa"), "community");
        assert_eq!(value_code(Column::Place, "Nhà văn hoá"), "cultural_house");
        assert_eq!(value_code(Column::Kind, "máy bay"), "máy bay");
    }

    #[test]
    fn headers_in_any_order_with_stray_spaces() {
        let headers: Vec<String> = [
            "STT",
            "  Tên  thiết bị",
            "LOẠI THIẾT BỊ",
            "Mã thôn ",
            "Vị trí",
            "Nguồn kinh phí",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        let layout = Layout::new(&headers).map_err(|_| ()).unwrap();
        assert_eq!(layout.index[&Column::Kind], 2);
        assert_eq!(layout.header_of_field("kind").unwrap(), "LOẠI THIẾT BỊ");
        let missing = Layout::new(&headers[..3]).err().unwrap();
        assert!(missing.iter().any(|e| e.column == "Mã thôn"));
    }
}

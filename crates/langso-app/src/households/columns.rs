//! The columns of a household register file: the headers offices write (Vietnamese, with or
//! without diacritics, or English) for each field, and the layout of one file's header row.

use std::collections::BTreeMap;

use super::sheet::{Cell, header_key};
use crate::CellError;

/// A column the register knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    /// Mã hộ.
    Code,
    /// Thôn / tổ dân phố.
    Village,
    /// Mã thôn: tells apart villages of one name.
    VillageCode,
    /// Xóm.
    Hamlet,
    /// Ngõ.
    Alley,
    /// Số nhà.
    HouseNumber,
    /// Họ và tên chủ hộ.
    HeadName,
    /// Người đại diện.
    Representative,
    /// Số điện thoại.
    Phone,
    /// Số CCCD.
    CitizenId,
    /// Số thành viên.
    Members,
    /// Số người lớn.
    Adults,
    /// Hộ kinh doanh.
    Business,
    /// Ngày đồng ý.
    ConsentOn,
    /// Nội dung đồng ý.
    ConsentPurpose,
    /// Ghi chú.
    Notes,
}

/// Each column: the header written on export, then the folded headers recognised on import.
pub const COLUMNS: &[(Column, &str, &[&str])] = &[
    (
        Column::Code,
        "Mã hộ",
        &[
            "ma ho",
            "ma ho gia dinh",
            "ma so ho",
            "code",
            "household code",
        ],
    ),
    (
        Column::Village,
        "Thôn",
        &[
            "thon",
            "thon to dan pho",
            "thon to",
            "to dan pho",
            "ten thon",
            "cum dan cu",
            "village",
        ],
    ),
    (
        Column::VillageCode,
        "Mã thôn",
        &["ma thon", "ma thon to dan pho", "ma don vi", "village code"],
    ),
    (Column::Hamlet, "Xóm", &["xom", "hamlet"]),
    (
        Column::Alley,
        "Ngõ",
        &["ngo", "ngo ngach", "ngo hem", "hem", "alley"],
    ),
    (Column::HouseNumber, "Số nhà", &["so nha", "house number"]),
    (
        Column::HeadName,
        "Họ và tên chủ hộ",
        &[
            "ho va ten chu ho",
            "ho ten chu ho",
            "chu ho",
            "ten chu ho",
            "head of household",
            "head name",
        ],
    ),
    (
        Column::Representative,
        "Người đại diện",
        &[
            "nguoi dai dien",
            "ho ten nguoi dai dien",
            "ho va ten nguoi dai dien",
            "dai dien",
            "representative",
        ],
    ),
    (
        Column::Phone,
        "Số điện thoại",
        &[
            "so dien thoai",
            "dien thoai",
            "sdt",
            "so dt",
            "dt",
            "so dien thoai nguoi dai dien",
            "phone",
        ],
    ),
    (
        Column::CitizenId,
        "Số CCCD",
        &[
            "so cccd",
            "cccd",
            "so cccd chu ho",
            "cccd chu ho",
            "so dinh danh ca nhan",
            "so can cuoc",
            "so can cuoc cong dan",
            "can cuoc cong dan",
            "so dinh danh",
            "citizen id",
        ],
    ),
    (
        Column::Members,
        "Số thành viên",
        &[
            "so thanh vien",
            "thanh vien",
            "so nhan khau",
            "nhan khau",
            "so khau",
            "so nguoi",
            "members",
        ],
    ),
    (
        Column::Adults,
        "Số người lớn",
        &[
            "so nguoi lon",
            "nguoi lon",
            "so nguoi truong thanh",
            "so nguoi tu 18 tuoi",
            "adults",
        ],
    ),
    (
        Column::Business,
        "Hộ kinh doanh",
        &["ho kinh doanh", "kinh doanh", "business"],
    ),
    (
        Column::ConsentOn,
        "Ngày đồng ý",
        &[
            "ngay dong y",
            "ngay dong y chia se",
            "ngay dong y cung cap thong tin",
            "consent date",
        ],
    ),
    (
        Column::ConsentPurpose,
        "Nội dung đồng ý",
        &[
            "noi dung dong y",
            "muc dich dong y",
            "dong y",
            "consent purpose",
        ],
    ),
    (Column::Notes, "Ghi chú", &["ghi chu", "notes", "note"]),
];

/// The register field a validation error names, as a column.
pub(super) fn column_of_field(field: &str) -> Option<Column> {
    Some(match field {
        "code" => Column::Code,
        "head_name" => Column::HeadName,
        "representative_phone" => Column::Phone,
        "citizen_id" => Column::CitizenId,
        "members" => Column::Members,
        "adults" => Column::Adults,
        "unit_id" => Column::Village,
        _ => return None,
    })
}

/// The header a column is written under in the files Langso writes.
pub(super) fn canonical(column: Column) -> &'static str {
    COLUMNS
        .iter()
        .find(|(c, _, _)| *c == column)
        .map_or("", |(_, header, _)| *header)
}

/// Which file column holds which register column.
pub(super) struct Layout {
    pub(super) index: BTreeMap<Column, usize>,
    pub(super) headers: Vec<String>,
    pub(super) ignored: Vec<String>,
}

impl Layout {
    /// The columns of `headers`; the village column is required unless the import is into one
    /// village (`needs_village` false) or the file names villages by code.
    pub(super) fn new(headers: &[String], needs_village: bool) -> Result<Layout, Vec<CellError>> {
        let mut index = BTreeMap::new();
        let mut errors = Vec::new();
        let mut ignored = Vec::new();
        for (i, header) in headers.iter().enumerate() {
            let key = header_key(header);
            if key.is_empty() || key == "stt" || key == "tt" || key == "so tt" {
                continue;
            }
            match COLUMNS
                .iter()
                .find(|(_, _, names)| names.contains(&key.as_str()))
            {
                Some((column, _, _)) => {
                    if let Some(first) = index.insert(*column, i) {
                        errors.push(CellError::keyed(
                            1,
                            header,
                            "households-column-duplicate",
                            &[("column", &headers[first])],
                        ));
                    }
                }
                None => ignored.push(header.clone()),
            }
        }
        let mut required = vec![Column::Code, Column::HeadName, Column::Members];
        if needs_village && !index.contains_key(&Column::VillageCode) {
            required.push(Column::Village);
        }
        for column in required {
            if !index.contains_key(&column) {
                errors.push(CellError::keyed(
                    1,
                    canonical(column),
                    "households-column-missing",
                    &[("column", &canonical(column))],
                ));
            }
        }
        if errors.is_empty() {
            Ok(Layout {
                index,
                headers: headers.to_vec(),
                ignored,
            })
        } else {
            Err(errors)
        }
    }

    pub(super) fn cell<'a>(&self, cells: &'a [Cell], column: Column) -> Option<&'a Cell> {
        self.index
            .get(&column)
            .map(|i| cells.get(*i).unwrap_or(&Cell::Empty))
    }

    pub(super) fn header(&self, column: Column) -> &str {
        self.index
            .get(&column)
            .and_then(|i| self.headers.get(*i))
            .map_or_else(|| canonical(column), String::as_str)
    }
}

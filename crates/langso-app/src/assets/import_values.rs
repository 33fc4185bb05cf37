//! The closed-list values of an asset register file (kind, place, funding, status, lamp) as
//! offices write them, and the code each stands for.

use langso_domain::assets::{AssetKind, AssetStatus, Funding, LampType, PlaceType};
use langso_domain::text::fold;

use super::import::Column;

/// The closed-list values as offices write them (folded) → the code.
const VALUES: &[(Column, &str, &[&str])] = &[
    (Column::Kind, "camera", &["camera an ninh", "camera"]),
    (
        Column::Kind,
        "solar_light",
        &[
            "den nang luong mat troi",
            "den nang luong",
            "den nlmt",
            "den mat troi",
        ],
    ),
    (
        Column::Kind,
        "grid_light",
        &["den duong", "den chieu sang", "den luoi dien", "den dien"],
    ),
    (
        Column::Kind,
        "wifi",
        &["diem wifi", "wifi mien phi", "wifi", "diem phat wifi"],
    ),
    (
        Column::Kind,
        "loudspeaker",
        &["loa truyen thanh", "loa", "cum loa"],
    ),
    (
        Column::Kind,
        "billboard",
        &["pano", "pano tuyen truyen", "bien quang cao"],
    ),
    (
        Column::Place,
        "intersection",
        &[
            "nga tu",
            "nga ba",
            "nga tu nga ba",
            "nga ba nga tu",
            "giao lo",
        ],
    ),
    (
        Column::Place,
        "main_road",
        &[
            "truc duong chinh",
            "duong chinh",
            "truc chinh",
            "duong truc",
        ],
    ),
    (Column::Place, "hamlet", &["xom", "trong xom", "trong thon"]),
    (Column::Place, "alley", &["ngo", "ngo xom", "hem", "ngach"]),
    (
        Column::Place,
        "cultural_house",
        &["nha van hoa", "nha van hoa thon", "nvh"],
    ),
    (
        Column::Funding,
        "state_budget",
        &["ngan sach", "ngan sach nha nuoc", "nsnn", "nha nuoc"],
    ),
    (
        Column::Funding,
        "community",
        &["xa hoi hoa", "xhh", "nhan dan dong gop", "cong dong"],
    ),
    (
        Column::Funding,
        "household",
        &["ho gia dinh", "gia dinh", "ho dan", "ho"],
    ),
    (
        Column::Funding,
        "company",
        &["doanh nghiep", "cong ty", "tai tro doanh nghiep"],
    ),
    (
        Column::Status,
        "active",
        &["hoat dong", "dang hoat dong", "tot", "binh thuong"],
    ),
    (Column::Status, "broken", &["hong", "da hong", "hu hong"]),
    (
        Column::Status,
        "retired",
        &["thanh ly", "da thanh ly", "ngung su dung", "da go"],
    ),
    (
        Column::Lamp,
        "old_bulb",
        &["bong cu", "bong soi dot", "bong compact", "bong thuong"],
    ),
    (Column::Lamp, "led", &["led", "bong led", "den led"]),
    (
        Column::Lamp,
        "solar",
        &["nang luong mat troi", "nang luong", "bong nang luong"],
    ),
];

/// A closed-list cell as the code the register knows, when it is one of the ways offices
/// write it; otherwise the text as written (validation then names it).
pub(super) fn value_code(column: Column, text: &str) -> String {
    let key = fold(text);
    if key.is_empty() {
        return String::new();
    }
    let codes: Vec<&str> = match column {
        Column::Kind => AssetKind::ALL.iter().map(|v| v.as_str()).collect(),
        Column::Place => PlaceType::ALL.iter().map(|v| v.as_str()).collect(),
        Column::Funding => Funding::ALL.iter().map(|v| v.as_str()).collect(),
        Column::Status => AssetStatus::ALL.iter().map(|v| v.as_str()).collect(),
        Column::Lamp => LampType::ALL.iter().map(|v| v.as_str()).collect(),
        _ => Vec::new(),
    };
    if let Some(code) = codes.iter().find(|c| fold(c) == key) {
        return (*code).to_owned();
    }
    VALUES
        .iter()
        .find(|(c, _, names)| *c == column && names.contains(&key.as_str()))
        .map_or_else(|| text.trim().to_owned(), |(_, code, _)| (*code).to_owned())
}

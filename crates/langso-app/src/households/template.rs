//! The household register's import template: an XLSX with the headers the import reads (in
//! Vietnamese, the file's format in every language) and one example row set in a village the
//! officer may write in, so the template imported as it is adds that one household and nothing
//! is refused.

use langso_domain::auth::Permission;
use langso_render::sheet::{SheetCell, xlsx};

use super::columns::{COLUMNS, Column};
use super::export::ExportFile;
use crate::auth::Actor;
use crate::{AppError, AppResult, Db, today};

/// The example household's code (a template imported twice updates it, never doubles it).
pub const EXAMPLE_HOUSEHOLD_CODE: &str = "HGD-MAU-001";

/// The template for someone who may write households somewhere.
pub async fn household_import_template(db: &Db, actor: &Actor) -> AppResult<ExportFile> {
    let village = crate::units::example_village(db, actor, Permission::WritePeople)
        .await?
        .ok_or(AppError::Forbidden)?;
    let day = today();
    let text = |v: &str| SheetCell::Text(v.to_owned());
    let row: Vec<SheetCell> = COLUMNS
        .iter()
        .map(|(column, _, _)| match column {
            Column::Code => text(EXAMPLE_HOUSEHOLD_CODE),
            Column::Village => text(&village.name),
            Column::VillageCode => text(&village.code),
            Column::Hamlet => text("Xóm 1"),
            Column::Alley => text("Ngõ 2"),
            Column::HouseNumber => text("15"),
            Column::HeadName => text("Nguyễn Văn An"),
            Column::Representative => text("Nguyễn Thị Bình"),
            Column::Phone => text("0912345678"),
            Column::CitizenId => text("001085012345"),
            Column::Members => SheetCell::Number(4.0),
            Column::Adults => SheetCell::Number(3.0),
            Column::Business => text(""),
            Column::ConsentOn => SheetCell::Date(day.year(), u8::from(day.month()), day.day()),
            Column::ConsentPurpose => text("Chuyển đổi số cộng đồng"),
            Column::Notes => text("Dòng mẫu: thay bằng các hộ của thôn"),
        })
        .collect();
    let headers: Vec<&str> = COLUMNS.iter().map(|(_, header, _)| *header).collect();
    Ok(ExportFile {
        file_name: "mau-nhap-ho-gia-dinh.xlsx".to_owned(),
        content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        bytes: xlsx("Hộ gia đình", &headers, &[row])?,
        rows: 1,
    })
}

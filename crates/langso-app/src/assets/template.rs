//! The asset register's import template: an XLSX with the Vietnamese headers the import reads
//! and one example row (a camera at a crossroads of a village the officer manages), so the
//! template imported as it is adds that one asset and nothing is refused.

use langso_render::sheet::{SheetCell, xlsx};

use super::MANAGE;
use super::import::template_headers;
use crate::auth::Actor;
use crate::households::ExportFile;
use crate::{AppError, AppResult, Db, today};

/// The example asset's code.
pub const EXAMPLE_ASSET_CODE: &str = "CAM-MAU-001";

/// The example row's cell under each canonical header.
fn example(header: &str, village: &str, day: time::Date) -> SheetCell {
    let text = |v: &str| SheetCell::Text(v.to_owned());
    match header {
        "Mã thiết bị" => text(EXAMPLE_ASSET_CODE),
        "Mã thôn" => text(village),
        "Loại thiết bị" => text("Camera"),
        "Tên" => text("Camera cổng làng"),
        "Loại vị trí" => text("Ngã tư"),
        "Vĩ độ" => SheetCell::Number(21.0865),
        "Kinh độ" => SheetCell::Number(105.6703),
        "Ngày lắp đặt" => SheetCell::Date(day.year(), u8::from(day.month()), day.day()),
        "Nguồn kinh phí" => text("Xã hội hóa"),
        "Người quản lý" => text("Nguyễn Văn An"),
        "Người đóng góp" => text("Nguyễn Văn An: 500000; Trần Thị Hoa: 300000"),
        "Ghi chú" => text("Dòng mẫu: thay bằng các thiết bị của thôn"),
        _ => SheetCell::Empty,
    }
}

/// The template for someone who may manage assets somewhere.
pub async fn asset_import_template(db: &Db, actor: &Actor) -> AppResult<ExportFile> {
    let village = crate::units::example_village(db, actor, MANAGE)
        .await?
        .ok_or(AppError::Forbidden)?;
    let headers = template_headers();
    let day = today();
    let row = headers
        .iter()
        .map(|h| example(h, &village.code, day))
        .collect();
    Ok(ExportFile {
        file_name: "mau-nhap-thiet-bi.xlsx".to_owned(),
        content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        bytes: xlsx("Thiết bị", &headers, &[row])?,
        rows: 1,
    })
}

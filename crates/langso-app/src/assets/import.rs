//! Reading an asset register from CSV (UTF-8, a BOM tolerated) into [`AssetInput`]s for
//! [`import_assets`](super::import_assets): every bad cell is named by row and column, and
//! nothing is written unless the whole file is good.
//!
//! Columns: `code,unit_code,kind,name,place_type,latitude,longitude,installed_on,funding,
//! keeper,status,lamp_type,heartbeat_seconds,contributors,notes`; contributors are
//! `Name:amount; Name:amount`. Only `unit_code`, `kind`, `name`, `place_type` and `funding` are
//! required.

use time::Date;

use super::register::{AssetImport, AssetInput, import_assets};
use crate::auth::Actor;
use crate::{AppError, AppResult, CellError, Db};

const REQUIRED: [&str; 5] = ["unit_code", "kind", "name", "place_type", "funding"];

/// Parses the CSV and imports it all or nothing (`dry_run`: check only).
pub async fn import_assets_csv(
    db: &Db,
    actor: &Actor,
    input: impl std::io::Read,
    dry_run: bool,
) -> AppResult<AssetImport> {
    let inputs = parse_csv(input)?;
    import_assets(db, actor, &inputs, dry_run).await
}

/// Parses the CSV; every bad cell is reported.
pub fn parse_csv(input: impl std::io::Read) -> AppResult<Vec<AssetInput>> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| AppError::refused(format!("CSV: {e}")))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_owned())
        .collect();
    let mut problems = Vec::new();
    for required in REQUIRED {
        if !headers.iter().any(|h| h == required) {
            problems.push(CellError::new(1, required, "thiếu cột / missing column"));
        }
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| AppError::refused(format!("CSV: {e}")))?;
        let get = |name: &str| {
            headers
                .iter()
                .position(|h| h == name)
                .and_then(|p| record.get(p))
                .map(str::trim)
                .unwrap_or("")
                .to_owned()
        };
        let mut number = |name: &str| -> Option<f64> {
            let text = get(name);
            if text.is_empty() {
                return None;
            }
            text.parse()
                .map_err(|_| {
                    problems.push(CellError::new(line, name, "không phải số / not a number"))
                })
                .ok()
        };
        let latitude = number("latitude");
        let longitude = number("longitude");
        let heartbeat = number("heartbeat_seconds").map(|v| v as i64);
        let installed = get("installed_on");
        let installed_on = if installed.is_empty() {
            None
        } else {
            let format = time::macros::format_description!("[year]-[month]-[day]");
            match Date::parse(&installed, &format) {
                Ok(d) => Some(d),
                Err(_) => {
                    problems.push(CellError::new(
                        line,
                        "installed_on",
                        "ngày YYYY-MM-DD / a YYYY-MM-DD date",
                    ));
                    None
                }
            }
        };
        let mut contributors = Vec::new();
        for part in get("contributors")
            .split(';')
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            match part
                .rsplit_once(':')
                .map(|(n, a)| (n.trim(), a.trim().replace(['.', ','], "").parse::<i64>()))
            {
                Some((name, Ok(amount))) if !name.is_empty() => {
                    contributors.push((name.to_owned(), amount))
                }
                _ => problems.push(CellError::new(
                    line,
                    "contributors",
                    "dạng Tên:số tiền; … / Name:amount; …",
                )),
            }
        }
        rows.push(AssetInput {
            code: get("code"),
            unit_id: None,
            unit_code: Some(get("unit_code")),
            kind: get("kind"),
            name: get("name"),
            place_type: get("place_type"),
            latitude,
            longitude,
            installed_on,
            funding: get("funding"),
            contributors,
            keeper: get("keeper"),
            status: get("status"),
            lamp_type: Some(get("lamp_type")).filter(|l| !l.is_empty()),
            heartbeat_seconds: heartbeat,
            notes: get("notes"),
        });
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(AppError::Invalid(problems))
    }
}

//! The 统计 page's commands: the office bulletin (通报) for a period, on a
//! bureau device the relay's consolidated bulletin with each office's sync
//! health, and their export to .xlsx, .docx, .csv or .json. Thin over
//! `hongdun_core::stats` and `hongdun_core::sync::bureau`: the figures,
//! charts and files are the core's; this only finds the period and the
//! folder.

use std::path::PathBuf;

use hongdun_core::stats::{export, Bulletin, BureauBulletin, ExportFormat, Period};
use hongdun_core::store::Store;
use hongdun_core::sync::{bureau, client::SyncError};
use tauri::{AppHandle, Manager, State};

use crate::commands::relay_of;
use crate::Desk;

/// The period asked for, or this month.
fn period_of(store: &Store, code: Option<&str>) -> Result<Period, String> {
    match code.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => Period::parse(c).map_err(|e| {
            format!("统计期间“{c}”无法识别，请按 2026-06、2026-Q2、2026-H1、2026 或 2026-06-ytd 填写（{e}）")
        }),
        None => Ok(Period::month_of(store.today())),
    }
}

fn bulletin_of(desk: &Desk, code: Option<&str>) -> Result<Bulletin, String> {
    let store = desk.store.as_ref().map_err(Clone::clone)?;
    let store = store
        .lock()
        .map_err(|_| "台账出现内部错误，请重新启动红盾".to_string())?;
    let period = period_of(&store, code)?;
    store
        .office_bulletin(period)
        .map_err(|e| format!("生成{}通报失败（{e}）", period.label()))
}

/// The relay's consolidated bulletin of `period` (default this month). The
/// store is held only to read the period and the relay; the request runs
/// on a blocking thread.
async fn bureau_bulletin_of(desk: &Desk, code: Option<&str>) -> Result<BureauBulletin, String> {
    let (period, relay) = {
        let store = desk.store.as_ref().map_err(Clone::clone)?;
        let store = store
            .lock()
            .map_err(|_| "台账出现内部错误，请重新启动红盾".to_string())?;
        let period = period_of(&store, code)?;
        let relay = relay_of(&store, "各单位汇总")?;
        (period, relay)
    };
    tauri::async_runtime::spawn_blocking(move || bureau::bulletin(&relay, period, &[]))
        .await
        .map_err(|e| format!("全局汇总请求中断（{e}）"))?
        .map_err(|e| say_bureau(&e))
}

/// A failed bureau request in words for the clerk.
fn say_bureau(e: &SyncError) -> String {
    match e {
        SyncError::Refused { status: 403, .. } => {
            "只有市局（中心）登记的设备可以查看各单位汇总".to_string()
        }
        other => {
            let p = other.problem(false);
            format!("{}（{}）", p.message, p.detail)
        }
    }
}

/// Where exports go: the user's downloads folder when there is one, else
/// `exports/` beside the store (always so when `$HONGDUN_DATA` is set, so
/// demos and tests keep their files together).
pub(crate) fn export_dir(app: &AppHandle) -> Result<PathBuf, String> {
    let downloads = app.path().download_dir().ok().filter(|d| d.is_dir());
    match downloads {
        Some(d) if std::env::var_os("HONGDUN_DATA").is_none() => Ok(d),
        _ => {
            let dir = crate::data_dir::resolve(app.path().app_data_dir())?.join("exports");
            std::fs::create_dir_all(&dir)
                .map_err(|e| format!("无法创建导出文件夹 {}（{e}）", dir.display()))?;
            Ok(dir)
        }
    }
}

/// `office_bulletin`: the bulletin of `period` (default this month).
#[tauri::command]
pub async fn office_bulletin(
    desk: State<'_, Desk>,
    period: Option<String>,
) -> Result<Bulletin, String> {
    bulletin_of(&desk, period.as_deref())
}

/// `bureau_bulletin`: the relay's consolidated bulletin of `period` (default
/// this month) with each office's figures and sync health; bureau devices.
#[tauri::command]
pub async fn bureau_bulletin(
    desk: State<'_, Desk>,
    period: Option<String>,
) -> Result<BureauBulletin, String> {
    bureau_bulletin_of(&desk, period.as_deref()).await
}

/// `export_bulletin`: write the bulletin of `period` as `format` (with
/// `bureau`, the consolidated one); answers the file's full path.
#[tauri::command]
pub async fn export_bulletin(
    app: AppHandle,
    desk: State<'_, Desk>,
    period: Option<String>,
    format: ExportFormat,
    bureau: Option<bool>,
) -> Result<String, String> {
    let bureau = bureau.unwrap_or(false);
    let bulletin = if bureau {
        bureau_bulletin_of(&desk, period.as_deref()).await?.bulletin
    } else {
        bulletin_of(&desk, period.as_deref())?
    };
    let dir = export_dir(&app)?;
    let path = dir.join(format!(
        "红盾{}通报-{}.{}",
        if bureau { "汇总" } else { "" },
        bulletin.period.code(),
        format.extension()
    ));
    export::write(&bulletin, format, &path)
        .map_err(|e| format!("导出通报失败：{}（{e}）", path.display()))?;
    Ok(path.display().to_string())
}

//! 联合办案 in the desk: the 共享 panel (share a case file with a partner
//! organisation through the relay, list and revoke its shares), the 审计记录
//! panel and its xlsx report, partner mode, and 校验 (verify every stored
//! history). Thin over `hongdun_core::sync::share`, the store's `audit`,
//! `mode`, `share_state` and `verify`; arguments and answers are in
//! `hongdun_core::desk::joint`.
//!
//! The commands that talk to the relay run on a blocking thread, so a slow
//! line never stalls the window. They read the relay's address and the
//! document id under the store's lock and make the request without it, so
//! the rest of the desk stays usable while the relay answers; only sharing's
//! sync beforehand holds the store for its rounds, as a sync does.

use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use hongdun_core::audit;
use hongdun_core::desk::joint::{share_expiry, AuditView, JointStatus, SharedRecord};
use hongdun_core::desk::ListQuery;
use hongdun_core::joint::{PartnerOrg, Share, ShareCreated, ShareMode, StoreMode, VerifyReport};
use hongdun_core::store::{RemoteConfig, Store};
use hongdun_core::sync::client::{self, SyncError};
use hongdun_core::sync::engine::RoundLimits;
use hongdun_core::sync::share::{self, ShareRequest};
use tauri::{AppHandle, State};

use crate::commands::{not_enrolled, relay_of, say, with_store};
use crate::Desk;

/// How long bringing the relay up to date before sharing may take.
const SYNC_TIMEOUT: Duration = Duration::from_secs(60);

/// A relay error as a sentence for the clerk; nothing is lost in any case.
fn say_relay(what: &str) -> impl Fn(SyncError) -> String + '_ {
    move |err| {
        match err {
        SyncError::NotEnrolled => not_enrolled(what),
        SyncError::Unreachable { server, detail } => format!(
            "{what}：连不上市局中心 {server}（网络不通或地址有误）。本机数据都已保存，网络恢复后请再试一次（{detail}）"
        ),
        SyncError::Refused {
            status, message, ..
        } => format!("{what}：市局中心拒绝了这一请求（{status}：{message}）"),
        SyncError::Store(e) => say(what)(e),
        other => format!("{what}失败（{other}）"),
    }
    }
}

/// The relay's address and the id of record `id`, read under the lock.
fn relay_and_doc(desk: &Desk, id: &str, what: &str) -> Result<(RemoteConfig, String), String> {
    with_store(desk, |store| {
        let cfg = relay_of(store, what)?;
        let doc = store.resolve_id(id).map_err(say(what))?;
        Ok((cfg, doc))
    })
}

/// Runs `f` (a request to the relay, without the store) on a blocking thread.
async fn off_thread<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, String> + Send + 'static,
) -> Result<T, String> {
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| format!("后台任务中断，请再试一次（{e}）"))?
}

/// Runs `f` with the store on a blocking thread (a sync, or local work
/// that may take a while).
async fn with_store_blocking<T: Send + 'static>(
    desk: &Desk,
    f: impl FnOnce(&mut Store) -> Result<T, String> + Send + 'static,
) -> Result<T, String> {
    let store: Arc<Mutex<Store>> = desk.store.as_ref().map_err(Clone::clone)?.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let mut store = store
            .lock()
            .map_err(|_| "台账出现内部错误，请重新启动红盾".to_string())?;
        f(&mut store)
    })
    .await
    .map_err(|e| format!("后台任务中断，请再试一次（{e}）"))?
}

/// `partner_orgs`: the partner organisations the relay knows, offered in
/// the 共享 form. The store is held only to read the relay's address.
#[tauri::command]
pub async fn partner_orgs(desk: State<'_, Desk>) -> Result<Vec<PartnerOrg>, String> {
    let cfg = with_store(&desk, |store| relay_of(store, "读取合作单位"))?;
    off_thread(move || share::partners(&cfg).map_err(say_relay("读取合作单位"))).await
}

/// `joint_status`: office or partner mode; in partner mode the case files
/// held here, each still shared or not.
#[tauri::command]
pub async fn joint_status(desk: State<'_, Desk>) -> Result<JointStatus, String> {
    with_store(&desk, |store| {
        let mode = store.mode().map_err(say("读取共享状态"))?;
        let mut records = Vec::new();
        if matches!(mode, StoreMode::Partner { .. }) {
            let list = store
                .list(&ListQuery {
                    include_revoked: true,
                    limit: Some(1000),
                    ..Default::default()
                })
                .map_err(say("读取共享案卷"))?;
            for r in list {
                let state = store.share_state(&r.id).map_err(say("读取共享状态"))?;
                let mode = store.partner_mode(&r.id).map_err(say("读取共享状态"))?;
                records.push(SharedRecord {
                    id: r.id,
                    number: r.number,
                    title: r.title,
                    state,
                    mode,
                });
            }
        }
        Ok(JointStatus { mode, records })
    })
}

/// `share_case`: sends the office's changes first (the relay must know the
/// case file), then creates the share and the partner device's enrollment
/// code.
#[tauri::command]
pub async fn share_case(
    desk: State<'_, Desk>,
    id: String,
    partner: String,
    mode: ShareMode,
    expires: Option<chrono::NaiveDate>,
    partner_user: Option<String>,
) -> Result<ShareCreated, String> {
    const WHAT: &str = "共享案卷";
    let partner = partner.trim().to_string();
    if partner.is_empty() {
        return Err(format!(
            "{WHAT}：请填写合作单位在市局中心的单位代码（如 GA0101）"
        ));
    }
    let expires_at = match expires {
        Some(day) => Some(
            share_expiry(day)
                .filter(|t| *t > Utc::now())
                .ok_or_else(|| format!("{WHAT}：截止日期 {day} 已过，请选择今天或以后的日期"))?,
        ),
        None => None,
    };
    let partner_user = partner_user
        .map(|u| u.trim().to_string())
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| partner.clone());
    // The relay must know the case file: the office's changes go up first.
    let (cfg, doc) = with_store_blocking(&desk, move |store| {
        if store.mode().map_err(say(WHAT))? != StoreMode::Office {
            return Err(format!("{WHAT}：合作单位不能再共享案卷"));
        }
        let cfg = relay_of(store, WHAT)?;
        let doc = store.resolve_id(&id).map_err(say(WHAT))?;
        let limits = RoundLimits {
            attachment_budget_bytes: 0,
            ..RoundLimits::default()
        };
        client::sync(
            store,
            limits,
            SYNC_TIMEOUT,
            &AtomicBool::new(false),
            &mut |_| {},
        )
        .map_err(say_relay(WHAT))?;
        Ok((cfg, doc))
    })
    .await?;
    let req = ShareRequest {
        partner,
        mode,
        expires_at,
        partner_user: Some(partner_user),
        partner_device: None,
    };
    off_thread(move || share::create_share(&cfg, &doc, &req).map_err(say_relay(WHAT))).await
}

/// `case_shares`: every share of a case file, with each partner's last sync.
#[tauri::command]
pub async fn case_shares(desk: State<'_, Desk>, id: String) -> Result<Vec<Share>, String> {
    const WHAT: &str = "读取共享情况";
    let (cfg, doc) = relay_and_doc(&desk, &id, WHAT)?;
    off_thread(move || share::shares_of(&cfg, &doc).map_err(say_relay(WHAT))).await
}

/// `unshare_case`: revokes a share of case file `id`; the partner loses it
/// at its next sync.
#[tauri::command]
pub async fn unshare_case(
    desk: State<'_, Desk>,
    id: String,
    grant: String,
) -> Result<Share, String> {
    const WHAT: &str = "停止共享";
    let (cfg, doc) = relay_and_doc(&desk, &id, WHAT)?;
    off_thread(move || {
        let shares = share::shares_of(&cfg, &doc).map_err(say_relay(WHAT))?;
        if !shares.iter().any(|s| s.id == grant) {
            return Err(format!(
                "{WHAT}：这份案卷没有这一共享，可能已被撤销，请刷新"
            ));
        }
        share::revoke(&cfg, &grant).map_err(say_relay(WHAT))
    })
    .await
}

/// The audit trail: authors fetched from the relay when it answers (the
/// request made without the store), else those known here.
async fn audit_view(desk: &Desk, id: &str) -> Result<AuditView, String> {
    const WHAT: &str = "读取审计记录";
    let (cfg, doc) = with_store(desk, |store| {
        let doc = store.resolve_id(id).map_err(say(WHAT))?;
        Ok((store.remote().map_err(say(WHAT))?, doc))
    })?;
    let (fresh, note) = match cfg {
        Some(cfg) => {
            let fetched = {
                let doc = doc.clone();
                off_thread(move || Ok(share::fetch_authors(&cfg, &doc))).await?
            };
            match fetched {
                Ok(authors) => {
                    with_store(desk, |store| {
                        store.remember_authors(&authors).map_err(say(WHAT))
                    })?;
                    (true, None)
                }
                Err(err) => {
                    tracing::info!(%err, "audit trail from the authors known locally");
                    (
                        false,
                        Some(say_relay("未能从市局中心更新作者信息，显示本机已知的信息")(
                            err,
                        )),
                    )
                }
            }
        }
        None => (
            false,
            Some("本机未登记到市局中心，显示本机已知的信息".to_string()),
        ),
    };
    let entries = with_store(desk, |store| store.audit(&doc).map_err(say(WHAT)))?;
    Ok(AuditView {
        entries,
        fresh,
        note,
    })
}

/// `audit_trail`: every change of a record with organisation, user, device
/// and time, oldest first.
#[tauri::command]
pub async fn audit_trail(desk: State<'_, Desk>, id: String) -> Result<AuditView, String> {
    audit_view(&desk, &id).await
}

fn file_safe(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '-',
            c if c.is_control() => '-',
            c => c,
        })
        .collect::<String>()
        .trim()
        .to_string()
}

/// `export_audit`: writes the audit report (xlsx) of a record to Downloads
/// (or `<store>/exports/`, as the bulletin export does); answers its path.
#[tauri::command]
pub async fn export_audit(
    app: AppHandle,
    desk: State<'_, Desk>,
    id: String,
) -> Result<String, String> {
    let dir = crate::bulletin::export_dir(&app)?;
    let view = audit_view(&desk, &id).await?;
    with_store_blocking(&desk, move |store| {
        let rec = store.get(&id).map_err(say("导出审计报告"))?;
        let number = rec.number.clone().unwrap_or_default();
        let title = format!("审计记录 — {number} {}", rec.title);
        let name = if number.is_empty() {
            rec.id.chars().take(8).collect()
        } else {
            file_safe(&number)
        };
        let path = dir.join(format!("红盾审计记录-{name}.xlsx"));
        audit::write_xlsx(&path, title.trim(), &view.entries)
            .map_err(|e| format!("导出审计报告失败：{}（{e}）", path.display()))?;
        Ok(path.display().to_string())
    })
    .await
}

/// `verify_store`: checks that every stored document's history is intact.
#[tauri::command]
pub async fn verify_store(desk: State<'_, Desk>) -> Result<VerifyReport, String> {
    with_store_blocking(&desk, |store| store.verify().map_err(say("校验台账"))).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_keep_chinese_numbers_and_drop_separators() {
        assert_eq!(
            file_safe("马市监处罚〔2026〕193号"),
            "马市监处罚〔2026〕193号"
        );
        assert_eq!(file_safe("a/b:c"), "a-b-c");
    }

    #[test]
    fn an_unreachable_relay_is_explained_in_chinese_and_nothing_is_lost() {
        let msg = say_relay("共享案卷")(SyncError::Unreachable {
            server: "http://r".into(),
            detail: "refused".into(),
        });
        assert!(
            msg.contains("连不上市局中心") && msg.contains("已保存"),
            "{msg}"
        );
    }
}

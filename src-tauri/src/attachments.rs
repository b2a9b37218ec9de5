//! Commands of the attachments panel: list a record's attachments with their
//! state on this device, attach a picked or dropped file, show an image's
//! thumbnail, open a verified file with the system viewer, fetch a missing one
//! now, and the office's fetch policy and limits.
//!
//! Thin wrappers over `hongdun_core::store` and `hongdun_core::sync::attachments`.
//! A fetch runs on its own thread over a second connection to the same store
//! (SQLite WAL), so the window keeps reading while bytes arrive; its progress
//! shows as the row's `fetching n%` state the panel polls.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use hongdun_core::attachment::{AttachmentSettings, AttachmentView};
use hongdun_core::store::{Store, StoreError};
use tauri::State;

use crate::commands::{relay_of, say, user, with_store};
use crate::Desk;

/// Images larger than this get no thumbnail (the row still opens them).
pub const THUMBNAIL_MAX_BYTES: u64 = 2 * 1024 * 1024;

/// How long a fetch waits on a silent line before giving up.
const FETCH_IDLE_TIMEOUT: Duration = Duration::from_secs(60);

/// Hashes being fetched now, so a second click does not start a second fetch.
#[derive(Default)]
pub struct Fetches(Arc<Mutex<HashSet<String>>>);

/// An attachment error as a sentence for the clerk; limits keep their advice.
fn say_attach(what: &'static str) -> impl Fn(StoreError) -> String {
    move |err| match &err {
        StoreError::AttachmentLimit(detail) => {
            format!("{what}：文件超过本单位设定的附件大小上限（{detail}）")
        }
        _ => say(what)(err),
    }
}

/// `attachments`: a record's attachments with their state here.
#[tauri::command]
pub async fn attachments(desk: State<'_, Desk>, id: String) -> Result<Vec<AttachmentView>, String> {
    with_store(&desk, |store| {
        store.attachments(&id).map_err(say_attach("读取附件"))
    })
}

/// `attach_file`: stores a picked or dropped file (bytes in base64) and
/// references it from the record.
#[tauri::command]
pub async fn attach_file(
    desk: State<'_, Desk>,
    id: String,
    name: String,
    data_base64: String,
) -> Result<AttachmentView, String> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data_base64.as_bytes())
        .map_err(|err| format!("添加附件：文件内容无法读取（{err}）"))?;
    with_store(&desk, |store| {
        let by = user(store)?;
        store
            .attach_bytes(&id, &name, &bytes, &by)
            .map_err(say_attach("添加附件"))
    })
}

/// A `data:` URL of a verified image, or None when it is not an image, not
/// here, or larger than [`THUMBNAIL_MAX_BYTES`].
pub fn thumbnail(store: &Store, sha: &str) -> Result<Option<String>, StoreError> {
    let Some(path) = store.attachment_file(sha)? else {
        return Ok(None);
    };
    let Some(mime) = image_mime(&path) else {
        return Ok(None);
    };
    let len = std::fs::metadata(&path)
        .map(|m| m.len())
        .unwrap_or(u64::MAX);
    if len > THUMBNAIL_MAX_BYTES {
        return Ok(None);
    }
    let bytes = std::fs::read(&path).map_err(|e| StoreError::Invalid(e.to_string()))?;
    Ok(Some(format!(
        "data:{mime};base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )))
}

/// The image type of a blob from its first bytes (blobs carry no extension).
fn image_mime(path: &Path) -> Option<&'static str> {
    use std::io::Read;
    let mut head = [0u8; 12];
    let mut file = std::fs::File::open(path).ok()?;
    let n = file.read(&mut head).ok()?;
    let head = &head[..n];
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if head.starts_with(b"GIF8") {
        Some("image/gif")
    } else if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

/// `attachment_thumbnail`: see [`thumbnail`].
#[tauri::command]
pub async fn attachment_thumbnail(
    desk: State<'_, Desk>,
    sha: String,
) -> Result<Option<String>, String> {
    with_store(&desk, |store| {
        thumbnail(store, &sha).map_err(say("读取缩略图"))
    })
}

/// Where a verified attachment is copied under its own name, so the system
/// viewer knows its type: `<store>/opened/<sha>/<name>`.
pub fn viewable_copy(store: &mut Store, record: &str, sha: &str) -> Result<PathBuf, String> {
    let views = store.attachments(record).map_err(say("打开附件"))?;
    let view = views
        .iter()
        .find(|v| v.reference.sha256 == sha)
        .ok_or_else(|| "打开附件：这条记录没有这个附件".to_string())?;
    let path = store
        .attachment_file(sha)
        .map_err(say("打开附件"))?
        .ok_or_else(|| {
            "打开附件：本机还没有这个文件（或未通过校验），请先“立即获取”".to_string()
        })?;
    let name = Path::new(&view.reference.name)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| sha.to_string());
    let dir = store.dir().join("opened").join(sha);
    std::fs::create_dir_all(&dir).map_err(|err| format!("打开附件失败（{err}）"))?;
    let copy = dir.join(name);
    if !copy.exists() {
        std::fs::copy(&path, &copy).map_err(|err| format!("打开附件失败（{err}）"))?;
    }
    Ok(copy)
}

/// `open_attachment`: opens a verified attachment with the system viewer.
#[tauri::command]
pub async fn open_attachment(desk: State<'_, Desk>, id: String, sha: String) -> Result<(), String> {
    let copy = with_store(&desk, |store| viewable_copy(store, &id, &sha))?;
    std::process::Command::new(opener())
        .arg(&copy)
        .spawn()
        .map_err(|err| format!("打开附件：找不到可以打开此文件的程序（{err}）"))?;
    Ok(())
}

fn opener() -> &'static str {
    if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(target_os = "windows") {
        "explorer"
    } else {
        "xdg-open"
    }
}

/// `fetch_attachment`: fetches a missing attachment from the relay now, on
/// a background thread; the row shows `fetching n%`, then its final state.
#[tauri::command]
pub async fn fetch_attachment(
    desk: State<'_, Desk>,
    fetches: State<'_, Fetches>,
    sha: String,
) -> Result<(), String> {
    let dir = with_store(&desk, |store| {
        relay_of(store, "立即获取")?;
        Ok(store.dir().to_path_buf())
    })?;
    let running = fetches.0.clone();
    {
        let mut set = running
            .lock()
            .map_err(|_| "立即获取：内部错误，请重新启动红盾".to_string())?;
        if !set.insert(sha.clone()) {
            return Ok(());
        }
    }
    std::thread::spawn(move || {
        let result = Store::open(&dir)
            .map_err(|e| e.to_string())
            .and_then(|mut store| {
                let cancel = AtomicBool::new(false);
                hongdun_core::sync::attachments::fetch_now(
                    &mut store,
                    &sha,
                    FETCH_IDLE_TIMEOUT,
                    &cancel,
                )
                .map_err(|e| e.to_string())
            });
        match result {
            Ok(complete) => tracing::info!(%sha, complete, "attachment fetch ended"),
            Err(err) => tracing::warn!(%sha, %err, "attachment fetch failed"),
        }
        if let Ok(mut set) = running.lock() {
            set.remove(&sha);
        }
    });
    Ok(())
}

/// `attachment_settings`: fetch on demand or always, and the size limits.
#[tauri::command]
pub async fn attachment_settings(desk: State<'_, Desk>) -> Result<AttachmentSettings, String> {
    with_store(&desk, |store| {
        store.attachment_settings().map_err(say("读取附件设置"))
    })
}

/// `set_attachment_settings`: changes them (limits above zero).
#[tauri::command]
pub async fn set_attachment_settings(
    desk: State<'_, Desk>,
    settings: AttachmentSettings,
) -> Result<AttachmentSettings, String> {
    with_store(&desk, |store| {
        store
            .set_attachment_settings(&settings)
            .map_err(|_| "附件设置：大小上限必须大于零".to_string())?;
        store.attachment_settings().map_err(say("读取附件设置"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn office() -> (tempfile::TempDir, Store, String) {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut store = Store::open(dir.path()).expect("store");
        store.init("350100", "测试所").expect("init");
        let mut fields = serde_json::Map::new();
        fields.insert("source_type".into(), "inspection.routine".into());
        fields.insert("received_on".into(), "2026-11-20".into());
        fields.insert("summary".into(), "现场检查发现过期食品".into());
        let id = store
            .create(hongdun_core::record::RecordKind::Lead, &fields, "张三")
            .expect("lead");
        (dir, store, id)
    }

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

    #[test]
    fn an_attached_image_gets_a_data_url_thumbnail() {
        let (_dir, mut store, id) = office();
        let view = store
            .attach_bytes(&id, "现场.png", PNG, "张三")
            .expect("attach");
        let url = thumbnail(&store, &view.reference.sha256).expect("thumb");
        assert!(url.is_some_and(|u| u.starts_with("data:image/png;base64,")));
    }

    #[test]
    fn a_document_gets_no_thumbnail() {
        let (_dir, mut store, id) = office();
        let view = store
            .attach_bytes(&id, "笔录.pdf", b"%PDF-1.4 ...", "张三")
            .expect("attach");
        assert_eq!(
            thumbnail(&store, &view.reference.sha256).expect("thumb"),
            None
        );
    }

    #[test]
    fn the_viewer_opens_a_copy_named_as_attached() {
        let (_dir, mut store, id) = office();
        let view = store
            .attach_bytes(&id, "现场.png", PNG, "张三")
            .expect("attach");
        let copy = viewable_copy(&mut store, &id, &view.reference.sha256).expect("copy");
        assert_eq!(copy.file_name().and_then(|n| n.to_str()), Some("现场.png"));
        assert_eq!(std::fs::read(copy).expect("read"), PNG);
    }

    #[test]
    fn a_missing_attachment_is_never_opened() {
        let (_dir, mut store, id) = office();
        let err = viewable_copy(&mut store, &id, &"ab".repeat(32)).expect_err("no such file");
        assert!(err.contains("没有"), "{err}");
    }

    #[test]
    fn a_file_over_the_limit_is_refused_in_chinese() {
        let (_dir, mut store, id) = office();
        store
            .set_attachment_settings(&AttachmentSettings {
                max_file_bytes: 4,
                ..AttachmentSettings::default()
            })
            .expect("settings");
        let err = store
            .attach_bytes(&id, "大.png", PNG, "张三")
            .map_err(say_attach("添加附件"))
            .expect_err("over the limit");
        assert!(err.contains("上限"), "{err}");
    }
}

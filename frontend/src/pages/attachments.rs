//! 附件: a record's evidence files (现场照片, 笔录 scans, 鉴定报告…) and the
//! office's attachment settings.
//!
//! Files come from a picker or are dropped on the panel; the WebView hands
//! over their bytes, which the shell stores by content and references from
//! the record. Each row shows where the bytes are (only here, uploading n%,
//! synced, missing here, fetching n%) with 打开 for verified files and
//! 立即获取 for missing ones. While a transfer runs the panel re-reads the
//! rows every second; otherwise it re-reads after a sync.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use hongdun_core::attachment::{
    human, AttachmentSettings, AttachmentState, AttachmentView, FetchPolicy,
};
use hongdun_core::desk::SyncPhase;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{File, FileList, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::record::local_time;
use super::{status_line, use_desk};
use crate::bridge::{self, BridgeError};
use crate::i18n::t;

/// How often rows are re-read while bytes move.
const POLL_MS: i32 = 1000;

const MB: u64 = 1024 * 1024;

/// The short code of a state, for `data-state` (tests and styling).
pub fn state_code(state: AttachmentState) -> &'static str {
    match state {
        AttachmentState::LocalOnly => "local_only",
        AttachmentState::Uploading { .. } => "uploading",
        AttachmentState::Synced => "synced",
        AttachmentState::Missing => "missing",
        AttachmentState::Fetching { .. } => "fetching",
    }
}

/// Whether the rows will change without the clerk doing anything: a fetch
/// or upload is under way, a fetch was just asked for (`asked`), or a sync
/// runs while something waits to go up.
pub fn in_motion(rows: &[AttachmentView], sync: SyncPhase, asked: &HashSet<String>) -> bool {
    rows.iter().any(|v| match v.state {
        AttachmentState::Uploading { .. } | AttachmentState::Fetching { .. } => true,
        AttachmentState::LocalOnly => sync == SyncPhase::Running,
        AttachmentState::Missing => asked.contains(&v.reference.sha256),
        AttachmentState::Synced => false,
    })
}

/// A limit typed in MB, as bytes (`None` unless a whole number above zero).
pub fn parse_mb(text: &str) -> Option<u64> {
    text.trim()
        .parse::<u64>()
        .ok()
        .filter(|mb| *mb > 0)
        .and_then(|mb| mb.checked_mul(MB))
}

/// The rows as last read, with a generation that changes on every read (so
/// the polling effect runs again after each one).
type Rows = Option<(u32, Result<Vec<AttachmentView>, BridgeError>)>;

/// Reads a record's rows and the thumbnails of its images.
#[derive(Clone)]
struct Loader {
    id: String,
    rows: UseStateHandle<Rows>,
    /// sha → `data:` URL; images whose bytes are here, read once.
    thumbs: Rc<RefCell<HashMap<String, String>>>,
    /// Fetches asked for in this panel and not yet seen under way or done.
    asked: Rc<RefCell<HashSet<String>>>,
    generation: Rc<Cell<u32>>,
}

impl Loader {
    async fn load(&self) {
        let got = bridge::attachments(&self.id).await;
        if let Ok(list) = &got {
            self.asked.borrow_mut().retain(|sha| {
                list.iter()
                    .any(|v| &v.reference.sha256 == sha && v.state == AttachmentState::Missing)
            });
            for v in list {
                let sha = &v.reference.sha256;
                let known = self.thumbs.borrow().contains_key(sha);
                if known || !v.reference.is_image() || !v.state.is_present() {
                    continue;
                }
                if let Ok(Some(url)) = bridge::attachment_thumbnail(sha).await {
                    self.thumbs.borrow_mut().insert(sha.clone(), url);
                }
            }
        }
        self.generation.set(self.generation.get().wrapping_add(1));
        self.rows.set(Some((self.generation.get(), got)));
    }
}

#[derive(Properties, PartialEq)]
pub struct AttachmentsProps {
    /// The record's id.
    pub id: String,
}

#[function_component(AttachmentsPanel)]
pub fn attachments_panel(props: &AttachmentsProps) -> Html {
    let s = t();
    let desk = use_desk();
    let rows = use_state(|| None::<(u32, Result<Vec<AttachmentView>, BridgeError>)>);
    let thumbs = use_mut_ref(HashMap::<String, String>::new);
    let asked = use_mut_ref(HashSet::<String>::new);
    // One read counter per panel, shared by every loader of it.
    let generation = use_memo((), |_| Cell::new(0u32));
    let message = use_state(|| (String::new(), false));
    let busy = use_state(|| false);
    let dragging = use_state(|| false);
    let loader = Loader {
        id: props.id.clone(),
        rows: rows.clone(),
        thumbs: thumbs.clone(),
        asked: asked.clone(),
        generation,
    };
    {
        let loader = loader.clone();
        use_effect_with(
            (props.id.clone(), desk.changed, desk.sync.phase),
            move |_| spawn_local(async move { loader.load().await }),
        );
    }
    let moving = match &*rows {
        Some((_, Ok(list))) => in_motion(list, desk.sync.phase, &asked.borrow()),
        _ => false,
    };
    {
        let loader = loader.clone();
        let generation = rows.as_ref().map(|(g, _)| *g).unwrap_or(0);
        use_effect_with((moving, generation), move |(moving, _)| {
            if *moving {
                spawn_local(async move {
                    bridge::sleep(POLL_MS).await;
                    loader.load().await;
                });
            }
        });
    }

    let add = {
        let loader = loader.clone();
        let message = message.clone();
        let busy = busy.clone();
        Callback::from(move |files: Vec<File>| {
            if files.is_empty() {
                return;
            }
            let (loader, message, busy) = (loader.clone(), message.clone(), busy.clone());
            busy.set(true);
            spawn_local(async move {
                let mut added = 0;
                let mut failed = Vec::new();
                for file in files {
                    let name = file.name();
                    message.set(((s.attach_adding)(&name), false));
                    let bytes = match JsFuture::from(file.array_buffer()).await {
                        Ok(buf) => js_sys::Uint8Array::new(&buf).to_vec(),
                        Err(_) => {
                            failed.push((s.attach_read_failed)(&name));
                            continue;
                        }
                    };
                    match bridge::attach_file(&loader.id, &name, &bytes).await {
                        Ok(_) => added += 1,
                        Err(err) => failed.push(err.message()),
                    }
                }
                loader.load().await;
                if failed.is_empty() {
                    message.set(((s.attach_added)(added), false));
                } else {
                    message.set((failed.join("；"), true));
                }
                busy.set(false);
            });
        })
    };
    let on_pick = {
        let add = add.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            add.emit(files_of(input.files()));
            // The same file may be picked again after an error.
            input.set_value("");
        })
    };
    let on_dragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(true);
        })
    };
    let on_dragleave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let on_drop = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            add.emit(files_of(e.data_transfer().and_then(|dt| dt.files())));
        })
    };

    let body = match &*rows {
        None => html! { <div class="empty">{ s.loading }</div> },
        Some((_, Err(e))) => status_line(&e.message(), true),
        Some((_, Ok(list))) if list.is_empty() => {
            html! { <div class="empty" data-testid="attachments-empty">{ s.attach_none }</div> }
        }
        Some((_, Ok(list))) => {
            let thumbs = thumbs.borrow();
            html! {
                <table class="records compact attachments">
                    <thead><tr>
                        <th></th>
                        <th>{ s.attach_col_file }</th>
                        <th>{ s.attach_col_size }</th>
                        <th>{ s.attach_col_added }</th>
                        <th>{ s.attach_col_state }</th>
                        <th></th>
                    </tr></thead>
                    <tbody>
                        { for list.iter().map(|v| row(&props.id, v, thumbs.get(&v.reference.sha256), &loader, &message)) }
                    </tbody>
                </table>
            }
        }
    };
    html! {
        <div class={classes!("attachments-panel", dragging.then_some("dragging"))}
             data-testid="attachments-drop"
             ondragover={on_dragover} ondragleave={on_dragleave} ondrop={on_drop}>
            { body }
            <div class="attach-add">
                <label class="button">
                    { s.attach_pick }
                    <input type="file" multiple=true data-testid="attach-input"
                           disabled={*busy} onchange={on_pick} />
                </label>
                <span class="muted small">{ s.attach_drop_hint }</span>
            </div>
            { status_line(&message.0, message.1) }
        </div>
    }
}

fn files_of(list: Option<FileList>) -> Vec<File> {
    list.map(|l| (0..l.length()).filter_map(|i| l.get(i)).collect())
        .unwrap_or_default()
}

fn row(
    id: &str,
    v: &AttachmentView,
    thumb: Option<&String>,
    loader: &Loader,
    message: &UseStateHandle<(String, bool)>,
) -> Html {
    let s = t();
    let r = &v.reference;
    let open = {
        let (id, sha, name) = (id.to_string(), r.sha256.clone(), r.name.clone());
        let message = message.clone();
        Callback::from(move |_: MouseEvent| {
            let (id, sha, name, message) = (id.clone(), sha.clone(), name.clone(), message.clone());
            spawn_local(async move {
                match bridge::open_attachment(&id, &sha).await {
                    Ok(()) => message.set(((s.attach_opened)(&name), false)),
                    Err(err) => message.set((err.message(), true)),
                }
            });
        })
    };
    let fetch = {
        let (sha, name) = (r.sha256.clone(), r.name.clone());
        let (loader, message) = (loader.clone(), message.clone());
        Callback::from(move |_: MouseEvent| {
            let (sha, name) = (sha.clone(), name.clone());
            let (loader, message) = (loader.clone(), message.clone());
            spawn_local(async move {
                match bridge::fetch_attachment(&sha).await {
                    Ok(()) => {
                        loader.asked.borrow_mut().insert(sha.clone());
                        message.set(((s.attach_fetch_started)(&name), false));
                    }
                    Err(err) => message.set((err.message(), true)),
                }
                loader.load().await;
            });
        })
    };
    html! {
        <tr data-testid="attachment-row" data-sha={r.sha256.clone()} data-state={state_code(v.state)}>
            <td class="thumb">
                if let Some(url) = thumb {
                    <img src={url.clone()} alt={r.name.clone()} data-testid="attachment-thumb" />
                }
            </td>
            <td class="name" title={r.mime.clone()}>{ &r.name }</td>
            <td class="size">{ human(r.size) }</td>
            <td class="muted">{ &r.added_by }{ " · " }{ local_time(r.added_at) }</td>
            <td class={classes!("state", state_code(v.state))} data-testid="attachment-state">
                { (s.attach_state)(v.state) }
            </td>
            <td>
                if v.state.is_present() {
                    <button type="button" data-testid="attachment-open" onclick={open}>{ s.attach_open }</button>
                }
                if v.state == AttachmentState::Missing {
                    <button type="button" data-testid="attachment-fetch" onclick={fetch}>{ s.attach_fetch }</button>
                }
            </td>
        </tr>
    }
}

/// 设置 → 附件: fetch on demand or always, and the size limits.
#[function_component(AttachmentSettingsPanel)]
pub fn attachment_settings_panel() -> Html {
    let s = t();
    let loaded = use_state(|| None::<Result<AttachmentSettings, BridgeError>>);
    let fetch = use_state(|| FetchPolicy::OnDemand);
    let max_file = use_state(String::new);
    let max_record = use_state(String::new);
    let message = use_state(|| (String::new(), false));
    let show = {
        let (fetch, max_file, max_record) = (fetch.clone(), max_file.clone(), max_record.clone());
        move |st: &AttachmentSettings| {
            fetch.set(st.fetch);
            max_file.set((st.max_file_bytes / MB).to_string());
            max_record.set((st.max_record_bytes / MB).to_string());
        }
    };
    {
        let (loaded, show) = (loaded.clone(), show.clone());
        use_effect_with((), move |_| {
            spawn_local(async move {
                let got = bridge::attachment_settings().await;
                if let Ok(st) = &got {
                    show(st);
                }
                loaded.set(Some(got));
            });
        });
    }
    match &*loaded {
        None => return html! { <div class="empty">{ s.loading }</div> },
        Some(Err(e)) => return status_line(&e.message(), true),
        Some(Ok(_)) => {}
    }
    let on_submit = {
        let (fetch, max_file, max_record) = (fetch.clone(), max_file.clone(), max_record.clone());
        let message = message.clone();
        move |e: SubmitEvent| {
            e.prevent_default();
            let (Some(max_file_bytes), Some(max_record_bytes)) =
                (parse_mb(&max_file), parse_mb(&max_record))
            else {
                message.set((s.attach_limit_invalid.to_string(), true));
                return;
            };
            let next = AttachmentSettings {
                fetch: *fetch,
                max_file_bytes,
                max_record_bytes,
            };
            let (message, show) = (message.clone(), show.clone());
            spawn_local(async move {
                match bridge::set_attachment_settings(next).await {
                    Ok(st) => {
                        show(&st);
                        message.set((s.saved.to_string(), false));
                    }
                    Err(err) => message.set((err.message(), true)),
                }
            });
        }
    };
    let on_policy = {
        let fetch = fetch.clone();
        move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(p) = FetchPolicy::parse(&value) {
                fetch.set(p);
            }
        }
    };
    let mb_input = |testid: &'static str, state: &UseStateHandle<String>| {
        let st = state.clone();
        html! {
            <input type="text" inputmode="numeric" class="narrow" data-testid={testid}
                   value={(**state).clone()}
                   oninput={move |e: InputEvent| st.set(e.target_unchecked_into::<HtmlInputElement>().value())} />
        }
    };
    html! {
        <form class="stacked-form" data-testid="attach-settings" onsubmit={on_submit}>
            <label>
                <span>{ s.attach_fetch_label }</span>
                <select data-testid="attach-fetch-policy" onchange={on_policy}>
                    <option value="on_demand" selected={*fetch == FetchPolicy::OnDemand}>{ s.attach_fetch_on_demand }</option>
                    <option value="always" selected={*fetch == FetchPolicy::Always}>{ s.attach_fetch_always }</option>
                </select>
            </label>
            <label><span>{ s.attach_max_file }</span>{ mb_input("attach-max-file-mb", &max_file) }</label>
            <label><span>{ s.attach_max_record }</span>{ mb_input("attach-max-record-mb", &max_record) }</label>
            <button type="submit" data-testid="attach-settings-save">{ s.save }</button>
            { status_line(&message.0, message.1) }
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use hongdun_core::attachment::AttachmentRef;

    fn view(state: AttachmentState) -> AttachmentView {
        AttachmentView {
            reference: AttachmentRef {
                sha256: "ab".repeat(32),
                name: "现场.jpg".into(),
                mime: "image/jpeg".into(),
                size: 3 * MB,
                added_by: "李明".into(),
                added_at: Utc::now(),
            },
            state,
        }
    }

    #[test]
    fn rows_are_polled_only_while_bytes_move() {
        let none = HashSet::new();
        let idle = [
            view(AttachmentState::Synced),
            view(AttachmentState::Missing),
        ];
        assert!(!in_motion(&idle, SyncPhase::Running, &none));
        let fetching = [view(AttachmentState::Fetching { percent: 40 })];
        assert!(in_motion(&fetching, SyncPhase::Idle, &none));
        let waiting = [view(AttachmentState::LocalOnly)];
        assert!(!in_motion(&waiting, SyncPhase::Idle, &none));
        assert!(in_motion(&waiting, SyncPhase::Running, &none));
        // 立即获取 was clicked: polled until the fetch shows up.
        let asked = HashSet::from(["ab".repeat(32)]);
        let missing = [view(AttachmentState::Missing)];
        assert!(in_motion(&missing, SyncPhase::Idle, &asked));
    }

    #[test]
    fn limits_are_whole_megabytes_above_zero() {
        assert_eq!(parse_mb(" 100 "), Some(100 * MB));
        assert_eq!(parse_mb("0"), None);
        assert_eq!(parse_mb("1.5"), None);
        assert_eq!(parse_mb("一百"), None);
        assert_eq!(parse_mb(&u64::MAX.to_string()), None);
    }

    #[test]
    fn every_state_has_a_code_and_a_label() {
        for st in [
            AttachmentState::LocalOnly,
            AttachmentState::Uploading { percent: 5 },
            AttachmentState::Synced,
            AttachmentState::Missing,
            AttachmentState::Fetching { percent: 90 },
        ] {
            assert!(!state_code(st).is_empty());
            assert!(!(t().attach_state)(st).is_empty());
        }
        assert_eq!(
            (t().attach_state)(AttachmentState::Uploading { percent: 42 }),
            "上传中 42%"
        );
    }
}

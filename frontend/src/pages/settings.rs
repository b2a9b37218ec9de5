//! 设置: the office (first start), the current user, and enrollment with the
//! bureau's relay using a one-time code.

use hongdun_core::desk::commands::{CreateArgs, EnrollArgs, InitOfficeArgs};
use hongdun_core::desk::{ListQuery, OfficeInfo, Settings};
use hongdun_core::record::RecordKind;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::{status_line, use_desk};
use crate::bridge::{self, BridgeError};
use crate::i18n::t;
use crate::route::Page;

fn text_input(
    testid: &'static str,
    state: &UseStateHandle<String>,
    placeholder: &'static str,
) -> Html {
    let st = state.clone();
    html! {
        <input type="text" data-testid={testid} value={(**state).clone()} {placeholder}
               oninput={move |e: InputEvent| st.set(e.target_unchecked_into::<HtmlInputElement>().value())} />
    }
}

/// The id of the office's directory record, made now if there is none.
async fn directory_of(office: OfficeInfo) -> Result<String, BridgeError> {
    let query = ListQuery {
        kind: Some(RecordKind::Office),
        office: Some(office.code.clone()),
        limit: Some(1),
        ..ListQuery::default()
    };
    if let Some(found) = bridge::list_page(query).await?.rows.into_iter().next() {
        return Ok(found.id);
    }
    let mut fields = serde_json::Map::new();
    fields.insert("office_code".into(), office.code.into());
    fields.insert("name".into(), office.name.into());
    let args = CreateArgs {
        kind: RecordKind::Office,
        fields,
        draft_key: None,
    };
    Ok(bridge::create_record(args).await?.id)
}

#[function_component(SettingsPage)]
pub fn settings_page() -> Html {
    let s = t();
    let desk = use_desk();
    let settings = use_state(|| None::<Result<Settings, BridgeError>>);
    let office_code = use_state(String::new);
    let office_name = use_state(String::new);
    let user = use_state(String::new);
    let server = use_state(String::new);
    let code = use_state(String::new);
    let message = use_state(|| (String::new(), false));
    let busy = use_state(|| false);
    {
        let settings = settings.clone();
        let user = user.clone();
        let server = server.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let got = bridge::settings().await;
                if let Ok(st) = &got {
                    user.set(st.user.clone().unwrap_or_default());
                    server.set(st.relay.clone().unwrap_or_default());
                }
                settings.set(Some(got));
            });
        });
    }
    let st = match &*settings {
        None => return html! { <div class="empty">{ s.loading }</div> },
        Some(Err(e)) => return status_line(&e.message(), true),
        Some(Ok(st)) => st.clone(),
    };
    // One runner for the three forms: show progress, then the answer.
    let run = {
        let settings = settings.clone();
        let message = message.clone();
        let busy = busy.clone();
        let reload = desk.reload_office.clone();
        move |done: &'static str,
              call: std::pin::Pin<
            Box<dyn std::future::Future<Output = Result<Settings, BridgeError>>>,
        >| {
            let settings = settings.clone();
            let message = message.clone();
            let busy = busy.clone();
            let reload = reload.clone();
            busy.set(true);
            message.set((s.working.to_string(), false));
            wasm_bindgen_futures::spawn_local(async move {
                match call.await {
                    Ok(next) => {
                        settings.set(Some(Ok(next)));
                        message.set((done.to_string(), false));
                        reload.emit(());
                    }
                    Err(err) => message.set((err.message(), true)),
                }
                busy.set(false);
            });
        }
    };
    let on_office = {
        let run = run.clone();
        let (c, n) = (office_code.clone(), office_name.clone());
        move |e: SubmitEvent| {
            e.prevent_default();
            let args = InitOfficeArgs {
                code: c.trim().to_string(),
                name: n.trim().to_string(),
            };
            run(s.saved, Box::pin(bridge::init_office(args)));
        }
    };
    let on_user = {
        let run = run.clone();
        let user = user.clone();
        move |e: SubmitEvent| {
            e.prevent_default();
            run(s.saved, Box::pin(bridge::set_user(user.trim().to_string())));
        }
    };
    let on_enroll = {
        let run = run.clone();
        let (server, code) = (server.clone(), code.clone());
        move |e: SubmitEvent| {
            e.prevent_default();
            let args = EnrollArgs {
                server: server.trim().to_string(),
                code: code.trim().to_string(),
                device_name: None,
            };
            run(s.enrolled, Box::pin(bridge::enroll(args)));
        }
    };
    // The schedule is a field of this office's directory record: open its
    // file (making the record first if no directory came with enrollment).
    let on_reception = {
        let go = desk.go.clone();
        let message = message.clone();
        let office = st.office.clone();
        move |_: MouseEvent| {
            let Some(office) = office.clone() else {
                message.set((s.reception_no_directory.to_string(), true));
                return;
            };
            let (go, message) = (go.clone(), message.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match directory_of(office).await {
                    Ok(id) => go.emit(Page::Record(id)),
                    Err(err) => message.set((err.message(), true)),
                }
            });
        }
    };
    html! {
        <div class="settings" data-testid="page-settings">
            <h1>{ s.nav_settings }</h1>
            <section class="panel">
                <h2>{ s.office_title }</h2>
                if let Some(o) = &st.office {
                    <p data-testid="settings-office">{ &o.name }{ "（" }{ &o.code }{ "）" }</p>
                } else {
                    <form onsubmit={on_office} class="inline-form">
                        { text_input("settings-office-code", &office_code, s.office_code_placeholder) }
                        { text_input("settings-office-name", &office_name, s.office_name_placeholder) }
                        <button type="submit" disabled={*busy}>{ s.save }</button>
                    </form>
                }
                <p class="muted small">{ s.data_dir }{ "：" }{ &st.data_dir }</p>
            </section>
            <section class="panel">
                <h2>{ s.user_title }</h2>
                <form onsubmit={on_user} class="inline-form">
                    { text_input("settings-user", &user, s.user_placeholder) }
                    <button type="submit" data-testid="settings-user-save" disabled={*busy}>{ s.save }</button>
                </form>
            </section>
            <section class="panel">
                <h2>{ s.enroll_title }</h2>
                if let Some(relay) = &st.relay {
                    <p data-testid="settings-enrolled">{ (s.enrolled_as)(relay, st.role.as_deref().unwrap_or(""), st.enrolled_user.as_deref().unwrap_or("")) }</p>
                }
                <form onsubmit={on_enroll} class="inline-form">
                    { text_input("settings-server", &server, s.server_placeholder) }
                    { text_input("settings-code", &code, s.code_placeholder) }
                    <button type="submit" data-testid="enroll-submit" disabled={*busy}>{ s.enroll }</button>
                </form>
            </section>
            <section class="panel">
                <h2>{ s.reception_title }</h2>
                <p class="muted small">{ s.reception_help }</p>
                <button type="button" data-testid="settings-reception" onclick={on_reception}>{ s.reception_edit }</button>
            </section>
            <section class="panel">
                <h2>{ s.attach_settings_title }</h2>
                <super::attachments::AttachmentSettingsPanel />
            </section>
            { status_line(&message.0, message.1) }
        </div>
    }
}

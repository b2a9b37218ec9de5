//! Every string the UI shows, in one catalogue.
//!
//! Components never contain literal UI text: they read [`t()`]. Adding a second
//! language means adding a second [`Strings`] constant and choosing it in [`t()`];
//! the compiler then lists every string still missing. Field labels, code
//! labels and legal bases come from the core's tables (they are the law's words).

use hongdun_core::attachment::AttachmentState;
use hongdun_core::desk::{SyncPhase, SyncState};
use hongdun_core::record::{DeadlineState, RecordKind};

use crate::route::{Page, Section};

/// The UI text for one language.
#[derive(Debug)]
pub struct Strings {
    pub lang: &'static str,
    pub brand: &'static str,
    pub loading: &'static str,
    pub not_connected_title: &'static str,
    pub not_connected_body: &'static str,
    pub no_office: &'static str,
    pub filter_open: &'static str,
    pub filter_overdue: &'static str,
    pub search_placeholder: &'static str,
    pub col_number: &'static str,
    pub col_kind: &'static str,
    pub col_title: &'static str,
    pub col_status: &'static str,
    pub col_next_deadline: &'static str,
    pub col_deadline: &'static str,
    pub col_due: &'static str,
    pub col_days_left: &'static str,
    pub col_basis: &'static str,
    pub col_when: &'static str,
    pub col_who: &'static str,
    pub col_what: &'static str,
    pub no_number: &'static str,
    pub no_deadline: &'static str,
    pub empty: &'static str,
    pub empty_filtered: &'static str,
    pub provisional: &'static str,
    pub late: &'static str,
    pub prev_page: &'static str,
    pub next_page: &'static str,
    pub back: &'static str,
    pub save: &'static str,
    pub saving: &'static str,
    pub saved: &'static str,
    pub working: &'static str,
    pub cancel: &'static str,
    pub choose: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub add_row: &'static str,
    pub remove_row: &'static str,
    pub date_placeholder: &'static str,
    pub yuan_placeholder: &'static str,
    pub list_placeholder: &'static str,
    pub form_has_errors: &'static str,
    pub discard_draft: &'static str,
    pub draft_title_new: &'static str,
    pub draft_title_edit: &'static str,
    pub draft_title_action: &'static str,
    pub edit_fields: &'static str,
    pub edit_save: &'static str,
    pub edit_no_changes: &'static str,
    pub edit_saved: &'static str,
    pub overdue_title: &'static str,
    pub due_soon_title: &'static str,
    pub nothing_due: &'static str,
    pub duty_title: &'static str,
    pub duty_next: &'static str,
    pub no_duty_today: &'static str,
    pub sync_title: &'static str,
    pub panel_actions: &'static str,
    pub panel_deadlines: &'static str,
    pub panel_conflicts: &'static str,
    pub panel_fields: &'static str,
    pub panel_events: &'static str,
    pub panel_history: &'static str,
    pub panel_attachments: &'static str,
    pub attach_pick: &'static str,
    pub attach_drop_hint: &'static str,
    pub attach_none: &'static str,
    pub attach_adding: fn(&str) -> String,
    pub attach_added: fn(usize) -> String,
    pub attach_read_failed: fn(&str) -> String,
    pub attach_col_file: &'static str,
    pub attach_col_size: &'static str,
    pub attach_col_added: &'static str,
    pub attach_col_state: &'static str,
    pub attach_state: fn(AttachmentState) -> String,
    pub attach_open: &'static str,
    pub attach_opened: fn(&str) -> String,
    pub attach_fetch: &'static str,
    pub attach_fetch_started: fn(&str) -> String,
    pub attach_settings_title: &'static str,
    pub reception_title: &'static str,
    pub reception_help: &'static str,
    pub reception_edit: &'static str,
    pub reception_no_directory: &'static str,
    pub attach_fetch_label: &'static str,
    pub attach_fetch_on_demand: &'static str,
    pub attach_fetch_always: &'static str,
    pub attach_max_file: &'static str,
    pub attach_max_record: &'static str,
    pub attach_limit_invalid: &'static str,
    pub no_deadlines: &'static str,
    pub no_events: &'static str,
    pub no_actions: &'static str,
    pub event_rejected: &'static str,
    pub action_date: &'static str,
    pub bad_action_date: &'static str,
    pub confirm_action: &'static str,
    pub action_done: &'static str,
    pub conflicts_hint: &'static str,
    pub choose_value: &'static str,
    pub open_now: &'static str,
    pub nav_sync: &'static str,
    pub nav_settings: &'static str,
    pub sync_not_configured: &'static str,
    pub sync_running: &'static str,
    pub sync_failed_short: &'static str,
    pub sync_relay: &'static str,
    pub sync_phase: &'static str,
    pub sync_last: &'static str,
    pub sync_pending_label: &'static str,
    pub sync_last_result: &'static str,
    pub sync_interval: &'static str,
    pub sync_refused: &'static str,
    pub sync_now: &'static str,
    pub sync_started: &'static str,
    pub never: &'static str,
    pub office_title: &'static str,
    pub office_code_placeholder: &'static str,
    pub office_name_placeholder: &'static str,
    pub data_dir: &'static str,
    pub user_title: &'static str,
    pub user_placeholder: &'static str,
    pub enroll_title: &'static str,
    pub server_placeholder: &'static str,
    pub code_placeholder: &'static str,
    pub enroll: &'static str,
    pub enrolled: &'static str,
    pub conflict_mark: fn(usize) -> String,
    /// "第 from–to 条，共 total 条"; with `capped`, more than `total` match.
    pub range: fn(usize, usize, usize, bool) -> String,
    pub kind: fn(RecordKind) -> &'static str,
    pub kind_register: fn(RecordKind) -> String,
    pub new_record: fn(RecordKind) -> String,
    pub deadline_state: fn(DeadlineState) -> &'static str,
    pub days_left: fn(i64) -> String,
    pub nav: fn(&Page) -> &'static str,
    pub draft_restored: fn(&str) -> String,
    pub duty_line: fn(&str, &str, &str) -> String,
    pub my_items_title: fn(Option<&str>, usize) -> String,
    pub sync_summary: fn(&SyncState) -> String,
    pub sync_pending: fn(usize) -> String,
    pub sync_phase_label: fn(SyncPhase) -> &'static str,
    pub sync_progress: fn(u32, usize, usize, usize) -> String,
    pub sync_summary_line: fn(usize, usize, u64) -> String,
    pub minutes: fn(u32) -> String,
    pub enrolled_as: fn(&str, &str, &str) -> String,
    pub month_title: fn(&str) -> String,
    pub bulletin_title: fn(&str) -> String,
    pub period_kinds: [&'static str; 5],
    pub col_figure: &'static str,
    pub col_value: &'static str,
    pub col_yoy: &'static str,
    pub col_mom: &'static str,
    pub col_count: &'static str,
    pub summary_title: &'static str,
    pub charts_title: &'static str,
    pub finance_title: &'static str,
    pub budget_rate: &'static str,
    pub per_officer: &'static str,
    pub treasury_ytd: &'static str,
    pub drill_title: fn(&str, usize) -> String,
    pub drill_more: fn(usize) -> String,
    pub export_button: fn(&str) -> String,
    pub scope_office: &'static str,
    pub scope_bureau: &'static str,
    pub comparison_title: &'static str,
    pub comparison_note: &'static str,
    pub cmp_office: &'static str,
    pub cmp_filed: &'static str,
    pub cmp_closed: &'static str,
    pub cmp_decided: &'static str,
    pub cmp_treasury: &'static str,
    pub cmp_complaints: &'static str,
    pub cmp_reports: &'static str,
    pub cmp_petitions: &'static str,
    pub cmp_inspections: &'static str,
    pub cmp_last_sync: &'static str,
    pub cmp_health: &'static str,
    pub never_synced: &'static str,
    pub days_ago: fn(i64) -> String,
    pub stale_mark: fn(i64) -> String,
    pub fresh_mark: &'static str,
    pub pending_conflicts: fn(i64) -> String,
    pub exporting: fn(&str) -> String,
    pub exported: fn(&str) -> String,
    pub overdue_now: fn(usize) -> String,
    pub date_key: fn(&str) -> String,
    pub history_op: fn(&str) -> String,
    pub written_by: fn(&str, &str) -> String,
}

/// 简体中文 — the product's language.
pub const ZH_CN: Strings = Strings {
    lang: "zh-CN",
    brand: "红盾",
    loading: "正在加载……",
    not_connected_title: "未连接桌面程序",
    not_connected_body: "此页面需要在红盾桌面程序中打开，才能读取本机的案件和投诉记录。",
    no_office: "本机尚未设置所属单位",
    filter_open: "仅未办结",
    filter_overdue: "仅超期",
    search_placeholder: "搜索编号、标题、当事人……",
    col_number: "编号",
    col_kind: "类型",
    col_title: "标题",
    col_status: "状态",
    col_next_deadline: "下一期限",
    col_deadline: "期限",
    col_due: "届满日",
    col_days_left: "剩余",
    col_basis: "依据",
    col_when: "时间",
    col_who: "操作人",
    col_what: "内容",
    no_number: "（无编号）",
    no_deadline: "—",
    empty: "暂无记录",
    empty_filtered: "没有符合条件的记录",
    provisional: "（暂定）",
    late: "（逾期完成）",
    prev_page: "上一页",
    next_page: "下一页",
    back: "返回列表",
    save: "保存",
    saving: "正在保存……",
    saved: "已保存",
    working: "正在处理，请稍候……",
    cancel: "取消",
    choose: "请选择",
    yes: "是",
    no: "否",
    add_row: "＋ 添加一行",
    remove_row: "删除此行",
    date_placeholder: "YYYY-MM-DD",
    yuan_placeholder: "单位：元",
    list_placeholder: "多项用、分隔",
    form_has_errors: "表单中有需要更正的内容，请查看标红的项目",
    discard_draft: "清空并放弃草稿",
    draft_title_new: "新建",
    draft_title_edit: "修改：",
    draft_title_action: "办理：",
    edit_fields: "修改",
    edit_save: "保存修改",
    edit_no_changes: "没有修改",
    edit_saved: "已保存修改",
    overdue_title: "超期",
    due_soon_title: "三个工作日内到期",
    nothing_due: "没有",
    duty_title: "今日接访",
    duty_next: "近期接访安排",
    no_duty_today: "今日无接访安排",
    sync_title: "同步",
    panel_actions: "办理",
    panel_deadlines: "期限",
    panel_conflicts: "待确认的修改冲突",
    panel_fields: "基本信息",
    panel_events: "办理经过",
    panel_history: "修改记录",
    panel_attachments: "附件（证据材料）",
    attach_pick: "添加文件或照片……",
    attach_drop_hint: "也可以把文件拖到这里。文件保存在本机，同步时再上传。",
    attach_none: "还没有附件。",
    attach_adding: |name| format!("正在添加 {name}……"),
    attach_added: |n| format!("已添加 {n} 个附件"),
    attach_read_failed: |name| format!("无法读取文件 {name}，请重新选择"),
    attach_col_file: "文件",
    attach_col_size: "大小",
    attach_col_added: "添加人 · 时间",
    attach_col_state: "状态",
    attach_state: |st| match st {
        AttachmentState::LocalOnly => "仅在本机，待上传".to_string(),
        AttachmentState::Uploading { percent } => format!("上传中 {percent}%"),
        AttachmentState::Synced => "已同步".to_string(),
        AttachmentState::Missing => "本机没有".to_string(),
        AttachmentState::Fetching { percent } => format!("获取中 {percent}%"),
    },
    attach_open: "打开",
    attach_opened: |name| format!("已用本机程序打开 {name}"),
    attach_fetch: "立即获取",
    attach_fetch_started: |name| format!("正在从中继服务器获取 {name}……"),
    attach_settings_title: "附件",
    reception_title: "领导接访日",
    reception_help:
        "接访日安排保存在本单位名录中，同步后各台电脑和市局都能看到；工作台显示今天和下一次接访。",
    reception_edit: "修改接访日安排",
    reception_no_directory: "本机还没有单位名录：请先登记并同步一次",
    attach_fetch_label: "本机获取附件",
    attach_fetch_on_demand: "按需获取（打开案卷后点“立即获取”，节省流量）",
    attach_fetch_always: "总是获取（每次同步下载所有附件）",
    attach_max_file: "单个文件上限（MB）",
    attach_max_record: "每条记录的附件合计上限（MB）",
    attach_limit_invalid: "上限须为大于零的整数（MB）",
    no_deadlines: "没有法定期限",
    no_events: "尚未办理任何环节",
    no_actions: "当前状态下没有可办理的环节",
    event_rejected: "未生效：",
    action_date: "办理日期",
    bad_action_date: "办理日期格式应为 YYYY-MM-DD",
    confirm_action: "确认办理",
    action_done: "已办理",
    conflicts_hint: "以下内容曾被两人同时修改，请选择保留哪一个。选择之前，两个值都会保留。",
    choose_value: "采用此值",
    open_now: "目前未办结",
    nav_sync: "同步",
    nav_settings: "设置",
    sync_not_configured: "未登记同步",
    sync_running: "正在同步……",
    sync_failed_short: "同步出错",
    sync_relay: "市局中心地址",
    sync_phase: "状态",
    sync_last: "上次同步",
    sync_pending_label: "待上传的记录",
    sync_last_result: "上次结果",
    sync_interval: "自动同步间隔",
    sync_refused: "中心拒收的记录",
    sync_now: "立即同步",
    sync_started: "已开始同步",
    never: "从未同步",
    office_title: "所属单位",
    office_code_placeholder: "单位代码，如 GS0101",
    office_name_placeholder: "单位名称",
    data_dir: "数据目录",
    user_title: "当前用户",
    user_placeholder: "姓名或人员编号",
    enroll_title: "登记到市局中心",
    server_placeholder: "中心地址，如 http://10.1.1.1:8443",
    code_placeholder: "登记码",
    enroll: "登记",
    enrolled: "登记成功，已开始同步",
    conflict_mark: |n| format!("（{n} 处冲突待确认）"),
    range: |from, to, total, capped| {
        if capped {
            format!("第 {from}–{to} 条，共 {total}+ 条")
        } else {
            format!("第 {from}–{to} 条，共 {total} 条")
        }
    },
    kind: |kind| match kind {
        RecordKind::Lead => "案源",
        RecordKind::Case => "案件",
        RecordKind::Complaint => "投诉",
        RecordKind::Report => "举报",
        RecordKind::Petition => "信访",
        RecordKind::Campaign => "专项行动",
        RecordKind::Inspection => "检查",
        RecordKind::Office => "机构",
        RecordKind::Annex => "保密附件",
    },
    kind_register: |kind| match kind {
        RecordKind::Lead => "案源登记".to_string(),
        RecordKind::Case => "案件列表".to_string(),
        RecordKind::Inspection => "检查记录".to_string(),
        other => format!("{}列表", other.label()),
    },
    new_record: |kind| match kind {
        RecordKind::Lead => "登记案源".to_string(),
        RecordKind::Case => "新建案件".to_string(),
        RecordKind::Complaint => "登记投诉".to_string(),
        RecordKind::Report => "登记举报".to_string(),
        RecordKind::Petition => "登记信访".to_string(),
        other => format!("新建{}", other.label()),
    },
    deadline_state: |state| match state {
        DeadlineState::OnTime => "正常",
        DeadlineState::DueSoon => "临期",
        DeadlineState::Overdue => "超期",
        DeadlineState::Paused => "暂停计时",
        DeadlineState::Met => "已完成",
    },
    days_left: |d| match d {
        d if d < 0 => format!("超期 {} 天", -d),
        0 => "今日到期".to_string(),
        d => format!("剩 {d} 天"),
    },
    nav: |page| match page {
        Page::Workbench => "工作台",
        Page::Register(Section::Cases, _) => "案件",
        Page::Register(Section::Complaints, _) => "投诉举报",
        Page::Register(Section::Petitions, _) => "信访",
        Page::Register(Section::Campaigns, _) => "专项行动",
        Page::New(_) | Page::Record(_) => "",
        Page::Stats => "统计",
        Page::Sync => "同步",
        Page::Settings => "设置",
    },
    draft_restored: |when| format!("已恢复上次未完成的草稿（{when}）"),
    duty_line: |leader, place, staff| {
        let mut line = format!("接访领导：{leader}");
        if !place.is_empty() {
            line.push_str(&format!("，地点：{place}"));
        }
        if !staff.is_empty() {
            line.push_str(&format!("，陪同：{staff}"));
        }
        line
    },
    my_items_title: |user, n| match user {
        Some(u) => format!("我的事项（{u}，共 {n} 件）"),
        None => format!("我的事项（请先在“设置”中填写当前用户）（{n}）"),
    },
    sync_summary: |st| {
        let when = st
            .status
            .last_sync_at
            .clone()
            .unwrap_or_else(|| "从未同步".to_string());
        match (st.phase, &st.problem) {
            (SyncPhase::NotConfigured, _) => "本机尚未登记到市局中心".to_string(),
            (SyncPhase::Running, _) => "正在同步……".to_string(),
            (_, Some(p)) => p.message.clone(),
            _ => format!(
                "上次同步：{when}；待上传 {} 条",
                st.status.pending_documents
            ),
        }
    },
    sync_pending: |n| {
        if n == 0 {
            "已同步".to_string()
        } else {
            format!("待上传 {n} 条")
        }
    },
    sync_phase_label: |p| match p {
        SyncPhase::NotConfigured => "未登记",
        SyncPhase::Idle => "空闲",
        SyncPhase::Running => "正在同步",
    },
    sync_progress: |round, sent, got, left| {
        format!("第 {round} 轮：已上传 {sent} 条，已接收 {got} 条，还有 {left} 条待上传")
    },
    sync_summary_line: |sent, got, ms| {
        format!(
            "上传 {sent} 条，接收 {got} 条，用时 {:.1} 秒",
            ms as f64 / 1000.0
        )
    },
    minutes: |m| format!("{m} 分钟"),
    enrolled_as: |relay, role, user| format!("已登记到 {relay}（{role} {user}）"),
    month_title: |m| format!("{m} 月度概况"),
    bulletin_title: |label| format!("{label}工作通报"),
    period_kinds: ["月度", "季度", "半年", "全年", "年初至今"],
    col_figure: "指标",
    col_value: "本期",
    col_yoy: "同比",
    col_mom: "环比",
    col_count: "数量",
    summary_title: "综述",
    charts_title: "图表",
    finance_title: "财政信息（不作考核排名）",
    budget_rate: "预算完成率",
    per_officer: "人均罚没",
    treasury_ytd: "罚没入库（年初至今）",
    drill_title: |label, n| format!("“{label}”涉及的记录（{n} 件）"),
    drill_more: |n| format!("另有 {n} 件未列出"),
    export_button: |ext| format!("导出 {}", ext.to_uppercase()),
    scope_office: "本单位",
    scope_bureau: "各单位汇总",
    comparison_title: "各单位情况",
    comparison_note: "按单位代码排列，仅供了解工作情况，不作排名。",
    cmp_office: "单位",
    cmp_filed: "立案",
    cmp_closed: "结案",
    cmp_decided: "罚没决定",
    cmp_treasury: "罚没入库",
    cmp_complaints: "投诉",
    cmp_reports: "举报",
    cmp_petitions: "信访",
    cmp_inspections: "检查户次",
    cmp_last_sync: "最近同步",
    cmp_health: "数据状态",
    never_synced: "从未同步",
    days_ago: |d| {
        if d <= 0 {
            "今天".to_string()
        } else {
            format!("{d} 天前")
        }
    },
    stale_mark: |d| format!("超过 {d} 天未同步，数据可能不全"),
    fresh_mark: "正常",
    pending_conflicts: |n| format!("{n} 处冲突待处理"),
    exporting: |ext| format!("正在导出 {} 文件……", ext.to_uppercase()),
    exported: |path| format!("已导出到 {path}"),
    overdue_now: |n| format!("目前超期未办：{n} 件"),
    date_key: |key| match key {
        "received_on" => "收到".to_string(),
        "registered_on" => "登记".to_string(),
        "accepted_on" => "受理".to_string(),
        "filed_on" => "立案".to_string(),
        "decided_on" => "决定".to_string(),
        "served_on" => "送达".to_string(),
        "closed_on" => "办结".to_string(),
        "replied_on" => "答复".to_string(),
        "started_on" => "启动".to_string(),
        "inspected_on" => "检查".to_string(),
        other => other.trim_end_matches("_on").to_string(),
    },
    history_op: |op| match op {
        "create" => "创建".to_string(),
        "edit" => "修改".to_string(),
        "event" => "办理".to_string(),
        "resolve" => "确认冲突".to_string(),
        "import" => "导入".to_string(),
        other => other.to_string(),
    },
    written_by: |by, at| format!("{by} 于 {at}"),
};

/// The catalogue in use.
pub fn t() -> &'static Strings {
    &ZH_CN
}

/// The strings of 联合办案: 共享, 审计记录, partner mode, 校验.
#[derive(Debug)]
pub struct JointStrings {
    pub panel_share: &'static str,
    pub panel_audit: &'static str,
    pub panel_partner_edit: &'static str,
    pub panel_revoked: &'static str,
    pub partner_code: &'static str,
    pub partner_code_hint: &'static str,
    pub partner_user: &'static str,
    pub partner_user_hint: &'static str,
    pub access: &'static str,
    pub expires: &'static str,
    pub expires_hint: &'static str,
    pub share_submit: &'static str,
    pub sharing: &'static str,
    pub shared_ok: &'static str,
    pub code_title: &'static str,
    pub code_explain: fn(&str, &str, &str) -> String,
    pub copy: &'static str,
    pub copied: &'static str,
    pub copy_failed: &'static str,
    pub shares_title: &'static str,
    pub no_shares: &'static str,
    pub col_partner: &'static str,
    pub col_access: &'static str,
    pub col_expires: &'static str,
    pub col_created: &'static str,
    pub col_last_sync: &'static str,
    pub col_state: &'static str,
    pub never_synced: &'static str,
    pub no_expiry: &'static str,
    pub active: &'static str,
    pub revoked: &'static str,
    pub expired: &'static str,
    pub revoke: &'static str,
    pub revoke_confirm: fn(&str) -> String,
    pub revoke_yes: &'static str,
    pub revoked_ok: fn(&str) -> String,
    pub refresh: &'static str,
    pub col_org: &'static str,
    pub col_user: &'static str,
    pub col_device: &'static str,
    pub col_time: &'static str,
    pub col_change: &'static str,
    pub no_audit: &'static str,
    pub audit_export: &'static str,
    pub exporting: &'static str,
    pub exported: fn(&str) -> String,
    pub partner_banner: fn(&str, &str) -> String,
    pub partner_banner_note: &'static str,
    pub partner_no_records: &'static str,
    pub no_longer_shared_mark: &'static str,
    pub no_longer_shared_note: &'static str,
    pub read_only_note: &'static str,
    pub partner_edit_hint: &'static str,
    pub partner_section: &'static str,
    pub partner_add: &'static str,
    pub partner_added: &'static str,
    pub verify_title: &'static str,
    pub verify_hint: &'static str,
    pub verify_run: &'static str,
    pub verifying: &'static str,
    pub verify_ok: fn(usize, usize) -> String,
    pub verify_failed: fn(usize, usize) -> String,
}

pub static JOINT_ZH_CN: JointStrings = JointStrings {
    panel_share: "共享",
    panel_audit: "审计记录",
    panel_partner_edit: "补充材料",
    panel_revoked: "已停止共享",
    partner_code: "合作单位代码",
    partner_code_hint: "合作单位（公安机关、品牌权利人）在市局中心的单位代码，如 GA0101",
    partner_user: "对方使用人",
    partner_user_hint: "领取登记码的对方人员姓名，不填则用单位代码",
    access: "权限",
    expires: "截止日期",
    expires_hint: "YYYY-MM-DD，含当日；不填则一直共享到停止共享为止",
    share_submit: "共享",
    sharing: "正在同步并创建共享……",
    shared_ok: "已共享。",
    code_title: "对方设备登记码",
    code_explain: |code, partner, until| format!(
        "请把登记码 {code} 当面或电话告知{partner}的使用人（不要通过聊天软件发送）。对方在红盾“设置”中填写市局中心地址和这个登记码，登记后同步，即可看到这份案卷，且只能看到这份案卷。登记码只能用一次，{until} 前有效。"
    ),
    copy: "复制登记码",
    copied: "已复制到剪贴板",
    copy_failed: "无法自动复制，请手工抄录登记码",
    shares_title: "共享情况",
    no_shares: "这份案卷尚未共享给任何合作单位。",
    col_partner: "合作单位",
    col_access: "权限",
    col_expires: "截止",
    col_created: "共享时间",
    col_last_sync: "对方最近同步",
    col_state: "状态",
    never_synced: "尚未同步",
    no_expiry: "不限",
    active: "共享中",
    revoked: "已停止共享",
    expired: "已到期",
    revoke: "停止共享",
    revoke_confirm: |partner| format!(
        "确定停止向{partner}共享这份案卷吗？对方下次同步时将不能再查看和补充，已有的副本会标记为已停止共享。"
    ),
    revoke_yes: "确定停止共享",
    revoked_ok: |partner| format!("已停止向{partner}共享，对方下次同步时生效。"),
    refresh: "刷新",
    col_org: "单位",
    col_user: "用户",
    col_device: "设备",
    col_time: "时间",
    col_change: "变更内容",
    no_audit: "没有变更记录。",
    audit_export: "导出审计报告（xlsx）",
    exporting: "正在导出……",
    exported: |path| format!("审计报告已保存：{path}"),
    partner_banner: |name, code| format!("合作单位模式 — {name}（{code}）"),
    partner_banner_note: "本机只保存市场监管部门共享给贵单位的案卷，可查看；获准补充的，可补充查扣清单、鉴定结果、证据和备注。",
    partner_no_records: "目前没有共享给贵单位的案卷，请同步。",
    no_longer_shared_mark: "已停止共享",
    no_longer_shared_note: "市场监管部门已停止共享这份案卷：本机副本仅供查阅，不能再补充，也不再同步。",
    read_only_note: "这份案卷是只读共享：可以查阅和同步，不能补充材料。需要补充时请联系共享的市场监管部门改为“可补充”。",
    partner_edit_hint: "合作单位只能补充以下内容；是否获准补充由市局中心在同步时核验。",
    partner_section: "补充哪一项",
    partner_add: "补充",
    partner_added: "已补充，下次同步时送达。",
    verify_title: "校验台账",
    verify_hint: "逐份核对本机保存的每份记录的全部修改历史（变更哈希与前后关系），发现被篡改或损坏的记录。",
    verify_run: "校验",
    verifying: "正在校验……",
    verify_ok: |docs, changes| format!("{docs} 份记录、{changes} 次修改，历史全部校验通过。"),
    verify_failed: |bad, docs| format!("{docs} 份记录中有 {bad} 份历史校验不通过，请同步以从市局中心恢复，或用备份恢复："),
};

/// The 联合办案 catalogue in use.
pub fn tj() -> &'static JointStrings {
    &JOINT_ZH_CN
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_kind_and_state_labels_agree_with_the_core() {
        // The core keeps Chinese labels for the CLI and reports; the UI catalogue
        // must not drift from them.
        for kind in RecordKind::ALL {
            assert_eq!((ZH_CN.kind)(kind), kind.label(), "{kind}");
        }
        for state in [
            DeadlineState::OnTime,
            DeadlineState::DueSoon,
            DeadlineState::Overdue,
            DeadlineState::Paused,
            DeadlineState::Met,
        ] {
            assert_eq!((ZH_CN.deadline_state)(state), state.label());
        }
    }

    #[test]
    fn the_range_line_reads_naturally() {
        assert_eq!(
            (ZH_CN.range)(1, 100, 4321, false),
            "第 1–100 条，共 4321 条"
        );
    }

    #[test]
    fn a_capped_search_count_says_more_than_the_cap() {
        assert_eq!(
            (ZH_CN.range)(1, 100, 1000, true),
            "第 1–100 条，共 1000+ 条"
        );
    }

    #[test]
    fn days_left_says_overdue_in_words() {
        assert_eq!((ZH_CN.days_left)(-3), "超期 3 天");
        assert_eq!((ZH_CN.days_left)(0), "今日到期");
        assert_eq!((ZH_CN.days_left)(5), "剩 5 天");
    }

    #[test]
    fn every_navigation_entry_has_a_label() {
        for entry in crate::route::nav() {
            assert!(!(ZH_CN.nav)(&entry.page).is_empty(), "{}", entry.testid);
        }
    }
}

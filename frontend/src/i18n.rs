//! Every string the UI shows, in one catalogue.
//!
//! Components never contain literal UI text: they read [`t()`]. Adding a second
//! language means adding a second [`Strings`] constant and choosing it in [`t()`];
//! the compiler then lists every string still missing.

use hongdun_core::record::{DeadlineState, RecordKind};

/// The UI text for one language.
#[derive(Debug)]
pub struct Strings {
    /// `<html lang>` value.
    pub lang: &'static str,
    pub brand: &'static str,
    pub loading: &'static str,
    /// Shown when the page runs in a plain browser, without the desktop shell.
    pub not_connected_title: &'static str,
    pub not_connected_body: &'static str,
    /// The store has no office yet (`hongdun init` never ran).
    pub no_office: &'static str,
    pub no_office_hint: &'static str,
    pub error_title: &'static str,
    pub filter_all: &'static str,
    pub search_placeholder: &'static str,
    pub col_number: &'static str,
    pub col_kind: &'static str,
    pub col_title: &'static str,
    pub col_status: &'static str,
    pub col_next_deadline: &'static str,
    pub no_number: &'static str,
    pub no_deadline: &'static str,
    /// No records at all in this office.
    pub empty: &'static str,
    /// Records exist, but none match the filter or search.
    pub empty_filtered: &'static str,
    /// Suffix for a due date computed beyond the published holiday schedule.
    pub provisional: &'static str,
    /// "{n} 条记录"
    pub count: fn(usize) -> String,
    /// "仅显示前 {n} 条"
    pub truncated: fn(usize) -> String,
    pub kind: fn(RecordKind) -> &'static str,
    pub deadline_state: fn(DeadlineState) -> &'static str,
}

/// 简体中文 — the product's language.
pub const ZH_CN: Strings = Strings {
    lang: "zh-CN",
    brand: "红盾",
    loading: "正在加载……",
    not_connected_title: "未连接桌面程序",
    not_connected_body: "此页面需要在红盾桌面程序中打开，才能读取本机的案件和投诉记录。",
    no_office: "本机尚未设置所属单位",
    no_office_hint: "请先用命令行初始化：hongdun init --office 单位代码 --name 单位名称",
    error_title: "读取记录时出错",
    filter_all: "全部",
    search_placeholder: "搜索编号、标题、当事人……",
    col_number: "编号",
    col_kind: "类型",
    col_title: "标题",
    col_status: "状态",
    col_next_deadline: "下一期限",
    no_number: "（无编号）",
    no_deadline: "—",
    empty: "暂无记录",
    empty_filtered: "没有符合条件的记录",
    provisional: "（暂定）",
    count: |n| format!("共 {n} 条记录"),
    truncated: |n| format!("仅显示前 {n} 条"),
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
    deadline_state: |state| match state {
        DeadlineState::OnTime => "正常",
        DeadlineState::DueSoon => "临期",
        DeadlineState::Overdue => "超期",
        DeadlineState::Paused => "暂停计时",
        DeadlineState::Met => "已完成",
    },
};

/// The catalogue in use.
pub fn t() -> &'static Strings {
    &ZH_CN
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
    fn count_reads_naturally() {
        assert_eq!((ZH_CN.count)(50), "共 50 条记录");
    }
}

//! Sync as the 同步 page and the status bar see it: the store's sync status,
//! what a running sync has done, and why the last one failed, in words a clerk
//! understands.

use serde::{Deserialize, Serialize};

/// What the store knows about sync (enrollment, cursor, pending uploads, the
/// last outcome).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SyncStatus {
    pub configured: bool,
    pub server: Option<String>,
    pub cursor: u64,
    /// Documents with local changes not yet on the relay.
    pub pending_documents: usize,
    /// Documents the relay refused, with its reason.
    pub refused: Vec<(String, String)>,
    pub last_sync_at: Option<String>,
    pub last_error: Option<String>,
    /// Attachments waiting to go to the relay or (when wanted) to come from it.
    #[serde(default)]
    pub attachments: crate::attachment::PendingAttachments,
}

/// Bounds for one round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundLimits {
    /// Upload at most about this many change bytes per request.
    pub max_upload_bytes: usize,
    /// …and at most this many documents (the relay refuses more than 2,000
    /// in one request; many tiny changes would otherwise exceed it).
    pub max_upload_docs: usize,
    /// Ask for at most this many feed bytes per response.
    pub max_feed_bytes: u64,
    /// Give up after this many rounds in one sync (a guard, never reached
    /// in normal use: every round makes progress).
    pub max_rounds: u32,
    /// Attachment bytes to move per sync, after the documents (0: none);
    /// the rest waits for the next sync, so documents never wait long.
    pub attachment_budget_bytes: u64,
}

/// 32 MB per sync: about two minutes on a 2 Mbit/s line.
pub const DEFAULT_ATTACHMENT_BUDGET: u64 = 32 * 1024 * 1024;

impl Default for RoundLimits {
    /// About 256 KB each way: under 10 s per round on a 256 kbit/s line.
    fn default() -> Self {
        RoundLimits {
            max_upload_bytes: 256 * 1024,
            max_upload_docs: 1000,
            max_feed_bytes: 256 * 1024,
            max_rounds: 10_000,
            attachment_budget_bytes: DEFAULT_ATTACHMENT_BUDGET,
        }
    }
}

/// What a sync did, as printed by `hongdun sync`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SyncSummary {
    pub round_trips: u32,
    /// Encoded (compressed) bytes sent and received.
    pub bytes_up: u64,
    pub bytes_down: u64,
    pub documents_sent: usize,
    pub documents_received: usize,
    pub documents_refused: Vec<(String, String)>,
    pub documents_revoked: Vec<String>,
    pub cursor: u64,
    pub duration_ms: u64,
    /// Attachment bytes moved after the documents, and what still waits.
    #[serde(default)]
    pub attachments: crate::attachment::AttachmentSummary,
}

/// Progress reported after each round.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub round: u32,
    pub documents_sent: usize,
    pub documents_received: usize,
    /// Local documents still waiting to be uploaded.
    pub pending_uploads: usize,
    /// The relay has more feed waiting.
    pub more: bool,
}

/// What the background sync is doing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncPhase {
    /// Not enrolled with a relay: nothing to do.
    #[default]
    NotConfigured,
    /// Waiting for the next scheduled sync or 立即同步.
    Idle,
    /// A sync is running; `progress` says how far.
    Running,
}

/// The class of a failed sync: each has its own advice for the clerk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncProblemKind {
    /// 未登记 — the device is not enrolled.
    NotEnrolled,
    /// 网络不通 — the relay could not be reached (no line, wrong address).
    NoLine,
    /// 授权失效 — the device token is unknown or was revoked.
    TokenRevoked,
    /// 登记码无效 — the enrollment code is unknown, used or expired.
    BadCode,
    /// 请求过多 — the relay asks to wait.
    RateLimited,
    /// 中心拒绝 — the relay refused the request for another reason.
    Refused,
    /// 数据有误 — the relay's answer could not be read.
    BadAnswer,
    /// 本机台账 — the local store failed.
    LocalStore,
    /// 设置有误 — e.g. an unreadable CA file.
    Config,
    /// 已取消 — the app closed or the sync was stopped.
    Cancelled,
}

impl SyncProblemKind {
    /// What the clerk reads and what to do about it.
    pub fn advice(self) -> &'static str {
        match self {
            SyncProblemKind::NotEnrolled => "本机尚未登记到市局中心，请在“设置”中输入登记码",
            SyncProblemKind::NoLine => {
                "连不上市局中心：网络不通或中心地址有误。数据都已保存在本机，网络恢复后会自动同步"
            }
            SyncProblemKind::TokenRevoked => {
                "本机的同步授权已失效或被撤销，请向市局索取新的登记码，在“设置”中重新登记"
            }
            SyncProblemKind::BadCode => "登记码无效、已使用或已过期，请向市局索取新的登记码",
            SyncProblemKind::RateLimited => "市局中心繁忙，请稍候再同步",
            SyncProblemKind::Refused => "市局中心拒绝了这次同步，请把下面的说明告诉市局管理员",
            SyncProblemKind::BadAnswer => {
                "市局中心的答复不完整（线路可能中断），请再同步一次，数据不会丢失"
            }
            SyncProblemKind::LocalStore => {
                "本机台账读写出错，请重新启动红盾；如仍出错，请联系管理员"
            }
            SyncProblemKind::Config => "同步设置有误，请检查中心地址和证书设置",
            SyncProblemKind::Cancelled => "同步已中止，已收到的数据都已保存，下次同步会接着进行",
        }
    }
}

/// Why the last sync failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncProblem {
    pub kind: SyncProblemKind,
    /// [`SyncProblemKind::advice`]: the sentence shown to the clerk.
    pub message: String,
    /// The technical cause, for whoever supports the office.
    pub detail: String,
}

impl SyncProblem {
    pub fn new(kind: SyncProblemKind, detail: impl Into<String>) -> Self {
        SyncProblem {
            kind,
            message: kind.advice().to_string(),
            detail: detail.into(),
        }
    }
}

/// The state pushed to the UI as the `sync-state` event and answered by the
/// `sync_state` command.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SyncState {
    pub phase: SyncPhase,
    pub status: SyncStatus,
    /// The running sync's progress (after each round), else the last one's.
    pub progress: Option<Progress>,
    /// What the last finished sync did.
    pub last_summary: Option<SyncSummary>,
    /// Why the last sync failed; `None` after a successful one.
    pub problem: Option<SyncProblem>,
    pub interval_minutes: u32,
}

//! 设置: the office, the current user and this device's enrollment.

use serde::{Deserialize, Serialize};

use super::views::OfficeInfo;

/// What the 设置 page shows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub office: Option<OfficeInfo>,
    /// The current user: named as the author of every change and used for
    /// 我的事项. Defaults to the enrolled user.
    pub user: Option<String>,
    /// The relay address once enrolled.
    pub relay: Option<String>,
    pub device_id: Option<String>,
    /// The user's role at the relay (staff, head, bureau, partner).
    pub role: Option<String>,
    /// What the enrolled organisation is: office, bureau or partner.
    #[serde(default)]
    pub org_kind: Option<String>,
    /// The user the relay enrolled this device for.
    pub enrolled_user: Option<String>,
    /// Minutes between background syncs.
    pub sync_interval_minutes: u32,
    /// Where the store lives on this machine.
    pub data_dir: String,
}

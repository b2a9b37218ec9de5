//! Settings of this desk kept in the store: the current user and how often
//! the background sync runs. The office and the enrollment are kept by
//! `Store::init` and `Store::set_remote`.

use super::{Store, StoreError};
use crate::desk::Settings;

/// Minutes between background syncs unless the clerk chose otherwise.
pub const DEFAULT_SYNC_INTERVAL_MINUTES: u32 = 10;

impl Store {
    /// What the 设置 page shows.
    pub fn settings(&self) -> Result<Settings, StoreError> {
        let remote = self.remote()?;
        Ok(Settings {
            office: self.office(),
            user: self.desk_user()?,
            relay: remote.as_ref().map(|r| r.server.clone()),
            device_id: remote.as_ref().map(|r| r.device_id.clone()),
            role: remote.as_ref().map(|r| r.role.clone()),
            org_kind: remote.as_ref().and_then(|r| r.org_kind.clone()),
            enrolled_user: remote.map(|r| r.user),
            sync_interval_minutes: self.sync_interval_minutes()?,
            data_dir: self.dir().display().to_string(),
        })
    }

    /// The person named as author of changes made at this desk: the one set
    /// in 设置, else the user the relay enrolled this device for.
    pub fn desk_user(&self) -> Result<Option<String>, StoreError> {
        if let Some(user) = self.meta_get("desk_user")?.filter(|u| !u.trim().is_empty()) {
            return Ok(Some(user));
        }
        Ok(self.remote()?.map(|r| r.user).filter(|u| !u.is_empty()))
    }

    pub fn set_desk_user(&self, user: &str) -> Result<(), StoreError> {
        let user = user.trim();
        if user.is_empty() || user.chars().count() > 64 {
            return Err(StoreError::Invalid(
                "user: give the name of the person at this desk (at most 64 characters)".into(),
            ));
        }
        self.meta_set("desk_user", user)
    }

    pub fn sync_interval_minutes(&self) -> Result<u32, StoreError> {
        Ok(self
            .meta_get("sync_interval_minutes")?
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_SYNC_INTERVAL_MINUTES))
    }

    /// 1 minute to 24 hours.
    pub fn set_sync_interval_minutes(&self, minutes: u32) -> Result<(), StoreError> {
        if !(1..=24 * 60).contains(&minutes) {
            return Err(StoreError::Invalid(
                "sync interval: give 1 to 1440 minutes".into(),
            ));
        }
        self.meta_set("sync_interval_minutes", &minutes.to_string())
    }
}

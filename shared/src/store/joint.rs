//! The store's side of joint operations: whether this is a partner's store
//! (partner mode), whether a case file is still shared with it, and the
//! local copy of the relay's author directory behind the audit trail.

use rusqlite::{params, OptionalExtension};

use serde_json::{Map, Value};

use super::{Store, StoreError};
use crate::joint::{Author, PartnerGrant, ShareMode, ShareState, StoreMode, PARTNER_SECTIONS};

/// The role name a partner's device is enrolled with.
const PARTNER_ROLE: &str = "partner";

impl Store {
    /// Partner mode when this device was enrolled for a partner organisation.
    pub fn mode(&self) -> Result<StoreMode, StoreError> {
        let remote = self.remote()?;
        match remote {
            Some(r) if r.role == PARTNER_ROLE => {
                let office = self.office();
                Ok(StoreMode::Partner {
                    org: r.office.unwrap_or_default(),
                    org_name: office.map(|o| o.name).unwrap_or_default(),
                })
            }
            _ => Ok(StoreMode::Office),
        }
    }

    /// Whether this device may still read a record: a share the office
    /// revoked, or one that expired, leaves the copy here marked
    /// [`ShareState::NoLongerShared`].
    pub fn share_state(&self, id: &str) -> Result<ShareState, StoreError> {
        let id = self.resolve_id(id)?;
        let revoked: Option<bool> = self
            .conn
            .query_row(
                "SELECT revoked FROM sync_docs WHERE doc_id = ?1",
                [&id],
                |r| r.get(0),
            )
            .optional()?;
        Ok(if revoked.unwrap_or(false) {
            ShareState::NoLongerShared
        } else {
            ShareState::Shared
        })
    }

    /// Ids of the records this device may no longer read.
    pub fn no_longer_shared(&self) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT s.doc_id FROM sync_docs s JOIN docs d ON d.id = s.doc_id
             WHERE s.revoked = 1 ORDER BY s.doc_id",
        )?;
        let ids = stmt
            .query_map([], |r| r.get(0))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ids)
    }

    /// Remembers this partner device's shares as the relay last reported them.
    pub fn remember_partner_grants(&mut self, grants: &[PartnerGrant]) -> Result<(), StoreError> {
        self.meta_set("partner_grants", &serde_json::to_string(grants)?)
    }

    /// How this partner device may use case file `id`, as last reported by
    /// the relay (None: not known yet — before the first sync that asked).
    pub fn partner_mode(&self, id: &str) -> Result<Option<ShareMode>, StoreError> {
        let id = self.resolve_id(id)?;
        let grants: Vec<PartnerGrant> = match self.meta_get("partner_grants")? {
            Some(text) => serde_json::from_str(&text)?,
            None => return Ok(None),
        };
        // Several shares of one file (e.g. by two offices): the widest wins.
        Ok(grants
            .iter()
            .filter(|g| g.doc_id == id)
            .map(|g| g.mode)
            .max_by_key(|m| *m == ShareMode::ReadWrite))
    }

    /// In partner mode, an edit may only add to the sections a partner may
    /// edit, and only while the case file is still shared (the relay would
    /// refuse anything else; saying so at once loses nobody's work).
    pub(crate) fn check_partner_edit(
        &self,
        id: &str,
        patch: &Map<String, Value>,
    ) -> Result<(), StoreError> {
        if self.mode()? == StoreMode::Office {
            return Ok(());
        }
        if self.share_state(id)? == ShareState::NoLongerShared {
            return Err(StoreError::Invalid(
                "该案卷已停止共享，不能再修改 (this case file is no longer shared with you)".into(),
            ));
        }
        if self.partner_mode(id)? == Some(ShareMode::Read) {
            return Err(StoreError::Invalid(
                "该案卷是只读共享，合作单位不能补充 (this case file is shared with you read-only)"
                    .into(),
            ));
        }
        if let Some(name) = patch
            .keys()
            .find(|k| !PARTNER_SECTIONS.contains(&k.as_str()))
        {
            return Err(StoreError::Invalid(format!(
                "合作单位只能补充查扣清单、鉴定结果、证据和备注，不能修改“{name}”"
            )));
        }
        Ok(())
    }

    /// Keeps authors fetched from the relay for offline audit views.
    pub fn remember_authors(&mut self, authors: &[Author]) -> Result<(), StoreError> {
        let tx = self.conn.savepoint()?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT OR REPLACE INTO authors(actor, org, org_name, user, device)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for a in authors {
                stmt.execute(params![a.actor, a.org, a.org_name, a.user, a.device])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Every author known here.
    pub fn known_authors(&self) -> Result<Vec<Author>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT actor, org, org_name, user, device FROM authors ORDER BY actor")?;
        let rows = stmt
            .query_map([], |r| {
                Ok(Author {
                    actor: r.get(0)?,
                    org: r.get(1)?,
                    org_name: r.get(2)?,
                    user: r.get(3)?,
                    device: r.get(4)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }
}

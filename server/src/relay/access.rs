//! Who may read and write a document (DESIGN.md decision 6). Knowing a
//! document id grants nothing: every check starts from the caller.

use chrono::{DateTime, Utc};

use crate::storage::{Database, DbResult, GrantMode, OrgKind, Principal, StoredDoc, Visibility};

/// The feed visibility of a caller.
pub fn visibility(who: &Principal) -> Visibility {
    match who.org_kind {
        OrgKind::Bureau => Visibility::All,
        OrgKind::Office => Visibility::Office(who.org.clone()),
        OrgKind::Partner => match &who.sponsor {
            None => Visibility::Partner(who.org.clone()),
            Some(office) => Visibility::PartnerVia {
                partner: who.org.clone(),
                office: office.clone(),
            },
        },
    }
}

/// What a caller may do with one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    None,
    Read,
    ReadWrite,
}

/// The caller's access to a stored document.
pub async fn access(
    db: &dyn Database,
    who: &Principal,
    doc: &StoredDoc,
    now: DateTime<Utc>,
) -> DbResult<Access> {
    Ok(match who.org_kind {
        OrgKind::Bureau => Access::ReadWrite,
        OrgKind::Office => {
            let holds = doc.holder.as_deref() == Some(who.org.as_str());
            let owns_undispatched = doc.owner == who.org && doc.holder.is_none();
            if holds || owns_undispatched {
                Access::ReadWrite
            } else if doc.owner == who.org {
                // Dispatched elsewhere by its owner: the owner still reads it.
                Access::Read
            } else {
                Access::None
            }
        }
        OrgKind::Partner => {
            // The confidential annex never reaches a partner.
            if doc.kind == "annex" {
                return Ok(Access::None);
            }
            let grants = db.grants_for_doc(&doc.id).await?;
            let active = grants.iter().filter(|g| g.reaches(who) && g.is_active(now));
            let mut best = Access::None;
            for g in active {
                best = match g.mode {
                    GrantMode::ReadWrite => Access::ReadWrite,
                    GrantMode::Read if best == Access::None => Access::Read,
                    GrantMode::Read => best,
                };
            }
            best
        }
    })
}

/// May the caller create a new document owned by `owner`?
pub fn may_create(who: &Principal, owner: &str) -> bool {
    match who.org_kind {
        OrgKind::Bureau => true,
        OrgKind::Office => owner == who.org,
        OrgKind::Partner => false,
    }
}

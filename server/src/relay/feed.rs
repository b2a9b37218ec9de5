//! What changed since a client's cursor, among the documents it may read,
//! within a byte bound. The cost grows with what changed, never with what
//! the store holds: a client with nothing new gets an empty feed in one
//! indexed query.

use std::collections::{BTreeMap, BTreeSet};

use automerge::ActorId;
use chrono::{DateTime, Utc};
use hongdun_core::doc::RecordDoc;
use hongdun_core::sync::protocol::{hashes, FeedDoc};

use super::access::{access, visibility, Access};
use crate::storage::{Database, DbResult, EntryKind, OrgKind, Principal};

/// Feed entries read per query.
const PAGE: i64 = 1000;

pub struct FeedOut {
    pub docs: Vec<FeedDoc>,
    pub cursor: u64,
    pub more: bool,
    pub revoked: Vec<String>,
}

struct Pending {
    full: bool,
    bytes: Vec<u8>,
}

fn actor() -> ActorId {
    ActorId::from(b"hongdun-relay-fd".to_vec())
}

/// Collects the feed after `cursor` for `who`, up to about `max_bytes`.
pub async fn collect(
    db: &dyn Database,
    who: &Principal,
    cursor: u64,
    want_full: &[String],
    max_bytes: u64,
    now: DateTime<Utc>,
) -> DbResult<FeedOut> {
    let vis = visibility(who);
    let mut order: Vec<String> = Vec::new();
    let mut pending: BTreeMap<String, Pending> = BTreeMap::new();
    let mut revoked: BTreeSet<String> = BTreeSet::new();
    let mut total: u64 = 0;
    let mut pos = cursor as i64;
    let mut more = false;
    // A device with an empty cursor gets each document whole: smaller than
    // replaying every change, and one item per document.
    let initial = cursor == 0;
    // Documents asked for whole (lost or damaged on the device).
    for id in want_full {
        if pending.contains_key(id) {
            continue;
        }
        order.push(id.clone());
        pending.insert(
            id.clone(),
            Pending {
                full: true,
                bytes: vec![],
            },
        );
    }
    // Read before the feed: every entry up to `head` is committed and in the
    // query below (entries become visible in seq order), so when the feed is
    // drained the cursor may move past entries this caller cannot see — a
    // no-op round never rescans other offices' updates.
    let head = db.feed_head().await?;
    'pages: loop {
        let page = db.feed_since(pos, &vis, now, PAGE).await?;
        let n = page.len() as i64;
        for e in page {
            if total >= max_bytes {
                more = true;
                break 'pages;
            }
            pos = e.seq;
            match e.kind {
                EntryKind::Revoke => {
                    pending.remove(&e.doc_id);
                    revoked.insert(e.doc_id.clone());
                }
                EntryKind::Access => {
                    revoked.remove(&e.doc_id);
                    if !pending.contains_key(&e.doc_id) {
                        order.push(e.doc_id.clone());
                    }
                    pending.insert(
                        e.doc_id.clone(),
                        Pending {
                            full: true,
                            bytes: vec![],
                        },
                    );
                    total += 1024; // a whole document: count an estimate now
                }
                EntryKind::Change => {
                    // The device's own changes are not sent back.
                    if e.origin_device.as_deref() == Some(who.device_id.as_str()) {
                        continue;
                    }
                    let p = pending.entry(e.doc_id.clone()).or_insert_with(|| {
                        order.push(e.doc_id.clone());
                        Pending {
                            full: initial,
                            bytes: vec![],
                        }
                    });
                    if !p.full {
                        total += e.bytes.len() as u64;
                        p.bytes.extend_from_slice(&e.bytes);
                    } else if p.bytes.is_empty() {
                        total += e.bytes.len() as u64;
                    }
                }
            }
        }
        if n < PAGE {
            break;
        }
    }
    // A partner also learns of grants that ran out (no entry marks an expiry).
    if who.org_kind == OrgKind::Partner {
        let grants: Vec<_> = db
            .grants_for_partner(&who.org)
            .await?
            .into_iter()
            .filter(|g| g.reaches(who))
            .collect();
        let active: BTreeSet<&str> = grants
            .iter()
            .filter(|g| g.is_active(now))
            .map(|g| g.doc_id.as_str())
            .collect();
        for g in &grants {
            if !active.contains(g.doc_id.as_str()) {
                pending.remove(&g.doc_id);
                revoked.insert(g.doc_id.clone());
            }
        }
    }
    let mut docs = Vec::with_capacity(order.len());
    let mut seen = BTreeSet::new();
    for id in order {
        if !seen.insert(id.clone()) {
            continue;
        }
        let Some(p) = pending.remove(&id) else {
            continue;
        };
        // Checked again at send time: access may have moved since the entry.
        let Some(stored) = db.load_doc(&id).await? else {
            continue;
        };
        if access(db, who, &stored, now).await? == Access::None {
            continue;
        }
        let Ok(mut doc) = RecordDoc::load(&stored.bytes, &actor()) else {
            tracing::error!(doc = %id, "the relay's copy of a document does not load");
            continue;
        };
        // `load` has checked the kind already.
        let Ok(kind) = doc.kind() else { continue };
        let heads = hashes(&doc.heads());
        let (bytes, full) = if p.full {
            (stored.bytes.clone(), true)
        } else {
            (p.bytes, false)
        };
        docs.push(FeedDoc {
            doc_id: id,
            kind,
            owner: stored.owner.clone(),
            holder: stored.holder.clone(),
            heads,
            bytes,
            full,
        });
    }
    if !more {
        pos = pos.max(head);
    }
    Ok(FeedOut {
        docs,
        cursor: pos.max(0) as u64,
        more,
        revoked: revoked.into_iter().collect(),
    })
}

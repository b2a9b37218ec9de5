//! Merging one uploaded document into the bureau copy.
//!
//! The relay merges in memory and stores with an optimistic version check,
//! retrying on a lost race (several relay instances may share PostgreSQL).
//! Before storing it compares the document before and after the merge and
//! refuses — never merges — a write the caller's role may not make:
//!
//! - changing a document's identity (id, kind, owner office);
//! - 流转 (dispatch) by anyone but the bureau; 退回 (return) by anyone but
//!   the office holding the item (and only back to the bureau);
//! - any write by a partner with a read-only or expired grant; workflow
//!   events by a partner, or fields outside the sections a partner may edit.

use std::collections::BTreeSet;

use automerge::ActorId;
use chrono::{DateTime, Utc};
use hongdun_core::calendar::Calendar;
use hongdun_core::deadline::rules::Limits;
use hongdun_core::doc::RecordDoc;
use hongdun_core::record::{EventEnvelope, RecordKind};
use hongdun_core::store::project;
use hongdun_core::sync::protocol::{hashes, AckResult, DocAck, DocUpload};

use super::access::{access, may_create, Access};
use crate::storage::{
    Database, DbResult, DocProjection, EntryKind, NewEntry, OrgKind, Principal, StoredDoc,
};

/// Fields a partner (公安, a brand owner) may add to in a shared case file:
/// 查扣清单, 鉴定 results, evidence and notes (one list, in hongdun-core).
pub const PARTNER_FIELDS: [&str; 4] = hongdun_core::joint::PARTNER_SECTIONS;

const MAX_RETRIES: usize = 8;

pub(crate) fn relay_actor() -> ActorId {
    ActorId::from(b"hongdun-relay-00".to_vec())
}

fn refuse(doc_id: &str, reason: impl Into<String>) -> DocAck {
    DocAck {
        doc_id: doc_id.to_string(),
        result: AckResult::Refused {
            reason: reason.into(),
        },
    }
}

/// The office handling a dispatched item now: the last 流转 target, unless
/// returned since. `None` means the owner handles it.
pub fn holder(events: &[EventEnvelope]) -> Option<String> {
    let mut sorted: Vec<&EventEnvelope> = events.iter().collect();
    sorted.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
    let mut holder = None;
    for e in sorted {
        match e.action.as_str() {
            "dispatch" | "assign" => {
                holder = e
                    .params
                    .get("to_office")
                    .and_then(|v| v.as_str())
                    .map(str::to_string);
            }
            "return" => holder = None,
            _ => {}
        }
    }
    holder
}

/// Builds the bureau's projection of a document.
pub fn projection(
    doc: &mut RecordDoc,
    holder: Option<String>,
    now: DateTime<Utc>,
) -> Result<DocProjection, String> {
    let p = project::project(doc, &Calendar::builtin(), &Limits::builtin())
        .map_err(|e| e.to_string())?;
    let kind = p.kind;
    let derived = &p.derived;
    let data = serde_json::json!({
        "fields": if kind == RecordKind::Annex { serde_json::Value::Null } else { serde_json::Value::Object(p.fields.clone()) },
        "dates": derived.dates,
        "amounts": derived.amounts,
        "outcome": derived.outcome,
        "payments": derived.payments,
    });
    Ok(DocProjection {
        id: p.id.clone(),
        kind: kind.as_str().to_string(),
        owner: p.office.clone(),
        holder,
        number: p.number.clone(),
        title: p.title.clone(),
        status: p.derived.status.clone(),
        status_label: p.derived.status_label.clone(),
        closed: p.derived.closed,
        conflicts: p.conflicts as i64,
        next_due: p.next_due().map(|d| d.due.to_string()),
        schema: doc.schema(),
        data,
        updated_at: now,
        facts: p.facts(),
        attachments: doc.attachments().into_iter().map(|r| r.sha256).collect(),
    })
}

/// Checks what a merge changed against the caller's role.
fn check_changes(
    who: &Principal,
    before: Option<&RecordDoc>,
    after: &RecordDoc,
    before_holder: Option<&str>,
) -> Result<(), String> {
    let before_events: BTreeSet<String> = before
        .map(|b| b.events().into_iter().map(|e| e.id).collect())
        .unwrap_or_default();
    let new_events: Vec<EventEnvelope> = after
        .events()
        .into_iter()
        .filter(|e| !before_events.contains(&e.id))
        .collect();
    for e in &new_events {
        match e.action.as_str() {
            "dispatch" | "assign" if who.org_kind != OrgKind::Bureau => {
                // An office may record that one of its own items came to it
                // (history imported from an older system): that moves no
                // access. Sending anything to another office is the bureau's.
                let to = e.params.get("to_office").and_then(|v| v.as_str());
                let own_record = after.office() == who.org && to == Some(who.org.as_str());
                if !own_record {
                    return Err(
                        "流转/交办只能由市局（中心）办理；分局不能转给其他单位，只能退回".into(),
                    );
                }
            }
            "return" => {
                // The holder returns it; on an office's own record (imported
                // history) a return moves no access either.
                let holds = before_holder == Some(who.org.as_str()) || after.office() == who.org;
                if who.org_kind != OrgKind::Bureau && !holds {
                    return Err("只有承办单位可以退回该事项".into());
                }
                // Back to the central unit that sent it (the owner, or the
                // unit named as receiver), never sideways.
                if let Some(to) = e.params.get("to_office").and_then(|v| v.as_str()) {
                    let fields = after.fields();
                    let central = fields.get("received_by").and_then(|v| v.as_str());
                    if to != after.office() && Some(to) != central {
                        return Err("退回只能退回市局（中心），不能转给其他单位".into());
                    }
                }
            }
            _ => {}
        }
    }
    if who.org_kind == OrgKind::Partner {
        if !new_events.is_empty() {
            return Err("合作单位不能办理案件流程，只能补充查扣清单、鉴定结果、证据和备注".into());
        }
        let before_fields = before.map(|b| b.fields()).unwrap_or_default();
        let after_fields = after.fields();
        let keys: BTreeSet<&String> = before_fields.keys().chain(after_fields.keys()).collect();
        for k in keys {
            if before_fields.get(k) != after_fields.get(k) && !PARTNER_FIELDS.contains(&k.as_str())
            {
                return Err(format!(
                    "合作单位不能修改“{k}”；只能补充查扣清单、鉴定结果、证据和备注"
                ));
            }
        }
    }
    Ok(())
}

/// Feed entries for a stored update: the changes, and access moving when an
/// item is dispatched or returned.
fn entries(
    who: &Principal,
    changes: Vec<u8>,
    old_holder: Option<&str>,
    new_holder: Option<&str>,
) -> Vec<NewEntry> {
    let mut out = vec![NewEntry {
        kind: EntryKind::Change,
        audience: None,
        origin_device: Some(who.device_id.clone()),
        bytes: changes,
    }];
    if old_holder != new_holder {
        if let Some(old) = old_holder {
            out.push(NewEntry {
                kind: EntryKind::Revoke,
                audience: Some(old.to_string()),
                origin_device: None,
                bytes: vec![],
            });
        }
        if let Some(new) = new_holder {
            out.push(NewEntry {
                kind: EntryKind::Access,
                audience: Some(new.to_string()),
                origin_device: None,
                bytes: vec![],
            });
        }
    }
    out
}

/// Binds the authors (Automerge actors) of the changes after `since` to the
/// uploading device in the relay's actor directory; a refusal reason if some
/// are bound to another user's device. This is what makes the audit trail
/// trustworthy: a change is attributed to the device that first uploaded
/// changes by its actor, and no other user can later upload changes under
/// that actor — so nobody can pass a change off as another organisation's.
async fn claim_authors(
    db: &dyn Database,
    who: &Principal,
    doc: &mut RecordDoc,
    since: &[automerge::ChangeHash],
    now: DateTime<Utc>,
) -> DbResult<Option<String>> {
    let actors: BTreeSet<String> = doc
        .automerge_mut()
        .get_changes_meta(since)
        .into_iter()
        .map(|m| m.actor.to_hex_string())
        .collect();
    let actors: Vec<String> = actors.into_iter().collect();
    let foreign = db.claim_actors(&who.device_id, &actors, now).await?;
    // The bureau runs the relay (it could rewrite these tables anyway) and
    // may carry other devices' history, e.g. an office's imported records;
    // those changes stay attributed to the device that first uploaded them.
    if who.org_kind == OrgKind::Bureau {
        return Ok(None);
    }
    Ok((!foreign.is_empty()).then(|| {
        "these changes are signed with another device's author id; the change was not merged — \
         each device uploads only changes made in its own store"
            .to_string()
    }))
}

/// Merges one upload; the acknowledgement says what happened.
pub async fn apply(
    db: &dyn Database,
    who: &Principal,
    up: &DocUpload,
    now: DateTime<Utc>,
) -> DbResult<DocAck> {
    for _ in 0..MAX_RETRIES {
        let stored = db.load_doc(&up.doc_id).await?;
        let outcome = match stored {
            None => apply_new(db, who, up, now).await?,
            Some(stored) => apply_existing(db, who, up, stored, now).await?,
        };
        if let Some(ack) = outcome {
            if let AckResult::Refused { reason } = &ack.result {
                tracing::warn!(doc = %up.doc_id, device = %who.device_id, org = %who.org, %reason, "refused a write");
            }
            return Ok(ack);
        }
        // Lost a race with another writer: reload and merge again.
    }
    Ok(refuse(
        &up.doc_id,
        "the document is being changed by others right now; sync again",
    ))
}

async fn apply_new(
    db: &dyn Database,
    who: &Principal,
    up: &DocUpload,
    now: DateTime<Utc>,
) -> DbResult<Option<DocAck>> {
    let Ok(mut doc) = RecordDoc::load(&up.changes, &relay_actor()) else {
        return Ok(Some(DocAck {
            doc_id: up.doc_id.clone(),
            result: AckResult::NeedFull,
        }));
    };
    if doc.id() != up.doc_id {
        return Ok(Some(refuse(
            &up.doc_id,
            "the document's id does not match the upload",
        )));
    }
    let owner = doc.office();
    if !may_create(who, &owner) {
        return Ok(Some(refuse(
            &up.doc_id,
            "this device may not create documents for that office",
        )));
    }
    if let Err(reason) = check_changes(who, None, &doc, None) {
        return Ok(Some(refuse(&up.doc_id, reason)));
    }
    let events = doc.events();
    let new_holder = holder(&events).filter(|h| *h != owner);
    let Ok(proj) = projection(&mut doc, new_holder.clone(), now) else {
        return Ok(Some(refuse(
            &up.doc_id,
            "the document is not a readable Hongdun record",
        )));
    };
    if let Some(reason) = claim_authors(db, who, &mut doc, &[], now).await? {
        return Ok(Some(refuse(&up.doc_id, reason)));
    }
    let bytes = doc.save();
    let heads = hashes(&doc.heads());
    let stored = StoredDoc {
        id: up.doc_id.clone(),
        kind: proj.kind.clone(),
        owner,
        holder: new_holder.clone(),
        bytes: bytes.clone(),
        version: 1,
    };
    let ents = entries(who, bytes, None, new_holder.as_deref());
    if !db.store_doc(&stored, 0, &proj, &ents).await? {
        return Ok(None);
    }
    Ok(Some(DocAck {
        doc_id: up.doc_id.clone(),
        result: AckResult::Stored { heads },
    }))
}

async fn apply_existing(
    db: &dyn Database,
    who: &Principal,
    up: &DocUpload,
    stored: StoredDoc,
    now: DateTime<Utc>,
) -> DbResult<Option<DocAck>> {
    // An unreadable document and an unknown one look the same to the caller.
    let acc = access(db, who, &stored, now).await?;
    if acc == Access::None {
        return Ok(Some(refuse(
            &up.doc_id,
            "this device may not write that document",
        )));
    }
    let Ok(mut before) = RecordDoc::load(&stored.bytes, &relay_actor()) else {
        return Ok(Some(refuse(
            &up.doc_id,
            "the relay's copy of this document is damaged; the bureau has been told",
        )));
    };
    let before_heads = before.heads();
    let mut after = RecordDoc::load(&stored.bytes, &relay_actor())
        .map_err(|e| crate::storage::DbError::Backend(e.to_string()))?;
    if after.apply(&up.changes).is_err() {
        return Ok(Some(DocAck {
            doc_id: up.doc_id.clone(),
            result: AckResult::NeedFull,
        }));
    }
    if !after.automerge_mut().get_missing_deps(&[]).is_empty() {
        return Ok(Some(DocAck {
            doc_id: up.doc_id.clone(),
            result: AckResult::NeedFull,
        }));
    }
    let after_heads = after.heads();
    if hashes(&after_heads) == hashes(&before_heads) {
        return Ok(Some(DocAck {
            doc_id: up.doc_id.clone(),
            result: AckResult::Unchanged {
                heads: hashes(&after_heads),
            },
        }));
    }
    if acc != Access::ReadWrite {
        return Ok(Some(refuse(
            &up.doc_id,
            "this device may only read that document; the change was not merged",
        )));
    }
    if after.id() != stored.id
        || after.office() != stored.owner
        || after.kind().map(|k| k.as_str().to_string()).ok() != Some(stored.kind.clone())
    {
        return Ok(Some(refuse(
            &up.doc_id,
            "a document's id, kind and owner office cannot change",
        )));
    }
    if let Err(reason) = check_changes(who, Some(&before), &after, stored.holder.as_deref()) {
        return Ok(Some(refuse(&up.doc_id, reason)));
    }
    let new_holder = holder(&after.events()).filter(|h| *h != stored.owner);
    let Ok(proj) = projection(&mut after, new_holder.clone(), now) else {
        return Ok(Some(refuse(
            &up.doc_id,
            "the merged document is not a readable Hongdun record",
        )));
    };
    if let Some(reason) = claim_authors(db, who, &mut after, &before_heads, now).await? {
        return Ok(Some(refuse(&up.doc_id, reason)));
    }
    let changes = after.automerge_mut().save_after(&before_heads);
    let next = StoredDoc {
        id: stored.id.clone(),
        kind: stored.kind.clone(),
        owner: stored.owner.clone(),
        holder: new_holder.clone(),
        bytes: after.save(),
        version: stored.version + 1,
    };
    let ents = entries(
        who,
        changes,
        stored.holder.as_deref(),
        new_holder.as_deref(),
    );
    if !db.store_doc(&next, stored.version, &proj, &ents).await? {
        return Ok(None);
    }
    Ok(Some(DocAck {
        doc_id: up.doc_id.clone(),
        result: AckResult::Stored {
            heads: hashes(&after_heads),
        },
    }))
}

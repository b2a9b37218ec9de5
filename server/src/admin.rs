//! `hongdun-server admin …`: offices, users, devices, enrollment codes and
//! grants, straight on the relay's database (run on the relay machine).

use std::sync::Arc;

use anyhow::{anyhow, bail, Result};
use chrono::{DateTime, Duration, Utc};
use clap::Subcommand;
use serde_json::json;

use crate::auth::{new_enrollment_code, normalise_code, TokenKey};
use crate::storage::{Database, EntryKind, Grant, GrantMode, NewEntry, Org, OrgKind, Role, User};

/// How long an enrollment code stays valid.
pub const CODE_VALID_DAYS: i64 = 7;

#[derive(Debug, Subcommand)]
pub enum AdminCmd {
    /// Create an organisation: an office, the bureau, or a partner.
    CreateOffice {
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
        /// office, bureau or partner
        #[arg(long, default_value = "office")]
        kind: String,
    },
    /// Create a user of an organisation.
    CreateUser {
        #[arg(long)]
        org: String,
        #[arg(long)]
        name: String,
        /// staff, head, bureau or partner
        #[arg(long, default_value = "staff")]
        role: String,
    },
    /// Create a device for a user and print its one-time enrollment code.
    CreateDevice {
        #[arg(long)]
        user: String,
        #[arg(long)]
        name: String,
    },
    /// Print a fresh one-time enrollment code for an existing device.
    EnrollmentCode {
        #[arg(long)]
        device: String,
    },
    /// Revoke a device: its token stops working at its next request.
    RevokeDevice {
        #[arg(long)]
        device: String,
    },
    /// Share one document with a partner.
    Grant {
        #[arg(long)]
        doc: String,
        #[arg(long)]
        partner: String,
        /// read or read_write
        #[arg(long, default_value = "read")]
        mode: String,
        /// Expiry, RFC 3339 (e.g. 2026-12-31T00:00:00Z).
        #[arg(long)]
        expires: Option<String>,
    },
    /// Revoke a grant.
    RevokeGrant {
        #[arg(long)]
        id: String,
    },
    /// List organisations and devices.
    List,
}

async fn new_code(db: &dyn Database, key: &TokenKey, device: &str) -> Result<String> {
    let code = new_enrollment_code();
    db.create_enrollment(
        device,
        &key.hash(&normalise_code(&code)),
        Utc::now() + Duration::days(CODE_VALID_DAYS),
    )
    .await?;
    Ok(code)
}

/// Runs one admin command; prints JSON on stdout.
pub async fn run(cmd: &AdminCmd, db: Arc<dyn Database>, key: &TokenKey) -> Result<()> {
    let db = db.as_ref();
    let out = match cmd {
        AdminCmd::CreateOffice { code, name, kind } => {
            let kind = OrgKind::parse(kind)
                .ok_or_else(|| anyhow!("--kind must be office, bureau or partner"))?;
            if code.trim().is_empty() || code.chars().any(char::is_whitespace) {
                bail!("--code must be a short code without spaces, e.g. GS0101");
            }
            if db.get_org(code).await?.is_some() {
                bail!("an organisation with code {code} already exists");
            }
            let org = Org {
                code: code.clone(),
                name: name.clone(),
                kind,
            };
            db.create_org(&org).await?;
            json!({ "org": org })
        }
        AdminCmd::CreateUser { org, name, role } => {
            let role = Role::parse(role)
                .ok_or_else(|| anyhow!("--role must be staff, head, bureau or partner"))?;
            let o = db.get_org(org).await?.ok_or_else(|| {
                anyhow!("no organisation {org}; create it with `admin create-office` first")
            })?;
            let fits = matches!(
                (o.kind, role),
                (OrgKind::Office, Role::Staff | Role::Head)
                    | (OrgKind::Bureau, Role::Bureau | Role::Head | Role::Staff)
                    | (OrgKind::Partner, Role::Partner)
            );
            if !fits {
                bail!(
                    "a {} user cannot belong to a {} organisation",
                    role.as_str(),
                    o.kind.as_str()
                );
            }
            let user = User {
                id: uuid::Uuid::new_v4().simple().to_string(),
                org: org.clone(),
                name: name.clone(),
                role,
            };
            db.create_user(&user).await?;
            json!({ "user": user })
        }
        AdminCmd::CreateDevice { user, name } => {
            db.get_user(user)
                .await?
                .ok_or_else(|| anyhow!("no user {user}; `admin create-user` prints user ids"))?;
            let device = uuid::Uuid::new_v4().simple().to_string();
            db.create_device(&device, user, name).await?;
            let code = new_code(db, key, &device).await?;
            json!({ "device_id": device, "enrollment_code": code, "valid_days": CODE_VALID_DAYS })
        }
        AdminCmd::EnrollmentCode { device } => {
            let known = db
                .list_devices()
                .await?
                .into_iter()
                .any(|d| &d.id == device && d.revoked_at.is_none());
            if !known {
                bail!("no active device {device}; `admin list` shows devices");
            }
            let code = new_code(db, key, device).await?;
            json!({ "device_id": device, "enrollment_code": code, "valid_days": CODE_VALID_DAYS })
        }
        AdminCmd::RevokeDevice { device } => {
            if !db.revoke_device(device, Utc::now()).await? {
                bail!("no active device {device}");
            }
            json!({ "revoked": device })
        }
        AdminCmd::Grant {
            doc,
            partner,
            mode,
            expires,
        } => {
            let mode = GrantMode::parse(mode)
                .ok_or_else(|| anyhow!("--mode must be read or read_write"))?;
            let expires_at = expires
                .as_deref()
                .map(|s| DateTime::parse_from_rfc3339(s).map(|d| d.with_timezone(&Utc)))
                .transpose()
                .map_err(|_| {
                    anyhow!("--expires must be an RFC 3339 time, e.g. 2026-12-31T00:00:00Z")
                })?;
            let p = db.get_org(partner).await?;
            if p.map(|o| o.kind) != Some(OrgKind::Partner) {
                bail!("{partner} is not a partner organisation");
            }
            let d = db
                .load_doc(doc)
                .await?
                .ok_or_else(|| anyhow!("no document {doc} on this relay"))?;
            if d.kind == "annex" {
                bail!("the confidential annex is never shared with partners");
            }
            let grant = Grant {
                id: uuid::Uuid::new_v4().simple().to_string(),
                doc_id: doc.clone(),
                partner: partner.clone(),
                mode,
                expires_at,
                created_by: "admin".into(),
                created_at: Utc::now(),
                revoked_at: None,
                // Devices an office enrolled for the partner see it too.
                office: Some(d.owner.clone()),
            };
            db.create_grant(&grant).await?;
            db.append_entries(
                doc,
                &[NewEntry {
                    kind: EntryKind::Access,
                    audience: Some(partner.clone()),
                    origin_device: None,
                    bytes: vec![],
                }],
            )
            .await?;
            json!({ "grant": grant })
        }
        AdminCmd::RevokeGrant { id } => {
            let g = db
                .get_grant(id)
                .await?
                .ok_or_else(|| anyhow!("no grant {id}"))?;
            if db.revoke_grant(id, Utc::now()).await? {
                db.append_entries(
                    &g.doc_id,
                    &[NewEntry {
                        kind: EntryKind::Revoke,
                        audience: Some(g.partner.clone()),
                        origin_device: None,
                        bytes: vec![],
                    }],
                )
                .await?;
            }
            json!({ "revoked": id })
        }
        AdminCmd::List => {
            json!({ "orgs": db.list_orgs().await?, "devices": db.list_devices().await? })
        }
    };
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(())
}

//! Leads, 12315 complaints and reports (with the reporter's annex),
//! petitions and inspections.

use chrono::{Datelike, NaiveDate};
use rand::Rng;
use serde_json::{json, Value};

use super::catalog::{
    CampaignKind, CaseType, CASE_TYPES, COMPLAINT_SUBJECTS, PETITION_CONTENTS, REPORT_CLUES,
};
use super::names::{self, pick, BUREAU, DOC_ABBR};
use super::{add, days, obj, Gen, Officer, Plan, Timeline, CENTRAL};
use crate::record::RecordKind;
use crate::store::RecordExport;

const TRANSFER_TO: &[&str] = &[
    "青石县公安局",
    "青石县农业农村局",
    "青石县卫生健康委员会",
    "青州市市场监督管理局",
    "青石县文化市场综合行政执法大队",
];

impl Gen {
    fn ymd_no(prefix: &str, day: NaiveDate, no: u32) -> String {
        format!("{prefix}{}{no:05}", day.format("%Y%m%d"))
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn linked_lead(
        &mut self,
        id: &str,
        day: NaiveDate,
        no: u32,
        source: &str,
        party: &Value,
        t: &CaseType,
        cause: &str,
        handlers: &[Officer],
        case_id: &str,
        filed: NaiveDate,
    ) -> (RecordExport, String) {
        let fields = obj(json!({
            "lead_no": format!("{DOC_ABBR}案源〔{}〕{no}号", day.year()),
            "source_type": source,
            "received_on": day.to_string(),
            "summary": format!("当事人涉嫌{cause}"),
            "party": party,
            "assigned_officers": handlers.iter().map(|h| h.id.clone()).collect::<Vec<_>>(),
            "case_category": t.category,
            "org_unit_id": "U02",
        }));
        let mut tl = Timeline::new(day, self.end, None);
        tl.go(self.r(0, 1), "start_verify", json!({}));
        let a = self.approver();
        tl.go(
            days(tl.day, filed),
            "file",
            json!({"handlers": Self::handler_json(handlers), "case_id": case_id, "approver": a}),
        );
        let by = handlers[0].name.clone();
        let rec = self.export(id, RecordKind::Lead, fields, tl.events);
        Self::with_by(rec, &by)
    }

    pub(super) fn lead(&mut self, plan: &Plan) -> (RecordExport, String) {
        let day = plan.day;
        let ti = self.pick_case_type();
        let t = &CASE_TYPES[ti];
        let source = *pick(
            &mut self.rng,
            &[
                "inspection.routine",
                "inspection.routine",
                "inspection.random",
                "inspection.sampling",
                "inspection.online",
                "complaint",
                "report",
                "assigned",
                "transferred",
                "media",
                "hotline_12345",
            ],
        );
        let kind = *pick(&mut self.rng, t.parties);
        let party = self.party(kind, day);
        let goods = (!t.goods.is_empty()).then(|| *pick(&mut self.rng, t.goods));
        let cause = pick(&mut self.rng, t.causes).replace(
            "{goods}",
            goods.map_or("", |g| g.0.split('（').next().unwrap_or("")),
        );
        let officers: Vec<String> = self.handlers().iter().map(|o| o.id.clone()).collect();
        let fields = obj(json!({
            "lead_no": format!("{DOC_ABBR}案源〔{}〕{}号", day.year(), plan.no),
            "source_type": source,
            "received_on": day.to_string(),
            "summary": format!("当事人涉嫌{cause}"),
            "party": party,
            "assigned_officers": officers,
            "case_category": t.category,
            "org_unit_id": "U02",
        }));
        let stall = self.stall(day, 4);
        let mut tl = Timeline::new(day, self.end, stall);
        let _ = (|| -> Option<()> {
            tl.go(self.r(0, 2), "start_verify", json!({}))?;
            if self.p(0.05) {
                tl.go(self.r(1, 4), "pause", json!({"reason": "testing"}))?;
                tl.go(self.r(5, 20), "resume", json!({}))?;
            }
            if self.p(0.08) {
                let a = self.approver();
                tl.go(
                    self.r(8, 12),
                    "extend_verify",
                    json!({"approver": a, "days": 15}),
                )?;
            }
            let gap = self.r(2, 10);
            let a = self.approver();
            match self.r(0, 99) {
                0..=64 => {
                    let reason = *pick(
                        &mut self.rng,
                        &[
                            "minor_corrected",
                            "first_minor",
                            "no_violation",
                            "no_violation",
                            "no_fault",
                        ],
                    );
                    tl.go(gap, "not_file", json!({"reason": reason, "approver": a}))?
                }
                65..=84 => {
                    let to = *pick(&mut self.rng, TRANSFER_TO);
                    tl.go(gap, "transfer", json!({"to": to}))?
                }
                _ => tl.go(
                    gap,
                    "merge",
                    json!({"into": format!("{DOC_ABBR}立字〔{}〕号案", day.year())}),
                )?,
            };
            Some(())
        })();
        let by = self.officers[3 + self.rng.random_range(0..7)].name.clone();
        let id = self.new_id();
        let rec = self.export(&id, RecordKind::Lead, fields, tl.events);
        Self::with_by(rec, &by)
    }

    pub(super) fn complaint(&mut self, plan: &Plan) -> (RecordExport, String) {
        let day = plan.day;
        let (cat, item, problem, lo, hi, biz, claim) = *pick(&mut self.rng, COMPLAINT_SUBJECTS);
        let town = self.town.clone();
        let respondent = match biz {
            "培训学校" => names::company(&mut self.rng, &town, "教育咨询有限公司"),
            "健身房" => names::company(&mut self.rng, &town, "健身服务有限公司"),
            "停车场" => names::company(&mut self.rng, &town, "停车管理有限公司"),
            "超市" if self.rng.random_bool(0.4) => {
                names::company(&mut self.rng, &town, "超市有限公司")
            }
            _ => names::sole_trader(&mut self.rng, &town, biz, day),
        };
        let price = self.r(i64::from(lo), i64::from(hi)) * 100;
        let online = self.p(0.25);
        let channel = *pick(
            &mut self.rng,
            &[
                "platform_12315",
                "platform_12315",
                "platform_12315",
                "phone",
                "hotline_12345",
                "counter",
                "letter",
            ],
        );
        let bought = add(day, -self.r(1, 90));
        let mut item_v = json!({
            "name": item, "quantity": 1, "price_fen": price, "purchase_date": bought.to_string(),
            "purchase_mode": if online { "online" } else { "offline" },
        });
        if online {
            item_v["platform"] = json!(*pick(&mut self.rng, &["淘宝", "京东", "拼多多", "抖音"]));
        }
        let mut fields = obj(json!({
            "complaint_no": Self::ymd_no("TS", day, plan.no),
            "channel": channel,
            "received_on": day.to_string(),
            "received_by": CENTRAL,
            "respondent": respondent,
            "item": item_v,
            "category": cat,
            "problem_type": problem,
            "claim": claim,
            "facts": format!("消费者称于{}在被投诉人处购买{item}，存在{problem}问题，与经营者协商未果。", bought.format("%Y年%m月%d日")),
            "amount_in_dispute_fen": price,
        }));
        if channel == "platform_12315" {
            fields.insert(
                "platform_order_no".into(),
                json!(format!(
                    "12315{}{:06}",
                    day.format("%Y%m%d"),
                    self.rng.random_range(0..1_000_000u32)
                )),
            );
        }
        let code = self.office.code.clone();
        let stall = self.stall(day, 6);
        let mut tl = Timeline::new(day, self.end, stall);
        let _ = (|| -> Option<()> {
            let dispatch = json!({"to_office": code, "from_office": CENTRAL});
            tl.go(self.r(0, 1), "dispatch", dispatch.clone())?;
            if self.p(0.03) {
                tl.go(
                    self.r(0, 1),
                    "return",
                    json!({"reason": "missing_elements", "to_office": CENTRAL}),
                )?;
                tl.go(self.r(1, 2), "dispatch", dispatch)?;
            }
            tl.go(self.r(0, 1), "claim", json!({}))?;
            let x = self.r(0, 99);
            if x < 12 {
                let reason = *pick(
                    &mut self.rng,
                    &[
                        "outside_duty",
                        "not_consumer_dispute",
                        "materials_missing",
                        "already_handled",
                    ],
                );
                tl.go(self.r(1, 3), "not_accept", json!({"art15_reason": reason}))?;
            } else if x < 20 {
                tl.go(self.r(1, 5), "withdraw", json!({"settled": true}))?;
            } else {
                let mode = if self.p(0.7) { "remote" } else { "on_site" };
                tl.go(self.r(1, 3), "accept", json!({"mode": mode}))?;
                tl.go(self.r(1, 5), "start_mediation", json!({"mode": mode}))?;
                if self.p(0.05) {
                    tl.go(self.r(2, 8), "pause", json!({"reason": "testing"}))?;
                    tl.go(self.r(7, 20), "resume", json!({}))?;
                }
                let y = self.r(0, 99);
                if y < 60 {
                    let recovered = price * self.r(30, 100) / 100;
                    let no = format!(
                        "{DOC_ABBR}调〔{}〕{}号",
                        tl.day.year(),
                        self.number("agreement", tl.day.year())
                    );
                    tl.go(
                        self.r(3, 30),
                        "agree",
                        json!({"recovered_fen": recovered, "agreement_no": no}),
                    )?;
                } else if y < 88 {
                    let reason = *pick(
                        &mut self.rng,
                        &[
                            "refused_or_absent",
                            "no_agreement_possible",
                            "no_agreement_possible",
                            "no_test_agreement",
                        ],
                    );
                    tl.go(self.r(5, 35), "terminate", json!({"art21_reason": reason}))?;
                    tl.go(self.r(1, 5), "notify_outcome", json!({}))?;
                } else {
                    tl.go(self.r(2, 20), "withdraw", json!({"settled": true}))?;
                }
            }
            tl.go(self.r(0, 4), "close", json!({}))?;
            Some(())
        })();
        if tl.has("close") && self.p(0.6) {
            let s = *pick(
                &mut self.rng,
                &[
                    "satisfied",
                    "satisfied",
                    "satisfied",
                    "basically_satisfied",
                    "dissatisfied",
                ],
            );
            fields.insert("satisfaction".into(), json!(s));
        }
        let by = self.officers[3 + self.rng.random_range(0..7)].name.clone();
        let id = self.new_id();
        let rec = self.export(&id, RecordKind::Complaint, fields, tl.events);
        Self::with_by(rec, &by)
    }

    pub(super) fn report(
        &mut self,
        plan: &Plan,
        _linked: Option<()>,
    ) -> Vec<(RecordExport, String)> {
        self.report_with_id(plan, None)
    }

    /// A report and its confidential annex. `linked` = (report id, case id,
    /// filing day, party, category, cause) when the report led to a case.
    #[allow(clippy::type_complexity)]
    pub(super) fn report_with_id(
        &mut self,
        plan: &Plan,
        linked: Option<(&str, &str, NaiveDate, &Value, &str, &str)>,
    ) -> Vec<(RecordExport, String)> {
        let day = plan.day;
        let town = self.town.clone();
        let (id, category, clue, party) = match linked {
            Some((id, _, _, party, cat, cause)) => {
                let name = party["name"].as_str().unwrap_or("");
                (
                    id.to_string(),
                    cat.to_string(),
                    format!("举报{name}涉嫌{cause}"),
                    party.clone(),
                )
            }
            None => {
                let (cat, clue, biz) = *pick(&mut self.rng, REPORT_CLUES);
                let party = if cat == "pyramid_selling" {
                    names::natural_person(&mut self.rng, &town, day)
                } else {
                    names::sole_trader(&mut self.rng, &town, biz, day)
                };
                (self.new_id(), cat.to_string(), clue.to_string(), party)
            }
        };
        let annex_id = self.new_id();
        let real_name = self.p(0.55);
        let channel = *pick(
            &mut self.rng,
            &[
                "platform_12315",
                "platform_12315",
                "phone",
                "hotline_12345",
                "letter",
                "counter",
            ],
        );
        let mut fields = obj(json!({
            "report_no": Self::ymd_no("JB", day, plan.no),
            "channel": channel,
            "received_on": day.to_string(),
            "received_by": CENTRAL,
            "real_name": real_name,
            "annex_id": annex_id,
            "reported_party": party,
            "clue": clue,
            "category": category,
        }));
        let code = self.office.code.clone();
        let stall = if linked.is_some() {
            None
        } else {
            self.stall(day, 5)
        };
        let mut tl = Timeline::new(day, self.end, stall);
        let _ = (|| -> Option<()> {
            if self.p(0.7) {
                tl.go(
                    self.r(0, 1),
                    "dispatch",
                    json!({"to_office": code, "from_office": CENTRAL}),
                )?;
            }
            tl.go(self.r(0, 2), "start_verify", json!({}))?;
            if let Some((_, case_id, filed, ..)) = linked {
                tl.go(days(tl.day, filed), "file", json!({"case_id": case_id}))?;
            } else {
                if self.p(0.05) {
                    tl.go(self.r(1, 4), "pause", json!({"reason": "appraisal"}))?;
                    tl.go(self.r(5, 20), "resume", json!({}))?;
                }
                if self.p(0.06) {
                    let a = self.approver();
                    tl.go(
                        self.r(8, 12),
                        "extend_verify",
                        json!({"approver": a, "days": 15}),
                    )?;
                }
                let gap = self.r(3, 10);
                match self.r(0, 99) {
                    0..=54 => {
                        let reason = *pick(
                            &mut self.rng,
                            &["no_violation", "no_violation", "minor_corrected"],
                        );
                        tl.go(gap, "not_file", json!({"reason": reason}))?
                    }
                    55..=74 => tl.go(gap, "no_jurisdiction", json!({}))?,
                    _ => {
                        let to = *pick(&mut self.rng, super::intake::TRANSFER_TO);
                        tl.go(gap, "transfer", json!({"to": to}))?
                    }
                };
            }
            if real_name {
                tl.go(self.r(1, 4), "notify_reporter", json!({}))?;
            }
            tl.go(self.r(0, 5), "close", json!({}))?;
            Some(())
        })();
        if linked.is_some() && real_name && tl.has("file") && self.p(0.3) {
            fields.insert("reward_fen".into(), json!(self.r(2, 20) * 10_000));
        }
        let clerk = self.officers[10].name.clone();
        let rec = self.export(&id, RecordKind::Report, fields, tl.events);
        let person = if real_name {
            names::person(&mut self.rng, &town, day, true)
        } else {
            json!({"name": "匿名", "phone": names::phone(&mut self.rng)})
        };
        let annex_fields = obj(json!({
            "subject_kind": "report",
            "subject_id": id,
            "persons": [person],
            "real_name": real_name,
        }));
        let annex = self.export(&annex_id, RecordKind::Annex, annex_fields, Vec::new());
        vec![Self::with_by(rec, &clerk), Self::with_by(annex, &clerk)]
    }

    pub(super) fn petition(&mut self, plan: &Plan) -> (RecordExport, String) {
        let day = plan.day;
        let (ptype, content) = *pick(&mut self.rng, PETITION_CONTENTS);
        let source = *pick(
            &mut self.rng,
            &[
                "direct",
                "direct",
                "direct",
                "transferred",
                "transferred",
                "assigned",
            ],
        );
        let channel = *pick(
            &mut self.rng,
            &["letter", "visit", "online", "online", "phone"],
        );
        let mut fields = obj(json!({
            "petition_no": Self::ymd_no("XF", day, plan.no),
            "channel": channel,
            "source": source,
            "petition_type": ptype,
            "received_on": day.to_string(),
            "content": content,
            "receiving_org": BUREAU,
            "petitioner_count": 1,
        }));
        if channel == "visit" && self.p(0.15) {
            fields.insert("petitioner_count".into(), json!(self.r(6, 30)));
            fields.insert("representative_count".into(), json!(self.r(2, 5)));
        }
        let stall = self.stall(day, 6);
        let mut tl = Timeline::new(day, self.end, stall);
        let head = format!("{}{}", self.head().title, self.head().name);
        let _ = (|| -> Option<()> {
            tl.go(self.r(0, 2), "register", json!({}))?;
            let gap = self.r(1, 10);
            if source != "direct" && self.p(0.08) {
                tl.go(
                    gap,
                    "object",
                    json!({"reason": "该事项不属于本机关法定职权范围"}),
                )?;
            } else if self.p(0.15) {
                let procedure = *pick(
                    &mut self.rng,
                    &["complaint", "report", "litigation", "administrative_review"],
                );
                tl.go(gap, "redirect", json!({"procedure": procedure}))?;
            } else if self.p(0.05) {
                tl.go(gap, "transfer_down", json!({"to": "青石县商务局"}))?;
            } else {
                tl.go(gap, "accept", json!({}))?;
                if self.p(0.2) {
                    tl.go(self.r(0, 3), "assign_leader", json!({"leader": head}))?;
                }
                tl.go(self.r(0, 5), "start_handling", json!({}))?;
                let reply_gap = if self.p(0.06) {
                    let a = self.approver();
                    tl.go(
                        self.r(40, 52),
                        "extend_handle",
                        json!({"approver": a, "days": 30}),
                    )?;
                    self.r(10, 30)
                } else {
                    self.r(10, 48)
                };
                let opinion = *pick(
                    &mut self.rng,
                    &[
                        "support", "support", "explain", "explain", "explain", "reject",
                    ],
                );
                let replied = tl.go(reply_gap, "reply", json!({"opinion_type": opinion}))?;
                let result = *pick(
                    &mut self.rng,
                    &[
                        "satisfied",
                        "satisfied",
                        "satisfied",
                        "basically_satisfied",
                        "dissatisfied",
                    ],
                );
                tl.go(self.r(3, 12), "evaluate", json!({"result": result}))?;
                if result == "dissatisfied" && self.p(0.5) {
                    let left = 29 - days(replied, tl.day);
                    if left > 1 {
                        tl.go(self.r(1, left), "request_review", json!({}))?;
                        tl.go(
                            self.r(10, 28),
                            "review_reply",
                            json!({"opinion_type": "explain"}),
                        )?;
                    }
                }
            }
            tl.go(self.r(1, 5), "close", json!({}))?;
            Some(())
        })();
        let by = self.officers[10].name.clone();
        let id = self.new_id();
        let rec = self.export(&id, RecordKind::Petition, fields, tl.events);
        Self::with_by(rec, &by)
    }

    pub(super) fn inspection(&mut self, plan: &Plan) -> (RecordExport, String) {
        let day = plan.day;
        let campaign = self
            .campaigns
            .iter()
            .find(|c| c.start <= day && day <= c.end)
            .cloned();
        let kind = campaign.as_ref().map(|c| c.kind);
        let town = self.town.clone();
        let words: &[&str] = match kind {
            Some(CampaignKind::FakeLiquor) => &["烟酒商行", "名酒行", "超市"],
            Some(CampaignKind::RedShieldFarm) => &["农资经营部", "农资店", "种子门市部"],
            Some(CampaignKind::HolidayMarket) => &["超市", "副食店", "饭店"],
            _ => &["副食店", "日用百货店", "服装店", "小吃店"],
        };
        let n = self.r(1, 2);
        let entities: Vec<Value> = (0..n)
            .map(|_| {
                let w = *pick(&mut self.rng, words);
                names::sole_trader(&mut self.rng, &town, w, day)
            })
            .collect();
        let k = self.r(2, 4) as usize;
        let mut officer_ids: Vec<String> = Vec::new();
        while officer_ids.len() < k {
            let o = self.officers[3 + self.rng.random_range(0..7)].id.clone();
            if !officer_ids.contains(&o) {
                officer_ids.push(o);
            }
        }
        let mut fields = obj(json!({
            "inspected_on": day.to_string(),
            "org_unit_id": "U02",
            "officer_ids": officer_ids,
            "premises_count": self.r(1, 25),
            "entities": entities,
        }));
        if let Some(c) = &campaign {
            fields.insert("campaign_id".into(), json!(c.id));
        }
        let mut actions = vec!["none"];
        let findings = match kind {
            Some(CampaignKind::FakeLiquor) if self.p(0.2) => {
                let qty = self.r(6, 120);
                fields.insert("seized_qty".into(), json!(qty));
                fields.insert(
                    "seized_value_fen".into(),
                    json!(qty * self.r(300, 1500) * 100),
                );
                if self.p(0.1) {
                    fields.insert("dens_destroyed".into(), json!(1));
                    fields.insert("referred_to_police".into(), json!(true));
                }
                actions = vec!["seize", "lead"];
                "发现涉嫌假冒茅台、五粮液等名酒，无法提供进货来源，已先行登记保存并通知权利人辨认"
            }
            Some(CampaignKind::RedShieldFarm | CampaignKind::HolidayMarket) => {
                let batches = self.r(1, 8);
                let bad = self.r(0, batches.min(2));
                fields.insert("sample_batches".into(), json!(batches));
                fields.insert("unqualified_batches".into(), json!(bad));
                if bad > 0 {
                    actions = vec!["rectify", "lead"];
                    "抽检发现不合格批次，已责令下架并形成案源"
                } else {
                    "检查进货台账、索证索票及明码标价情况，未发现问题"
                }
            }
            _ if self.p(0.25) => {
                actions = vec!["rectify"];
                "部分商品未明码标价，营业执照未悬挂于醒目位置，已责令当场改正"
            }
            _ => "检查营业执照、进货台账、商品质量及标识，未发现违法行为",
        };
        fields.insert("findings".into(), json!(findings));
        fields.insert("actions".into(), json!(actions));
        let mut tl = Timeline::new(day, self.end, None);
        if self.p(0.85) {
            tl.go(self.r(0, 10), "close", json!({}));
        }
        let by = self.officers[3].name.clone();
        let id = self.new_id();
        let rec = self.export(&id, RecordKind::Inspection, fields, tl.events);
        Self::with_by(rec, &by)
    }
}

//! Penalty cases: the normal procedure from 立案 to 归档 (with 鉴定 pauses,
//! extensions, hearings, instalments and court enforcement), and the simple
//! procedure's on-the-spot decisions.

use chrono::{Datelike, NaiveDate};
use rand::Rng;
use serde_json::{json, Value};

use super::catalog::{CaseType, PartyKind, CASE_TYPES, SIMPLE_CAUSES};
use super::names::{pick, BUREAU, DOC_ABBR};
use super::{add, days, obj, Gen, Plan, Timeline};
use crate::record::RecordKind;
use crate::store::RecordExport;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Intent {
    Penalty,
    NoPenalty,
    Referred,
    Terminate,
}

/// What the path actually reached.
#[derive(Debug, Default)]
struct Reached {
    decided: bool,
    decision_no: Option<String>,
    appraisal: Option<(NaiveDate, Option<NaiveDate>)>,
}

struct CaseCtx {
    filed: NaiveDate,
    intent: Intent,
    fine_fen: i64,
    gains_fen: i64,
    goods_conf_fen: i64,
    person_like: bool,
    big: bool,
    appraisal: Option<&'static str>,
}

/// The maker whose anti-counterfeiting office identifies its goods.
fn brand_owner(goods: &str) -> &'static str {
    for (k, v) in [
        ("茅台", "贵州茅台酒股份有限公司"),
        ("五粮液", "宜宾五粮液股份有限公司"),
        ("剑南春", "四川剑南春（集团）有限责任公司"),
        ("国窖", "泸州老窖股份有限公司"),
        ("洋河", "江苏洋河酒厂股份有限公司"),
        ("汾酒", "山西杏花村汾酒厂股份有限公司"),
    ] {
        if goods.contains(k) {
            return v;
        }
    }
    "商标注册人授权的鉴定机构"
}

fn short(goods: &str) -> &str {
    goods.split('（').next().unwrap_or(goods)
}

fn ymd(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

fn yuan(fen: i64) -> String {
    crate::model::money::format_yuan(fen)
}

impl Gen {
    fn log_uniform(&mut self, lo: f64, hi: f64) -> f64 {
        let (lo, hi) = (lo.max(1.0), hi.max(lo + 1.0));
        (lo.ln() + self.rng.random::<f64>() * (hi.ln() - lo.ln())).exp()
    }

    /// A fine in yuan rounded the way decisions are written.
    fn round_yuan(y: f64) -> i64 {
        let y = y as i64;
        match y {
            ..=9_999 => (y / 100).max(1) * 100,
            10_000..=99_999 => y / 1_000 * 1_000,
            _ => y / 10_000 * 10_000,
        }
    }

    fn fine_yuan(&mut self, t: &CaseType, cause: usize) -> i64 {
        let (lo, hi) = match (t.category, cause) {
            ("pyramid_selling", 2) => (500, 2_000),
            ("pyramid_selling", 1) => (500_000, 1_500_000),
            ("pyramid_selling", _) => (100_000, 500_000),
            _ => t.fine,
        };
        let y = if lo >= 100_000 {
            self.log_uniform(f64::from(lo), f64::from(hi))
        } else if self.p(t.big) {
            // 大要案: the long tail.
            self.log_uniform(100_000.0, f64::from(hi.max(300_000)) * 1.5)
        } else {
            self.log_uniform(f64::from(lo), f64::from(hi.min(99_000)))
        };
        Self::round_yuan(y)
    }

    fn pay_at(
        &mut self,
        tl: &mut Timeline,
        on: NaiveDate,
        kind: &str,
        amount: i64,
        channel: &str,
    ) -> Option<NaiveDate> {
        let on = on.max(tl.day);
        let treasury = add(on, self.r(1, 20));
        let mut params = json!({
            "kind": kind, "amount_fen": amount, "paid_on": on.to_string(),
            "voucher_no": format!("36{}{:010}", on.year(), self.rng.random_range(0..10_000_000_000u64)),
            "channel": channel,
        });
        if treasury <= self.end {
            params["treasury_date"] = json!(treasury.to_string());
        }
        tl.go(days(tl.day, on), "pay", params)
    }

    /// 延长办案期限 (+30 days, 负责人批准) when the decision would otherwise
    /// come after day 85 of the 90.
    fn extend_if_needed(
        &mut self,
        tl: &mut Timeline,
        c: &CaseCtx,
        paused: i64,
        decide_on: NaiveDate,
    ) {
        if days(c.filed, decide_on) - paused > 85 && !tl.has("extend_decide") {
            let ext = add(c.filed, self.r(75, 84) + paused).min(add(decide_on, -1));
            if ext > c.filed {
                let approver = self.approver();
                tl.side(ext, "extend_decide", json!({"approver": approver, "days": 30, "reason": "案情复杂，需进一步调查取证"}));
            }
        }
    }

    fn case_path(&mut self, tl: &mut Timeline, c: &CaseCtx, out: &mut Reached) -> Option<()> {
        tl.go(self.r(0, 2), "investigate", json!({}))?;
        if c.intent == Intent::Terminate {
            tl.go(
                self.r(10, 40),
                "terminate",
                json!({"reason": "经调查，违法事实不能成立"}),
            )?;
            let a = self.approver();
            tl.go(self.r(2, 10), "close", json!({"approver": a}))?;
            tl.go(self.r(5, 30), "archive", json!({}))?;
            return Some(());
        }
        let mut paused = 0;
        if self.p(0.02) {
            tl.go(
                self.r(3, 15),
                "suspend",
                json!({"reason": "当事人下落不明，案件暂时无法调查"}),
            )?;
            let g = self.r(10, 40);
            tl.go(g, "resume", json!({}))?;
            paused += g;
        }
        if let Some(reason) = c.appraisal {
            if self.p(0.5) {
                let s = tl.go(self.r(1, 7), "pause_clock", json!({"reason": reason}))?;
                out.appraisal = Some((s, None));
                let g = self.r(8, 35);
                let e = tl.go(g, "resume_clock", json!({"result": "鉴定/检验报告已送达"}))?;
                out.appraisal = Some((s, Some(e)));
                paused += g;
            }
        }
        tl.go(self.r(8, 30), "conclude_investigation", json!({}))?;
        let year_of = |d: NaiveDate| d.year();
        match c.intent {
            Intent::Referred | Intent::NoPenalty => {
                if c.intent == Intent::NoPenalty {
                    tl.go(
                        self.r(1, 3),
                        "submit_review",
                        json!({"legal_review_required": false}),
                    )?;
                }
                let gap = self.r(1, 5);
                self.extend_if_needed(tl, c, paused, add(tl.day, gap));
                let a = self.approver();
                let (ty, extra) = if c.intent == Intent::Referred {
                    (
                        "referred_judicial",
                        json!(format!(
                            "局务会〔{}〕第{}次",
                            year_of(tl.day),
                            self.r(1, 30)
                        )),
                    )
                } else {
                    ("no_penalty", Value::Null)
                };
                let mut params = json!({"decision_type": ty, "approver": a});
                if !extra.is_null() {
                    params["collective_ref"] = extra;
                }
                tl.go(gap, "decide", params)?;
                out.decided = true;
                let a = self.approver();
                tl.go(self.r(2, 12), "close", json!({"approver": a}))?;
                tl.go(self.r(5, 30), "archive", json!({}))?;
                return Some(());
            }
            _ => {}
        }
        let legal = c.fine_fen >= 5_000_000 || self.p(0.3);
        tl.go(
            self.r(1, 3),
            "submit_review",
            json!({"legal_review_required": legal}),
        )?;
        if legal {
            let reviewer = self.legal_reviewer().name.clone();
            tl.go(
                self.r(2, 6),
                "legal_review",
                json!({"reviewer": reviewer, "reviewer_has_legal_qualification": true}),
            )?;
        }
        let a = self.approver();
        tl.go(self.r(1, 4), "approve_notice", json!({"approver": a}))?;
        let notice_no = format!(
            "{DOC_ABBR}罚告〔{}〕{}号",
            tl.day.year(),
            self.number("notice", tl.day.year())
        );
        tl.go(self.r(1, 3), "notify", json!({"notice_no": notice_no}))?;
        let hearing_right = if c.person_like {
            c.fine_fen >= 1_000_000
        } else {
            c.fine_fen >= 10_000_000
        };
        let collective = json!(format!("局务会〔{}〕第{}次", tl.day.year(), self.r(1, 30)));
        if hearing_right && self.p(0.35) {
            let s = tl.go(self.r(1, 4), "request_hearing", json!({}))?;
            let sched = self.r(1, 3);
            let hearing_on = add(s, sched + self.r(8, 14));
            tl.go(
                sched,
                "schedule_hearing",
                json!({"hearing_on": hearing_on.to_string()}),
            )?;
            let host = self.legal_reviewer().name.clone();
            tl.go(
                days(tl.day, hearing_on),
                "hold_hearing",
                json!({"host": host}),
            )?;
            paused += days(s, hearing_on);
            tl.go(
                self.r(2, 6),
                "deliberate",
                json!({"collective_ref": collective}),
            )?;
        } else if self.p(0.7) {
            let params = if c.big {
                json!({"collective_ref": collective})
            } else {
                json!({})
            };
            tl.go(self.r(6, 9), "deliberate", params)?;
        }
        let gap = self.r(1, 4);
        let decide_on = add(tl.day, gap);
        self.extend_if_needed(tl, c, paused, decide_on);
        let decision_no = format!("{DOC_ABBR}处罚〔{}〕{}号", decide_on.year(), {
            let n = self.decision_no.entry(decide_on.year()).or_insert(0);
            *n += 1;
            *n
        });
        let mut types = vec!["fine"];
        let mut params = json!({
            "decision_type": "penalty", "decision_no": decision_no, "fine_fen": c.fine_fen,
            "approver": self.approver(),
        });
        if c.gains_fen > 0 {
            types.push("confiscate_gains");
            params["confiscated_gains_fen"] = json!(c.gains_fen);
        }
        if c.goods_conf_fen > 0 {
            types.push("confiscate_goods");
            params["confiscated_goods_value_fen"] = json!(c.goods_conf_fen);
        }
        if c.big {
            params["collective_ref"] = collective;
        }
        params["penalty_types"] = json!(types);
        tl.go(gap, "decide", params)?;
        out.decided = true;
        out.decision_no = Some(decision_no);
        let method = *pick(
            &mut self.rng,
            &[
                "direct",
                "direct",
                "direct",
                "direct",
                "postal",
                "electronic",
                "left",
            ],
        );
        let served = tl.go(self.r(0, 5), "serve", json!({"method": method}))?;
        tl.go(self.r(1, 10), "publish", json!({}))?;
        let channel = if self.p(0.6) { "bank" } else { "electronic" };
        let x = self.r(0, 99);
        if x < 84 {
            let on = add(served, self.r(1, 14));
            self.pay_at(tl, on, "fine", c.fine_fen, channel)?;
            if c.gains_fen > 0 {
                let on = add(tl.day, self.r(0, 1)).min(add(served, 15));
                self.pay_at(tl, on, "confiscated_gains", c.gains_fen, channel)?;
            }
        } else if x < 92 {
            let a = self.approver();
            tl.go(
                self.r(2, 8),
                "defer_payment",
                json!({"kind": "instalment", "approver": a, "days": 90}),
            )?;
            let part = c.fine_fen / 3;
            for i in 0..3 {
                let amount = if i == 2 { c.fine_fen - 2 * part } else { part };
                let on = add(tl.day, if i == 0 { self.r(1, 5) } else { self.r(20, 30) });
                self.pay_at(tl, on, "fine", amount, channel)?;
                if i == 0 && c.gains_fen > 0 {
                    let on = tl.day;
                    self.pay_at(tl, on, "confiscated_gains", c.gains_fen, channel)?;
                }
            }
        } else {
            tl.go(self.r(18, 30), "remind", json!({}))?;
            if self.p(0.5) {
                let court = "青石县人民法院";
                tl.go(self.r(11, 20), "apply_court", json!({"court": court}))?;
                if self.p(0.4) {
                    return Some(());
                }
                let on = add(tl.day, self.r(40, 150));
                self.pay_at(tl, on, "fine", c.fine_fen, "bank")?;
            } else {
                let on = add(tl.day, self.r(3, 9));
                self.pay_at(tl, on, "fine", c.fine_fen, channel)?;
            }
            if c.gains_fen > 0 {
                let on = tl.day;
                self.pay_at(tl, on, "confiscated_gains", c.gains_fen, channel)?;
            }
        }
        let a = self.approver();
        tl.go(self.r(3, 20), "close", json!({"approver": a}))?;
        if self.p(0.7) {
            tl.go(self.r(5, 40), "archive", json!({}))?;
        }
        Some(())
    }

    pub(super) fn normal_case(&mut self, plan: &Plan) -> Vec<(RecordExport, String)> {
        let t = &CASE_TYPES[plan.case_type];
        let filed = plan.day;
        let year = filed.year();
        let cause_idx = if t.category == "pyramid_selling" {
            match self.r(0, 9) {
                0 => 1,
                1..=3 => 0,
                _ => 2,
            }
        } else {
            self.rng.random_range(0..t.causes.len())
        };
        let goods = (!t.goods.is_empty()).then(|| *pick(&mut self.rng, t.goods));
        let cause = t.causes[cause_idx].replace("{goods}", goods.map_or("", |g| short(g.0)));
        let party_kind = *pick(&mut self.rng, t.parties);
        let party = self.party(party_kind, filed);
        let party_name = party["name"].as_str().unwrap_or("").to_string();
        let person_like = !matches!(party_kind, PartyKind::Company(_));
        let handlers = self.handlers();
        let fine_yuan = self.fine_yuan(t, cause_idx);
        let big = fine_yuan >= 100_000;

        // Goods: on hand (seized), sold (turnover, gains).
        let (mut goods_value, mut turnover, mut gains) = (0i64, 0i64, 0i64);
        let mut on_hand = 0i64;
        let mut price = 0i64;
        if let Some((_, _, lo, hi)) = goods {
            price = self.r(i64::from(lo), i64::from(hi));
            on_hand = if big { self.r(60, 400) } else { self.r(4, 60) };
            let sold = on_hand * self.r(10, 80) / 100;
            goods_value = on_hand * price * 100;
            turnover = sold * price * 100;
            gains = turnover * self.r(15, 40) / 100;
        }
        let intent = match (t.category, cause_idx) {
            ("pyramid_selling", 1) if self.p(0.6) => Intent::Referred,
            ("trademark", _) if goods_value > 5_000_000 && self.p(0.25) => Intent::Referred,
            _ => match self.r(0, 99) {
                0..=1 => Intent::Terminate,
                2..=5 => Intent::NoPenalty,
                6 => Intent::Referred,
                _ => Intent::Penalty,
            },
        };
        let seized = goods.is_some() && self.p(0.7);
        let ctx = CaseCtx {
            filed,
            intent,
            fine_fen: fine_yuan * 100,
            gains_fen: if gains > 0 && self.p(0.7) { gains } else { 0 },
            goods_conf_fen: if seized { goods_value } else { 0 },
            person_like,
            big,
            appraisal: t.appraisal.map(|a| a.0),
        };
        let case_id = self.new_id();
        let lead_id = plan.lead.map(|_| self.new_id());
        let report_id = plan.report.map(|_| self.new_id());
        let stall = self.stall(filed, 16);
        let mut tl = Timeline::new(filed, self.end, stall);
        let mut reached = Reached::default();
        let finished = self.case_path(&mut tl, &ctx, &mut reached).is_some();
        // A long case still open is usually one the head extended.
        let terminated = tl.has("terminate");
        if !finished
            && !reached.decided
            && !terminated
            && !tl.has("extend_decide")
            && days(filed, self.end) > 85
            && self.p(0.5)
        {
            let ext = add(filed, self.r(75, 84));
            if ext > tl.events.last().map_or(filed, |e| e.0) || tl.events.len() > 2 {
                let a = self.approver();
                tl.side(
                    ext,
                    "extend_decide",
                    json!({"approver": a, "days": 30, "reason": "案情复杂，需进一步调查取证"}),
                );
            }
        }

        let mut fields = obj(json!({
            "case_no": format!("{DOC_ABBR}立字〔{year}〕{}号", plan.no),
            "procedure": "normal",
            "cause": cause,
            "case_category": t.category,
            "case_source": plan.source,
            "issuing_org": BUREAU,
            "org_unit_id": "U02",
            "filed_on": filed.to_string(),
            "parties": [party],
            "handlers": Self::handler_json(&handlers),
            "violated_provisions": [t.violated],
            "penalty_basis": [t.basis],
            "evidence": [
                {"name": "现场检查笔录", "evidence_type": "勘验笔录、现场笔录", "collected_on": filed.to_string()},
                {"name": "当事人询问笔录", "evidence_type": "当事人陈述", "collected_on": add(filed, self.r(1, 6)).to_string()},
                {"name": "营业执照或身份证复印件", "evidence_type": "书证", "collected_on": filed.to_string()},
            ],
        }));
        let since = add(filed, -self.r(20, 400));
        let mut facts = format!(
            "经查，当事人{party_name}自{}起存在{cause}的违法行为。",
            ymd(since)
        );
        if let Some((gname, unit, _, _)) = goods {
            facts.push_str(&format!(
                "执法人员现场查获{gname}{on_hand}{unit}，单价{price}元，货值{}元；经营期间违法经营额{}元，违法所得{}元。",
                yuan(goods_value), yuan(turnover), yuan(gains)
            ));
            fields.insert("goods_value_fen".into(), json!(goods_value));
            fields.insert("illegal_turnover_fen".into(), json!(turnover));
            fields.insert("illegal_gains_fen".into(), json!(gains));
            if let Some(Value::Array(ev)) = fields.get_mut("evidence") {
                ev.push(json!({"name": "进货单据及销售记录", "evidence_type": "书证", "source": "当事人提供"}));
            }
            if seized {
                let measure = if t.category == "trademark" {
                    "seize"
                } else {
                    "preservation"
                };
                let doc = format!(
                    "{DOC_ABBR}{}〔{year}〕{}号",
                    if measure == "seize" {
                        "扣字"
                    } else {
                        "保字"
                    },
                    self.number("seizure", year)
                );
                fields.insert(
                    "seizures".into(),
                    json!([{
                        "name": gname, "quantity": on_hand, "unit": unit, "value_fen": goods_value,
                        "measure": measure, "taken_on": filed.to_string(), "document_no": doc,
                    }]),
                );
            }
        }
        if let (Some((from, to)), Some((_, agency))) = (reached.appraisal, t.appraisal) {
            let agency = if agency.contains("商标注册人") {
                brand_owner(goods.map_or("", |g| g.0))
            } else {
                agency
            };
            let item = goods.map_or("涉案商品", |g| g.0);
            let mut a =
                json!({"item": item, "agency": agency, "commissioned_on": from.to_string()});
            if let Some(to) = to {
                a["reported_on"] = json!(to.to_string());
                a["conforming"] = json!(false);
                a["result"] = json!(if t.category == "trademark" {
                    "经商标注册人鉴定，涉案商品为侵犯注册商标专用权的商品"
                } else {
                    "经检验，涉案商品不符合相关标准"
                });
                facts.push_str(&format!(
                    "经{agency}鉴定（检验），上述商品不合格或为侵权商品。"
                ));
            }
            fields.insert("appraisals".into(), json!([a]));
        }
        facts.push_str(&format!("当事人的上述行为违反了{}的规定。", t.violated));
        fields.insert("facts".into(), json!(facts));
        if let Some(id) = &lead_id {
            fields.insert("lead_id".into(), json!(id));
        }
        if t.campaign.is_some() && plan.source == "inspection.routine" {
            if let Some(c) = t.campaign.and_then(|k| self.campaign_at(k, filed)) {
                fields.insert("campaign_id".into(), json!(c.id));
            }
        }
        if reached.decided && intent == Intent::Penalty {
            fields.insert("fine_fen".into(), json!(ctx.fine_fen));
            if ctx.gains_fen > 0 {
                fields.insert("confiscated_gains_fen".into(), json!(ctx.gains_fen));
            }
            if ctx.goods_conf_fen > 0 {
                let g = goods.map_or("", |g| g.0);
                fields.insert(
                    "confiscated_goods_desc".into(),
                    json!(format!("{g}{on_hand}{}", goods.map_or("", |g| g.1))),
                );
                fields.insert(
                    "confiscated_goods_value_fen".into(),
                    json!(ctx.goods_conf_fen),
                );
            }
            if let Some(no) = &reached.decision_no {
                fields.insert("decision_no".into(), json!(no));
            }
            let reason = *pick(&mut self.rng, &[
                "当事人积极配合调查，如实陈述违法事实，主动下架涉案商品，依据《中华人民共和国行政处罚法》第三十二条从轻处罚",
                "综合考虑违法行为的事实、性质、情节及社会危害程度，依照本局行政处罚裁量权基准给予一般处罚",
                "当事人违法行为持续时间较长，涉案货值较大，依法从重处罚",
            ]);
            fields.insert("discretion_reason".into(), json!(reason));
        }
        let by = handlers[0].name.clone();
        let mut out = Vec::new();
        let case_fields_events = std::mem::take(&mut tl.events);
        let case = self.export(&case_id, RecordKind::Case, fields, case_fields_events);
        out.push(Self::with_by(case, &by));
        if let (Some(id), Some((day, no))) = (lead_id, plan.lead) {
            out.push(self.linked_lead(
                &id,
                day,
                no,
                plan.source,
                &party,
                t,
                &cause,
                &handlers,
                &case_id,
                filed,
            ));
        }
        if let (Some(id), Some((day, no))) = (report_id, plan.report) {
            let p = Plan {
                day,
                no,
                ..plan.clone()
            };
            out.extend(
                self.report_with_id(&p, Some((&id, &case_id, filed, &party, t.category, &cause))),
            );
        }
        out
    }

    pub(super) fn simple_case(&mut self, plan: &Plan) -> (RecordExport, String) {
        let day = plan.day;
        let (cat, cause) = *pick(&mut self.rng, SIMPLE_CAUSES);
        let org = self.p(0.3);
        let party = if org {
            let w = *pick(
                &mut self.rng,
                &["超市有限公司", "商贸有限公司", "大药房有限公司"],
            );
            let town = self.town.clone();
            super::names::company(&mut self.rng, &town, w)
        } else {
            let w = *pick(
                &mut self.rng,
                &["副食店", "水果店", "药店", "小吃店", "日用百货店"],
            );
            let town = self.town.clone();
            super::names::sole_trader(&mut self.rng, &town, w, day)
        };
        // 行政处罚法 Art 51: ≤200 yuan for a citizen (a 个体工商户 counts as
        // one here), ≤3000 yuan for an organisation; 0 = warning.
        let fine_fen: i64 = if org {
            self.r(5, 30) * 10_000
        } else {
            *pick(
                &mut self.rng,
                &[0i64, 5_000, 10_000, 10_000, 20_000, 20_000],
            )
        };
        let handlers = self.handlers();
        let y = day.year();
        let decision_no = format!("{DOC_ABBR}简罚〔{y}〕{}号", self.number("simple", y));
        let basis = CASE_TYPES.iter().find(|t| t.category == cat);
        let mut fields = obj(json!({
            "procedure": "simple",
            "cause": cause,
            "case_category": cat,
            "case_source": "inspection.routine",
            "issuing_org": BUREAU,
            "org_unit_id": "U02",
            "parties": [party],
            "handlers": Self::handler_json(&handlers),
            "facts": format!("{}，执法人员在日常巡查中发现当事人{cause}，违法事实确凿，当场作出行政处罚决定。", ymd(day)),
            "fine_fen": fine_fen,
            "decision_no": decision_no,
        }));
        if let Some(t) = basis {
            fields.insert("violated_provisions".into(), json!([t.violated]));
            fields.insert("penalty_basis".into(), json!([t.basis]));
        }
        let stall = self.stall(day, 3);
        let mut tl = Timeline::new(day, self.end, stall);
        let types = if fine_fen == 0 {
            json!(["warning"])
        } else {
            json!(["fine"])
        };
        let _ = (|| -> Option<()> {
            tl.go(
                0,
                "decide_on_site",
                json!({"decision_no": decision_no, "fine_fen": fine_fen, "penalty_types": types}),
            )?;
            if fine_fen > 0 {
                if fine_fen <= 10_000 && self.p(0.6) {
                    self.pay_at(&mut tl, day, "fine", fine_fen, "on_the_spot")?;
                } else {
                    let on = add(day, self.r(1, 12));
                    self.pay_at(&mut tl, on, "fine", fine_fen, "bank")?;
                }
            }
            let a = self.approver();
            tl.go(self.r(1, 10), "close", json!({"approver": a}))?;
            if self.p(0.6) {
                tl.go(self.r(5, 30), "archive", json!({}))?;
            }
            Some(())
        })();
        let id = self.new_id();
        let by = handlers[0].name.clone();
        let rec = self.export(&id, RecordKind::Case, fields, tl.events);
        Self::with_by(rec, &by)
    }
}

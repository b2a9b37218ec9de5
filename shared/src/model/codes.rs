//! Code lists (代码表) as data: each entry is a stable code stored in records
//! plus the Chinese label shown in the UI, optionally under a parent code.
//!
//! Two sorts of list:
//! - **closed** lists are fixed by law or by the model (当事人类型, 处罚决定类型,
//!   投诉举报暂行办法 Art 15 / Art 21 reasons, 送达方式 …): a value outside them is
//!   refused.
//! - **open** lists are local conventions (案件类别, 案件来源, 投诉分类, 专项行动类型,
//!   渠道): DOMAIN §4 found no official national table, so offices extend them
//!   ([`CodeBook::merge_toml`]) and a code not in the built-in list is accepted
//!   and shown as-is.
//!
//! Everywhere a code is accepted, its Chinese label is accepted too (`"支持"` for
//! `"support"`), so a clerk typing at the command line or an .xlsx import can
//! use the words on the paper form.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One code of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Code {
    pub code: &'static str,
    pub label: &'static str,
    /// Parent code within the same list (案件来源 监督检查发现 → 双随机抽查).
    pub parent: Option<&'static str>,
}

/// A named code list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CodeList {
    pub name: &'static str,
    pub label: &'static str,
    /// Closed lists refuse unknown codes; open lists accept them.
    pub closed: bool,
    pub entries: &'static [Code],
}

impl CodeList {
    /// Find an entry by code or by Chinese label.
    pub fn resolve(&self, value: &str) -> Option<&'static Code> {
        self.entries
            .iter()
            .find(|c| c.code == value || c.label == value)
    }

    /// The label of a code (or of a label), if known.
    pub fn label_of(&self, value: &str) -> Option<&'static str> {
        self.resolve(value).map(|c| c.label)
    }

    /// Does `value` (code or label) name the entry `code`?
    pub fn is(&self, value: &str, code: &str) -> bool {
        self.resolve(value).is_some_and(|c| c.code == code)
    }
}

const fn c(code: &'static str, label: &'static str) -> Code {
    Code {
        code,
        label,
        parent: None,
    }
}
const fn sub(parent: &'static str, code: &'static str, label: &'static str) -> Code {
    Code {
        code,
        label,
        parent: Some(parent),
    }
}

/// 案件来源 — 程序规定 Art 18 sources plus local additions (DOMAIN §4). Open.
pub const CASE_SOURCE: CodeList = CodeList {
    name: "case_source",
    label: "案件来源",
    closed: false,
    entries: &[
        c("inspection", "监督检查发现"),
        sub("inspection", "inspection.routine", "日常巡查"),
        sub("inspection", "inspection.random", "双随机抽查"),
        sub("inspection", "inspection.sampling", "抽检不合格"),
        sub("inspection", "inspection.online", "网络监测"),
        c("complaint", "投诉转案"),
        c("report", "举报"),
        c("assigned", "上级交办"),
        c("referred_up", "下级报请"),
        c("transferred", "其他部门移送"),
        c("media", "媒体曝光/其他途径披露"),
        c("self_report", "当事人自查报告"),
        c("hotline_12345", "12345转办"),
    ],
};

/// 案件类别 — the 腾冲 2019 list, with the older 工商 categories (DOMAIN §4). Open.
pub const CASE_CATEGORY: CodeList = CodeList {
    name: "case_category",
    label: "案件类别",
    closed: false,
    entries: &[
        c("food", "食品"),
        c("unlicensed", "无照经营"),
        c("drug", "药品"),
        c("product_quality", "产品质量"),
        c("special_equipment", "特种设备"),
        c("trademark", "商标侵权"),
        c("consumer_rights", "消费者权益保护"),
        c("advertising", "广告违法"),
        c("cosmetics", "化妆品"),
        c("medical_device", "药械"),
        c("registration", "违反登记管理"),
        c("unfair_competition", "不正当竞争"),
        sub(
            "unfair_competition",
            "unfair_competition.bribery",
            "商业贿赂",
        ),
        sub(
            "unfair_competition",
            "unfair_competition.false_publicity",
            "虚假宣传",
        ),
        c("health_food", "保健食品"),
        c("metrology", "计量"),
        c("price", "价格违法"),
        c("counterfeit", "假冒伪劣"),
        c("pyramid_selling", "传销/直销"),
        c("contract_terms", "合同格式条款"),
        c("other", "其他"),
    ],
};

/// 当事人类型 (DOMAIN §1.4, §6.1). Closed.
pub const PARTY_TYPE: CodeList = CodeList {
    name: "party_type",
    label: "当事人类型",
    closed: true,
    entries: &[
        c("enterprise", "企业法人"),
        c("unincorporated", "非法人组织"),
        c("individual_business", "个体工商户"),
        c("natural_person", "自然人"),
    ],
};

/// 身份证件类型. Closed.
pub const ID_DOC_TYPE: CodeList = CodeList {
    name: "id_doc_type",
    label: "证件类型",
    closed: true,
    entries: &[
        c("resident_id", "居民身份证"),
        c("passport", "护照"),
        c("hk_macao_permit", "港澳居民来往内地通行证"),
        c("taiwan_permit", "台湾居民来往大陆通行证"),
        c("foreign_permanent_id", "外国人永久居留身份证"),
        c("other", "其他"),
    ],
};

/// 程序 — 普通程序 / 简易程序 (行政处罚法 Art 51, 54). Closed.
pub const PROCEDURE: CodeList = CodeList {
    name: "procedure",
    label: "适用程序",
    closed: true,
    entries: &[c("normal", "普通程序"), c("simple", "简易程序")],
};

/// 机构层级 (DOMAIN §6.1). Closed.
pub const ORG_LEVEL: CodeList = CodeList {
    name: "org_level",
    label: "机构层级",
    closed: true,
    entries: &[
        c("bureau", "市局"),
        c("district", "区县局（分局）"),
        c("station", "市场监管所"),
        c("section", "科室"),
        c("squad", "稽查队"),
    ],
};

/// 人员角色. Open.
pub const OFFICER_ROLE: CodeList = CodeList {
    name: "officer_role",
    label: "人员角色",
    closed: false,
    entries: &[
        c("handler", "办案人员"),
        c("reviewer", "审核人员"),
        c("legal_reviewer", "法制审核人员"),
        c("head", "负责人"),
        c("clerk", "登记人员"),
    ],
};

/// 不计入期限的情形 — paused periods (程序规定 Art 18; DOMAIN §1.2 step 8). Closed.
pub const PAUSE_REASON: CodeList = CodeList {
    name: "pause_reason",
    label: "不计入期限的情形",
    closed: true,
    entries: &[
        c("testing", "检测"),
        c("inspection_test", "检验"),
        c("quarantine", "检疫"),
        c("appraisal", "鉴定"),
        c("owner_identification", "权利人辨认"),
        c("public_notice", "公告"),
        c("refund_order", "责令退还多收价款"),
    ],
};

/// 不予立案理由 (程序规定 Art 20). Closed.
pub const NOT_FILE_REASON: CodeList = CodeList {
    name: "not_file_reason",
    label: "不予立案理由",
    closed: true,
    entries: &[
        c(
            "minor_corrected",
            "违法行为轻微并及时改正，没有造成危害后果",
        ),
        c("first_minor", "初次违法且危害后果轻微并及时改正"),
        c("no_fault", "当事人有证据足以证明没有主观过错"),
        c("no_violation", "违法事实不成立或证据不足"),
        c("time_barred", "超过行政处罚时效"),
        c("other", "其他依法不予立案的情形"),
    ],
};

/// 处理决定类型 (行政处罚法 Art 57). Closed.
pub const DECISION_TYPE: CodeList = CodeList {
    name: "decision_type",
    label: "处理决定",
    closed: true,
    entries: &[
        c("penalty", "给予行政处罚"),
        c("no_penalty", "不予行政处罚"),
        c("referred_judicial", "移送司法机关"),
        c("revoked", "撤销立案"),
    ],
};

/// 行政处罚种类 (行政处罚法 Art 9). Closed.
pub const PENALTY_TYPE: CodeList = CodeList {
    name: "penalty_type",
    label: "处罚种类",
    closed: true,
    entries: &[
        c("warning", "警告"),
        c("criticism", "通报批评"),
        c("fine", "罚款"),
        c("confiscate_gains", "没收违法所得"),
        c("confiscate_goods", "没收非法财物"),
        c("suspend_license", "暂扣许可证件"),
        c("lower_grade", "降低资质等级"),
        c("revoke_license", "吊销许可证件"),
        c("limit_business", "限制开展生产经营活动"),
        c("suspend_business", "责令停产停业"),
        c("close_down", "责令关闭"),
        c("limit_employment", "限制从业"),
    ],
};

/// 送达方式 (DOMAIN §1.2 step 9). Closed.
pub const SERVICE_METHOD: CodeList = CodeList {
    name: "service_method",
    label: "送达方式",
    closed: true,
    entries: &[
        c("direct", "直接送达"),
        c("left", "留置送达"),
        c("electronic", "电子送达"),
        c("postal", "邮寄送达"),
        c("entrusted", "委托送达"),
        c("forwarded", "转交送达"),
        c("public_notice", "公告送达"),
    ],
};

/// 罚没款种类 (DOMAIN §6.1 Payment). Closed.
pub const PAYMENT_KIND: CodeList = CodeList {
    name: "payment_kind",
    label: "罚没款种类",
    closed: true,
    entries: &[
        c("fine", "罚款"),
        c("confiscated_gains", "没收违法所得"),
        c("auction_proceeds", "拍卖款"),
        c("late_surcharge", "加处罚款"),
    ],
};

/// 缴款渠道. Open.
pub const PAYMENT_CHANNEL: CodeList = CodeList {
    name: "payment_channel",
    label: "缴款渠道",
    closed: false,
    entries: &[
        c("bank", "银行柜台"),
        c("electronic", "电子缴款"),
        c("on_the_spot", "当场收缴"),
    ],
};

/// 延期/分期缴纳 (行政处罚法 Art 66). Closed.
pub const DEFERRAL_KIND: CodeList = CodeList {
    name: "deferral_kind",
    label: "暂缓方式",
    closed: true,
    entries: &[c("deferred", "延期缴纳"), c("instalment", "分期缴纳")],
};

/// 查扣措施 (行政处罚法 Art 56; 行政强制法 Art 25). Closed.
pub const SEIZURE_MEASURE: CodeList = CodeList {
    name: "seizure_measure",
    label: "措施",
    closed: true,
    entries: &[
        c("preservation", "先行登记保存"),
        c("seal", "查封"),
        c("seize", "扣押"),
    ],
};

/// 投诉举报渠道 (投诉举报暂行办法 Art 8; DOMAIN §6.1). Open.
pub const CHANNEL: CodeList = CodeList {
    name: "channel",
    label: "渠道",
    closed: false,
    entries: &[
        c("platform_12315", "12315平台"),
        c("phone", "电话"),
        c("hotline_12345", "12345转办"),
        c("letter", "来信"),
        c("counter", "窗口"),
        c("fax", "传真"),
    ],
};

/// 投诉分类 — 商品类 / 服务类 with the leading sub-categories (DOMAIN §4). Open.
pub const COMPLAINT_CATEGORY: CodeList = CodeList {
    name: "complaint_category",
    label: "投诉分类",
    closed: false,
    entries: &[
        c("goods", "商品类"),
        sub("goods", "goods.food", "一般食品"),
        sub("goods", "goods.clothing", "服装鞋帽"),
        sub("goods", "goods.vehicles", "交通工具"),
        sub("goods", "goods.tobacco_liquor", "烟酒饮料"),
        sub("goods", "goods.jewellery", "首饰"),
        sub("goods", "goods.cosmetics", "化妆品"),
        c("services", "服务类"),
        sub("services", "services.catering", "餐饮和住宿服务"),
        sub("services", "services.sales", "销售服务"),
        sub("services", "services.parking", "停车服务"),
        sub("services", "services.education", "教育培训服务"),
    ],
};

/// 购买方式. Closed.
pub const PURCHASE_MODE: CodeList = CodeList {
    name: "purchase_mode",
    label: "购买方式",
    closed: true,
    entries: &[c("online", "线上"), c("offline", "线下")],
};

/// 不予受理理由 (投诉举报暂行办法 Art 15). Closed.
pub const ART15_REASON: CodeList = CodeList {
    name: "art15_reason",
    label: "不予受理理由（第十五条）",
    closed: true,
    entries: &[
        c("outside_duty", "不属于市场监督管理部门职责或本部门管辖"),
        c(
            "already_handled",
            "法院、仲裁机构、其他行政机关或消费者协会已受理或处理",
        ),
        c(
            "not_consumer_dispute",
            "不是为生活消费需要或无消费者权益争议",
        ),
        c("time_barred", "自知道或应当知道权益受损超过三年"),
        c("materials_missing", "未提供必要材料"),
        c("other", "法律、法规、规章规定的其他情形"),
    ],
};

/// 终止调解理由 (投诉举报暂行办法 Art 21). Closed.
pub const ART21_REASON: CodeList = CodeList {
    name: "art21_reason",
    label: "终止调解理由（第二十一条）",
    closed: true,
    entries: &[
        c("withdrawn_or_settled", "投诉人撤回投诉或双方自行和解"),
        c("no_test_agreement", "就检测鉴定机构或费用不能达成一致"),
        c("refused_or_absent", "一方拒绝调解或无正当理由不参加"),
        c("no_agreement_possible", "一方明确表示无法达成协议"),
        c("time_limit", "自受理之日起四十五个工作日内未达成协议"),
        c("non_acceptance_ground", "发现不予受理情形"),
        c("other", "法律、法规、规章规定的其他情形"),
    ],
};

/// 调解方式 (Art 18). Closed.
pub const MEDIATION_MODE: CodeList = CodeList {
    name: "mediation_mode",
    label: "调解方式",
    closed: true,
    entries: &[c("on_site", "现场调解"), c("remote", "非现场调解")],
};

/// 投诉退回理由 (DOMAIN §2.5). Open.
pub const RETURN_REASON: CodeList = CodeList {
    name: "return_reason",
    label: "退回理由",
    closed: false,
    entries: &[
        c("no_jurisdiction", "不属本单位管辖"),
        c("missing_elements", "缺失要素"),
        c("unclear", "表述不清"),
        c("wrong_type", "类型有误"),
        c("address_unknown", "地址不详"),
        c("duplicate", "重复受理"),
        c("other", "其他"),
    ],
};

/// 信访渠道 (信访工作条例 Art 17). Open.
pub const PETITION_CHANNEL: CodeList = CodeList {
    name: "petition_channel",
    label: "信访形式",
    closed: false,
    entries: &[
        c("online", "网上信访"),
        c("letter", "来信"),
        c("visit", "来访"),
        c("phone", "来电"),
        c("fax", "传真"),
    ],
};

/// 信访来源 (信访工作条例 Art 22–23). Closed.
pub const PETITION_SOURCE: CodeList = CodeList {
    name: "petition_source",
    label: "信访来源",
    closed: true,
    entries: &[
        c("direct", "直接来信来访"),
        c("transferred", "信访部门转送"),
        c("assigned", "上级交办"),
    ],
};

/// 信访事项类型 (信访工作条例 Art 29–31). Closed.
pub const PETITION_TYPE: CodeList = CodeList {
    name: "petition_type",
    label: "信访事项类型",
    closed: true,
    entries: &[
        c("suggestion", "建议意见类"),
        c("accusation", "检举控告类"),
        c("claim", "申诉求决类"),
    ],
};

/// 导入的法定程序 (信访工作条例 Art 31: 导入相应程序). Open.
pub const REDIRECT_PROCEDURE: CodeList = CodeList {
    name: "redirect_procedure",
    label: "导入程序",
    closed: false,
    entries: &[
        c("complaint", "投诉"),
        c("report", "举报"),
        c("administrative_review", "行政复议"),
        c("litigation", "诉讼"),
        c("arbitration", "仲裁"),
        c("penalty", "行政处罚"),
        c("other", "其他法定途径"),
    ],
};

/// 处理意见类型 (信访工作条例 Art 32). Closed.
pub const OPINION_TYPE: CodeList = CodeList {
    name: "opinion_type",
    label: "处理意见",
    closed: true,
    entries: &[
        c("support", "支持"),
        c("explain", "解释说明"),
        c("reject", "不予支持"),
    ],
};

/// 满意度评价 (国信发〔2022〕11号; the scale is [?] in DOMAIN §3). Closed.
pub const EVALUATION_RESULT: CodeList = CodeList {
    name: "evaluation_result",
    label: "满意度评价",
    closed: true,
    entries: &[
        c("satisfied", "满意"),
        c("basically_satisfied", "基本满意"),
        c("dissatisfied", "不满意"),
    ],
};

/// 专项行动类型 (DOMAIN §6.1). Open.
pub const CAMPAIGN_TYPE: CodeList = CodeList {
    name: "campaign_type",
    label: "专项行动类型",
    closed: false,
    entries: &[
        c("double_strike", "双打"),
        c("red_shield_farm", "红盾护农"),
        c("holiday_market", "节日市场"),
        c("food_safety", "食品安全"),
        c("other", "其他"),
    ],
};

/// 检查处置措施 (DOMAIN §6.1 Inspection.actions). Open.
pub const INSPECTION_ACTION: CodeList = CodeList {
    name: "inspection_action",
    label: "处置措施",
    closed: false,
    entries: &[
        c("rectify", "责令改正"),
        c("lead", "立案线索"),
        c("seize", "查扣"),
        c("none", "未发现问题"),
    ],
};

/// Every built-in list.
pub const CODE_LISTS: &[&CodeList] = &[
    &CASE_SOURCE,
    &CASE_CATEGORY,
    &PARTY_TYPE,
    &ID_DOC_TYPE,
    &PROCEDURE,
    &ORG_LEVEL,
    &OFFICER_ROLE,
    &PAUSE_REASON,
    &NOT_FILE_REASON,
    &DECISION_TYPE,
    &PENALTY_TYPE,
    &SERVICE_METHOD,
    &PAYMENT_KIND,
    &PAYMENT_CHANNEL,
    &DEFERRAL_KIND,
    &SEIZURE_MEASURE,
    &CHANNEL,
    &COMPLAINT_CATEGORY,
    &PURCHASE_MODE,
    &ART15_REASON,
    &ART21_REASON,
    &MEDIATION_MODE,
    &RETURN_REASON,
    &PETITION_CHANNEL,
    &PETITION_SOURCE,
    &PETITION_TYPE,
    &REDIRECT_PROCEDURE,
    &OPINION_TYPE,
    &EVALUATION_RESULT,
    &CAMPAIGN_TYPE,
    &INSPECTION_ACTION,
];

/// A built-in list by name.
pub fn code_list(name: &str) -> Option<&'static CodeList> {
    CODE_LISTS.iter().copied().find(|l| l.name == name)
}

/// An owned code entry, as read from an office's overrides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeEntry {
    pub code: String,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

/// The code lists an office actually uses: the built-in lists plus local
/// additions and relabelings. Closed lists cannot be extended (their codes
/// carry legal meaning the model relies on), only relabeled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeBook {
    pub lists: BTreeMap<String, Vec<CodeEntry>>,
}

impl Default for CodeBook {
    fn default() -> Self {
        let lists = CODE_LISTS
            .iter()
            .map(|l| {
                let entries = l
                    .entries
                    .iter()
                    .map(|e| CodeEntry {
                        code: e.code.to_string(),
                        label: e.label.to_string(),
                        parent: e.parent.map(str::to_string),
                    })
                    .collect();
                (l.name.to_string(), entries)
            })
            .collect();
        CodeBook { lists }
    }
}

/// Local overrides could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeBookError {
    #[error("code list overrides are not valid TOML: {0}")]
    Toml(String),
    #[error("code list `{0}` is fixed by law and cannot be extended with `{1}`")]
    ClosedList(String, String),
}

impl CodeBook {
    /// Merge local overrides written as
    /// `[[case_category]] code = "liquor" label = "酒类" parent = "food"`:
    /// new codes are added to open lists, known codes get the new label.
    pub fn merge_toml(&mut self, text: &str) -> Result<(), CodeBookError> {
        let parsed: BTreeMap<String, Vec<CodeEntry>> =
            toml::from_str(text).map_err(|e| CodeBookError::Toml(e.to_string()))?;
        for (name, entries) in parsed {
            let closed = code_list(&name).is_some_and(|l| l.closed);
            let list = self.lists.entry(name.clone()).or_default();
            for entry in entries {
                if let Some(known) = list.iter_mut().find(|e| e.code == entry.code) {
                    known.label = entry.label;
                    known.parent = entry.parent.or(known.parent.take());
                } else if closed {
                    return Err(CodeBookError::ClosedList(name, entry.code));
                } else {
                    list.push(entry);
                }
            }
        }
        Ok(())
    }

    /// The label of `code` in list `name`; the code itself when unknown.
    pub fn label(&self, name: &str, code: &str) -> String {
        self.lists
            .get(name)
            .and_then(|l| l.iter().find(|e| e.code == code))
            .map(|e| e.label.clone())
            .unwrap_or_else(|| code.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_labels_both_resolve() {
        assert!(OPINION_TYPE.is("支持", "support"));
        assert!(OPINION_TYPE.is("support", "support"));
        assert_eq!(
            CASE_SOURCE.label_of("inspection.random"),
            Some("双随机抽查")
        );
        assert!(PAYMENT_KIND.resolve("加处罚款").is_some());
    }

    #[test]
    fn every_list_has_unique_codes_and_known_parents() {
        for list in CODE_LISTS {
            for (i, e) in list.entries.iter().enumerate() {
                assert!(
                    list.entries[..i].iter().all(|o| o.code != e.code),
                    "{}: {}",
                    list.name,
                    e.code
                );
                if let Some(p) = e.parent {
                    assert!(
                        list.entries.iter().any(|o| o.code == p),
                        "{}: {}",
                        list.name,
                        p
                    );
                }
            }
        }
    }

    #[test]
    fn office_can_extend_open_lists_but_not_closed_ones() {
        let mut book = CodeBook::default();
        book.merge_toml(
            "[[case_category]]\ncode = \"liquor\"\nlabel = \"酒类\"\nparent = \"food\"\n",
        )
        .unwrap();
        assert_eq!(book.label("case_category", "liquor"), "酒类");
        let err = book
            .merge_toml("[[decision_type]]\ncode = \"fine_only\"\nlabel = \"仅罚款\"\n")
            .unwrap_err();
        assert!(matches!(err, CodeBookError::ClosedList(..)));
        assert!(book.merge_toml("not toml [").is_err());
    }
}

//! 当事人 (parties) and persons.
//!
//! A party is embedded in the record that names it (a case file, a lead, a
//! complaint's respondent): each record is its own document that may be shared
//! alone, so it carries the identity as it stood when it was written.

use serde::{Deserialize, Serialize};

use super::codes::{ID_DOC_TYPE, PARTY_TYPE};
use super::error::ValidationError;
use super::ids;

/// 当事人 — who a case, lead or complaint is against (DOMAIN §1.4, §6.1).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Party {
    #[serde(default)]
    pub id: Option<String>,
    /// 当事人类型: enterprise 企业法人 / unincorporated 非法人组织 /
    /// individual_business 个体工商户 / natural_person 自然人.
    pub party_type: String,
    /// 名称/姓名 — certificate name, or the person's name.
    pub name: String,
    /// 字号 — a sole trader's trade name.
    #[serde(default)]
    pub trade_name: Option<String>,
    /// 统一社会信用代码 (18 characters, GB 32100-2015).
    #[serde(default)]
    pub uscc: Option<String>,
    /// 注册号 — pre-2015 registration number.
    #[serde(default)]
    pub legacy_reg_no: Option<String>,
    /// 主体资格证照名称.
    #[serde(default)]
    pub cert_name: Option<String>,
    /// 法定代表人/负责人.
    #[serde(default)]
    pub legal_rep: Option<String>,
    /// 经营者 — the operator of an 个体工商户.
    #[serde(default)]
    pub operator_name: Option<String>,
    /// 证件类型 (resident_id 居民身份证 …).
    #[serde(default)]
    pub id_doc_type: Option<String>,
    /// 证件号码 — checked as a 公民身份号码 when the type is 居民身份证.
    #[serde(default)]
    pub id_doc_no: Option<String>,
    /// 住所.
    #[serde(default)]
    pub reg_address: Option<String>,
    /// 实际经营地.
    #[serde(default)]
    pub business_address: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl Party {
    pub fn is_natural_person(&self) -> bool {
        PARTY_TYPE.is(&self.party_type, "natural_person")
    }

    /// An organisation for 行政处罚法 Art 51 ("法人或者其他组织"). A 个体工商户
    /// is treated as a citizen (公民) — the stricter reading [I]; see
    /// [`super::case_workflow::simple_procedure_limit_fen`].
    pub fn is_organisation(&self) -> bool {
        PARTY_TYPE.is(&self.party_type, "enterprise")
            || PARTY_TYPE.is(&self.party_type, "unincorporated")
    }

    /// Format checks: type, name, USCC and ID number check characters.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if PARTY_TYPE.resolve(&self.party_type).is_none() {
            return Err(ValidationError::new(
                "party_type",
                "代码表 party_type",
                format!(
                    "“{}”不是当事人类型；可选 企业法人/非法人组织/个体工商户/自然人",
                    self.party_type
                ),
            ));
        }
        if self.name.trim().is_empty() {
            return Err(ValidationError::new(
                "name",
                "必填",
                "当事人名称/姓名为必填项 (required)",
            ));
        }
        if let Some(uscc) = given(&self.uscc) {
            ids::validate_uscc("uscc", uscc)?;
        }
        if let Some(t) = given(&self.id_doc_type) {
            if ID_DOC_TYPE.resolve(t).is_none() {
                return Err(ValidationError::new(
                    "id_doc_type",
                    "代码表 id_doc_type",
                    format!("“{t}”不是证件类型"),
                ));
            }
        }
        let resident = given(&self.id_doc_type).is_none_or(|t| ID_DOC_TYPE.is(t, "resident_id"));
        if let (true, Some(no)) = (resident, given(&self.id_doc_no)) {
            ids::validate_id_number("id_doc_no", no)?;
        }
        Ok(())
    }

    /// The identity a case file must carry (程序规定 Art 62 as quoted in DOMAIN
    /// §1.4): a registered subject needs its USCC (or old 注册号); a sole trader
    /// also its operator; a natural person an ID number.
    pub fn validate_identity(&self) -> Result<(), ValidationError> {
        self.validate()?;
        const RULE: &str = "程序规定第六十二条 当事人身份信息";
        let registered = given(&self.uscc).is_some() || given(&self.legacy_reg_no).is_some();
        if self.is_natural_person() {
            if given(&self.id_doc_no).is_none() {
                return Err(ValidationError::new(
                    "id_doc_no",
                    RULE,
                    "自然人须填写身份证件号码 (ID number required)",
                ));
            }
        } else if !registered {
            return Err(ValidationError::new(
                "uscc",
                RULE,
                "有登记证照的当事人须填写统一社会信用代码或注册号 (USCC required)",
            ));
        } else if PARTY_TYPE.is(&self.party_type, "individual_business")
            && given(&self.operator_name).is_none()
        {
            return Err(ValidationError::new(
                "operator_name",
                RULE,
                "个体工商户须填写经营者姓名 (operator required)",
            ));
        }
        Ok(())
    }

    /// Words a search should find (names, codes, addresses) — never ID
    /// numbers or phone numbers (DESIGN: personal data minimised).
    pub(crate) fn search_words(&self, out: &mut Vec<String>) {
        out.push(self.name.clone());
        for v in [
            &self.trade_name,
            &self.uscc,
            &self.legacy_reg_no,
            &self.legal_rep,
            &self.reg_address,
            &self.business_address,
        ] {
            if let Some(s) = given(v) {
                out.push(s.to_string());
            }
        }
        if !self.is_natural_person() {
            if let Some(s) = given(&self.operator_name) {
                out.push(s.to_string());
            }
        }
    }
}

/// A person's contact identity (complainant, reporter, petitioner). Kept only
/// in the confidential annex.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub name: String,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub id_doc_type: Option<String>,
    #[serde(default)]
    pub id_doc_no: Option<String>,
    /// 代理人/代表 — agent or elected representative (投诉举报暂行办法 Art 10–11).
    #[serde(default)]
    pub role: Option<String>,
}

impl Person {
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.name.trim().is_empty() {
            return Err(ValidationError::new(
                "name",
                "必填",
                "姓名为必填项 (required)",
            ));
        }
        let resident = given(&self.id_doc_type).is_none_or(|t| ID_DOC_TYPE.is(t, "resident_id"));
        if let (true, Some(no)) = (resident, given(&self.id_doc_no)) {
            ids::validate_id_number("id_doc_no", no)?;
        }
        Ok(())
    }
}

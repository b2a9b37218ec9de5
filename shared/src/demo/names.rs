//! Names, addresses and identifiers that look like a county's register:
//! people with valid 居民身份证号, sole traders and companies with valid
//! 统一社会信用代码 (check characters computed with [`crate::model::ids`]).

use chrono::{Datelike, NaiveDate};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::Rng;
use serde_json::{json, Value};

use crate::model::ids;

/// The demo county. Fictional name; the administrative division code only
/// has to be well formed (GB/T 2260 shape) for the identifiers built on it.
pub const COUNTY: &str = "青石县";
pub const CITY: &str = "青州市";
pub const DIVISION: &str = "360429";
/// The county bureau that issues documents (DOMAIN §1.5: a 所 acts in its name).
pub const BUREAU: &str = "青石县市场监督管理局";
/// 文号 abbreviation, as in 马市监处罚〔2026〕193号.
pub const DOC_ABBR: &str = "青市监";

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
    "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏",
];
const MALE: &[&str] = &[
    "伟", "强", "军", "磊", "洋", "勇", "杰", "涛", "明", "超", "斌", "刚", "平", "辉", "鹏", "华",
    "建国", "建华", "志强", "国庆", "海涛", "文斌", "永红", "春生", "德明", "长青", "振华", "晓东",
    "卫东", "红兵", "立新", "俊杰", "浩然", "子豪", "宇航", "家乐",
];
const FEMALE: &[&str] = &[
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "燕", "玲", "萍", "红", "婷", "雪", "慧", "琴",
    "秀英", "桂兰", "玉兰", "红梅", "丽华", "海燕", "晓燕", "春梅", "淑珍", "美玲", "雅琴", "思雨",
    "欣怡", "梦瑶", "佳慧",
];
/// 字号 for firms and shops.
const TRADE_NAMES: &[&str] = &[
    "鑫源",
    "恒通",
    "华联",
    "福瑞",
    "金穗",
    "众惠",
    "宏达",
    "嘉禾",
    "盛世",
    "天成",
    "隆昌",
    "润丰",
    "兴农",
    "百信",
    "永安",
    "汇丰",
    "聚龙",
    "康源",
    "佳美",
    "瑞祥",
    "德顺",
    "万家",
    "富民",
    "益民",
    "昌盛",
    "鸿运",
    "新概念",
    "好又多",
    "惠民",
    "丰收",
];
const STREETS: &[&str] = &[
    "解放路",
    "人民路",
    "建设路",
    "中山路",
    "新华街",
    "文化路",
    "胜利路",
    "府前街",
    "东风路",
    "长征路",
    "迎宾大道",
    "农贸市场",
    "商贸城",
    "汽车站旁",
    "工业园区",
];
/// Other towns of the county, for parties from outside the office's own area.
const TOWNS: &[&str] = &[
    "城关镇",
    "东关镇",
    "河西乡",
    "柳树镇",
    "新城街道",
    "南关街道",
    "石桥镇",
    "白沙乡",
];

pub fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    items.choose(rng).expect("non-empty list")
}

/// The office's own area from its name: "城关市场监督管理所" → "城关镇".
pub fn area_of(office_name: &str) -> String {
    let stem = office_name
        .split("市场监督管理所")
        .next()
        .unwrap_or("")
        .trim_end_matches("市场监管所")
        .trim_end_matches("所")
        .trim();
    if stem.is_empty() {
        "城关镇".to_string()
    } else if stem.ends_with('区')
        || stem.ends_with('镇')
        || stem.ends_with('乡')
        || stem.ends_with("街道")
    {
        stem.to_string()
    } else if stem.ends_with('关') {
        format!("{stem}镇")
    } else if stem.contains('城') {
        format!("{stem}街道")
    } else {
        format!("{stem}镇")
    }
}

#[derive(Debug, Clone)]
pub struct PersonName {
    pub name: String,
    pub surname: &'static str,
    pub male: bool,
}

pub fn person_name(rng: &mut StdRng) -> PersonName {
    let surname = *pick(rng, SURNAMES);
    let male = rng.random_bool(0.55);
    let given = if male {
        *pick(rng, MALE)
    } else {
        *pick(rng, FEMALE)
    };
    PersonName {
        name: format!("{surname}{given}"),
        surname,
        male,
    }
}

/// A valid 18-digit 公民身份号码 (GB 11643-1999) for someone aged 20–68 on `on`.
pub fn id_number(rng: &mut StdRng, male: bool, on: NaiveDate) -> String {
    let year = on.year() - rng.random_range(20..=68);
    let birth = NaiveDate::from_yo_opt(year, rng.random_range(1..=365)).unwrap_or(on);
    let seq: u32 = rng.random_range(0..500) * 2 + u32::from(male);
    let stem = format!("{DIVISION}{}{seq:03}", birth.format("%Y%m%d"));
    let check = ids::id_check_char(&stem).unwrap_or('0');
    format!("{stem}{check}")
}

pub fn phone(rng: &mut StdRng) -> String {
    let prefix = *pick(
        rng,
        &[
            "138", "139", "137", "150", "151", "158", "187", "135", "133", "189", "177", "199",
        ],
    );
    format!("{prefix}{:08}", rng.random_range(0..100_000_000u32))
}

/// GB 32100-2015 character set (no I, O, Z, S, V).
const USCC_CHARS: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// A 9-character 组织机构代码 body with its GB 11714 check character.
fn org_code(rng: &mut StdRng) -> String {
    let mut body = String::from("MA");
    for _ in 0..6 {
        body.push(char::from(*pick(rng, USCC_CHARS)));
    }
    const W: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .chars()
        .zip(W)
        .map(|(c, w)| c.to_digit(36).unwrap_or(0) * w)
        .sum();
    let check = match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        n => char::from_digit(n, 10).unwrap_or('0'),
    };
    body.push(check);
    body
}

/// A valid 统一社会信用代码: 9 = registered by market regulation; `class`
/// 1 = enterprise, 2 = 个体工商户.
pub fn uscc(rng: &mut StdRng, class: char) -> String {
    let stem = format!("9{class}{DIVISION}{}", org_code(rng));
    let check = ids::uscc_check_char(&stem).unwrap_or('0');
    format!("{stem}{check}")
}

pub fn address(rng: &mut StdRng, town: &str) -> String {
    let street = *pick(rng, STREETS);
    if street.ends_with("市场")
        || street.ends_with("城")
        || street.ends_with("园区")
        || street.ends_with('旁')
    {
        format!("{COUNTY}{town}{street}{}号", rng.random_range(1..=320))
    } else {
        format!("{COUNTY}{town}{street}{}号", rng.random_range(1..=188))
    }
}

/// The town a party is in: mostly the office's own area.
pub fn town(rng: &mut StdRng, own: &str) -> String {
    if rng.random_bool(0.75) {
        own.to_string()
    } else {
        pick(rng, TOWNS).to_string()
    }
}

/// 个体工商户 such as "青石县城关镇张记副食店".
pub fn sole_trader(rng: &mut StdRng, own_town: &str, business: &str, on: NaiveDate) -> Value {
    let t = town(rng, own_town);
    let op = person_name(rng);
    let zihao = match rng.random_range(0..4) {
        0 => format!("{}记", op.surname),
        1 => format!("老{}家", op.surname),
        _ => pick(rng, TRADE_NAMES).to_string(),
    };
    let name = format!("{COUNTY}{t}{zihao}{business}");
    let addr = address(rng, &t);
    json!({
        "party_type": "individual_business",
        "name": name,
        "trade_name": zihao,
        "uscc": uscc(rng, '2'),
        "operator_name": op.name,
        "id_doc_type": "resident_id",
        "id_doc_no": id_number(rng, op.male, on),
        "reg_address": addr,
        "business_address": addr,
        "phone": phone(rng),
    })
}

/// 企业法人 such as "青石县鑫源商贸有限公司".
pub fn company(rng: &mut StdRng, own_town: &str, suffix: &str) -> Value {
    let t = town(rng, own_town);
    let rep = person_name(rng);
    let zihao = *pick(rng, TRADE_NAMES);
    let name = if rng.random_bool(0.7) {
        format!("{COUNTY}{zihao}{suffix}")
    } else {
        format!("{CITY}{zihao}{suffix}")
    };
    json!({
        "party_type": "enterprise",
        "name": name,
        "trade_name": zihao,
        "uscc": uscc(rng, '1'),
        "legal_rep": rep.name,
        "reg_address": address(rng, &t),
        "phone": phone(rng),
    })
}

/// 自然人 with a 居民身份证号.
pub fn natural_person(rng: &mut StdRng, own_town: &str, on: NaiveDate) -> Value {
    let t = town(rng, own_town);
    let p = person_name(rng);
    json!({
        "party_type": "natural_person",
        "name": p.name,
        "id_doc_type": "resident_id",
        "id_doc_no": id_number(rng, p.male, on),
        "reg_address": address(rng, &t),
        "phone": phone(rng),
    })
}

/// A complainant's, reporter's or petitioner's identity for the annex.
pub fn person(rng: &mut StdRng, own_town: &str, on: NaiveDate, with_id: bool) -> Value {
    let t = town(rng, own_town);
    let p = person_name(rng);
    let mut v = json!({
        "name": p.name,
        "phone": phone(rng),
        "address": address(rng, &t),
    });
    if with_id {
        v["id_doc_type"] = json!("resident_id");
        v["id_doc_no"] = json!(id_number(rng, p.male, on));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn generated_identifiers_pass_the_model_checks() {
        let mut rng = StdRng::seed_from_u64(7);
        let on = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        for _ in 0..500 {
            ids::validate_uscc("u", &uscc(&mut rng, '1')).unwrap();
            ids::validate_uscc("u", &uscc(&mut rng, '2')).unwrap();
            ids::validate_id_number("i", &id_number(&mut rng, true, on)).unwrap();
            ids::validate_id_number("i", &id_number(&mut rng, false, on)).unwrap();
        }
    }

    #[test]
    fn office_area_comes_from_its_name() {
        assert_eq!(area_of("城关市场监督管理所"), "城关镇");
        assert_eq!(area_of("东城市场监督管理所"), "东城街道");
        assert_eq!(area_of("开发区市场监督管理所"), "开发区");
        assert_eq!(area_of("河西市场监督管理所"), "河西镇");
    }
}

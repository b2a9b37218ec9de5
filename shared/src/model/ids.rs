//! Identifier validation: 统一社会信用代码 (GB 32100-2015) and 公民身份号码
//! (GB 11643-1999). Both carry a check character, so a typo in a party's
//! identity is caught at the keyboard instead of in the provincial system.

use chrono::NaiveDate;

use super::error::ValidationError;

/// GB 32100-2015 character set, in value order (no I, O, Z, S, V).
const USCC_CHARS: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
/// GB 32100-2015 weights: 3^i mod 31 for positions 1‥17.
const USCC_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];
/// GB 11643-1999 weights: 2^(17-i) mod 11.
const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// GB 11643-1999 check characters, indexed by the weighted sum mod 11.
const ID_CHECK: &[u8; 11] = b"10X98765432";

pub const USCC_RULE: &str = "GB 32100-2015 校验码";
pub const USCC_FORMAT_RULE: &str = "GB 32100-2015 代码结构";
pub const ID_RULE: &str = "GB 11643-1999 校验码";
pub const ID_FORMAT_RULE: &str = "GB 11643-1999 号码结构";
pub const ID_BIRTH_RULE: &str = "GB 11643-1999 出生日期码";

fn uscc_value(c: char) -> Option<u32> {
    USCC_CHARS.find(c).map(|i| i as u32)
}

/// The check character GB 32100-2015 gives for the first 17 characters, or
/// `None` if one of them is outside the character set.
pub fn uscc_check_char(first17: &str) -> Option<char> {
    let chars: Vec<char> = first17.chars().collect();
    if chars.len() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (c, w) in chars.iter().zip(USCC_WEIGHTS) {
        sum += uscc_value(*c)? * w;
    }
    let check = (31 - sum % 31) % 31;
    USCC_CHARS.chars().nth(check as usize)
}

/// Validate a 统一社会信用代码. Lower-case letters are refused rather than
/// silently fixed: the code is printed on licences in capitals and must be
/// stored exactly as printed. `field` is the path reported on error.
pub fn validate_uscc(field: &str, code: &str) -> Result<(), ValidationError> {
    let chars: Vec<char> = code.chars().collect();
    if chars.len() != 18 {
        return Err(ValidationError::new(
            field,
            USCC_FORMAT_RULE,
            format!(
                "统一社会信用代码应为18位，实为{}位 (USCC must have 18 characters)",
                chars.len()
            ),
        ));
    }
    if let Some((i, c)) = chars
        .iter()
        .enumerate()
        .find(|(_, c)| uscc_value(**c).is_none())
    {
        return Err(ValidationError::new(
            field,
            USCC_FORMAT_RULE,
            format!(
                "第{}位字符“{}”不在代码字符集内（0-9及除I、O、Z、S、V外的大写字母）(character not allowed)",
                i + 1,
                c
            ),
        ));
    }
    let first17: String = chars[..17].iter().collect();
    match uscc_check_char(&first17) {
        Some(expected) if expected == chars[17] => Ok(()),
        Some(expected) => Err(ValidationError::new(
            field,
            USCC_RULE,
            format!(
                "校验码应为“{expected}”，实为“{}” (check character mismatch)",
                chars[17]
            ),
        )),
        None => Err(ValidationError::new(
            field,
            USCC_FORMAT_RULE,
            "代码字符无效 (invalid characters)",
        )),
    }
}

/// The check character GB 11643-1999 gives for the first 17 digits.
pub fn id_check_char(first17: &str) -> Option<char> {
    let bytes = first17.as_bytes();
    if bytes.len() != 17 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = bytes
        .iter()
        .zip(ID_WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    Some(char::from(ID_CHECK[(sum % 11) as usize]))
}

/// The birth date coded in an 18-digit 公民身份号码 (positions 7‥14), if it is a
/// real calendar date from 1900 on.
pub fn id_birth_date(id: &str) -> Option<NaiveDate> {
    let digits = id.get(6..14)?;
    let year: i32 = digits.get(0..4)?.parse().ok()?;
    let month: u32 = digits.get(4..6)?.parse().ok()?;
    let day: u32 = digits.get(6..8)?.parse().ok()?;
    if year < 1900 {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, day)
}

/// Validate an 18-digit 居民身份证号 / 公民身份号码: 17 digits, a real birth
/// date, and the check character (`X` in capitals).
pub fn validate_id_number(field: &str, id: &str) -> Result<(), ValidationError> {
    if !id.is_ascii() || id.len() != 18 {
        return Err(ValidationError::new(
            field,
            ID_FORMAT_RULE,
            format!(
                "公民身份号码应为18位，实为{}位 (ID number must have 18 characters)",
                id.chars().count()
            ),
        ));
    }
    let first17 = &id[..17];
    let last = id.as_bytes()[17];
    if !first17.bytes().all(|b| b.is_ascii_digit()) || !(last.is_ascii_digit() || last == b'X') {
        return Err(ValidationError::new(
            field,
            ID_FORMAT_RULE,
            "前17位须为数字，末位为数字或大写X (17 digits then a digit or X)",
        ));
    }
    if id_birth_date(id).is_none() {
        return Err(ValidationError::new(
            field,
            ID_BIRTH_RULE,
            format!(
                "出生日期码“{}”不是有效日期 (invalid birth date)",
                &id[6..14]
            ),
        ));
    }
    match id_check_char(first17) {
        Some(expected) if expected == char::from(last) => Ok(()),
        Some(expected) => Err(ValidationError::new(
            field,
            ID_RULE,
            format!(
                "校验码应为“{expected}”，实为“{}” (check character mismatch)",
                char::from(last)
            ),
        )),
        None => Err(ValidationError::new(
            field,
            ID_FORMAT_RULE,
            "号码字符无效 (invalid characters)",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Build a valid USCC from a 17-character stem.
    fn uscc(stem: &str) -> String {
        format!("{stem}{}", uscc_check_char(stem).unwrap())
    }

    #[test]
    fn commonly_cited_uscc_is_valid() {
        assert_eq!(uscc_check_char("91350100M000100Y4"), Some('3'));
        validate_uscc("uscc", "91350100M000100Y43").unwrap();
    }

    #[test]
    fn computed_uscc_for_enterprise_and_sole_trader_stems_are_valid() {
        for stem in [
            "91110108MA01ABCD1",
            "92350102MA2Y00001",
            "12100000400000001",
        ] {
            validate_uscc("uscc", &uscc(stem)).unwrap();
        }
    }

    #[test]
    fn uscc_check_value_31_wraps_to_zero() {
        // Find a stem whose weighted sum is divisible by 31: check must be '0'.
        let stem = (0..10_000u32)
            .map(|n| format!("9135010000{n:07}"))
            .find(|s| {
                let sum: u32 = s
                    .chars()
                    .zip(USCC_WEIGHTS)
                    .map(|(c, w)| uscc_value(c).unwrap() * w)
                    .sum();
                sum.is_multiple_of(31)
            })
            .unwrap();
        assert_eq!(uscc_check_char(&stem), Some('0'));
    }

    #[test]
    fn uscc_with_wrong_check_character_is_refused_naming_the_field_and_rule() {
        let e = validate_uscc("parties[0].uscc", "91350100M000100Y44").unwrap_err();
        assert_eq!(e.field, "parties[0].uscc");
        assert_eq!(e.rule, USCC_RULE);
        assert!(e.message.contains('3'));
    }

    #[test]
    fn uscc_of_wrong_length_or_forbidden_letters_is_refused() {
        assert_eq!(
            validate_uscc("u", "91350100M000100Y4").unwrap_err().rule,
            USCC_FORMAT_RULE
        );
        assert_eq!(
            validate_uscc("u", "91350100M000100Y433").unwrap_err().rule,
            USCC_FORMAT_RULE
        );
        // I, O, Z, S, V are not in the character set; lower case is not either.
        for bad in [
            "91350100I000100Y43",
            "91350100O000100Y43",
            "91350100S000100Y43",
            "91350100m000100Y43",
        ] {
            assert_eq!(
                validate_uscc("u", bad).unwrap_err().rule,
                USCC_FORMAT_RULE,
                "{bad}"
            );
        }
        assert_eq!(
            validate_uscc("u", "91350100中00100Y43").unwrap_err().rule,
            USCC_FORMAT_RULE
        );
    }

    #[test]
    fn gb11643_standard_example_id_is_valid() {
        // The example in GB 11643-1999 Annex: 11010519491231002X.
        validate_id_number("id", "11010519491231002X").unwrap();
        assert_eq!(id_check_char("11010519491231002"), Some('X'));
        validate_id_number("id", "440524188001010014").unwrap_err(); // 1880 is before 1900
        let stem = "35010219900307123";
        validate_id_number("id", &format!("{stem}{}", id_check_char(stem).unwrap())).unwrap();
    }

    #[test]
    fn id_number_with_wrong_check_digit_is_refused() {
        let e = validate_id_number("parties[1].id_doc_no", "110105194912310021").unwrap_err();
        assert_eq!(e.field, "parties[1].id_doc_no");
        assert_eq!(e.rule, ID_RULE);
    }

    #[test]
    fn id_number_with_impossible_birth_date_is_refused() {
        // 1990-02-30 does not exist; the check digit is right for the digits.
        let stem = "35010219900230123";
        let id = format!("{stem}{}", id_check_char(stem).unwrap());
        assert_eq!(
            validate_id_number("id", &id).unwrap_err().rule,
            ID_BIRTH_RULE
        );
    }

    #[test]
    fn id_number_with_bad_shape_is_refused() {
        for bad in [
            "1101051949123100",
            "11010519491231002x",
            "1101051949123100XX",
            "A1010519491231002X",
            "一二三",
        ] {
            assert_eq!(
                validate_id_number("id", bad).unwrap_err().rule,
                ID_FORMAT_RULE,
                "{bad}"
            );
        }
    }
}

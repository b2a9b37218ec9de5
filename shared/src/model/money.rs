//! Money is integer 分 (fen), always: fields and params named `*_fen` hold an
//! `i64`. No floats anywhere near a fine — a sum of 罚没款 must come out to the
//! fen in the monthly bulletin whatever order it is added in.

use super::error::ValidationError;

/// 元 → 分 for import: "1234", "1234.5", "1,234.56", "1234.56元". More than two
/// decimals or anything else is refused rather than rounded.
pub fn parse_yuan(field: &str, text: &str) -> Result<i64, ValidationError> {
    let err = |msg: &str| ValidationError::new(field, "金额以元计，最多两位小数", msg.to_string());
    let t: String = text
        .trim()
        .trim_end_matches('元')
        .chars()
        .filter(|c| *c != ',' && *c != '，')
        .collect();
    let (neg, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest.to_string()),
        None => (false, t),
    };
    let (whole, frac) = match t.split_once('.') {
        Some((w, f)) => (w, f),
        None => (t.as_str(), ""),
    };
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(err(&format!("“{text}”不是金额 (not an amount)")));
    }
    if frac.len() > 2 {
        return Err(err(&format!("“{text}”超过两位小数 (more than 2 decimals)")));
    }
    let whole: i64 = whole
        .parse()
        .map_err(|_| err("金额过大 (amount too large)"))?;
    let frac_fen: i64 = format!("{frac:0<2}").parse().map_err(|_| err("金额无效"))?;
    let fen = whole
        .checked_mul(100)
        .and_then(|v| v.checked_add(frac_fen))
        .ok_or_else(|| err("金额过大 (amount too large)"))?;
    Ok(if neg { -fen } else { fen })
}

/// 分 → "1,234.56" (元, two decimals, thousands separated), for lists and documents.
pub fn format_yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    let whole = (abs / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{:02}", abs % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuan_text_converts_to_exact_fen() {
        assert_eq!(parse_yuan("f", "200").unwrap(), 20_000);
        assert_eq!(parse_yuan("f", "3,000.5元").unwrap(), 300_050);
        assert_eq!(parse_yuan("f", "0.07").unwrap(), 7);
        assert!(parse_yuan("f", "1.234").is_err());
        assert!(parse_yuan("f", "abc").is_err());
        assert!(parse_yuan("f", "99999999999999999999").is_err());
    }

    #[test]
    fn fen_formats_as_yuan_with_separators() {
        assert_eq!(format_yuan(12_345_678), "123,456.78");
        assert_eq!(format_yuan(5), "0.05");
        assert_eq!(format_yuan(-100), "-1.00");
    }
}

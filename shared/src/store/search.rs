//! Search over Chinese text without a word segmenter.
//!
//! Chinese has no spaces, and FTS5's tokenizers either keep a whole run of
//! Hanzi as one token (unicode61) or need 3 characters (trigram). Searches
//! like 茅台 or 传销 are 2 characters, so we index overlapping character
//! bigrams (the classic CJK bigram scheme): "销售茅台酒" is indexed as
//! "销售 售茅 茅台 台酒". A query becomes the phrase of its own bigrams, so
//! FTS5 finds candidates through its inverted index, and the list query then
//! checks the exact substring against the stored text. ASCII words (numbers,
//! codes, Latin names) are indexed lower-cased, whole.
//!
//! Each run also ends with its last character alone ("… 台酒 酒"), so every
//! character of the text starts some token: a one-character query is the
//! prefix query `"茅"*`, answered by the index like the others instead of a
//! scan of every record's text (clerks type one character before the second).

/// The version of what [`index_text`] writes; a store whose index is older
/// rebuilds it once when opened (`Store::open`).
pub const INDEX_VERSION: &str = "2";

/// Is `c` written without spaces between words (Han, kana, Hangul)?
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

#[derive(Debug, PartialEq)]
enum Run {
    Cjk(Vec<char>),
    Word(String),
}

fn runs(text: &str) -> Vec<Run> {
    let mut out = Vec::new();
    let mut cjk: Vec<char> = Vec::new();
    let mut word = String::new();
    let flush_cjk = |cjk: &mut Vec<char>, out: &mut Vec<Run>| {
        if !cjk.is_empty() {
            out.push(Run::Cjk(std::mem::take(cjk)));
        }
    };
    let flush_word = |word: &mut String, out: &mut Vec<Run>| {
        if !word.is_empty() {
            out.push(Run::Word(std::mem::take(word)));
        }
    };
    for c in text.chars() {
        if is_cjk(c) {
            flush_word(&mut word, &mut out);
            cjk.push(c);
        } else if c.is_alphanumeric() {
            flush_cjk(&mut cjk, &mut out);
            word.extend(c.to_lowercase());
        } else {
            flush_cjk(&mut cjk, &mut out);
            flush_word(&mut word, &mut out);
        }
    }
    flush_cjk(&mut cjk, &mut out);
    flush_word(&mut word, &mut out);
    out
}

/// Overlapping character pairs ("茅台酒" → 茅台 台酒); none for one character.
fn bigrams(chars: &[char]) -> Vec<String> {
    chars.windows(2).map(|w| w.iter().collect()).collect()
}

/// A run's bigrams, then its last character alone (see the module docs).
fn grams(chars: &[char]) -> Vec<String> {
    let mut out = bigrams(chars);
    out.extend(chars.last().map(char::to_string));
    out
}

/// The text stored in the FTS index for a record's searchable text.
pub fn index_text(text: &str) -> String {
    let mut tokens = Vec::new();
    for run in runs(text) {
        match run {
            Run::Cjk(chars) => tokens.extend(grams(&chars)),
            Run::Word(w) => tokens.push(w),
        }
    }
    tokens.join(" ")
}

/// The FTS5 MATCH expression for a query, or `None` when the query has no
/// indexable part (the caller then scans).
pub fn match_expr(query: &str) -> Option<String> {
    let mut parts = Vec::new();
    for run in runs(query) {
        match run {
            Run::Cjk(chars) if chars.len() >= 2 => {
                parts.push(format!("\"{}\"", bigrams(&chars).join(" ")));
            }
            // Every character starts a token: those starting with it.
            Run::Cjk(chars) => parts.extend(chars.first().map(|c| format!("\"{c}\"*"))),
            // A word may be the start of a longer indexed word: prefix query.
            Run::Word(w) => parts.push(format!("\"{w}\"*")),
        }
    }
    if parts.is_empty() {
        None
    } else {
        Some(parts.join(" AND "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_text_is_indexed_as_overlapping_bigrams() {
        assert_eq!(index_text("销售茅台酒"), "销售 售茅 茅台 台酒 酒");
        assert_eq!(index_text("茅"), "茅");
    }

    #[test]
    fn punctuation_splits_runs_and_ascii_words_are_lowercased() {
        assert_eq!(
            index_text("马市监处罚〔2026〕193号，ABC店"),
            "马市 市监 监处 处罚 罚 2026 193 号 abc 店"
        );
    }

    #[test]
    fn a_two_character_query_is_one_bigram_phrase() {
        assert_eq!(match_expr("茅台").as_deref(), Some("\"茅台\""));
        assert_eq!(match_expr("茅台酒").as_deref(), Some("\"茅台 台酒\""));
    }

    #[test]
    fn mixed_queries_combine_parts_and_a_single_hanzi_is_a_prefix_query() {
        assert_eq!(
            match_expr("2026 传销").as_deref(),
            Some("\"2026\"* AND \"传销\"")
        );
        assert_eq!(match_expr("茅").as_deref(), Some("\"茅\"*"));
        assert_eq!(match_expr("  "), None);
    }

    #[test]
    fn every_character_of_the_text_starts_an_indexed_token() {
        let text = "销售假冒茅台酒，查获酒";
        let grams = index_text(text);
        let tokens: Vec<&str> = grams.split(' ').collect();
        for c in text.chars().filter(|c| is_cjk(*c)) {
            assert!(
                tokens.iter().any(|t| t.starts_with(c)),
                "{c} starts no token of {tokens:?}"
            );
        }
    }
}

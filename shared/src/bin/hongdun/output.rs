//! Printing: JSON for scripts, plain aligned text for people.

use anyhow::Result;
use serde::Serialize;

pub struct Out {
    pub json: bool,
}

impl Out {
    /// Prints `value` as JSON when --json was given, else runs `text`.
    pub fn print<T: Serialize>(&self, value: &T, text: impl FnOnce()) -> Result<()> {
        if self.json {
            println!("{}", serde_json::to_string_pretty(value)?);
        } else {
            text();
        }
        Ok(())
    }
}

/// Pads `s` to `width` display columns (CJK characters count as two).
pub fn pad(s: &str, width: usize) -> String {
    let w: usize = s.chars().map(char_width).sum();
    if w >= width {
        s.to_string()
    } else {
        format!("{s}{}", " ".repeat(width - w))
    }
}

/// Cuts `s` to at most `width` display columns.
pub fn cut(s: &str, width: usize) -> String {
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = char_width(c);
        if w + cw > width {
            out.push('…');
            break;
        }
        w += cw;
        out.push(c);
    }
    out
}

fn char_width(c: char) -> usize {
    if (c as u32) >= 0x1100 && !c.is_ascii() {
        2
    } else {
        1
    }
}

//! Bulletin charts as SVG text: the monthly trend, cases by type and figures
//! by office. Pure functions, so the app shows exactly the picture the
//! exports embed (rendered to PNG there).

use std::fmt::Write;

use super::figures::{Breakdown, Bulletin, OfficeRow, TrendPoint};

/// The font the charts ask for (installed with fonts-wqy-microhei).
pub const FONT_FAMILY: &str = "WenQuanYi Micro Hei, Noto Sans CJK SC, sans-serif";

const W: f64 = 640.0;
const H: f64 = 320.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 40.0;
const BOTTOM: f64 = 48.0;
const COLORS: [&str; 3] = ["#c0392b", "#2c7fb8", "#7f8c8d"];

/// Which chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    /// 月度趋势: cases filed and closed per month, twelve months.
    Trend,
    /// 按案件类别: cases filed by type.
    ByType,
    /// 按单位: cases filed and closed by office.
    ByOffice,
}

impl ChartKind {
    pub const ALL: [ChartKind; 3] = [ChartKind::Trend, ChartKind::ByType, ChartKind::ByOffice];

    pub fn title(self) -> &'static str {
        match self {
            ChartKind::Trend => "月度立案、结案趋势",
            ChartKind::ByType => "立案按案件类别",
            ChartKind::ByOffice => "各单位立案、结案",
        }
    }

    pub fn file_stem(self) -> &'static str {
        match self {
            ChartKind::Trend => "trend",
            ChartKind::ByType => "by_type",
            ChartKind::ByOffice => "by_office",
        }
    }
}

/// The SVG of one chart of a bulletin.
pub fn svg(b: &Bulletin, kind: ChartKind) -> String {
    match kind {
        ChartKind::Trend => trend_svg(&b.trend),
        ChartKind::ByType => {
            let empty = Breakdown {
                key: String::new(),
                title: String::new(),
                unit: super::figures::Unit::Count,
                rows: Vec::new(),
            };
            let bd = b.breakdown("cases.by_category").unwrap_or(&empty);
            let labels: Vec<String> = bd.rows.iter().map(|r| r.label.clone()).collect();
            let values: Vec<i64> = bd.rows.iter().map(|r| r.value).collect();
            bars_svg(kind.title(), &labels, &[("立案", &values)])
        }
        ChartKind::ByOffice => by_office_svg(&b.by_office),
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn open(title: &str) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" font-family="{FONT_FAMILY}"><rect width="{W}" height="{H}" fill="#ffffff"/><text x="{x}" y="24" font-size="16" text-anchor="middle" fill="#222">{t}</text>"##,
        x = W / 2.0,
        t = esc(title)
    );
    s
}

/// A round axis maximum ≥ `max` (1, 2, 5 × 10ⁿ).
fn nice_max(max: i64) -> i64 {
    if max <= 0 {
        return 1;
    }
    let mut step = 1;
    loop {
        for m in [1, 2, 5] {
            if m * step >= max {
                return m * step;
            }
        }
        step *= 10;
    }
}

fn axes(s: &mut String, max: i64) {
    let plot_h = H - TOP - BOTTOM;
    for i in 0..=4 {
        let y = TOP + plot_h - plot_h * f64::from(i) / 4.0;
        let v = max * i64::from(i) / 4;
        let _ = write!(
            s,
            r##"<line x1="{LEFT}" y1="{y}" x2="{x2}" y2="{y}" stroke="#ddd"/><text x="{tx}" y="{ty}" font-size="11" text-anchor="end" fill="#555">{v}</text>"##,
            x2 = W - RIGHT,
            tx = LEFT - 6.0,
            ty = y + 4.0
        );
    }
}

fn legend(s: &mut String, names: &[&str]) {
    for (i, n) in names.iter().enumerate() {
        let x = W - RIGHT - 90.0 * (names.len() - i) as f64;
        let _ = write!(
            s,
            r##"<rect x="{x}" y="{y}" width="10" height="10" fill="{c}"/><text x="{tx}" y="{ty}" font-size="12" fill="#333">{n}</text>"##,
            y = TOP - 14.0,
            c = COLORS[i % COLORS.len()],
            tx = x + 14.0,
            ty = TOP - 5.0,
            n = esc(n)
        );
    }
}

/// Grouped vertical bars: one group per label, one bar per series.
fn bars_svg(title: &str, labels: &[String], series: &[(&str, &[i64])]) -> String {
    let mut s = open(title);
    let max = series
        .iter()
        .flat_map(|(_, v)| v.iter().copied())
        .max()
        .unwrap_or(0);
    let max = nice_max(max);
    axes(&mut s, max);
    legend(&mut s, &series.iter().map(|(n, _)| *n).collect::<Vec<_>>());
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let n = labels.len().max(1) as f64;
    let group = plot_w / n;
    let bar = (group * 0.8 / series.len().max(1) as f64).min(40.0);
    for (i, label) in labels.iter().enumerate() {
        let gx = LEFT + group * i as f64 + (group - bar * series.len() as f64) / 2.0;
        for (j, (_, values)) in series.iter().enumerate() {
            let v = values.get(i).copied().unwrap_or(0);
            let h = plot_h * v as f64 / max as f64;
            let x = gx + bar * j as f64;
            let y = TOP + plot_h - h;
            let _ = write!(
                s,
                r##"<rect x="{x:.1}" y="{y:.1}" width="{bw:.1}" height="{h:.1}" fill="{c}"><title>{v}</title></rect>"##,
                bw = bar - 2.0,
                c = COLORS[j % COLORS.len()]
            );
            if v > 0 {
                let _ = write!(
                    s,
                    r##"<text x="{tx:.1}" y="{ty:.1}" font-size="10" text-anchor="middle" fill="#333">{v}</text>"##,
                    tx = x + bar / 2.0 - 1.0,
                    ty = y - 3.0
                );
            }
        }
        let short: String = label.chars().take(8).collect();
        let _ = write!(
            s,
            r##"<text x="{x:.1}" y="{y}" font-size="11" text-anchor="middle" fill="#333">{t}</text>"##,
            x = LEFT + group * (i as f64 + 0.5),
            y = H - BOTTOM + 16.0,
            t = esc(&short)
        );
    }
    if labels.is_empty() {
        let _ = write!(
            s,
            r##"<text x="{x}" y="{y}" font-size="14" text-anchor="middle" fill="#888">本期无数据</text>"##,
            x = W / 2.0,
            y = H / 2.0
        );
    }
    s.push_str("</svg>");
    s
}

fn trend_svg(points: &[TrendPoint]) -> String {
    let labels: Vec<String> = points
        .iter()
        .map(|p| {
            let m = p.month.rsplit('-').next().unwrap_or("");
            format!("{}月", m.trim_start_matches('0'))
        })
        .collect();
    let filed: Vec<i64> = points.iter().map(|p| p.filed).collect();
    let closed: Vec<i64> = points.iter().map(|p| p.closed).collect();
    bars_svg(
        ChartKind::Trend.title(),
        &labels,
        &[("立案", &filed), ("结案", &closed)],
    )
}

fn by_office_svg(rows: &[OfficeRow]) -> String {
    let labels: Vec<String> = rows.iter().map(|r| r.office.clone()).collect();
    let filed: Vec<i64> = rows.iter().map(|r| r.filed).collect();
    let closed: Vec<i64> = rows.iter().map(|r| r.closed).collect();
    bars_svg(
        ChartKind::ByOffice.title(),
        &labels,
        &[("立案", &filed), ("结案", &closed)],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_maxima_are_round() {
        assert_eq!(nice_max(0), 1);
        assert_eq!(nice_max(7), 10);
        assert_eq!(nice_max(12), 20);
        assert_eq!(nice_max(201), 500);
    }

    #[test]
    fn chart_labels_are_escaped() {
        let s = bars_svg("a<b", &["x&y".into()], &[("立案", &[3])]);
        assert!(s.contains("a&lt;b") && s.contains("x&amp;y") && s.ends_with("</svg>"));
    }
}

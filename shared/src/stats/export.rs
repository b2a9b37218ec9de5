//! Writing a bulletin to a file: .xlsx (formatted tables, rust_xlsxwriter),
//! .docx (summary paragraph and tables), .csv (one row per figure, UTF-8 with
//! BOM so Excel reads Chinese) and .json. Charts go in as PNG images rendered
//! from the same SVG the app shows, with a CJK system font.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use docx_rs::{
    AlignmentType, Docx, Paragraph, Pic, Run, RunFonts, Table, TableCell, TableRow, WidthType,
};
use resvg::{tiny_skia, usvg};
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Image, Workbook, Worksheet};

use super::chart::{self, ChartKind};
use super::figures::{wan_yuan, Breakdown, Bulletin, Comparison, Figure, Unit};
use super::ExportFormat;

/// An export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot write {path}: {message}")]
    Write { path: String, message: String },
    #[error("cannot draw chart: {0}")]
    Chart(String),
}

fn write_err(path: &Path, e: impl std::fmt::Display) -> ExportError {
    ExportError::Write {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

/// Writes `b` to `path` in `format`.
pub fn write(b: &Bulletin, format: ExportFormat, path: &Path) -> Result<(), ExportError> {
    match format {
        ExportFormat::Json => write_json(b, path),
        ExportFormat::Csv => write_csv(b, path),
        ExportFormat::Xlsx => write_xlsx(b, path),
        ExportFormat::Docx => write_docx(b, path),
    }
}

pub fn write_json(b: &Bulletin, path: &Path) -> Result<(), ExportError> {
    let text = serde_json::to_string_pretty(b).map_err(|e| write_err(path, e))?;
    std::fs::write(path, text).map_err(|e| write_err(path, e))
}

/// A comparison's base as printed: the base period's value.
fn base_display(unit: Unit, c: &Comparison) -> String {
    match unit {
        Unit::Count => format!("{}", c.base as i64),
        Unit::Fen => wan_yuan(c.base as i64),
        Unit::Rate if c.text == "—" && c.base == 0.0 => "—".into(),
        Unit::Rate => format!("{:.1}%", c.base),
    }
}

/// The columns of a figure table.
const HEADER: [&str; 6] = ["指标", "本期", "去年同期", "同比", "上期", "环比"];

fn figure_row(f: &Figure) -> [String; 6] {
    let (prev, mom) = match &f.mom {
        Some(m) => (base_display(f.unit, m), m.text.clone()),
        None => ("—".into(), "—".into()),
    };
    let label = match (f.unit, f.denominator) {
        (Unit::Rate, Some(d)) => format!("{}（{}/{}）", f.label, f.value, d),
        _ => f.label.clone(),
    };
    [
        label,
        f.display(),
        base_display(f.unit, &f.yoy),
        f.yoy.text.clone(),
        prev,
        mom,
    ]
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

pub fn write_csv(b: &Bulletin, path: &Path) -> Result<(), ExportError> {
    let mut out = String::from("\u{feff}");
    let head = [
        "分组",
        "键",
        "指标",
        "本期",
        "数值",
        "分母",
        "去年同期",
        "同比",
        "上期",
        "环比",
    ];
    out.push_str(&head.join(","));
    out.push('\n');
    for s in &b.sections {
        for f in &s.figures {
            let r = figure_row(f);
            let cells = [
                s.title.clone(),
                f.key.clone(),
                f.label.clone(),
                r[1].clone(),
                f.value.to_string(),
                f.denominator.map_or(String::new(), |d| d.to_string()),
                r[2].clone(),
                r[3].clone(),
                r[4].clone(),
                r[5].clone(),
            ];
            let line: Vec<String> = cells.iter().map(|c| csv_field(c)).collect();
            out.push_str(&line.join(","));
            out.push('\n');
        }
    }
    std::fs::write(path, out).map_err(|e| write_err(path, e))
}

fn fonts() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_system_fonts();
        db.set_sans_serif_family("WenQuanYi Micro Hei");
        Arc::new(db)
    })
    .clone()
}

/// Renders a chart's SVG to PNG (at twice its size, for print).
pub fn chart_png(svg: &str) -> Result<Vec<u8>, ExportError> {
    let opt = usvg::Options {
        fontdb: fonts(),
        font_family: "WenQuanYi Micro Hei".into(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &opt).map_err(|e| ExportError::Chart(e.to_string()))?;
    let size = tree.size().to_int_size();
    let mut pixmap = tiny_skia::Pixmap::new(size.width() * 2, size.height() * 2)
        .ok_or_else(|| ExportError::Chart("empty chart".into()))?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(2.0, 2.0),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| ExportError::Chart(e.to_string()))
}

fn title_of(b: &Bulletin) -> String {
    format!("{}工作通报", b.period_label)
}

fn offices_line(b: &Bulletin) -> String {
    if b.offices.is_empty() {
        "统计范围：全部单位".into()
    } else {
        format!("统计范围：{}", b.offices.join("、"))
    }
}

fn breakdown_rows(bd: &Breakdown) -> Vec<[String; 2]> {
    bd.rows
        .iter()
        .map(|r| [r.label.clone(), r.value.to_string()])
        .collect()
}

// ---- xlsx ---------------------------------------------------------------

struct Styles {
    title: Format,
    head: Format,
    cell: Format,
    num: Format,
    wrap: Format,
}

fn styles() -> Styles {
    let base = Format::new()
        .set_font_name("WenQuanYi Micro Hei")
        .set_border(FormatBorder::Thin);
    Styles {
        title: Format::new()
            .set_font_name("WenQuanYi Micro Hei")
            .set_bold()
            .set_font_size(16),
        head: base
            .clone()
            .set_bold()
            .set_background_color(Color::RGB(0xF2DCDB))
            .set_align(FormatAlign::Center),
        cell: base.clone(),
        num: base.clone().set_align(FormatAlign::Right),
        wrap: Format::new()
            .set_font_name("WenQuanYi Micro Hei")
            .set_text_wrap()
            .set_align(FormatAlign::Top),
    }
}

fn xl(path: &Path) -> impl Fn(rust_xlsxwriter::XlsxError) -> ExportError + '_ {
    move |e| write_err(path, e)
}

fn table(
    ws: &mut Worksheet,
    st: &Styles,
    row: u32,
    head: &[&str],
    rows: &[Vec<String>],
) -> Result<u32, rust_xlsxwriter::XlsxError> {
    for (c, h) in head.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, *h, &st.head)?;
    }
    for (i, r) in rows.iter().enumerate() {
        for (c, v) in r.iter().enumerate() {
            let f = if c == 0 { &st.cell } else { &st.num };
            ws.write_string_with_format(row + 1 + i as u32, c as u16, v, f)?;
        }
    }
    Ok(row + 2 + rows.len() as u32)
}

pub fn write_xlsx(b: &Bulletin, path: &Path) -> Result<(), ExportError> {
    let e = xl(path);
    let st = styles();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("通报").map_err(&e)?;
    ws.set_column_width(0, 34).map_err(&e)?;
    for c in 1..6 {
        ws.set_column_width(c, 16).map_err(&e)?;
    }
    ws.write_string_with_format(0, 0, title_of(b), &st.title)
        .map_err(&e)?;
    ws.write_string(1, 0, offices_line(b)).map_err(&e)?;
    ws.merge_range(2, 0, 2, 5, &b.summary, &st.wrap)
        .map_err(&e)?;
    ws.set_row_height(2, 120).map_err(&e)?;
    let mut row = 4;
    for s in &b.sections {
        ws.write_string_with_format(row, 0, &s.title, &st.title)
            .map_err(&e)?;
        let rows: Vec<Vec<String>> = s.figures.iter().map(|f| figure_row(f).to_vec()).collect();
        row = table(ws, &st, row + 1, &HEADER, &rows).map_err(&e)?;
    }
    if let Some(fin) = &b.finance {
        ws.write_string_with_format(row, 0, "财务信息", &st.title)
            .map_err(&e)?;
        let rows = finance_rows(fin);
        row = table(ws, &st, row + 1, &["项目", "数值"], &rows).map_err(&e)?;
        ws.write_string(row, 0, &fin.note).map_err(&e)?;
    }

    let ws = wb.add_worksheet().set_name("分类").map_err(&e)?;
    ws.set_column_width(0, 28).map_err(&e)?;
    ws.set_column_width(1, 12).map_err(&e)?;
    let mut row = 0;
    for bd in b.sections.iter().flat_map(|s| &s.breakdowns) {
        ws.write_string_with_format(row, 0, &bd.title, &st.title)
            .map_err(&e)?;
        let rows: Vec<Vec<String>> = breakdown_rows(bd).into_iter().map(Vec::from).collect();
        row = table(ws, &st, row + 1, &["类别", "数量"], &rows).map_err(&e)?;
    }

    let ws = wb.add_worksheet().set_name("趋势").map_err(&e)?;
    let rows: Vec<Vec<String>> = b
        .trend
        .iter()
        .map(|t| {
            vec![
                t.month.clone(),
                t.filed.to_string(),
                t.closed.to_string(),
                wan_yuan(t.decided_fen),
                wan_yuan(t.treasury_fen),
                t.complaints.to_string(),
            ]
        })
        .collect();
    for c in 0..6 {
        ws.set_column_width(c, 14).map_err(&e)?;
    }
    table(
        ws,
        &st,
        0,
        &["月份", "立案", "结案", "罚没（决定）", "罚没入库", "投诉"],
        &rows,
    )
    .map_err(&e)?;

    let ws = wb.add_worksheet().set_name("单位").map_err(&e)?;
    for c in 0..9 {
        ws.set_column_width(c, 13).map_err(&e)?;
    }
    table(ws, &st, 0, &OFFICE_HEADER, &office_rows(b)).map_err(&e)?;

    let ws = wb.add_worksheet().set_name("图表").map_err(&e)?;
    let mut row = 0;
    for kind in ChartKind::ALL {
        let png = chart_png(&chart::svg(b, kind))?;
        let img = Image::new_from_buffer(&png)
            .map_err(&e)?
            .set_scale_width(0.5)
            .set_scale_height(0.5)
            .set_alt_text(kind.title());
        ws.insert_image(row, 0, &img).map_err(&e)?;
        row += 18;
    }
    wb.save(path).map_err(&e)
}

const OFFICE_HEADER: [&str; 9] = [
    "单位",
    "立案",
    "结案",
    "简易程序",
    "罚没（决定）",
    "罚没入库",
    "投诉",
    "举报",
    "信访",
];

fn office_rows(b: &Bulletin) -> Vec<Vec<String>> {
    b.by_office
        .iter()
        .map(|o| {
            vec![
                o.office.clone(),
                o.filed.to_string(),
                o.closed.to_string(),
                o.simple.to_string(),
                wan_yuan(o.decided_fen),
                wan_yuan(o.treasury_fen),
                o.complaints.to_string(),
                o.reports.to_string(),
                o.petitions.to_string(),
            ]
        })
        .collect()
}

fn finance_rows(fin: &super::figures::Finance) -> Vec<Vec<String>> {
    vec![
        vec![
            format!("{}年罚没入库累计", fin.year),
            wan_yuan(fin.treasury_ytd_fen),
        ],
        vec![
            "年度预算".into(),
            fin.budget_fen.map_or("未设置".into(), wan_yuan),
        ],
        vec![
            "预算完成率".into(),
            fin.completion_rate
                .map_or("—".into(), |r| format!("{r:.1}%")),
        ],
        vec![
            format!("人均罚没（{}人）", fin.officers),
            fin.per_officer_fen.map_or("—".into(), wan_yuan),
        ],
    ]
}

// ---- docx ---------------------------------------------------------------

fn cjk() -> RunFonts {
    RunFonts::new()
        .east_asia("WenQuanYi Micro Hei")
        .ascii("WenQuanYi Micro Hei")
        .hi_ansi("WenQuanYi Micro Hei")
}

fn text(s: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(s).fonts(cjk()))
}

fn heading(s: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(s).bold().size(28).fonts(cjk()))
}

fn docx_table(head: &[&str], rows: &[Vec<String>]) -> Table {
    // The first column (the figure's name) gets the room it needs.
    let n = head.len().max(1);
    let rest = if n > 1 { 6000 / (n - 1) } else { 0 };
    let mut grid = vec![3000];
    grid.extend(std::iter::repeat_n(rest, n - 1));
    let cell = |i: usize, s: &str, bold: bool| {
        let run = Run::new().add_text(s).fonts(cjk()).size(20);
        let run = if bold { run.bold() } else { run };
        TableCell::new()
            .width(grid.get(i).copied().unwrap_or(rest), WidthType::Dxa)
            .add_paragraph(Paragraph::new().add_run(run))
    };
    let mut trs = vec![TableRow::new(
        head.iter()
            .enumerate()
            .map(|(i, h)| cell(i, h, true))
            .collect(),
    )];
    for r in rows {
        trs.push(TableRow::new(
            r.iter()
                .enumerate()
                .map(|(i, v)| cell(i, v, false))
                .collect(),
        ));
    }
    Table::new(trs)
        .set_grid(grid.clone())
        .width(9000, WidthType::Dxa)
}

pub fn write_docx(b: &Bulletin, path: &Path) -> Result<(), ExportError> {
    let mut doc = Docx::new().default_fonts(cjk()).add_paragraph(
        Paragraph::new().align(AlignmentType::Center).add_run(
            Run::new()
                .add_text(title_of(b))
                .bold()
                .size(36)
                .fonts(cjk()),
        ),
    );
    doc = doc
        .add_paragraph(text(&offices_line(b)))
        .add_paragraph(text(&b.summary));
    for s in &b.sections {
        let rows: Vec<Vec<String>> = s.figures.iter().map(|f| figure_row(f).to_vec()).collect();
        doc = doc
            .add_paragraph(heading(&s.title))
            .add_table(docx_table(&HEADER, &rows));
        for bd in &s.breakdowns {
            if bd.rows.is_empty() {
                continue;
            }
            let rows: Vec<Vec<String>> = breakdown_rows(bd).into_iter().map(Vec::from).collect();
            doc = doc
                .add_paragraph(text(&bd.title))
                .add_table(docx_table(&["类别", "数量"], &rows));
        }
    }
    doc = doc
        .add_paragraph(heading("各单位情况"))
        .add_table(docx_table(&OFFICE_HEADER, &office_rows(b)));
    if let Some(fin) = &b.finance {
        doc = doc
            .add_paragraph(heading("财务信息"))
            .add_table(docx_table(&["项目", "数值"], &finance_rows(fin)))
            .add_paragraph(text(&fin.note));
    }
    doc = doc.add_paragraph(heading("图表"));
    for kind in ChartKind::ALL {
        let png = chart_png(&chart::svg(b, kind))?;
        // 640×320 px SVG at 2× → 15 cm × 7.5 cm.
        let pic = Pic::new(&png).size(5_400_000, 2_700_000);
        doc = doc
            .add_paragraph(Paragraph::new().add_run(Run::new().add_image(pic)))
            .add_paragraph(text(kind.title()));
    }
    let file = std::fs::File::create(path).map_err(|e| write_err(path, e))?;
    doc.build().pack(file).map_err(|e| write_err(path, e))
}

//! The generated paragraph of a bulletin, in the house style of the branch
//! offices' work summaries ("立案N件，结案N件，比去年同期增长N%；罚没入库N万元……").
//! Every number in it comes from the bulletin's figures.

use super::figures::{Bulletin, Comparison, Figure, Unit};

fn fig<'a>(b: &'a Bulletin, key: &str) -> Option<&'a Figure> {
    b.figure(key)
}

/// "比去年同期增长12.5%", "比去年同期新增", or nothing when there is no base.
fn yoy_words(c: &Comparison) -> String {
    if c.new {
        "去年同期为零".into()
    } else if c.change.is_some() {
        format!("比去年同期{}", c.text)
    } else {
        String::new()
    }
}

/// `words` names the figure in a sentence ("立案", "罚没入库").
fn with_yoy(b: &Bulletin, key: &str, words: &str, unit_word: &str) -> Option<String> {
    let f = fig(b, key)?;
    let value = match f.unit {
        Unit::Count => format!("{}{unit_word}", f.value),
        _ => f.display(),
    };
    let yoy = yoy_words(&f.yoy);
    Some(if yoy.is_empty() {
        format!("{words}{value}")
    } else {
        format!("{words}{value}，{yoy}")
    })
}

fn rate(b: &Bulletin, key: &str) -> Option<String> {
    let f = fig(b, key)?;
    f.rate().map(|_| format!("{}{}", f.label, f.display()))
}

fn join(parts: Vec<Option<String>>) -> String {
    parts.into_iter().flatten().collect::<Vec<_>>().join("，")
}

/// The summary paragraph of a bulletin.
pub fn paragraph(b: &Bulletin) -> String {
    let v = |k: &str| fig(b, k).map_or(0, |f| f.value);
    let mut out = Vec::new();
    let cases = join(vec![
        with_yoy(b, "cases.filed", "立案", "件"),
        with_yoy(b, "cases.closed", "结案", "件"),
        (v("cases.simple") > 0).then(|| format!("简易程序案件{}件", v("cases.simple"))),
        with_yoy(b, "cases.decided", "决定罚没", ""),
        with_yoy(b, "cases.treasury", "罚没入库", ""),
        (v("cases.big") > 0).then(|| format!("查处大要案{}件", v("cases.big"))),
        (v("cases.judicial") > 0).then(|| format!("移送司法机关{}件", v("cases.judicial"))),
    ]);
    out.push(format!("{}，共{cases}。", b.period_label));
    let consumer = join(vec![
        with_yoy(b, "consumer.complaints", "受理投诉", "件"),
        with_yoy(b, "consumer.reports", "受理举报", "件"),
        rate(b, "consumer.accept_on_time"),
        rate(b, "consumer.close_on_time"),
        rate(b, "consumer.mediation_success"),
        rate(b, "consumer.report_verify_on_time"),
        (v("consumer.recovered") > 0).then(|| {
            format!(
                "为消费者挽回经济损失{}",
                fig(b, "consumer.recovered").map_or(String::new(), Figure::display)
            )
        }),
    ]);
    out.push(format!("12315方面，{consumer}。"));
    let petitions = join(vec![
        with_yoy(b, "petitions.received", "受理信访", "件"),
        rate(b, "petitions.accept_on_time"),
        rate(b, "petitions.handle_on_time"),
        rate(b, "petitions.satisfaction"),
    ]);
    out.push(format!("信访方面，{petitions}。"));
    if v("campaigns.visits") > 0 || v("campaigns.officers") > 0 {
        let campaigns = join(vec![
            Some(format!("出动执法人员{}人次", v("campaigns.officers"))),
            Some(format!(
                "检查经营户{}户次（{}户）",
                v("campaigns.visits"),
                v("campaigns.entities")
            )),
            (v("campaigns.samples") > 0).then(|| {
                format!(
                    "抽检{}批次，不合格{}批次",
                    v("campaigns.samples"),
                    v("campaigns.unqualified")
                )
            }),
            (v("campaigns.police") > 0).then(|| format!("移送公安{}件", v("campaigns.police"))),
            (v("campaigns.dens") > 0).then(|| format!("捣毁窝点{}个", v("campaigns.dens"))),
        ]);
        out.push(format!("专项行动和日常检查中，{campaigns}。"));
    }
    out.concat()
}

//! `hongdun demo seed`: realistic records for trying Hongdun out.

use std::path::Path;

use anyhow::{anyhow, Result};
use chrono::NaiveDate;
use clap::Subcommand;
use hongdun_core::demo::{seed, SeedOptions};
use hongdun_core::store::Store;
use serde_json::json;

use crate::output::Out;

/// Demo offices: (code, name). With --offices N the first N are used.
const OFFICES: [(&str, &str); 8] = [
    ("GS0101", "城关市场监督管理所"),
    ("GS0102", "开发区市场监督管理所"),
    ("GS0103", "东城市场监督管理所"),
    ("GS0104", "西城市场监督管理所"),
    ("GS0105", "南关市场监督管理所"),
    ("GS0106", "北郊市场监督管理所"),
    ("GS0107", "高新区市场监督管理所"),
    ("GS0108", "河西市场监督管理所"),
];

#[derive(Subcommand, Debug)]
pub enum DemoCmd {
    /// Seed realistic records over two years. With --offices 1 and an
    /// initialised store in --data, seeds that store; otherwise makes one
    /// store per office under --data/<CODE>.
    Seed {
        #[arg(long, default_value_t = 1)]
        offices: usize,
        /// Records per office.
        #[arg(long, default_value_t = 300)]
        records: usize,
        /// Random seed: the same seed gives the same records.
        #[arg(long, default_value_t = 2011)]
        seed: u64,
        /// Last day of the seeded data (default: today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        end: Option<String>,
    },
}

pub fn run(cmd: &DemoCmd, dir: &Path, out: &Out) -> Result<()> {
    let DemoCmd::Seed {
        offices,
        records,
        seed: rng_seed,
        end,
    } = cmd;
    if *offices == 0 || *offices > OFFICES.len() {
        return Err(anyhow!("--offices must be between 1 and {}", OFFICES.len()));
    }
    let end = match end {
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_err(|_| anyhow!("--end `{s}` is not a date; write it as YYYY-MM-DD"))?,
        None => chrono::Local::now().date_naive(),
    };
    let single_store = *offices == 1 && dir.join("hongdun.db").exists();
    let mut done = Vec::new();
    for (i, (code, name)) in OFFICES.iter().take(*offices).enumerate() {
        let store_dir = if single_store {
            dir.to_path_buf()
        } else {
            dir.join(code)
        };
        let mut store = Store::open(&store_dir)?;
        let office = match store.office() {
            Some(o) => o,
            None => store.init(code, name)?,
        };
        let summary = seed(
            &mut store,
            &SeedOptions {
                records: *records,
                seed: rng_seed.wrapping_add(i as u64),
                end,
                years: 2,
            },
        )?;
        done.push(json!({ "office": office.code, "name": office.name, "dir": store_dir, "summary": summary }));
    }
    out.print(&done, || {
        for d in &done {
            println!(
                "seeded {} {} in {}",
                d["office"].as_str().unwrap_or(""),
                d["name"].as_str().unwrap_or(""),
                d["dir"].as_str().unwrap_or("")
            );
        }
    })
}

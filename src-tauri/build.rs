//! Tauri embeds `frontendDist` (../frontend/dist) at compile time and refuses to
//! build when it is missing. The front end is built by trunk, which `cargo build`
//! does not run; so that `cargo clippy --workspace` and `cargo test --workspace`
//! work in a fresh clone, a placeholder page is written when no build exists.
//! `scripts/test.sh` and `scripts/demo.sh` always run trunk first.

use std::path::Path;

fn main() {
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("../frontend/dist");
    let index = dist.join("index.html");
    if !index.exists() {
        std::fs::create_dir_all(&dist).expect("create frontend/dist");
        std::fs::write(
            &index,
            "<!DOCTYPE html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>红盾 Hongdun</title>\
             <body><p id=\"placeholder\">前端尚未构建：请在 frontend/ 中运行 trunk build --offline，\
             然后重新编译桌面程序。</p></body></html>\n",
        )
        .expect("write placeholder frontend/dist/index.html");
        println!(
            "cargo:warning=frontend/dist was missing; embedded a placeholder page (run trunk build in frontend/)"
        );
    }
    tauri_build::build();
}

//! Where the office's store lives on this machine.

use std::path::{Path, PathBuf};

use hongdun_core::store::Store;

/// Environment variable that points the app at a store directory (demos, tests,
/// a clerk's USB copy). Unset or empty means the per-user data directory.
pub const DATA_ENV: &str = "HONGDUN_DATA";

/// `$HONGDUN_DATA` if set and not empty, else `default` (Tauri's app data dir).
pub fn resolve<E: std::fmt::Display>(default: Result<PathBuf, E>) -> Result<PathBuf, String> {
    choose(std::env::var_os(DATA_ENV).map(PathBuf::from), default)
}

fn choose<E: std::fmt::Display>(
    from_env: Option<PathBuf>,
    default: Result<PathBuf, E>,
) -> Result<PathBuf, String> {
    match from_env {
        Some(dir) if !dir.as_os_str().is_empty() => Ok(dir),
        _ => default.map_err(|err| format!("找不到本机的数据目录（{err}），请设置 {DATA_ENV}")),
    }
}

/// Create `dir` if missing and open (or create) the store in it.
pub fn open_store(dir: &Path) -> Result<Store, String> {
    std::fs::create_dir_all(dir)
        .map_err(|err| format!("无法创建数据目录 {}：{err}", dir.display()))?;
    Store::open(dir).map_err(|err| format!("无法打开数据目录 {} 中的台账：{err}", dir.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hongdun_data_overrides_the_user_data_directory() {
        let dir = choose::<String>(Some("/srv/office".into()), Ok("/home/a/.local".into()));
        assert_eq!(dir.unwrap(), PathBuf::from("/srv/office"));
    }

    #[test]
    fn empty_hongdun_data_means_the_user_data_directory() {
        let dir = choose::<String>(Some("".into()), Ok("/home/a/.local".into()));
        assert_eq!(dir.unwrap(), PathBuf::from("/home/a/.local"));
    }

    #[test]
    fn no_data_directory_is_explained_in_chinese() {
        let err = choose::<&str>(None, Err("no home")).unwrap_err();
        assert!(err.contains("数据目录") && err.contains(DATA_ENV), "{err}");
    }
}

//! Where the shared real networks are: `$REGIONWALK_DATA` if set, else
//! `<crate root>/../shared/data`.

use std::path::PathBuf;

/// The folder holding `acasxu/`, `mnistfc/` and `nnet/`.
pub fn data_dir() -> PathBuf {
    let dir = std::env::var_os("REGIONWALK_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("..")
                .join("shared")
                .join("data")
        });
    assert!(
        dir.join("acasxu").is_dir(),
        "shared data folder not found at {} (set REGIONWALK_DATA to the folder that holds acasxu/, mnistfc/, nnet/)",
        dir.display()
    );
    dir
}

//! Looked at as a person would: headless Chromium (Debian's `chromium`,
//! which `.ci/run` installs) opens a small HTML page holding one SVG and one
//! PNG that `regionwalk plot` made, and takes a screenshot. The screenshot
//! must have the asked size and show both pictures (not blank). Without the
//! browser the test fails when `CI` is set, and otherwise says it skipped.

mod common;

use common::cli::{run, stderr, FIXTURE};
use std::path::Path;
use std::process::Command;

/// The browser's program name, if it is installed.
fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser"].into_iter().find(|name| {
        Command::new(name)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// Distinct colours and non-white pixels in the screenshot's columns
/// `x0..x1`.
fn content(pixmap: &resvg::tiny_skia::Pixmap, x0: u32, x1: u32) -> (usize, usize) {
    let mut colours = std::collections::HashSet::new();
    let mut ink = 0;
    for y in 0..pixmap.height() {
        for x in x0..x1 {
            let p = pixmap.pixel(x, y).unwrap();
            let rgb = (p.red(), p.green(), p.blue());
            if rgb != (255, 255, 255) {
                ink += 1;
            }
            colours.insert(rgb);
        }
    }
    (colours.len(), ink)
}

#[test]
fn chromium_shows_the_svg_and_the_png() {
    let Some(browser) = chromium() else {
        if std::env::var_os("CI").is_some() {
            panic!("CI is set but `chromium` is not installed (.ci/run installs it)");
        }
        eprintln!("skipped: `chromium` is not installed (apt-get install chromium)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    for (file, color) in [("p.svg", "pattern"), ("p.png", "class")] {
        let out = run(&[
            "plot",
            FIXTURE,
            "--box=-1:1",
            "-o",
            &path(file),
            "--color",
            color,
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    // Two 760 × 540 pictures side by side, no margins.
    std::fs::write(
        path("page.html"),
        r#"<!doctype html><html><body style="margin:0;background:white">
<img src="p.svg" width="760" height="540" style="display:block;float:left">
<img src="p.png" width="760" height="540" style="display:block;float:left">
</body></html>"#,
    )
    .unwrap();
    let shot = path("shot.png");
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            &format!("--user-data-dir={}", path("profile")),
            &format!("--screenshot={shot}"),
            "--window-size=1520,540",
            &format!("file://{}", path("page.html")),
        ])
        .output()
        .expect("chromium runs");
    assert!(
        Path::new(&shot).exists(),
        "no screenshot: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pixmap = resvg::tiny_skia::Pixmap::load_png(&shot).unwrap();
    assert_eq!((pixmap.width(), pixmap.height()), (1520, 540));
    // Each half shows a picture: a few hundred regions in many colours,
    // most of its area inked (the plot square alone is 460² of 760 × 540).
    for (x0, x1) in [(0, 760), (760, 1520)] {
        let (colours, ink) = content(&pixmap, x0, x1);
        assert!(colours > 50, "columns {x0}..{x1}: only {colours} colours");
        assert!(ink > 150_000, "columns {x0}..{x1}: only {ink} inked pixels");
    }
}

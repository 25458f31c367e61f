//! SVG to pixels with resvg (pure Rust; text with the system's fonts when
//! it has any).

use crate::plot::PlotError;

/// The SVG `svg` rendered: width, height and RGBA pixels (premultiplied
/// alpha; the pictures are opaque).
pub fn render(svg: &str) -> Result<(u32, u32, Vec<u8>), PlotError> {
    let pixmap = pixmap(svg)?;
    Ok((pixmap.width(), pixmap.height(), pixmap.data().to_vec()))
}

/// The SVG `svg` as PNG bytes.
pub fn render_png(svg: &str) -> Result<Vec<u8>, PlotError> {
    pixmap(svg)?
        .encode_png()
        .map_err(|e| PlotError::Render(e.to_string()))
}

fn pixmap(svg: &str) -> Result<resvg::tiny_skia::Pixmap, PlotError> {
    let mut options = resvg::usvg::Options::default();
    options.fontdb_mut().load_system_fonts();
    let tree =
        resvg::usvg::Tree::from_str(svg, &options).map_err(|e| PlotError::Render(e.to_string()))?;
    let size = tree.size().to_int_size();
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| PlotError::Render("empty image".into()))?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::default(),
        &mut pixmap.as_mut(),
    );
    Ok(pixmap)
}

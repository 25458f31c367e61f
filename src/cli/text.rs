//! Pieces of the text reports that several subcommands print.

use regionwalk::{Domain, Network};

/// A domain in words: `box [-1, 1] × [0, 2]`, `polytope of 5 rows`, `all of R^3`.
pub fn domain_text(domain: &Domain) -> String {
    match domain {
        Domain::Box(v) => {
            let parts: Vec<String> = v.iter().map(|(lo, hi)| format!("[{lo}, {hi}]")).collect();
            format!("box {}", parts.join(" × "))
        }
        Domain::Polytope { a, .. } => format!("polytope of {} rows", a.len()),
        Domain::Whole(d) => format!("all of R^{d}"),
        Domain::Affine(s) => {
            let parts: Vec<String> = s
                .window()
                .iter()
                .map(|(lo, hi)| format!("[{lo}, {hi}]"))
                .collect();
            let what = if s.dim() == 2 { "plane" } else { "segment" };
            format!(
                "{what} through {} points of R^{}, window {}",
                s.points().len(),
                s.input_dim(),
                parts.join(" × ")
            )
        }
    }
}

/// The hidden layers' widths, `16-16`, or `none`.
pub fn widths_text(network: &Network) -> String {
    let widths: Vec<String> = network
        .hidden_widths()
        .iter()
        .map(|w| w.to_string())
        .collect();
    if widths.is_empty() {
        "none".to_string()
    } else {
        widths.join("-")
    }
}

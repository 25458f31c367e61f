//! The names of the certificate format (`docs/certificate.md`) that the writer
//! and the checker must agree on: the format's name and version, the item
//! types, the test tags and the row names. The prover's writer imports them
//! from here; the checker never imports anything from the prover.
//!
//! This file holds names only and imports nothing from the crate, so sharing
//! it gives the checker no path to the code it checks.

/// The certificate format's name, in the header.
pub const CERTIFICATE_FORMAT: &str = "regionwalk-certificate";
/// The format version, in the header. Version 2 lets multipliers leave a
/// residual normal that the domain box pays for; a version 1 certificate is
/// a version 2 one whose normals all cancel. Version 3 lets a split give
/// its cell's box, bound by bound with proofs ([`CELL_BOX`]), which the
/// split's tests and its descendants' then use in place of the domain's; a
/// version 2 certificate is a version 3 one that gives none.
pub const CERTIFICATE_VERSION: u64 = 3;
/// The versions the checker reads.
pub const READABLE_VERSIONS: [u64; 3] = [1, 2, 3];

/// The `type` of the first line.
pub const HEADER_ITEM: &str = "header";
/// The `type` of a split of a cell by the next layer's neurons.
pub const SPLIT_ITEM: &str = "split";
/// The `type` of a region (a leaf of the tree).
pub const REGION_ITEM: &str = "region";
/// The `type` of the last line.
pub const SUMMARY_ITEM: &str = "summary";

/// A test whose row is exactly constant.
pub const CONSTANT_TEST: &str = "k";
/// The test of a linear neuron (slope 1): no kink, it cuts nothing and is on.
pub const LINEAR_TEST: &str = "lin";
/// The key of a test decided by the row's range over the cell's box (the
/// domain's, or the one its split or an ancestor's gives).
pub const BOX_TEST: &str = "box";
/// The key of a split's cell box: per free coordinate `[lower, upper]`,
/// each `null` (the parent cell's bound holds) or `["p/q", multipliers]`.
pub const CELL_BOX: &str = "box";
/// The key of a test with a witness on each side.
pub const CUT_TEST: &str = "cut";

/// The row name of the side shown empty, in a list of multipliers.
pub const SIDE_ROW: &str = "s";

/// The name of a side of a neuron: `on` (`z > 0`) or `off` (`z ≤ 0`). It is
/// the key of a multiplier test and the value of a box test.
pub fn side_name(on: bool) -> &'static str {
    if on {
        "on"
    } else {
        "off"
    }
}

/// The side a name stands for, if it names one (the inverse of [`side_name`]).
pub fn side_of(name: &str) -> Option<bool> {
    [true, false].into_iter().find(|&on| side_name(on) == name)
}

/// The name of domain row `index` (as in region files).
pub fn domain_row(index: usize) -> String {
    let mut name = String::new();
    push_domain_row(&mut name, index);
    name
}

/// Appends [`domain_row`] to `out` (the certificate's writer names rows by
/// the hundred thousand).
pub fn push_domain_row(out: &mut String, index: usize) {
    use std::fmt::Write;
    let _ = write!(out, "d{index}");
}

/// The name of the row of neuron `[layer, index]` that cut an ancestor.
pub fn neuron_row(layer: usize, index: usize) -> String {
    let mut name = String::new();
    push_neuron_row(&mut name, layer, index);
    name
}

/// Appends [`neuron_row`] to `out`.
pub fn push_neuron_row(out: &mut String, layer: usize, index: usize) {
    use std::fmt::Write;
    let _ = write!(out, "n{layer}.{index}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_those_of_the_documented_format() {
        assert_eq!(side_of("on"), Some(true));
        assert_eq!(side_of("off"), Some(false));
        assert_eq!(side_of("up"), None);
        assert_eq!(domain_row(3), "d3");
        assert_eq!(neuron_row(1, 7), "n1.7");
    }
}

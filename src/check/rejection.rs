//! Why the checker rejects a certificate: the first failing item, as typed
//! values. Each fault carries what shows it (the cell, the neuron, the piece,
//! the row a witness violates, the value found in the file), and prints as one
//! sentence; `line N: ` prefixes the item's line. The printed sentences are
//! what `regionwalk verify` reports, so they are part of its output.
//!
//! Faults nest as the certificate does: a split's fault, within it a neuron
//! test's fault, within it a witness's or the multipliers' fault.

use crate::check::format::side_name;
use crate::check::limits::Limit;
use num_bigint::BigInt;
use serde_json::Value;
use std::fmt;
use thiserror::Error;

/// A rejected certificate: where, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// The 1-based line of the failing item; `None` when the fault is the
    /// file's as a whole (it ends early).
    pub line: Option<usize>,
    /// What is wrong.
    pub kind: RejectionKind,
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.kind),
            None => write!(f, "{}", self.kind),
        }
    }
}

impl std::error::Error for Rejection {}

/// A rejection serializes as the sentence it prints.
impl serde::Serialize for Rejection {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// What is wrong with a certificate.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RejectionKind {
    /// A line is not JSON.
    #[error("not valid JSON: {message}")]
    NotJson {
        /// The parser's message.
        message: String,
    },
    /// A line follows the summary.
    #[error("an item after the summary")]
    AfterSummary,
    /// The first line is not a header.
    #[error("the first line is not the header")]
    NoHeader,
    /// An item's `type` is none of the format's.
    #[error("unknown item type {found:?}")]
    UnknownItem {
        /// The `type` found, if it is a string.
        found: Option<String>,
    },
    /// The header names another format, or another version of this one.
    #[error("not a regionwalk certificate of a known version")]
    UnknownFormat {
        /// The header's `format`.
        format: Value,
        /// The header's `version`.
        version: Value,
    },
    /// The header's network fingerprint is not the network's.
    #[error("the certificate is for a different network (fingerprint differs)")]
    OtherNetwork {
        /// The fingerprint of the network checked against.
        expected: String,
        /// The header's `network_sha256`.
        found: Value,
    },
    /// The header's domain is not the domain checked against.
    #[error("the certificate is for a different domain: {found}")]
    OtherDomain {
        /// The header's `domain`.
        found: Value,
    },
    /// A split comes when every cell of the tree is already listed.
    #[error("a split with no cell left to split")]
    SplitAfterTree,
    /// A split does not say which layer splits.
    #[error("split without a layer")]
    SplitWithoutLayer,
    /// A split of a cell fails.
    #[error("split of cell `{cell}` by layer {layer}: {fault}")]
    Split {
        /// The pattern of the cell the tree expects next.
        cell: String,
        /// The layer the split names.
        layer: usize,
        /// What fails.
        fault: SplitFault,
    },
    /// A region fails.
    #[error("region {id}: {fault}")]
    Region {
        /// The region's `id` as written.
        id: Value,
        /// What fails.
        fault: RegionFault,
    },
    /// The summary comes before every cell of the tree is listed.
    #[error("the summary comes while {cells} cells of the tree are not listed")]
    UnlistedCells {
        /// The cells not listed.
        cells: usize,
    },
    /// The summary's count is not the number of regions listed.
    #[error("the summary says {claimed} regions but {listed} were listed")]
    RegionCount {
        /// The summary's `regions`.
        claimed: Value,
        /// The regions listed.
        listed: u64,
    },
    /// The file ends before its summary line.
    #[error("the certificate ends before its summary line")]
    Truncated,
    /// The file goes over one of the checker's limits (`CheckLimits`); it
    /// is not read further.
    #[error("{} {limit} = {max}", limit.over())]
    OverLimit {
        /// The limit.
        limit: Limit,
        /// Its value.
        max: u64,
    },
}

/// What is wrong with a split.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SplitFault {
    /// The cell the tree expects next is a leaf: its region should come here.
    #[error("region {region} (the tree's leaf `{leaf}`) is missing: the next cell in tree order is that leaf")]
    RegionMissing {
        /// The id the region would have.
        region: u64,
        /// The leaf's pattern.
        leaf: String,
    },
    /// The split names another layer than the next cell's.
    #[error("the next cell in tree order is at layer {expected} (of {depth})")]
    OtherLayer {
        /// The next cell's layer.
        expected: usize,
        /// The number of hidden layers.
        depth: usize,
    },
    /// The split names another pattern than the next cell's.
    #[error("the split names pattern {found}")]
    OtherPattern {
        /// The split's `pattern` as written.
        found: Value,
    },
    /// The split has no list of tests.
    #[error("no tests")]
    NoTests,
    /// The split lists tests for another number of neurons than the layer's.
    #[error("{tests} neuron tests for {neurons} neurons")]
    NeuronCount {
        /// Neurons tested.
        tests: usize,
        /// Neurons in the layer.
        neurons: usize,
    },
    /// A neuron's tests are neither a list (a test per piece) nor one
    /// test (for every piece).
    #[error("neuron {neuron}: neither a list of tests nor one test")]
    NeuronNotAList {
        /// The neuron's index in the layer.
        neuron: usize,
    },
    /// A neuron has another number of tests than there are pieces.
    #[error("neuron {neuron}: {tests} tests for {pieces} pieces")]
    PieceCount {
        /// The neuron's index in the layer.
        neuron: usize,
        /// Tests listed.
        tests: usize,
        /// Pieces present when the neuron is tested.
        pieces: usize,
    },
    /// The cell's box, as the split gives it, fails.
    #[error(transparent)]
    CellBox(BoxFault),
    /// One (piece, neuron) test fails.
    #[error("neuron [{layer}, {neuron}], piece {piece}: {fault}")]
    Test {
        /// The neuron's layer.
        layer: usize,
        /// The neuron's index in the layer.
        neuron: usize,
        /// The piece's index among the pieces present.
        piece: usize,
        /// What fails.
        fault: TestFault,
    },
}

/// What is wrong with a split's cell box (format version 3).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum BoxFault {
    /// A cell box on a domain without a box to prove its bounds over.
    #[error("a cell box on a domain that is not a box")]
    NotABox,
    /// The box is not a list with an entry per free coordinate.
    #[error("the cell box is not a list of [lower, upper] for each of the {dim} free coordinates")]
    NotAList {
        /// Free coordinates of the domain.
        dim: usize,
    },
    /// A coordinate's entry is not a pair.
    #[error("cell box, coordinate {coordinate}: not [lower, upper]")]
    NotAPair {
        /// The free coordinate's index.
        coordinate: usize,
    },
    /// A bound is not a double written as `"p/q"`.
    #[error("cell box, coordinate {coordinate}: the {} bound is not a double \"p/q\"", bound_name(*.upper))]
    NotADouble {
        /// The free coordinate's index.
        coordinate: usize,
        /// Which bound: the upper or the lower.
        upper: bool,
    },
    /// A bound's multipliers do not prove it.
    #[error("cell box, coordinate {coordinate}, {} bound: {fault}", bound_name(*.upper))]
    Multipliers {
        /// The free coordinate's index.
        coordinate: usize,
        /// Which bound: the upper or the lower.
        upper: bool,
        /// What fails.
        fault: MultiplierFault,
    },
}

/// The name of a bound of a box.
fn bound_name(upper: bool) -> &'static str {
    if upper {
        "upper"
    } else {
        "lower"
    }
}

/// What is wrong with one test of a neuron on a piece.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TestFault {
    /// Marked constant, but the row's normal is not zero.
    #[error("marked constant, but the row is not")]
    NotConstant,
    /// The row's normal is zero, but the test is not marked constant.
    #[error("the row is constant, but the test is not marked so")]
    UnmarkedConstant,
    /// Marked linear, but the network's neuron has a kink (slope ≠ 1).
    #[error("marked linear, but the neuron's negative-side slope is not 1")]
    NotLinear,
    /// The neuron is linear (slope 1), but the test is not marked so.
    #[error("the neuron is linear (slope 1), but the test is not marked so")]
    UnmarkedLinear,
    /// A box test on a domain that is not a box.
    #[error("a box bound on a domain that is not a box")]
    NotABox,
    /// The row's exact range over the box does not show the side named.
    #[error("the row's range over the box does not show it {side} throughout")]
    BoxRange {
        /// The side named, as written.
        side: String,
    },
    /// The multipliers do not prove the other side empty.
    #[error(transparent)]
    Multipliers(MultiplierFault),
    /// A cut lists fewer than two witnesses.
    #[error("a cut without two witnesses")]
    CutWithoutTwoWitnesses,
    /// A cut's witness is malformed.
    #[error(transparent)]
    Witness(WitnessFault),
    /// A cut's witness is not strictly on its side of the neuron.
    #[error("the {} witness is not strictly on its side", side_name(*.on))]
    WitnessOffSide {
        /// Which witness: the on side's or the off side's.
        on: bool,
    },
    /// A cut's witness violates a row of the piece.
    #[error("the {} witness violates row {row}", side_name(*.on))]
    WitnessOutside {
        /// Which witness: the on side's or the off side's.
        on: bool,
        /// The row's name.
        row: String,
    },
    /// The test is none of the format's.
    #[error("unknown test {test}")]
    UnknownTest {
        /// The test as written.
        test: Value,
    },
}

/// What is wrong with the multipliers of a one-sided test.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MultiplierFault {
    /// The multipliers are not a list.
    #[error("multipliers are not a list")]
    NotAList,
    /// The list is empty.
    #[error("no multipliers")]
    Empty,
    /// An entry names no row.
    #[error("a multiplier without a row name")]
    NoRowName,
    /// An entry's multiplier is not an integer.
    #[error("a multiplier that is not an integer")]
    NotInteger,
    /// A multiplier has more digits than the limit allows; it is not parsed.
    #[error("multiplier of row {row}: {} {} = {max}", Limit::Digits.over(), Limit::Digits)]
    TooManyDigits {
        /// The row's name.
        row: String,
        /// The limit.
        max: u64,
    },
    /// A multiplier is zero or negative.
    #[error("multiplier of row {row} is not positive")]
    NotPositive {
        /// The row's name.
        row: String,
        /// The multiplier.
        value: BigInt,
    },
    /// A row is named twice.
    #[error("row {row} named twice")]
    Repeated {
        /// The row's name.
        row: String,
    },
    /// A named row is not a row of the piece.
    #[error("row {row} is not a row of this piece")]
    UnknownRow {
        /// The row's name.
        row: String,
    },
    /// `Σ λ_j a_j ≠ 0`.
    #[error("the multipliers do not cancel the normals (Σ λ a ≠ 0)")]
    NormalsNotCancelled,
    /// `Σ λ_j b_j > 0`.
    #[error("the multipliers' offsets sum to a positive number (Σ λ b > 0)")]
    PositiveOffsets,
    /// The normals do not cancel and the box does not pay for it:
    /// `min over the box of (Σ λ a)·y < Σ λ b`.
    #[error(
        "the multipliers do not cancel the normals, and over the cell's box \
         min (Σ λ a)·y < Σ λ b"
    )]
    BoxSlackShort,
}

/// What is wrong with a witness as written.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum WitnessFault {
    /// The witness is not a list.
    #[error("a witness is not a list")]
    NotAList,
    /// The witness has another number of coordinates than the free ones.
    #[error("a witness has {found} coordinates, not {dim}")]
    Dimension {
        /// Coordinates written.
        found: usize,
        /// Free coordinates of the domain.
        dim: usize,
    },
    /// A coordinate is not a rational `p/q`.
    #[error("a witness coordinate is not a rational p/q")]
    NotRational {
        /// The coordinate's index.
        coordinate: usize,
    },
    /// A coordinate has more digits than the limit allows; it is not parsed.
    #[error("witness coordinate {coordinate}: {} {} = {max}", Limit::Digits.over(), Limit::Digits)]
    TooManyDigits {
        /// The coordinate's index.
        coordinate: usize,
        /// The limit.
        max: u64,
    },
}

/// What is wrong with a region.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RegionFault {
    /// The id is not the number of regions listed before it.
    #[error("expected region id {expected}")]
    WrongId {
        /// The id expected.
        expected: u64,
    },
    /// Every leaf of the tree is already listed.
    #[error("every leaf of the tree is already listed")]
    Extra,
    /// The cell the tree expects next is not a leaf.
    #[error("the next cell in tree order, `{cell}`, is not a leaf (its split is missing)")]
    SplitMissing {
        /// The cell's pattern.
        cell: String,
    },
    /// The region names another pattern than the tree's next leaf.
    #[error("pattern {found} but the tree's leaf is `{leaf}`")]
    OtherPattern {
        /// The region's `pattern` as written.
        found: Value,
        /// The leaf's pattern.
        leaf: String,
    },
    /// The witness is malformed.
    #[error(transparent)]
    Witness(WitnessFault),
    /// The witness is not strictly inside the leaf.
    #[error("the witness is not strictly inside: it violates row {row}")]
    NotInside {
        /// The row's name.
        row: String,
    },
}

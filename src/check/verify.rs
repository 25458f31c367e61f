//! The independent checker of certificate files (docs/design.md §4). It trusts
//! nothing but the network, the domain and the numbers in the file: it
//! recomputes every pattern-dependent row in exact dyadic arithmetic, checks
//! every witness and every multiplier exactly (`neuron_test.rs`), rebuilds the
//! decision tree, and checks that its leaves are exactly the listed regions,
//! in order.
//!
//! It is independent by its imports: the checker (`src/check/`) imports only
//! the network (`model/`), the domain (`domain/`), exact arithmetic
//! (`exact/`) and the format's names (`format.rs`), never the walk, the LP
//! code, the prover or the graph, so it can be audited on its own. The test
//! `tests/checker_isolation.rs` keeps it so.
//!
//! Why a passed check proves the count: every (cell, neuron) test of the
//! tree is either a cut whose two sides have witnesses, or one-sided with a
//! proof that the other side has no interior (an exact range over the domain
//! box, or Motzkin multipliers), or a row that is exactly constant, or a
//! neuron that the network makes linear (slope 1: no kink, on). So the
//! leaves cover the domain's interior up to sets without interior, each leaf
//! holds its witness (so it has interior), and leaves with different
//! patterns are disjoint: they are exactly the activation regions.

use crate::check::bounded_lines::BoundedLines;
use crate::check::box_proof::{as_box, cell_box, SharedBox};
use crate::check::format::{
    side_name, BOX_TEST, CELL_BOX, CERTIFICATE_FORMAT, CUT_TEST, HEADER_ITEM, READABLE_VERSIONS,
    REGION_ITEM, SPLIT_ITEM, SUMMARY_ITEM,
};
use crate::check::json_view::{Json, Record};
use crate::check::limits::{CheckLimits, Limit};
use crate::check::line_index::LineIndex;
use crate::check::neuron_test::{
    box_shows, domain_row_set, spelled_box_test, spelled_witness, violated_row, witness, ExactCell,
    Inside, NamedRow, NeuronTests, Outcome, Row, Source,
};
use crate::check::rejection::{RegionFault, Rejection, RejectionKind, SplitFault};
use crate::domain::input_domain::Domain;
use crate::exact::half_space::ExactHalf;
use crate::exact::interval::{double_box, CompositionCache, IntervalAffine, IntervalHalf};
use crate::exact::slice_network::{IntervalLayers, SliceNetwork};
use crate::model::network::Network;
use std::io::BufRead;
use std::rc::Rc;

/// The checker's verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// True when every item checked.
    pub verified: bool,
    /// The number of regions certified (when verified), or listed so far.
    pub regions: u64,
    /// Why the certificate was rejected: the first failing item.
    pub reason: Option<Rejection>,
}

/// A cell of the tree as the checker rebuilds it: its rows and the output of
/// its last layer as enclosures (`exact/interval.rs`); its exact rows are
/// rebuilt from its pattern only where an enclosure decides nothing.
struct Cell {
    layer: usize,
    /// The bits of its layers, joined by `|`.
    pattern: String,
    /// The output of its last layer; `None` on a leaf (a cell of every
    /// layer), which no split reads.
    map: Option<IntervalAffine>,
    rows: Vec<Row>,
    /// A box that holds it (free coordinates): the domain's, or the last
    /// one a split on its path proved (`box_proof.rs`); `None` on a domain
    /// without a box.
    bbox: SharedBox,
    /// A witness known strictly inside it: that of the cut that made it.
    inside: Option<Rc<Inside>>,
}

/// A piece of a cell being split: its rows, the bits of the layer so far,
/// and a witness known strictly inside it.
struct Piece {
    rows: Vec<Row>,
    bits: String,
    inside: Option<Rc<Inside>>,
}

/// Checks a certificate read from `reader` against `network` on `domain`,
/// within `limits` (a file over one is rejected as soon as it goes over).
/// I/O errors reading the file are returned as `Err`; everything else is a
/// verdict.
pub fn verify_certificate(
    network: &Network,
    domain: &Domain,
    reader: impl BufRead,
    limits: &CheckLimits,
) -> std::io::Result<Verdict> {
    let mut checker = Checker::new(network, domain, *limits);
    checker.run(reader)
}

/// The checker's state: the tree's cells not yet listed, as a stack in tree
/// order, and the regions listed so far.
struct Checker<'a> {
    network: &'a Network,
    domain: &'a Domain,
    slice: SliceNetwork,
    /// The hidden layers in interval arithmetic.
    intervals: IntervalLayers,
    /// Per hidden layer, its last composition with a cell's map, which the
    /// next split at that layer (often a sibling's) updates.
    compositions: Vec<CompositionCache>,
    /// The domain's exact rows on the free coordinates, by index.
    domain_rows: Vec<Option<ExactHalf>>,
    tests: NeuronTests,
    limits: CheckLimits,
    stack: Vec<Cell>,
    regions: u64,
    header: bool,
    finished: bool,
    /// Where the containers of the line being read end (kept from line to
    /// line).
    index: LineIndex,
    /// Whether region lines are first read by their bytes
    /// ([`Checker::region_by_bytes`]; tests compare with and without).
    regions_by_bytes: bool,
    /// How many region lines were so checked.
    read_by_bytes: u64,
}

type Check = Result<(), RejectionKind>;

/// The keys of the items' fields, found in one scan of each line.
const ITEM_KEYS: [&str; 12] = [
    "type",
    "format",
    "version",
    "network_sha256",
    "domain",
    "layer",
    "pattern",
    "tests",
    "id",
    "witness",
    "regions",
    CELL_BOX,
];

/// One line's item, its fields found ahead.
type Item<'a> = Record<'a, { ITEM_KEYS.len() }>;

impl<'a> Checker<'a> {
    fn new(network: &'a Network, domain: &'a Domain, limits: CheckLimits) -> Self {
        let slice = SliceNetwork::new(network, domain);
        let widest = slice.hidden().iter().map(|l| l.rows()).max().unwrap_or(0);
        let domain_rows = slice.domain_rows(domain);
        let tests = NeuronTests::new(slice.dim(), limits).with_row_index(
            domain_rows.len(),
            slice.hidden().len(),
            widest,
        );
        let bbox = slice
            .box_bounds(domain)
            .as_deref()
            .and_then(double_box)
            .map(Rc::new);
        let rows = domain_row_set(&domain_rows);
        let root = Cell {
            layer: 0,
            pattern: String::new(),
            map: Some(IntervalAffine::identity(slice.dim())),
            rows,
            bbox,
            inside: None,
        };
        Checker {
            network,
            domain,
            intervals: slice.intervals(),
            compositions: (0..slice.hidden().len())
                .map(|_| CompositionCache::default())
                .collect(),
            slice,
            domain_rows,
            tests,
            limits,
            stack: vec![root],
            regions: 0,
            header: false,
            finished: false,
            index: LineIndex::default(),
            regions_by_bytes: true,
            read_by_bytes: 0,
        }
    }

    /// Checks the certificate `reader` reads, line by line.
    fn run(&mut self, reader: impl BufRead) -> std::io::Result<Verdict> {
        let mut lines = BoundedLines::new(reader, &self.limits);
        let mut n = 0;
        while let Some(line) = lines.next_line()? {
            n += 1;
            let checked = match line {
                Ok(line) => self.item(line),
                Err(limit) => Err(self.over(limit)),
            };
            if let Err(kind) = checked {
                return Ok(self.rejected(Some(n), kind));
            }
        }
        Ok(match self.finished {
            true => Verdict {
                verified: true,
                regions: self.regions,
                reason: None,
            },
            false => self.rejected(None, RejectionKind::Truncated),
        })
    }

    fn rejected(&self, line: Option<usize>, kind: RejectionKind) -> Verdict {
        Verdict {
            verified: false,
            regions: self.regions,
            reason: Some(Rejection { line, kind }),
        }
    }

    /// The rejection of a file that goes over `limit`.
    fn over(&self, limit: Limit) -> RejectionKind {
        RejectionKind::OverLimit {
            limit,
            max: self.limits.get(limit),
        }
    }

    fn item(&mut self, line: &[u8]) -> Check {
        if self.regions_by_bytes && self.region_by_bytes(line) {
            self.read_by_bytes += 1;
            return Ok(());
        }
        // The index is lent to the line's values while the checker changes.
        let mut index = std::mem::take(&mut self.index);
        let checked = self.indexed_item(line, &mut index);
        self.index = index;
        checked
    }

    /// One line: checked to be JSON and its containers found in one pass
    /// when it is plain (`LineIndex::scan_json`), else its depth checked and
    /// its containers found in one scan, then checked to be JSON; then read
    /// through the index.
    fn indexed_item(&mut self, line: &[u8], index: &mut LineIndex) -> Check {
        let v = if index.scan_json(line, self.limits.max_depth) {
            Json::checked(line, index)
        } else {
            if !index.scan(line, self.limits.max_depth) {
                return Err(self.over(Limit::Depth));
            }
            Json::parse(line, Some(index)).map_err(|message| RejectionKind::NotJson { message })?
        };
        let v = v.record(ITEM_KEYS);
        if self.finished {
            return Err(RejectionKind::AfterSummary);
        }
        match (self.header, v.at("type").as_str().as_deref()) {
            (false, Some(HEADER_ITEM)) => self.header(&v),
            (false, _) => Err(RejectionKind::NoHeader),
            (true, Some(SPLIT_ITEM)) => self.split(&v),
            (true, Some(REGION_ITEM)) => self.region(&v),
            (true, Some(SUMMARY_ITEM)) => self.summary(&v),
            (true, other) => Err(RejectionKind::UnknownItem {
                found: other.map(String::from),
            }),
        }
    }

    fn header(&mut self, v: &Item) -> Check {
        let readable = v
            .at("version")
            .as_u64()
            .is_some_and(|n| READABLE_VERSIONS.contains(&n));
        if v.at("format").as_str().as_deref() != Some(CERTIFICATE_FORMAT) || !readable {
            return Err(RejectionKind::UnknownFormat {
                format: v.at("format").to_value(),
                version: v.at("version").to_value(),
            });
        }
        let expected = self.network.fingerprint();
        if v.at("network_sha256").as_str().as_deref() != Some(expected.as_str()) {
            return Err(RejectionKind::OtherNetwork {
                expected,
                found: v.at("network_sha256").to_value(),
            });
        }
        if !v.at("domain").equals(&self.domain.to_json()) {
            return Err(RejectionKind::OtherDomain {
                found: v.at("domain").to_value(),
            });
        }
        self.header = true;
        Ok(())
    }

    fn split(&mut self, v: &Item) -> Check {
        let cell = self.stack.pop().ok_or(RejectionKind::SplitAfterTree)?;
        let layer = v
            .at("layer")
            .as_u64()
            .ok_or(RejectionKind::SplitWithoutLayer)? as usize;
        let pattern = &cell.pattern;
        let at = |fault| RejectionKind::Split {
            cell: pattern.clone(),
            layer,
            fault,
        };
        let depth = self.slice.hidden().len();
        if cell.layer == depth {
            return Err(at(SplitFault::RegionMissing {
                region: self.regions,
                leaf: pattern.clone(),
            }));
        }
        if layer != cell.layer {
            return Err(at(SplitFault::OtherLayer {
                expected: cell.layer,
                depth,
            }));
        }
        if !v.at("pattern").is_str(pattern) {
            return Err(at(SplitFault::OtherPattern {
                found: v.at("pattern").to_value(),
            }));
        }
        let map = cell
            .map
            .as_ref()
            .expect("a cell above the last layer has its map");
        let z = self.compositions[layer].after(self.intervals.layer(layer), map);
        self.tests.index_rows(&cell.rows);
        let patterned = (cell.pattern.as_str(), cell.layer);
        let exact = ExactCell::new(&self.slice, &self.domain_rows, patterned, layer + 1);
        let bbox = cell_box(&self.tests, v.at(CELL_BOX), &cell.rows, cell.bbox, &exact)
            .map_err(|fault| at(SplitFault::CellBox(fault)))?;
        let tests = v.at("tests").as_array().ok_or(at(SplitFault::NoTests))?;
        let tests = tests.exactly(z.rows()).map_err(|tests| {
            at(SplitFault::NeuronCount {
                tests,
                neurons: z.rows(),
            })
        })?;
        let mut pieces: Vec<Piece> = vec![Piece {
            rows: cell.rows,
            bits: String::new(),
            inside: cell.inside,
        }];
        for (neuron, per_piece) in tests.into_iter().enumerate() {
            let (a, c) = (z.row(neuron), z.bias(neuron));
            let linear = self.slice.is_linear(layer, neuron);
            let boxed = (as_box(&bbox), &exact);
            // A box test as the writer spells it, shown by the enclosure:
            // what `check_alone` accepts, without reading the test as JSON.
            if let Some(on) = spelled_box_test(&per_piece).filter(|_| !linear) {
                if boxed.0.is_some_and(|b| box_shows(a, c, b, on)) {
                    for piece in &mut pieces {
                        piece.bits.push(if on { '1' } else { '0' });
                    }
                    continue;
                }
            }
            let fault = |piece, fault| {
                at(SplitFault::Test {
                    layer,
                    neuron,
                    piece,
                    fault,
                })
            };
            let per_piece = match per_piece.as_array() {
                Some(list) => list.exactly(pieces.len()).map_err(|tests| {
                    at(SplitFault::PieceCount {
                        neuron,
                        tests,
                        pieces: pieces.len(),
                    })
                })?,
                // One test for every piece (format version 3): a linear,
                // constant or box test does not depend on the piece, and
                // is checked once.
                None if is_test(per_piece) => {
                    let alone = self
                        .tests
                        .check_alone(&per_piece, (neuron, (a, c)), linear, boxed);
                    match alone {
                        Some(Ok(Outcome::OneSided(on))) => {
                            for piece in &mut pieces {
                                piece.bits.push(if on { '1' } else { '0' });
                            }
                            continue;
                        }
                        Some(Err(f)) => return Err(fault(0, f)),
                        _ => vec![per_piece; pieces.len()],
                    }
                }
                None => return Err(at(SplitFault::NeuronNotAList { neuron })),
            };
            let mut next = Vec::with_capacity(pieces.len() + 1);
            for (index, (piece, test)) in pieces.into_iter().zip(per_piece).enumerate() {
                let outcome = self.tests.check(
                    &test,
                    (&piece.rows, piece.inside.as_ref()),
                    (neuron, (a, c)),
                    linear,
                    boxed,
                );
                match outcome.map_err(|f| fault(index, f))? {
                    Outcome::OneSided(on) => {
                        let mut piece = piece;
                        piece.bits.push(if on { '1' } else { '0' });
                        next.push(piece);
                    }
                    Outcome::Cut { off, on } => {
                        let row = |on| {
                            Row::new(NamedRow {
                                half: IntervalHalf::side(a, c, on),
                                source: Source::Neuron {
                                    layer,
                                    index: neuron,
                                    on,
                                },
                            })
                        };
                        let mut off_rows = piece.rows.clone();
                        off_rows.push(row(false));
                        let mut on_rows = piece.rows;
                        on_rows.push(row(true));
                        next.push(Piece {
                            rows: off_rows,
                            bits: format!("{}0", piece.bits),
                            inside: Some(off),
                        });
                        next.push(Piece {
                            rows: on_rows,
                            bits: format!("{}1", piece.bits),
                            inside: Some(on),
                        });
                    }
                }
            }
            pieces = next;
        }
        drop(exact);
        // The children of the last layer are leaves: they need no map.
        let mut z = (layer + 1 < depth).then_some(z);
        let last = pieces.len() - 1;
        for (k, piece) in pieces.into_iter().rev().enumerate() {
            // The last piece takes the layer's map itself.
            let z = match k == last {
                true => z.take(),
                false => z.clone(),
            };
            let map = z.map(|z| {
                let on: Vec<bool> = piece.bits.bytes().map(|b| b == b'1').collect();
                self.intervals.activated(layer, z, &on)
            });
            let pattern = match layer {
                0 => piece.bits,
                _ => format!("{}|{}", cell.pattern, piece.bits),
            };
            self.stack.push(Cell {
                layer: layer + 1,
                pattern,
                map,
                rows: piece.rows,
                bbox: bbox.clone(),
                inside: piece.inside,
            });
        }
        Ok(())
    }

    /// Checks a region line spelled as the writer spells one,
    /// `{"id":N,"pattern":"…","type":"region","witness":[…]}`, by its bytes,
    /// when it holds what the next leaf of the tree asks (its id and
    /// pattern), and its witness repeats the cut witness that made the leaf
    /// or is a float witness spelled as the writer spells one, strictly
    /// inside the leaf: then it is a line of JSON (its parts are as spelled,
    /// and a repeated witness is the text of a value of an earlier line),
    /// and [`Checker::region`] would accept it. `false` when anything
    /// differs, with nothing changed: the line is then read as JSON, and
    /// checked or rejected as any other. A third of a certificate's bytes
    /// are its region lines (9.7 of 28.3 MB on ACAS Xu N1,1 over property
    /// 4), and checking them as JSON before reading them was most of their
    /// cost.
    fn region_by_bytes(&mut self, line: &[u8]) -> bool {
        let leaf = match self.stack.last() {
            Some(cell) if self.header && !self.finished => cell,
            _ => return false,
        };
        let depth = self.slice.hidden().len();
        if leaf.layer != depth {
            return false;
        }
        let parts = || -> Option<&[u8]> {
            let rest = line.strip_prefix(br#"{"id":"#)?;
            let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
            // A JSON number without a leading zero, which is the id.
            let id = &rest[..digits];
            let canonical = !id.is_empty() && (id[0] != b'0' || id.len() == 1) && digits <= 19;
            if !canonical {
                return None;
            }
            // At most 19 digits: below 2^64.
            let value = id.iter().fold(0u64, |v, &d| v * 10 + u64::from(d - b'0'));
            if value != self.regions {
                return None;
            }
            let rest = rest[digits..].strip_prefix(br#","pattern":""#)?;
            let rest = rest.strip_prefix(leaf.pattern.as_bytes())?;
            let rest = rest.strip_prefix(br#"","type":"region","witness":"#)?;
            rest.strip_suffix(b"}")
        };
        let Some(w) = parts() else { return false };
        if leaf.inside.as_ref().is_none_or(|i| *i.text != *w) {
            let Some(point) = spelled_witness(w, self.slice.dim(), &self.limits) else {
                return false;
            };
            let patterned = (leaf.pattern.as_str(), leaf.layer);
            let exact = ExactCell::new(&self.slice, &self.domain_rows, patterned, depth);
            if violated_row(&point, &leaf.rows, &exact).is_some() {
                return false;
            }
        }
        self.stack.pop();
        self.regions += 1;
        true
    }

    fn region(&mut self, v: &Item) -> Check {
        let at = |fault| RejectionKind::Region {
            id: v.at("id").to_value(),
            fault,
        };
        if v.at("id").as_u64() != Some(self.regions) {
            return Err(at(RegionFault::WrongId {
                expected: self.regions,
            }));
        }
        let cell = self.stack.pop().ok_or(at(RegionFault::Extra))?;
        let pattern = &cell.pattern;
        if cell.layer != self.slice.hidden().len() {
            return Err(at(RegionFault::SplitMissing {
                cell: pattern.clone(),
            }));
        }
        if !v.at("pattern").is_str(pattern) {
            return Err(at(RegionFault::OtherPattern {
                found: v.at("pattern").to_value(),
                leaf: pattern.clone(),
            }));
        }
        let w = v.at("witness");
        // The witness of a cut that made the leaf: already checked inside
        // every row of it.
        if cell.inside.is_some_and(|i| *i.text == *w.text()) {
            self.regions += 1;
            return Ok(());
        }
        let w =
            witness(&w, self.slice.dim(), &self.limits).map_err(|e| at(RegionFault::Witness(e)))?;
        let depth = self.slice.hidden().len();
        let patterned = (cell.pattern.as_str(), cell.layer);
        let exact = ExactCell::new(&self.slice, &self.domain_rows, patterned, depth);
        if let Some(row) = violated_row(&w, &cell.rows, &exact) {
            return Err(at(RegionFault::NotInside { row }));
        }
        self.regions += 1;
        Ok(())
    }

    fn summary(&mut self, v: &Item) -> Check {
        if !self.stack.is_empty() {
            return Err(RejectionKind::UnlistedCells {
                cells: self.stack.len(),
            });
        }
        if v.at("regions").as_u64() != Some(self.regions) {
            return Err(RejectionKind::RegionCount {
                claimed: v.at("regions").to_value(),
                listed: self.regions,
            });
        }
        self.finished = true;
        Ok(())
    }
}

/// Whether `v` is one test (a string, or an object with a test's key)
/// rather than a list of them.
fn is_test(v: Json) -> bool {
    spelled_box_test(&v).is_some()
        || v.as_str().is_some()
        || v.fields([BOX_TEST, side_name(true), side_name(false), CUT_TEST])
            .iter()
            .any(|f| *f != Json::ABSENT)
}

#[cfg(test)]
mod tests {
    //! Hand-written certificates for `|x| = ReLU(x) + ReLU(−x)` on `(−1, 1)`,
    //! written from the format's documentation, not by the prover: one
    //! valid, and forgeries that each change one field.
    use super::*;
    use crate::check::rejection::{MultiplierFault, TestFault, WitnessFault};
    use crate::exact::interval::Interval;
    use crate::model::json::parse_json_model;
    use num_bigint::BigInt;
    use serde_json::{json, Value};

    fn abs_net() -> (Network, Domain) {
        let net = parse_json_model(
            r#"{"layers": [{"weight": [[1.0], [-1.0]], "bias": [0, 0]},
                           {"weight": [[1, 1]], "bias": [0]}]}"#,
            "abs.json".as_ref(),
        )
        .unwrap();
        let domain = Domain::new_box(vec![(-1.0, 1.0)], 1).unwrap();
        (net, domain)
    }

    /// Neuron 0 (`z = x`) cuts the domain at 0; on each piece neuron 1
    /// (`z = −x`) is one-sided, its other side empty by `x < 0` plus
    /// `−x < 0` (multipliers 1 and 1). Regions `01` (x < 0) and `10`.
    fn valid(net: &Network, domain: &Domain) -> Vec<Value> {
        vec![
            json!({"type": "header", "format": "regionwalk-certificate", "version": 1,
                   "network_sha256": net.fingerprint(), "input_dim": 1,
                   "hidden_widths": [2], "domain": domain.to_json(), "free": [0]}),
            json!({"type": "split", "layer": 0, "pattern": "", "tests": [
                [{"cut": [["-1/2"], ["1/2"]]}],
                [{"on": [["n0.0", "1"], ["s", "1"]]}, {"off": [["n0.0", "1"], ["s", "1"]]}],
            ]}),
            json!({"type": "region", "id": 0, "pattern": "01", "witness": ["-1/2"]}),
            json!({"type": "region", "id": 1, "pattern": "10", "witness": ["1/2"]}),
            json!({"type": "summary", "regions": 2}),
        ]
    }

    fn check(lines: &[Value]) -> Verdict {
        let (net, domain) = abs_net();
        let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
        verify_certificate(&net, &domain, text.as_bytes(), &CheckLimits::default()).unwrap()
    }

    /// The valid certificate with `forge` applied.
    fn forged(forge: impl FnOnce(&mut Vec<Value>)) -> Rejection {
        let (net, domain) = abs_net();
        let mut lines = valid(&net, &domain);
        forge(&mut lines);
        let verdict = check(&lines);
        assert!(!verdict.verified, "forgery accepted");
        verdict.reason.expect("a rejection has a reason")
    }

    /// The fault of neuron `[0, neuron]`'s test on piece `piece` of the root.
    fn root_test(neuron: usize, piece: usize, fault: TestFault) -> RejectionKind {
        RejectionKind::Split {
            cell: String::new(),
            layer: 0,
            fault: SplitFault::Test {
                layer: 0,
                neuron,
                piece,
                fault,
            },
        }
    }

    #[test]
    fn the_valid_certificate_is_accepted() {
        let (net, domain) = abs_net();
        let verdict = check(&valid(&net, &domain));
        assert_eq!(
            verdict,
            Verdict {
                verified: true,
                regions: 2,
                reason: None
            }
        );
    }

    #[test]
    fn a_region_witness_on_the_boundary_is_rejected_naming_the_row() {
        let r = forged(|l| l[2]["witness"] = json!(["0"]));
        let fault = RegionFault::NotInside { row: "n0.0".into() };
        assert_eq!(r.line, Some(3));
        assert_eq!(
            r.kind,
            RejectionKind::Region {
                id: json!(0),
                fault
            }
        );
        assert_eq!(
            r.to_string(),
            "line 3: region 0: the witness is not strictly inside: it violates row n0.0"
        );
    }

    #[test]
    fn a_cut_witness_on_the_boundary_is_rejected() {
        let r = forged(|l| l[1]["tests"][0][0]["cut"][1] = json!(["0"]));
        assert_eq!(r.line, Some(2));
        assert_eq!(
            r.kind,
            root_test(0, 0, TestFault::WitnessOffSide { on: true })
        );
        assert_eq!(
            r.to_string(),
            "line 2: split of cell `` by layer 0: neuron [0, 0], piece 0: \
             the on witness is not strictly on its side"
        );
    }

    #[test]
    fn another_format_version_is_rejected() {
        let r = forged(|l| l[0]["version"] = json!(4));
        assert_eq!(r.line, Some(1));
        assert!(matches!(&r.kind, RejectionKind::UnknownFormat { version, .. } if version == 4));
        assert_eq!(
            r.to_string(),
            "line 1: not a regionwalk certificate of a known version"
        );
    }

    #[test]
    fn another_network_is_rejected() {
        let r = forged(|l| l[0]["network_sha256"] = json!("00"));
        assert!(matches!(&r.kind, RejectionKind::OtherNetwork { found, .. } if found == "00"));
    }

    #[test]
    fn a_dropped_region_is_rejected() {
        let last = forged(|l| drop(l.remove(3)));
        assert_eq!(last.line, Some(4));
        assert_eq!(last.kind, RejectionKind::UnlistedCells { cells: 1 });
        assert_eq!(
            last.to_string(),
            "line 4: the summary comes while 1 cells of the tree are not listed"
        );
        let first = forged(|l| drop(l.remove(2)));
        assert_eq!(first.line, Some(3));
        assert_eq!(
            first.kind,
            RejectionKind::Region {
                id: json!(1),
                fault: RegionFault::WrongId { expected: 0 }
            }
        );
    }

    #[test]
    fn a_negative_multiplier_is_rejected_naming_the_row() {
        let r = forged(|l| l[1]["tests"][1][0]["on"][0][1] = json!("-1"));
        let fault = MultiplierFault::NotPositive {
            row: "n0.0".into(),
            value: BigInt::from(-1),
        };
        assert_eq!(r.kind, root_test(1, 0, TestFault::Multipliers(fault)));
        assert_eq!(
            r.to_string(),
            "line 2: split of cell `` by layer 0: neuron [0, 1], piece 0: \
             multiplier of row n0.0 is not positive"
        );
    }

    #[test]
    fn multipliers_that_do_not_cancel_are_rejected() {
        // On the box, λ = (1, 2) on x < 0 and −x < 0 leaves ρ = −1 and β = 0:
        // the minimum of −x over (−1, 1) is −1 < 0, so the box does not pay.
        let r = forged(|l| l[1]["tests"][1][1]["off"][1][1] = json!("2"));
        let fault = TestFault::Multipliers(MultiplierFault::BoxSlackShort);
        assert_eq!(r.kind, root_test(1, 1, fault));
        // The same interval as a polytope has no box: the normals must cancel.
        let (net, _) = abs_net();
        let interval = Domain::Polytope {
            a: vec![vec![-1.0], vec![1.0]],
            b: vec![1.0, 1.0],
        };
        let mut lines = valid(&net, &Domain::new_box(vec![(-1.0, 1.0)], 1).unwrap());
        lines[0]["domain"] = interval.to_json();
        let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
        let ok = verify_certificate(&net, &interval, text.as_bytes(), &CheckLimits::default());
        assert!(ok.unwrap().verified, "the polytope's own certificate");
        lines[1]["tests"][1][1]["off"][1][1] = json!("2");
        let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
        let r = verify_certificate(&net, &interval, text.as_bytes(), &CheckLimits::default())
            .unwrap()
            .reason
            .expect("rejected");
        let fault = TestFault::Multipliers(MultiplierFault::NormalsNotCancelled);
        assert_eq!(r.kind, root_test(1, 1, fault));
    }

    /// `z0 = x` and `z1 = x − 1/2` on the box (−1, 1): on x < 0 neuron 1 is
    /// off throughout; its on side `−x < −1/2` is empty. Exact multipliers
    /// are (1, 1); (3, 2) leave ρ = 3 − 2 = 1 and β = 3·0 + 2·(−1/2) = −1,
    /// and min over the box of x is −1 ≥ β: a proof by the box. (4, 2)
    /// leave ρ = 2, min −2 < β = −1: no proof. Worked by hand.
    fn shifted(lambda: (&str, &str)) -> Verdict {
        shifted_forged(lambda, |_| {})
    }

    /// [`shifted`]'s certificate with `forge` applied.
    fn shifted_forged(lambda: (&str, &str), forge: impl FnOnce(&mut [Value])) -> Verdict {
        let (net, domain, mut lines) = shifted_lines(lambda);
        forge(&mut lines);
        let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
        verify_certificate(&net, &domain, text.as_bytes(), &CheckLimits::default()).unwrap()
    }

    /// [`shifted`]'s network, domain and certificate lines.
    fn shifted_lines(lambda: (&str, &str)) -> (Network, Domain, [Value; 6]) {
        let net = parse_json_model(
            r#"{"layers": [{"weight": [[1.0], [1.0]], "bias": [0, -0.5]},
                           {"weight": [[1, 1]], "bias": [0]}]}"#,
            "shifted.json".as_ref(),
        )
        .unwrap();
        let domain = Domain::new_box(vec![(-1.0, 1.0)], 1).unwrap();
        let lines = [
            json!({"type": "header", "format": "regionwalk-certificate", "version": 2,
                   "network_sha256": net.fingerprint(), "input_dim": 1,
                   "hidden_widths": [2], "domain": domain.to_json(), "free": [0]}),
            json!({"type": "split", "layer": 0, "pattern": "", "tests": [
                [{"cut": [["-1/2"], ["1/2"]]}],
                [{"off": [["n0.0", lambda.0], ["s", lambda.1]]}, {"cut": [["1/4"], ["3/4"]]}],
            ]}),
            json!({"type": "region", "id": 0, "pattern": "00", "witness": ["-1/2"]}),
            json!({"type": "region", "id": 1, "pattern": "10", "witness": ["1/4"]}),
            json!({"type": "region", "id": 2, "pattern": "11", "witness": ["3/4"]}),
            json!({"type": "summary", "regions": 3}),
        ];
        (net, domain, lines)
    }

    /// Region lines read by their bytes get the verdict they get read as
    /// JSON (the reference: the checker with the shortcut off), whatever
    /// their spelling, id, pattern or witness; and the shortcut takes the
    /// lines spelled as the writer spells them. In [`shifted`], region
    /// `00` is `x < 0` (worked by hand).
    #[test]
    fn region_lines_read_by_their_bytes_get_the_verdict_read_as_json() {
        let (net, domain, lines) = shifted_lines(("1", "1"));
        let text: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        let written = &text[2];
        assert_eq!(
            written, r#"{"id":0,"pattern":"00","type":"region","witness":["-1/2"]}"#,
            "the writer's spelling"
        );
        let variants = [
            (written.clone(), true),
            (written.replace(r#"["-1/2"]"#, r#"["-3/4"]"#), true),
            (written.replace(r#"["-1/2"]"#, r#"["-2/4"]"#), true),
            (written.replace(r#"["-1/2"]"#, r#"["-0/1"]"#), false),
            (written.replace(r#"["-1/2"]"#, r#"["1/2"]"#), false),
            (written.replace(r#"["-1/2"]"#, r#"["-1/3"]"#), false),
            (written.replace(r#"["-1/2"]"#, r#"["-0.5"]"#), false),
            (written.replace(r#"["-1/2"]"#, r#"["-1/2","0"]"#), false),
            (written.replace(r#"["-1/2"]"#, r#"["-1/2" ]"#), false),
            (written.replace(r#"["-1/2"]"#, r#"[-1]"#), false),
            (written.replace(r#""id":0"#, r#""id":00"#), false),
            (written.replace(r#""id":0"#, r#""id":1"#), false),
            (written.replace(r#""id":0"#, r#""id": 0"#), false),
            (written.replace(r#""id":0"#, r#""id":0.0"#), false),
            (
                written.replace(r#""id":0"#, r#""id":1234567890123456789012345"#),
                false,
            ),
            (written.replace(r#""00""#, r#""01""#), false),
            (written.replace(r#""00""#, r#""\u00300""#), false),
            (written.replace(r#""region""#, r#""regions""#), false),
            (written.replace('}', r#","x":1}"#), false),
            (format!("{written} "), false),
            (format!("{written}}}"), false),
            (written[..written.len() - 1].to_string(), false),
            (
                r#"{"pattern":"00","id":0,"type":"region","witness":["-1/2"]}"#.into(),
                false,
            ),
        ];
        let run = |line: &str, by_bytes: bool| {
            let mut t = text.clone();
            t[2] = line.to_string();
            let t: String = t.iter().map(|l| format!("{l}\n")).collect();
            let mut checker = Checker::new(&net, &domain, CheckLimits::default());
            checker.regions_by_bytes = by_bytes;
            let verdict = checker.run(t.as_bytes()).unwrap();
            (verdict, checker.read_by_bytes)
        };
        for (line, taken) in variants {
            let (reference, none) = run(&line, false);
            let (verdict, read) = run(&line, true);
            assert_eq!(verdict, reference, "{line}");
            assert_eq!(none, 0);
            // The two other regions (read when this one passes) repeat
            // their cut witnesses as written.
            let others = if verdict.verified { 2 } else { 0 };
            assert_eq!(read, others + u64::from(taken), "{line}");
        }
    }

    #[test]
    fn multipliers_that_the_box_pays_for_are_accepted() {
        assert!(shifted(("1", "1")).verified, "exact multipliers");
        assert!(shifted(("3", "2")).verified, "the box pays for ρ = 1");
        let r = shifted(("4", "2")).reason.expect("ρ = 2 is too much");
        let fault = TestFault::Multipliers(MultiplierFault::BoxSlackShort);
        assert_eq!(r.kind, root_test(1, 0, fault));
    }

    /// A witness that repeats the text of the cut witness that made its
    /// piece is not checked against the piece's rows again (it was), but
    /// it is still checked on its own side, and the shortcut belongs to
    /// that piece alone. In [`shifted`], piece `1` of neuron 1 (`x > 0`)
    /// was made by the on witness `1/4`, which its off witness repeats.
    #[test]
    fn a_repeated_witness_is_spared_only_the_rows_it_was_checked_against() {
        // The on witness of neuron 1 is `1/4` too: inside the piece, but
        // `1/4 − 1/2 < 0` is off.
        let r = shifted_forged(("1", "1"), |l| {
            l[1]["tests"][1][1]["cut"][1] = json!(["1/4"]);
        });
        let r = r.reason.expect("on the wrong side");
        assert_eq!(
            r.kind,
            root_test(1, 1, TestFault::WitnessOffSide { on: true })
        );
        // Region `11`'s witness `1/4`, the text its sibling `10`'s cut
        // checked: not inside `11` (row n0.1, `x > 1/2`).
        let r = shifted_forged(("1", "1"), |l| l[4]["witness"] = json!(["1/4"]));
        let r = r.reason.expect("outside its region");
        assert_eq!(r.line, Some(5));
        let fault = RegionFault::NotInside { row: "n0.1".into() };
        assert_eq!(
            r.kind,
            RejectionKind::Region {
                id: json!(2),
                fault
            }
        );
        // Region `00`'s witness `-1/2` is neuron 0's off witness: accepted
        // as it stands (checked by the cut), and also when written anew
        // (`-2/4` is the same point, checked against the rows).
        assert!(shifted(("1", "1")).verified);
        let r = shifted_forged(("1", "1"), |l| l[2]["witness"] = json!(["-2/4"]));
        assert!(r.verified, "{:?}", r.reason);
    }

    /// Witnesses whose enclosures cannot decide a row are decided by their
    /// exact points, made only then. In [`shifted`], the on side of neuron
    /// 1 on piece `x > 0` is `x − 1/2 > 0` (worked by hand): `1/2 + 2⁻⁶¹`
    /// (no double) is strictly on it; `1/2 − 2⁻⁶¹` (no double) is off it;
    /// `1/2` (a double whose slack is exactly zero, so its widened enclosure
    /// straddles zero) is on its boundary, not strictly on the side.
    #[test]
    fn witnesses_the_enclosures_cannot_decide_are_decided_exactly() {
        let on_witness = |text: &str| {
            shifted_forged(("1", "1"), |l| {
                l[1]["tests"][1][1]["cut"][1] = json!([text]);
            })
        };
        let above = on_witness("1152921504606846977/2305843009213693952");
        assert!(above.verified, "{:?}", above.reason);
        for text in ["1152921504606846975/2305843009213693952", "1/2"] {
            let r = on_witness(text)
                .reason
                .expect("not strictly on the on side");
            assert_eq!(
                r.kind,
                root_test(1, 1, TestFault::WitnessOffSide { on: true }),
                "{text}"
            );
        }
    }

    /// `z0 = 0.1·x + 0.1` and then `z1 = 3·ReLU(z0)` on the box (−1, 1),
    /// with `0.1` the double nearest a tenth (`t`, a dyadic). Worked by
    /// hand: `z0 = t·(x + 1)` ranges over `[0, 2t]`, so it is on over the
    /// box (its minimum is exactly 0, the zero convention's boundary: `box
    /// on` asks min ≥ 0); `z1 = 3t·(x + 1)` likewise, and `3t` is not a
    /// double. One region, pattern `1|1`.
    fn tenths(z1_side: &str) -> (Verdict, (Interval, Interval)) {
        let net = parse_json_model(
            r#"{"layers": [{"weight": [[0.1]], "bias": [0.1]},
                           {"weight": [[3.0]], "bias": [0]},
                           {"weight": [[1.0]], "bias": [0]}]}"#,
            "tenths.json".as_ref(),
        )
        .unwrap();
        let domain = Domain::new_box(vec![(-1.0, 1.0)], 1).unwrap();
        let lines = [
            json!({"type": "header", "format": "regionwalk-certificate", "version": 2,
                   "network_sha256": net.fingerprint(), "input_dim": 1,
                   "hidden_widths": [1, 1], "domain": domain.to_json(), "free": [0]}),
            json!({"type": "split", "layer": 0, "pattern": "", "tests": [[{"box": "on"}]]}),
            json!({"type": "split", "layer": 1, "pattern": "1", "tests": [[{"box": z1_side}]]}),
            json!({"type": "region", "id": 0, "pattern": "1|1", "witness": ["0"]}),
            json!({"type": "summary", "regions": 1}),
        ];
        let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
        let verdict =
            verify_certificate(&net, &domain, text.as_bytes(), &CheckLimits::default()).unwrap();
        // The enclosure of z1's minimum over the box, as the checker forms it.
        let slice = SliceNetwork::new(&net, &domain);
        let iv = slice.intervals();
        let h0 = iv.activated(0, iv.layer(0).clone(), &[true]);
        let z1 = iv.layer(1).after(&h0);
        let bounds = [(-1.0, 1.0)];
        let range = crate::exact::interval::range_over_box(z1.row(0), z1.bias(0), &bounds);
        (verdict, range)
    }

    #[test]
    fn where_the_enclosure_straddles_zero_the_exact_numbers_decide() {
        let (verdict, (min, _)) = tenths("on");
        // The enclosure cannot tell min z1 = 0 from a small negative number…
        assert!(min.lo < 0.0 && 0.0 < min.hi, "{min:?}");
        // …so the exact range decides, and it is exactly 0: on holds.
        assert!(verdict.verified, "{:?}", verdict.reason);
        // `off` asks max ≤ 0, and the max is 6t > 0: the enclosure shows
        // that alone, and the test is rejected.
        let (verdict, (_, max)) = tenths("off");
        assert!(max.lo > 0.0);
        let r = verdict.reason.expect("rejected");
        assert_eq!(r.line, Some(3));
        assert!(
            matches!(&r.kind, RejectionKind::Split { fault: SplitFault::Test {
                fault: TestFault::BoxRange { side }, .. }, .. } if side == "off"),
            "{r:?}"
        );
    }

    #[test]
    fn a_malformed_witness_is_rejected_naming_the_coordinate() {
        let r = forged(|l| l[3]["witness"] = json!(["1/0"]));
        let fault = RegionFault::Witness(WitnessFault::NotRational { coordinate: 0 });
        assert_eq!(
            r.kind,
            RejectionKind::Region {
                id: json!(1),
                fault
            }
        );
    }

    #[test]
    fn a_truncated_certificate_is_rejected_without_a_line() {
        let r = forged(|l| drop(l.pop()));
        assert_eq!(
            r,
            Rejection {
                line: None,
                kind: RejectionKind::Truncated
            }
        );
        assert_eq!(
            r.to_string(),
            "the certificate ends before its summary line"
        );
    }

    #[test]
    fn a_rejection_serializes_as_its_sentence() {
        let r = forged(|l| l[4]["regions"] = json!(3));
        assert_eq!(
            serde_json::to_value(&r).unwrap(),
            json!("line 5: the summary says 3 regions but 2 were listed")
        );
    }
}

//! The exact rows near-ties are decided with (in the polygon walk, and in
//! the LP walk's default decider, `walk/near_ties.rs`): the
//! network's hidden layers in dyadic arithmetic on the free coordinates
//! (`exact/slice_network.rs`), each layer's pre-activations on a cell from
//! its pattern, the rows of a piece from their sources, and the piece's
//! exact polygon (docs/design.md §4). Built only when a test is a near-tie,
//! so a walk without near-ties never leaves floats.

use crate::exact::affine::ExactAffine;
use crate::exact::dyadic::Dyadic;
use crate::exact::half_space::ExactHalf;
use crate::exact::slice_network::SliceNetwork;
use crate::model::affine::norm;
use crate::model::pattern::Pattern;
use crate::walk::polygon::exact_polygon::{Empty, ExactPolygon};
use crate::walk::polygon::float_polygon::{Line, Polygon};
use crate::walk::region::RowSource;
use crate::walk::space::WorkSpace;
use num_bigint::BigInt;

/// The exact network and domain of one walk.
pub(crate) struct ExactNet<'a> {
    space: &'a WorkSpace,
    network: SliceNetwork,
    /// The domain's rows on the free coordinates, by index of
    /// [`crate::Domain::rows`] (`None`: always true).
    domain_rows: Vec<Option<ExactHalf>>,
}

impl<'a> ExactNet<'a> {
    /// The exact network of `space`.
    pub fn new(space: &'a WorkSpace) -> Self {
        let network = SliceNetwork::on_slice(&space.network_input, space.slice.clone());
        let domain_rows = network.domain_rows(&space.domain);
        ExactNet {
            space,
            network,
            domain_rows,
        }
    }

    /// The exact network on the free coordinates.
    pub fn network(&self) -> &SliceNetwork {
        &self.network
    }

    /// The pre-activations of hidden layers `0..=layer` on the cell whose
    /// pattern (of the layers before `layer`) is `pattern`, as maps of the
    /// free coordinates.
    pub fn layers(&self, pattern: &Pattern, layer: usize) -> Vec<ExactAffine> {
        self.network.pre_activations(pattern.layers(), layer + 1)
    }

    /// The exact row of `source` on a cell whose layers are `layers`.
    pub fn row(&self, layers: &[ExactAffine], source: &RowSource) -> ExactHalf {
        match *source {
            RowSource::Domain(i) => self.domain_rows[i]
                .clone()
                .expect("the walk keeps only domain rows with a free part"),
            RowSource::Neuron { layer, index, on } => {
                let z = &layers[layer];
                ExactHalf::side(z.row(index), z.bias(index), on)
            }
        }
    }

    /// The exact polygon of the rows named by `sources` on a cell whose
    /// layers are `layers`.
    pub fn polygon(
        &self,
        layers: &[ExactAffine],
        sources: &[RowSource],
    ) -> Result<ExactPolygon, Empty> {
        let rows: Vec<ExactHalf> = sources.iter().map(|s| self.row(layers, s)).collect();
        ExactPolygon::of_rows(&rows)
    }

    /// The domain's polygon.
    pub fn root(&self) -> Result<ExactPolygon, Empty> {
        let sources: Vec<RowSource> = self
            .space
            .rows
            .iter()
            .map(|r| RowSource::Domain(r.index))
            .collect();
        self.polygon(&[], &sources)
    }

    /// `p` rounded to float working coordinates.
    pub fn to_float(&self, p: &ExactPolygon) -> Polygon {
        let slice = &self.space.slice;
        // How far the frame's origin is, in working units: the rounding of
        // `y − o` grows with it.
        let offset_size: f64 = slice
            .free_part(&slice.to_domain(&[0.0, 0.0]))
            .iter()
            .zip(slice.scale())
            .map(|(o, s)| (o / s).abs())
            .sum();
        let line = |l: &[BigInt; 3]| {
            let d = |v: &BigInt| Dyadic::from_int(v.clone());
            let (a, c) = slice.exact_to_working(&[d(&l[0]), d(&l[1])], &d(&l[2]));
            let size = norm(&a);
            let c = c / size;
            // Each coefficient is the exact one rounded once, then divided
            // by the rounded norm.
            Line {
                a: [a[0] / size, a[1] / size],
                c,
                err: 4.0 * f64::EPSILON * (1.0 + c.abs()),
            }
        };
        p.to_float(
            |y| slice.free_to_working(y),
            slice.scale(),
            offset_size,
            line,
        )
    }

    /// Neuron `(layer, i)`'s exact row on a cell with `layers`, in working
    /// coordinates (rounded): the float row of a neuron that floats took as
    /// constant but that is not.
    pub fn working_row(&self, layers: &[ExactAffine], layer: usize, i: usize) -> (Vec<f64>, f64) {
        let z = &layers[layer];
        self.network.slice().exact_to_working(z.row(i), z.bias(i))
    }
}

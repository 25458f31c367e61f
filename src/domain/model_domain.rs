//! The domain a run walks a model on: the one given, checked against the
//! model's input dimension and cut to the model's own input box where it has
//! one, or else that box.
//!
//! An NNet model clips its inputs to `[min, max]`: the network regionwalk
//! reads equals the file's only inside that box, so any domain given is cut
//! to it (docs/models.md).

use crate::domain::input_domain::Domain;
use crate::error::DomainError;
use crate::model::format::LoadedModel;

/// The domain of a run, and whether the model's input box cut it.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelDomain {
    /// The domain to walk.
    pub domain: Domain,
    /// True when a given domain reached outside the model's input box and
    /// was cut to it (worth a note to the user: the run covers less).
    pub clipped: bool,
}

/// The domain to walk `model` on: `given` (checked against the model's input
/// dimension, and cut to the model's input box if it has one), or, if nothing
/// is given, the model's input box. `None` when neither exists.
///
/// ```
/// use regionwalk::{model_domain, parse_json_model, Domain, LoadedModel, ModelFormat};
/// # let net = parse_json_model(
/// #     r#"{"layers": [{"weight": [[1.0], [-1.0]], "bias": [0, 0]},
/// #                    {"weight": [[1, 1]], "bias": [0]}]}"#,
/// #     "abs.json".as_ref(),
/// # ).unwrap();
/// let model = LoadedModel {
///     network: net,
///     format: ModelFormat::Nnet,
///     folded: Vec::new(),
///     default_box: Some(vec![(-1.0, 1.0)]),
///     head_cut: Vec::new(),
///     kept_output: None,
/// };
/// let cut = model_domain(&model, Some(Domain::Whole(1))).unwrap().unwrap();
/// assert_eq!((cut.domain, cut.clipped), (Domain::Box(vec![(-1.0, 1.0)]), true));
/// let default = model_domain(&model, None).unwrap().unwrap();
/// assert!(!default.clipped);
/// ```
pub fn model_domain(
    model: &LoadedModel,
    given: Option<Domain>,
) -> Result<Option<ModelDomain>, DomainError> {
    let own_box = model.default_box.as_deref();
    let Some(domain) = given else {
        return Ok(own_box.map(|b| ModelDomain {
            domain: Domain::Box(b.to_vec()),
            clipped: false,
        }));
    };
    domain.check_dim(model.network.input_dim())?;
    Ok(Some(match own_box {
        Some(clip) => {
            let (domain, clipped) = domain.intersect_box(clip)?;
            ModelDomain { domain, clipped }
        }
        None => ModelDomain {
            domain,
            clipped: false,
        },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::format::ModelFormat;
    use crate::model::network::relu_network;

    /// `|x|` on one input, loaded as `format` with the input box `own_box`.
    fn model(format: ModelFormat, own_box: Option<Vec<(f64, f64)>>) -> LoadedModel {
        LoadedModel {
            network: relu_network(&[(vec![vec![1.0], vec![-1.0]], vec![0.0, 0.0])]),
            format,
            folded: Vec::new(),
            default_box: own_box,
            head_cut: Vec::new(),
            kept_output: None,
        }
    }

    #[test]
    fn a_model_without_an_input_box_keeps_the_domain_given() {
        let json = model(ModelFormat::Json, None);
        assert_eq!(model_domain(&json, None).unwrap(), None);
        let given = Domain::Box(vec![(-5.0, 5.0)]);
        let kept = model_domain(&json, Some(given.clone())).unwrap().unwrap();
        assert_eq!((kept.domain, kept.clipped), (given, false));
    }

    #[test]
    fn a_domain_is_cut_to_the_input_box_and_says_so_only_when_cut() {
        let nnet = model(ModelFormat::Nnet, Some(vec![(0.0, 2.0)]));
        let wide = model_domain(&nnet, Some(Domain::Box(vec![(-1.0, 1.0)])))
            .unwrap()
            .unwrap();
        assert_eq!(
            (wide.domain, wide.clipped),
            (Domain::Box(vec![(0.0, 1.0)]), true)
        );
        let inside = model_domain(&nnet, Some(Domain::Box(vec![(0.5, 1.5)])))
            .unwrap()
            .unwrap();
        assert_eq!(
            (inside.domain, inside.clipped),
            (Domain::Box(vec![(0.5, 1.5)]), false)
        );
    }

    #[test]
    fn a_domain_of_the_wrong_dimension_is_a_dimension_error() {
        let nnet = model(ModelFormat::Nnet, Some(vec![(0.0, 2.0)]));
        let err = model_domain(&nnet, Some(Domain::Whole(3))).unwrap_err();
        assert!(
            matches!(
                err,
                DomainError::Dimension {
                    domain: 3,
                    model: 1
                }
            ),
            "{err}"
        );
    }
}

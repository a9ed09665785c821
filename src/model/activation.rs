//! Activation functions f and their derivatives, expressed through the output r = f(x)
//! so the backward pass only needs the stored rates.

use crate::math;
use serde::{Deserialize, Serialize};

/// Offset x_L of Turcu & Abbott's rectified, shifted tanh.
const TURCU_X_L: f64 = 0.5;

/// Pointwise nonlinearity of the rate network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Activation {
    /// max(x, 0).
    Relu,
    /// tanh(x).
    Tanh,
    /// ln(1 + e^x).
    Softplus,
    /// Turcu & Abbott 2022: φ(x) = [tanh(max(x,0) − x_L) − tanh(−x_L)] / [1 − tanh(−x_L)],
    /// x_L = 0.5: zero for x ≤ 0, saturating at 1.
    RectifiedTanh,
    /// Identity (linear network).
    Linear,
}

impl Activation {
    /// All names accepted in configs.
    pub const NAMES: &'static str = "relu, tanh, softplus, rectified-tanh, linear";

    /// Parse a config name.
    pub fn parse(name: &str) -> crate::Result<Self> {
        match name {
            "relu" => Ok(Activation::Relu),
            "tanh" => Ok(Activation::Tanh),
            "softplus" => Ok(Activation::Softplus),
            "rectified-tanh" => Ok(Activation::RectifiedTanh),
            "linear" => Ok(Activation::Linear),
            other => Err(crate::Error::UnknownName {
                field: "activation",
                value: other.to_string(),
                allowed: Self::NAMES.to_string(),
            }),
        }
    }

    /// f(x).
    #[inline]
    pub fn apply(self, x: f32) -> f32 {
        match self {
            // not `x.max(0.0)`: that is a libm call in wasm; this keeps NaN and vectorises
            Activation::Relu => relu(x),
            Activation::Linear => x,
            Activation::Tanh => math::tanh(x as f64) as f32,
            Activation::Softplus => math::softplus(x as f64) as f32,
            Activation::RectifiedTanh => {
                let c = math::tanh(-TURCU_X_L);
                ((math::tanh(x.max(0.0) as f64 - TURCU_X_L) - c) / (1.0 - c)) as f32
            }
        }
    }

    /// Replace every element of `values` by f(value). The match is outside the loop so
    /// each arm is a tight (vectorisable) loop.
    pub fn apply_in_place(self, values: &mut [f32]) {
        match self {
            Activation::Relu => values.iter_mut().for_each(|x| *x = relu(*x)),
            Activation::Linear => {}
            other => values.iter_mut().for_each(|x| *x = other.apply(*x)),
        }
    }

    /// `out[k] = f'(x_k)` from the outputs `rates[k] = f(x_k)`, match outside the loop.
    pub fn derivative_into(self, rates: &[f32], out: &mut [f32]) {
        match self {
            Activation::Relu => {
                for (o, r) in out.iter_mut().zip(rates) {
                    *o = if *r > 0.0 { 1.0 } else { 0.0 };
                }
            }
            Activation::Linear => out.fill(1.0),
            Activation::Tanh => {
                for (o, r) in out.iter_mut().zip(rates) {
                    *o = 1.0 - r * r;
                }
            }
            other => {
                for (o, r) in out.iter_mut().zip(rates) {
                    *o = other.derivative_from_output(*r);
                }
            }
        }
    }

    /// f'(x) written as a function of r = f(x) (and x's sign where needed, through r).
    #[inline]
    pub fn derivative_from_output(self, r: f32) -> f32 {
        match self {
            Activation::Relu => {
                if r > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
            Activation::Linear => 1.0,
            Activation::Tanh => 1.0 - r * r,
            // softplus' = sigmoid(x) = 1 - e^{-r}
            Activation::Softplus => (1.0 - math::exp(-(r as f64))) as f32,
            Activation::RectifiedTanh => {
                if r > 0.0 {
                    let c = math::tanh(-TURCU_X_L);
                    let th = r as f64 * (1.0 - c) + c; // tanh(x - x_L)
                    ((1.0 - th * th) / (1.0 - c)) as f32
                } else {
                    0.0
                }
            }
        }
    }
}

/// max(x, 0) that propagates NaN (NaN < 0 is false).
#[inline(always)]
fn relu(x: f32) -> f32 {
    if x < 0.0 {
        0.0
    } else {
        x
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derivatives_match_finite_differences() {
        for act in [
            Activation::Relu,
            Activation::Tanh,
            Activation::Softplus,
            Activation::RectifiedTanh,
            Activation::Linear,
        ] {
            for i in -30..30 {
                let x = i as f32 * 0.13 + 0.01;
                let h = 1e-3f32;
                let numeric = (act.apply(x + h) - act.apply(x - h)) / (2.0 * h);
                let analytic = act.derivative_from_output(act.apply(x));
                assert!(
                    (numeric - analytic).abs() < 2e-3,
                    "{act:?} at {x}: {numeric} vs {analytic}"
                );
            }
        }
        assert_eq!(Activation::RectifiedTanh.apply(-1.0), 0.0);
        assert!(
            Activation::Relu.apply(f32::NAN).is_nan(),
            "relu keeps NaN visible"
        );
        for act in [
            Activation::Relu,
            Activation::Tanh,
            Activation::Softplus,
            Activation::Linear,
        ] {
            let xs: Vec<f32> = (-20..20).map(|i| i as f32 * 0.3).collect();
            let mut applied = xs.clone();
            act.apply_in_place(&mut applied);
            let mut derivative = vec![0.0; xs.len()];
            act.derivative_into(&applied, &mut derivative);
            for k in 0..xs.len() {
                assert_eq!(applied[k], act.apply(xs[k]));
                assert_eq!(derivative[k], act.derivative_from_output(applied[k]));
            }
        }
        assert!((Activation::RectifiedTanh.apply(50.0) - 1.0).abs() < 1e-6);
        assert!(Activation::parse("sigmoidal")
            .unwrap_err()
            .to_string()
            .contains("activation"));
    }
}

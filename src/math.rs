//! The elementary functions the library calls, one implementation on every platform.
//!
//! `f64::exp` and friends are whatever the platform gives: glibc's on Linux, a port of musl's
//! `libm` on WebAssembly. Both are accurate to within an ulp, but not to the same bits: about
//! 1 input in 10 rounds differently in the last bit. A lesson prints up to 16 digits and must
//! print the same ones in the terminal and in the browser (issue 15), so these call the `libm`
//! crate (pure Rust, already built for `faer`) everywhere. The activations use their own
//! portable `exp` ([`crate::activation::exp`]), which is faster in the training loop.

/// e^x.
pub fn exp(x: f64) -> f64 {
    libm::exp(x)
}

/// ln x, the natural logarithm.
pub fn ln(x: f64) -> f64 {
    libm::log(x)
}

/// sin x (x in radians).
pub fn sin(x: f64) -> f64 {
    libm::sin(x)
}

/// cos x (x in radians).
pub fn cos(x: f64) -> f64 {
    libm::cos(x)
}

/// cos x in `f32` (x in radians).
pub fn cos_f32(x: f32) -> f32 {
    libm::cosf(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn they_agree_with_the_platform_to_within_an_ulp() {
        for i in -400..400 {
            let x = f64::from(i) / 17.0;
            let close = |ours: f64, std: f64| (ours - std).abs() <= std.abs() * 4.0 * f64::EPSILON;
            assert!(close(exp(x), x.exp()), "exp({x})");
            assert!(close(sin(x), x.sin()) || (sin(x) - x.sin()).abs() < 1e-15, "sin({x})");
            assert!(close(cos(x), x.cos()) || (cos(x) - x.cos()).abs() < 1e-15, "cos({x})");
            if x > 0.0 {
                assert!(close(ln(x), x.ln()) || (ln(x) - x.ln()).abs() < 1e-15, "ln({x})");
            }
            assert!((cos_f32(x as f32) - (x as f32).cos()).abs() <= 2.0 * f32::EPSILON, "cosf({x})");
        }
    }
}

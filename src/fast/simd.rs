//! Element-wise loops compiled for the processor that runs them.
//!
//! A release build targets the x86-64 baseline, whose vector instructions (SSE2) hold 4 floats
//! and lack a few conversions, so loops such as the sigmoid over a batch or an optimizer update
//! run on 4 lanes, partly scalar. `vectorised!` compiles a loop three times:
//! for AVX-512 (16 lanes), for AVX2 + FMA (8 lanes) and for the baseline, and picks the version
//! once per call from what the CPU reports (cached after the first check). The loop body is
//! ordinary Rust; the compiler vectorises it. Results are bit-identical between the versions:
//! Rust never fuses `a * b + c` into one rounding on its own, and the loops keep their order of
//! operations (no sum is reordered), so a seed gives the same numbers on any x86-64 machine.
//!
//! Read next: `activation.rs` of this folder, whose loops are the main users.

// Other processors (wasm32, aarch64) run the baseline version only: no choice to make.
#![cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]

/// The widest instruction set this CPU offers, of the three `vectorised!` compiles for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Baseline,
    Avx2,
    Avx512,
}

/// What this CPU supports, checked once.
pub fn level() -> Level {
    static LEVEL: std::sync::OnceLock<Level> = std::sync::OnceLock::new();
    *LEVEL.get_or_init(detect)
}

#[cfg(target_arch = "x86_64")]
fn detect() -> Level {
    if std::env::var_os("SCRATCHNET_NO_SIMD").is_some() {
        return Level::Baseline; // to compare versions (tests, benchmarks)
    }
    let avx2 = is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma");
    if avx2 && is_x86_feature_detected!("avx512f") && is_x86_feature_detected!("avx512vl") {
        Level::Avx512
    } else if avx2 {
        Level::Avx2
    } else {
        Level::Baseline
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn detect() -> Level {
    Level::Baseline
}

/// Defines a function whose body is compiled for AVX-512, AVX2 + FMA and the baseline, and
/// runs the widest one the CPU supports (see the module documentation):
///
/// ```ignore
/// vectorised! {
///     /// Doubles every value.
///     pub fn double(values: &mut [f32]) {
///         values.iter_mut().for_each(|v| *v *= 2.0);
///     }
/// }
/// ```
/// The arguments must be plain `name: Type` pairs; the function returns nothing.
macro_rules! vectorised {
    ($(#[$attr:meta])* $vis:vis fn $name:ident($($arg:ident: $ty:ty),* $(,)?) $body:block) => {
        $(#[$attr])*
        $vis fn $name($($arg: $ty),*) {
            #[inline(always)]
            fn body($($arg: $ty),*) $body
            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = "avx512f,avx512vl,avx2,fma")]
                fn avx512($($arg: $ty),*) { body($($arg),*) }
                #[target_feature(enable = "avx2,fma")]
                fn avx2($($arg: $ty),*) { body($($arg),*) }
                match $crate::fast::simd::level() {
                    // SAFETY: `level()` reported that this CPU has these instructions.
                    $crate::fast::simd::Level::Avx512 => return unsafe { avx512($($arg),*) },
                    // SAFETY: as above.
                    $crate::fast::simd::Level::Avx2 => return unsafe { avx2($($arg),*) },
                    $crate::fast::simd::Level::Baseline => {}
                }
            }
            body($($arg),*)
        }
    };
}

pub(crate) use vectorised;

#[cfg(test)]
mod tests {
    super::vectorised! {
        fn scale_and_shift(values: &mut [f32], by: f32) {
            values.iter_mut().for_each(|v| *v = *v * by + 1.0);
        }
    }

    #[test]
    fn a_vectorised_loop_computes_what_its_body_says() {
        let mut v: Vec<f32> = (0..37).map(|i| i as f32).collect();
        scale_and_shift(&mut v, 0.5);
        let expected: Vec<f32> = (0..37).map(|i| i as f32 * 0.5 + 1.0).collect();
        assert_eq!(v, expected);
    }
}

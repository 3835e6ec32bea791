//! `Rng`: the one seeded random stream of scratchnet.
//!
//! All randomness (initial weights, shuffling, generated data) comes from one `Rng` made from a
//! seed and passed down as `&mut Rng`; there is no global generator. The raw bits come from
//! ChaCha8 (`rand_chacha`); the sampling on top of them (uniform, normal, integer range,
//! shuffle) is written here, so a seed gives the same run even when `rand` changes its own
//! algorithms between versions (it has: `shuffle` and `gen_range` changed values).

use crate::math;
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{Rng as _, SeedableRng};

/// A seeded random stream; cloning it forks an identical copy.
#[derive(Clone, Debug)]
pub struct Rng {
    inner: ChaCha8Rng,
    /// Box–Muller makes normals in pairs; the second waits here for the next call.
    spare_normal: Option<f64>,
}

/// Where a stream is, for checkpoints: seed, stream number and position of ChaCha8, and the
/// spare normal sample. [`Rng::from_state`] continues exactly where [`Rng::state`] was taken.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RngState {
    pub seed: [u8; 32],
    pub stream: u64,
    /// The position in 32-bit words (a u128, as text so JSON keeps every digit).
    pub word_pos: String,
    pub spare_normal: Option<f64>,
}

impl Rng {
    /// Where this stream is.
    pub fn state(&self) -> RngState {
        RngState {
            seed: self.inner.get_seed(),
            stream: self.inner.get_stream(),
            word_pos: self.inner.get_word_pos().to_string(),
            spare_normal: self.spare_normal,
        }
    }

    /// The stream at `state`: it gives the numbers the original would have given next.
    /// A position that is not a number restarts the stream (checkpoints are validated first).
    pub fn from_state(state: &RngState) -> Rng {
        let mut inner = ChaCha8Rng::from_seed(state.seed);
        inner.set_stream(state.stream);
        inner.set_word_pos(state.word_pos.parse().unwrap_or(0));
        Rng { inner, spare_normal: state.spare_normal }
    }

    /// The stream for `seed`: the same seed always gives the same numbers.
    pub fn new(seed: u64) -> Rng {
        Rng { inner: ChaCha8Rng::seed_from_u64(seed), spare_normal: None }
    }

    /// 64 uniformly random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.inner.next_u64()
    }

    /// Uniform on [0, 1): the top 53 bits as the mantissa of an `f64` (numpy's `rand()`).
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform on [lo, hi).
    pub fn uniform_in(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.uniform()
    }

    /// Standard normal N(0, 1) by the Box–Muller transform:
    /// with u₁, u₂ ~ U(0, 1], r = √(−2 ln u₁), z₁ = r cos 2πu₂, z₂ = r sin 2πu₂.
    pub fn normal(&mut self) -> f64 {
        if let Some(z) = self.spare_normal.take() {
            return z;
        }
        let u1 = 1.0 - self.uniform(); // (0, 1]: ln never sees 0
        let u2 = self.uniform();
        let r = (-2.0 * math::ln(u1)).sqrt();
        let theta = 2.0 * std::f64::consts::PI * u2;
        self.spare_normal = Some(r * math::sin(theta));
        r * math::cos(theta)
    }

    /// Uniform integer in 0..n, without modulo bias (Lemire's multiply-and-reject).
    ///
    /// # Panics
    /// If `n == 0` (an empty range has no members; callers check their own lengths).
    pub fn below(&mut self, n: usize) -> usize {
        assert!(n > 0, "Rng::below(0): empty range");
        let n = n as u64;
        let threshold = n.wrapping_neg() % n; // 2⁶⁴ mod n: low products below it are biased
        loop {
            let wide = u128::from(self.next_u64()) * u128::from(n);
            if (wide as u64) >= threshold {
                return (wide >> 64) as usize;
            }
        }
    }

    /// Shuffles in place by Fisher–Yates: every order equally likely.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream_other_seed_other_stream() {
        let (mut a, mut b, mut c) = (Rng::new(1), Rng::new(1), Rng::new(2));
        let xs: Vec<u64> = (0..8).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..8).map(|_| b.next_u64()).collect();
        let zs: Vec<u64> = (0..8).map(|_| c.next_u64()).collect();
        assert_eq!(xs, ys);
        assert_ne!(xs, zs);
    }

    #[test]
    fn uniform_and_normal_have_the_right_moments() {
        let mut rng = Rng::new(42);
        let n = 200_000;
        let u: Vec<f64> = (0..n).map(|_| rng.uniform()).collect();
        assert!(u.iter().all(|&x| (0.0..1.0).contains(&x)));
        let mean_u = u.iter().sum::<f64>() / n as f64;
        assert!((mean_u - 0.5).abs() < 0.005, "{mean_u}");
        let z: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
        let mean = z.iter().sum::<f64>() / n as f64;
        let var = z.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        assert!(mean.abs() < 0.01 && (var - 1.0).abs() < 0.02, "mean {mean} var {var}");
    }

    #[test]
    fn below_stays_in_range_and_covers_it() {
        let mut rng = Rng::new(3);
        let mut seen = [0usize; 7];
        for _ in 0..7000 {
            seen[rng.below(7)] += 1;
        }
        assert!(seen.iter().all(|&c| c > 850 && c < 1150), "{seen:?}");
    }

    #[test]
    fn shuffle_is_a_permutation_and_depends_on_the_seed() {
        let mut a: Vec<usize> = (0..50).collect();
        let mut b = a.clone();
        Rng::new(9).shuffle(&mut a);
        Rng::new(10).shuffle(&mut b);
        assert_ne!(a, b);
        let mut sorted = a.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..50).collect::<Vec<_>>());
    }
}

//! The beans of tutorials 004 and 000: bean size → toxicity, made up with noise.
//!
//! Both generators draw the sizes first and sort them (the tutorials plot them left to right),
//! then one noise draw per bean, in that order, from the given [`Rng`].

use super::{Dataset, Task};
use crate::rng::Rng;
use crate::tensor::Matrix;

/// Tutorial 004's linear beans: x ~ U(0, 1) sorted, y = 0.7x + (0.5 − U(0, 1))/5 + 0.5.
/// A regression set; the best line is close to y = 0.7x + 0.5.
pub fn line(n: usize, rng: &mut Rng) -> Dataset {
    let xs = sorted_sizes(n, 1.0, rng);
    let ys: Vec<f32> = xs.iter().map(|&x| (0.7 * x + (0.5 - rng.uniform()) / 5.0 + 0.5) as f32).collect();
    to_dataset("beans-line", &xs, ys, Task::Regression)
}

/// Tutorial 000's hill beans: x ~ 2·U(0, 1) sorted, t = 0.7x + (0.5 − U(0, 1))/50 + 0.5,
/// toxic (1) iff 0.8 < t < 1.4. The toxic ones form a band in the middle: one sigmoid cannot
/// fit it, two hidden sigmoids can (one rising edge, one falling).
pub fn hill(n: usize, rng: &mut Rng) -> Dataset {
    let xs = sorted_sizes(n, 2.0, rng);
    let labels = xs
        .iter()
        .map(|&x| {
            let t = 0.7 * x + (0.5 - rng.uniform()) / 50.0 + 0.5;
            if 0.8 < t && t < 1.4 { 1.0 } else { 0.0 }
        })
        .collect();
    to_dataset("beans-hill", &xs, labels, Task::Binary)
}

fn sorted_sizes(n: usize, scale: f64, rng: &mut Rng) -> Vec<f64> {
    let mut xs: Vec<f64> = (0..n).map(|_| scale * rng.uniform()).collect();
    xs.sort_by(f64::total_cmp);
    xs
}

fn to_dataset(name: &str, xs: &[f64], ys: Vec<f32>, task: Task) -> Dataset {
    let n = xs.len();
    let inputs = Matrix::from_vec(n, 1, xs.iter().map(|&x| x as f32).collect()).expect("n values");
    let targets = Matrix::from_vec(n, 1, ys).expect("n values");
    Dataset::new(name, inputs, targets, task).expect("n rows each")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_beans_lie_near_the_line() {
        let beans = line(100, &mut Rng::new(1));
        let inputs = beans.inputs.to_matrix();
        let xs = inputs.as_slice();
        assert!(xs.windows(2).all(|w| w[0] <= w[1]), "sorted");
        for (x, y) in xs.iter().zip(beans.targets.as_slice()) {
            assert!((y - (0.7 * x + 0.5)).abs() <= 0.1 + 1e-6, "noise is at most ±0.1");
        }
    }

    #[test]
    fn hill_beans_are_toxic_in_the_middle_band() {
        let beans = hill(1000, &mut Rng::new(2));
        for (x, label) in beans.inputs.to_matrix().as_slice().iter().zip(beans.targets.as_slice()) {
            // 0.8 < 0.7x + 0.5 < 1.4 ⇔ 0.43 < x < 1.29, blurred by ±0.01 of noise
            if *x > 0.45 && *x < 1.27 {
                assert_eq!(*label, 1.0, "x = {x}");
            }
            if *x < 0.41 || *x > 1.31 {
                assert_eq!(*label, 0.0, "x = {x}");
            }
        }
    }
}

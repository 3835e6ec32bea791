//! Lesson `perceptron` (tutorial 002): go hiking this weekend?
//!
//! A perceptron weighs yes/no inputs and compares the sum with a threshold: output 1 if
//! Σ wᵢxᵢ > threshold, else 0. The tutorial's three factors and their weights: the weather
//! (10), overtime at work (8), and how easy the trip is (1); threshold 5. Following the
//! tutorial's encoding, each input is 1 when the factor is in favour of going (weather *not*
//! bad, *no* overtime, easy to get there) and 0 when it is against.

use std::io::{self, Write};

use super::{widest, write_lines};
use crate::i18n::{pad_right, width};
use crate::t;

/// The tutorial's weights: weather, overtime, easy trip.
pub const WEIGHTS: [f64; 3] = [10.0, 8.0, 1.0];
/// Go hiking if the weighted sum exceeds this.
pub const THRESHOLD: f64 = 5.0;

/// The weighted sum Σ wᵢxᵢ and the decision (sum > threshold) for inputs `x`.
pub fn decide(x: [f64; 3]) -> (f64, bool) {
    decide_with(&WEIGHTS, THRESHOLD, &x)
}

/// The same with other weights and threshold (the web page's sliders).
pub fn decide_with(weights: &[f64], threshold: f64, x: &[f64]) -> (f64, bool) {
    let sum: f64 = weights.iter().zip(x).map(|(w, x)| w * x).sum();
    (sum, sum > threshold)
}

/// All 8 situations, as (bad weather?, overtime?, easy trip?) answers.
pub fn situations() -> impl Iterator<Item = [bool; 3]> {
    (0..8).map(|i| [i & 4 != 0, i & 2 != 0, i & 1 != 0])
}

/// Prints the decision for all 8 situations.
pub fn run(out: &mut dyn Write) -> io::Result<()> {
    let [weather, overtime, easy] = WEIGHTS;
    writeln!(out, "{}", t!("lesson.perceptron.title"))?;
    writeln!(out, "  {}", t!("lesson.perceptron.rule", threshold = THRESHOLD))?;
    writeln!(
        out,
        "  {}",
        t!("lesson.perceptron.weights", weather = weather, overtime = overtime, easy = easy)
    )?;
    writeln!(out, "  {}", t!("lesson.perceptron.inputs"))?;
    writeln!(out)?;
    table(out)?;
    writeln!(out)?;
    let moral = t!("lesson.perceptron.moral", weather = weather, threshold = THRESHOLD, overtime = overtime);
    write_lines(out, "", &moral)
}

/// The table of the 8 situations: the three answers, the inputs, the sum and the decision.
fn table(out: &mut dyn Write) -> io::Result<()> {
    let labels = [
        t!("lesson.perceptron.col.bad-weather"),
        t!("lesson.perceptron.col.overtime"),
        t!("lesson.perceptron.col.easy"),
    ];
    // Each column is one wider than its label, and at least as wide as the English one.
    let column = |label: &str, min: usize| min.max(width(label) + 1);
    let widths = [column(labels[0], 13), column(labels[1], 10), column(labels[2], 12)];
    let sum_label = t!("lesson.perceptron.col.sum");
    writeln!(
        out,
        "  {} {} {} x          {}{}",
        pad_right(labels[0], widths[0]),
        pad_right(labels[1], widths[1]),
        pad_right(labels[2], widths[2]),
        pad_right(sum_label, column(sum_label, 26)),
        t!("lesson.perceptron.col.decision")
    )?;
    let (yes, no) = (t!("lesson.perceptron.yes"), t!("lesson.perceptron.no"));
    let yes_no = |b: bool, width: usize| pad_right(if b { yes } else { no }, width);
    for [bad_weather, overtime, easy] in situations() {
        let x =
            [f64::from(u8::from(!bad_weather)), f64::from(u8::from(!overtime)), f64::from(u8::from(easy))];
        let (sum, go) = decide(x);
        let terms = format!("{}·{} + {}·{} + {}·{}", WEIGHTS[0], x[0], WEIGHTS[1], x[1], WEIGHTS[2], x[2]);
        let action = if go { t!("lesson.perceptron.go") } else { t!("lesson.perceptron.stay") };
        writeln!(
            out,
            "  {} {} {} ({},{},{})    {terms} = {sum:<2}   {sum:>2} > {THRESHOLD}? {} → {action}",
            yes_no(bad_weather, widths[0]),
            yes_no(overtime, widths[1]),
            yes_no(easy, widths[2]),
            x[0],
            x[1],
            x[2],
            yes_no(go, widest(&[yes, no])),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_weather_dominates_and_overtime_decides_bad_days() {
        for [bad_weather, overtime, easy] in situations() {
            let x = [
                f64::from(u8::from(!bad_weather)),
                f64::from(u8::from(!overtime)),
                f64::from(u8::from(easy)),
            ];
            let (_, go) = decide(x);
            assert_eq!(go, !bad_weather || !overtime, "{bad_weather} {overtime} {easy}");
        }
        assert_eq!(decide([0.0, 0.0, 1.0]), (1.0, false));
        assert_eq!(decide([1.0, 1.0, 1.0]), (19.0, true));
    }
}

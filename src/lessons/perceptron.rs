//! Lesson `perceptron` (tutorial 002): go hiking this weekend?
//!
//! A perceptron weighs yes/no inputs and compares the sum with a threshold: output 1 if
//! Σ wᵢxᵢ > threshold, else 0. The tutorial's three factors and their weights: the weather
//! (10), overtime at work (8), and how easy the trip is (1); threshold 5. Following the
//! tutorial's encoding, each input is 1 when the factor is in favour of going (weather *not*
//! bad, *no* overtime, easy to get there) and 0 when it is against.

use std::io::{self, Write};

/// The tutorial's weights: weather, overtime, easy trip.
pub const WEIGHTS: [f64; 3] = [10.0, 8.0, 1.0];
/// Go hiking if the weighted sum exceeds this.
pub const THRESHOLD: f64 = 5.0;

/// The weighted sum Σ wᵢxᵢ and the decision (sum > threshold) for inputs `x`.
pub fn decide(x: [f64; 3]) -> (f64, bool) {
    let sum: f64 = WEIGHTS.iter().zip(x).map(|(w, x)| w * x).sum();
    (sum, sum > THRESHOLD)
}

/// All 8 situations, as (bad weather?, overtime?, easy trip?) answers.
pub fn situations() -> impl Iterator<Item = [bool; 3]> {
    (0..8).map(|i| [i & 4 != 0, i & 2 != 0, i & 1 != 0])
}

/// Prints the decision for all 8 situations.
pub fn run(out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "The perceptron of tutorial 002: go hiking this weekend?")?;
    writeln!(out, "  output = 1 (go) if w·x > {THRESHOLD}, else 0 (stay home)")?;
    writeln!(out, "  weights: weather {}, overtime {}, easy trip {}", WEIGHTS[0], WEIGHTS[1], WEIGHTS[2])?;
    writeln!(
        out,
        "  inputs are 1 when a factor favours going: weather not bad, no overtime, easy to get there"
    )?;
    writeln!(out)?;
    writeln!(out, "  bad weather?  overtime?  easy trip?   x          w·x = sum                 decision")?;
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    for [bad_weather, overtime, easy] in situations() {
        let x =
            [f64::from(u8::from(!bad_weather)), f64::from(u8::from(!overtime)), f64::from(u8::from(easy))];
        let (sum, go) = decide(x);
        let terms = format!("{}·{} + {}·{} + {}·{}", WEIGHTS[0], x[0], WEIGHTS[1], x[1], WEIGHTS[2], x[2]);
        writeln!(
            out,
            "  {:<13} {:<10} {:<12} ({},{},{})    {terms} = {sum:<2}   {sum:>2} > {THRESHOLD}? {} → {}",
            yes_no(bad_weather),
            yes_no(overtime),
            yes_no(easy),
            x[0],
            x[1],
            x[2],
            if go { "yes" } else { "no " },
            if go { "go hiking" } else { "stay home" }
        )?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "Good weather alone (10 > 5) decides it; in bad weather you go only without overtime (8 + …)."
    )?;
    writeln!(out, "Change a weight and the decisions change: that is all \"learning\" will adjust.")
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

//! The lessons print the tutorials' numbers: each golden value is asserted on the real output.

use scratchnet::lessons::{Lesson, LessonOptions, chain_rule, gender};

fn output(lesson: Lesson, options: &LessonOptions) -> String {
    let mut out = Vec::new();
    lesson.run(options, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn run(lesson: Lesson) -> String {
    output(lesson, &LessonOptions::default())
}

#[test]
fn neuron_prints_the_tutorials_value_with_its_steps() {
    let text = run(Lesson::Neuron);
    // 0·2 + 1·3 + 4 = 7, σ(7) = 0.9990889488055994 (tutorial 002)
    assert!(text.contains("z = w·x + b = 0·2 + 1·3 + 4 = 7"), "{text}");
    assert!(text.contains("= 0.9990889488055994"), "{text}");
    assert!(text.contains("in f32: 0.999089"), "{text}");
}

#[test]
fn forward_prints_h1_h2_and_o1() {
    let text = run(Lesson::Forward);
    // h = σ(3) = 0.9525741268224334; o1 = σ(h2) = 0.7216325609518421
    assert_eq!(text.matches("σ(3) = 0.9525741268224334").count(), 2, "{text}");
    assert!(text.contains("o1 = σ(0·h1 + 1·h2 + 0) = σ(0.9525741268224334) = 0.7216325609518421"), "{text}");
    assert!(text.contains("o1 = 0.7216326"), "library value: {text}");
}

#[test]
fn mse_prints_each_squared_error_and_the_mean() {
    let text = run(Lesson::Mse);
    assert!(text.contains("MSE = (1 + 0 + 0 + 1) / 4 = 2 / 4 = 0.5"), "{text}");
    assert!(text.contains("Loss::Mse gives 0.5"), "{text}");
}

#[test]
fn perceptron_prints_all_eight_situations() {
    let text = run(Lesson::Perceptron);
    assert_eq!(text.matches("→ go hiking").count(), 6, "{text}");
    assert_eq!(text.matches("→ stay home").count(), 2, "{text}");
    assert!(text.contains("10·0 + 8·0 + 1·1 = 1"), "{text}");
}

#[test]
fn chain_rule_prints_every_factor_and_three_agreeing_gradients() {
    let text = run(Lesson::ChainRule);
    let w = chain_rule::worked();
    // ∂L/∂ŷ = −2(1 − 0.8704730976) = −0.2590538049, ∂ŷ/∂h1 = σ′(1.9051) = 0.1127496840,
    // ∂h1/∂w1 = −2·σ′(3) = −0.0903533195, product +0.0026390610
    for value in ["-0.2590538049", "+0.1127496840", "-0.0903533195", "+0.0026390610"] {
        assert!(text.contains(value), "missing {value}: {text}");
    }
    assert!((w.dl_dw1 - 0.002_639_061_0).abs() < 1e-10);
    assert!(text.contains("backward_loss, f32): +0.00263906"), "{text}");
    assert!(text.contains("(f64):    +0.0026390610"), "{text}");
    assert!(text.contains("gradient descent decreases w1"), "{text}");
}

#[test]
fn gender_prints_the_loss_every_10_epochs_and_predicts() {
    let text = run(Lesson::Gender);
    let losses: Vec<f32> = text
        .lines()
        .filter_map(|l| l.strip_prefix("Epoch "))
        .map(|l| l.split("loss: ").nth(1).unwrap().parse().unwrap())
        .collect();
    assert_eq!(losses.len(), 100, "epochs 10, 20, …, 1000");
    assert!(text.contains("Epoch 10 loss:") && text.contains("Epoch 1000 loss:"));
    assert!(*losses.last().unwrap() < 0.01, "{text}");
    assert!(text.contains("Emily") && text.contains("→ female"), "{text}");
    assert!(text.contains("Frank") && text.contains("→ male"), "{text}");
}

#[test]
fn gender_seed_changes_the_start_and_a_stuck_seed_says_so() {
    let a = output(Lesson::Gender, &LessonOptions { seed: 1, ..Default::default() });
    let b = output(Lesson::Gender, &LessonOptions { seed: 2, ..Default::default() });
    let first = |t: &str| t.lines().find(|l| l.starts_with("Epoch 10 ")).unwrap().to_string();
    assert_ne!(first(&a), first(&b));
    // Seed 3 ends in a poor local minimum (loss ≈ 0.13): the lesson must say so.
    let (_, losses) = gender::train(3);
    assert!(losses.last().unwrap().1 > 0.01);
    let stuck = output(Lesson::Gender, &LessonOptions { seed: 3, ..Default::default() });
    assert!(stuck.contains("note: the loss stayed at"), "{stuck}");
}

#[test]
fn descent_prints_each_method_and_the_exact_answer() {
    let text = run(Lesson::Descent);
    for name in ["stochastic", "batch", "mini-batch", "fixed-step", "least squares"] {
        assert!(text.lines().any(|l| l.trim_start().starts_with(name)), "{name} missing: {text}");
    }
    // updates: 100 beans × 40 epochs, 300 full batches, 10 × 60 mini-batches, 800 fixed steps
    for updates in ["4000", "300", "600", "800"] {
        assert!(text.contains(updates), "{updates}: {text}");
    }
    if cfg!(feature = "plot") {
        assert!(text.contains("--out DIR"), "without --out it says how to get pictures: {text}");
    } else {
        assert!(!text.contains("--out"), "no pictures to offer without the plot feature: {text}");
    }
}

#[test]
fn surface_prints_the_bottom_the_path_and_the_cut() {
    let text = run(Lesson::Surface);
    assert!(text.contains("the bottom of the bowl (least squares): w = 0.68349, b = 0.50718"), "{text}");
    assert!(text.contains("after 300 steps w = 0.68349, b = 0.50718"), "{text}");
    assert!(text.contains("lowest at w = c/a = 1.44520"), "{text}");
}

#[test]
fn hidden_layer_learns_the_hill_and_explains_its_neurons() {
    let text = run(Lesson::HiddenLayer);
    let accuracy: f32 = text
        .lines()
        .find_map(|l| l.strip_prefix("accuracy: "))
        .and_then(|l| l.split('%').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no accuracy line: {text}"));
    assert!(accuracy >= 95.0, "{text}");
    assert_eq!(text.lines().filter(|l| l.starts_with("epoch ")).count(), 10, "loss every 500 of 5000 epochs");
    assert!(
        text.contains("h1 = σ(") && text.contains("h2 = σ(") && text.contains("switches at x ="),
        "{text}"
    );
    assert!(!text.contains("note: this run is stuck"), "{text}");
}

#[test]
fn hidden_layer_says_when_a_run_is_stuck() {
    // 20 epochs are far too few: the run has not found the hill, and must say so.
    let options = LessonOptions { epochs: Some(20), ..Default::default() };
    let text = output(Lesson::HiddenLayer, &options);
    assert!(text.contains("note: this run is stuck"), "{text}");
}

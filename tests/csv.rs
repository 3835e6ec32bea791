//! `--dataset csv:PATH` end to end on files the tests write: classification with a categorical
//! column, regression, missing values; then save, eval and predict on the saved model.

use std::path::PathBuf;
use std::process::{Command, Output};

fn scratchnet(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_scratchnet"))
        .env("SCRATCHNET_LANG", "en")
        .args(args)
        .output()
        .expect("the binary runs")
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("scratchnet-csv-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// 400 fruit: weight (g), colour (text), "ripe" days; the kind depends on weight and colour.
fn fruit_csv() -> String {
    let mut text = String::from("weight,colour,days,kind\n");
    for i in 0..400u32 {
        let colour = ["red", "green", "yellow"][(i % 3) as usize];
        let weight = 80 + (i * 37) % 150;
        let kind = match (colour, weight > 150) {
            ("yellow", _) => "banana",
            (_, true) => "apple",
            _ => "plum",
        };
        text += &format!("{weight},{colour},{},{kind}\n", (i * 7) % 10);
    }
    text
}

#[test]
fn classification_with_a_categorical_column_then_save_eval_predict() {
    let dir = temp_dir("fruit");
    let csv = dir.join("fruit.csv");
    std::fs::write(&csv, fruit_csv()).unwrap();
    let model = dir.join("fruit.safetensors");
    let dataset = format!("csv:{}", csv.display());
    let out =
        scratchnet(&["train", "--dataset", &dataset, "--target", "kind", "--save", model.to_str().unwrap()]);
    let printed = text(&out);
    assert!(out.status.success(), "{printed}");
    assert!(printed.contains("colour (3 categories)") && printed.contains("weight (number)"), "{printed}");
    assert!(printed.contains("classification, 3 classes (apple, banana, plum)"), "{printed}");
    assert!(printed.contains("280 training, 60 validation, 60 test"), "70/15/15 split: {printed}");
    let accuracy: f64 =
        printed.split("test: accuracy ").nth(1).unwrap().split('%').next().unwrap().parse().unwrap();
    assert!(accuracy > 90.0, "{printed}");

    let eval = text(&scratchnet(&["eval", "--model", model.to_str().unwrap()]));
    assert!(eval.contains("fruit.csv test set") || eval.contains("test set"), "{eval}");
    assert!(
        eval.contains(&format!("accuracy {accuracy:.2}%")),
        "eval scores the same test rows: {eval}\n{printed}"
    );
    assert!(eval.contains("banana") && eval.contains("confusion matrix"), "{eval}");

    let predicted = text(&scratchnet(&["predict", "--model", model.to_str().unwrap(), "120", "yellow", "3"]));
    assert!(predicted.starts_with("(120, yellow, 3): banana"), "{predicted}");
    let wrong = scratchnet(&["predict", "--model", model.to_str().unwrap(), "heavy", "red", "1"]);
    assert!(
        !wrong.status.success() && text(&wrong).contains("`heavy` in column `weight` is not a number"),
        "{}",
        text(&wrong)
    );
    let short = scratchnet(&["predict", "--model", model.to_str().unwrap(), "120"]);
    assert!(text(&short).contains("the model expects: weight, colour, days"), "{}", text(&short));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn regression_targets_predict_in_their_own_units() {
    let dir = temp_dir("houses");
    let csv = dir.join("houses.csv");
    let mut text_csv = String::from("rooms,area,price\n");
    for i in 0..300u32 {
        let (rooms, area) = (1 + i % 5, 30.0 + f64::from((i * 13) % 120));
        text_csv +=
            &format!("{rooms},{area},{:.1}\n", 50_000.0 + 2_000.0 * area + 10_000.0 * f64::from(rooms));
    }
    std::fs::write(&csv, text_csv).unwrap();
    let model = dir.join("houses.safetensors");
    let out = scratchnet(&[
        "train",
        "--dataset",
        &format!("csv:{}", csv.display()),
        "--save",
        model.to_str().unwrap(),
    ]);
    assert!(out.status.success() && text(&out).contains("target `price`: regression"), "{}", text(&out));
    let printed = text(&scratchnet(&["predict", "--model", model.to_str().unwrap(), "3", "100"]));
    let value: f64 = printed.rsplit(": ").next().unwrap().trim().parse().unwrap();
    assert!((value - 280_000.0).abs() < 15_000.0, "{printed}");
    let eval = text(&scratchnet(&["eval", "--model", model.to_str().unwrap()]));
    assert!(eval.contains("RMSE"), "{eval}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn missing_values_stop_with_line_and_column_unless_dropped() {
    let dir = temp_dir("missing");
    let csv = dir.join("m.csv");
    let mut text_csv = fruit_csv();
    text_csv = text_csv.replacen("\n80,red", "\nNA,red", 1);
    std::fs::write(&csv, &text_csv).unwrap();
    let dataset = format!("csv:{}", csv.display());
    let out = scratchnet(&["train", "--dataset", &dataset, "--epochs", "2"]);
    let printed = text(&out);
    assert!(
        !out.status.success() && printed.contains("line 2: the value of column `weight` is missing"),
        "{printed}"
    );
    assert!(printed.contains("--drop-missing"), "{printed}");
    let out = scratchnet(&["train", "--dataset", &dataset, "--epochs", "2", "--drop-missing"]);
    assert!(
        out.status.success() && text(&out).contains("dropped 1 rows with missing values"),
        "{}",
        text(&out)
    );
    let out = scratchnet(&["train", "--dataset", &dataset, "--target", "nope"]);
    assert!(
        text(&out).contains("there is no column `nope`; the columns are: weight, colour, days, kind"),
        "{}",
        text(&out)
    );
    let out = scratchnet(&["train", "--dataset", "csv:/nonexistent.csv"]);
    assert!(!out.status.success() && text(&out).contains("/nonexistent.csv"), "{}", text(&out));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A file as Excel writes it in much of Europe: `;`-separated, decimal commas. The price
/// depends only on `Gewicht` (a decimal-comma column); `Länge` is noise and `Farbe` a category
/// that does not matter.
fn european_csv() -> String {
    let mut text = String::from("Gewicht;Farbe;Länge;Preis\n");
    for i in 0..300u32 {
        let weight = 0.5 + f64::from((i * 37) % 100) / 40.0; // 0,5 to 2,975
        let length = f64::from((i * 53) % 97) / 3.0;
        let colour = ["rot", "grün", "blau"][(i % 3) as usize];
        let price = 10.0 * weight + 5.0;
        let row = format!("{weight:.3};{colour};{length:.2};{price:.2}\n");
        text += &row.replace('.', ",");
    }
    text
}

/// The value `predict` prints for a regression model.
fn predicted_value(out: &Output) -> f64 {
    let printed = text(out);
    let line = printed.lines().find(|l| l.starts_with('(')).unwrap_or_else(|| panic!("{printed}"));
    line.rsplit(": ").next().unwrap().trim().parse().unwrap_or_else(|_| panic!("{printed}"))
}

#[test]
fn semicolons_and_decimal_commas_are_read_as_numbers_and_learned_from() {
    let dir = temp_dir("european");
    let csv = dir.join("preise.csv");
    std::fs::write(&csv, european_csv()).unwrap();
    let model = dir.join("preise.safetensors");
    let model = model.to_str().unwrap();
    let out = scratchnet(&["train", "--dataset", &format!("csv:{}", csv.display()), "--save", model]);
    let printed = text(&out);
    assert!(out.status.success(), "{printed}");
    assert!(printed.contains("fields separated by `;`"), "{printed}");
    assert!(printed.contains("read with decimal commas (3,5 = 3.5): Gewicht, Länge, Preis"), "{printed}");
    assert!(
        printed.contains(
            "features: Gewicht (number, decimal comma), Farbe (3 categories), Länge (number, decimal comma)"
        ),
        "{printed}"
    );
    assert!(!printed.contains("left out"), "{printed}");
    // the price is 10 × weight + 5: only a model that reads the weight gets these right
    for (weight, price) in [("1,5", 20.0), ("2,5", 30.0), ("0,75", 12.5)] {
        let value = predicted_value(&scratchnet(&["predict", "--model", model, weight, "rot", "10,0"]));
        assert!((value - price).abs() < 1.5, "{weight} → {value}, not {price}");
    }
    let shown = text(&scratchnet(&["predict", "--model", model, "1,5", "rot", "10,0"]));
    assert!(shown.starts_with("(1,5; rot; 10,0): "), "values with commas are shown apart: {shown}");
    let negative = scratchnet(&["predict", "--model", model, "--", "-0,5", "rot", "10,0"]);
    assert!(predicted_value(&negative) < 5.0, "{}", text(&negative));
    let wrong = scratchnet(&["predict", "--model", model, "1.5", "rot", "10"]);
    assert!(
        !wrong.status.success()
            && text(&wrong)
                .contains("`1.5` in column `Gewicht` is not a number written with a decimal comma"),
        "{}",
        text(&wrong)
    );
    let eval = scratchnet(&["eval", "--model", model]);
    assert!(eval.status.success() && text(&eval).contains("preise.csv test set"), "{}", text(&eval));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn tab_separated_files_and_quoted_commas_are_read_without_flags() {
    let dir = temp_dir("tabs");
    let (tabs, quoted) = (dir.join("fruit.tsv"), dir.join("quoted.csv"));
    std::fs::write(&tabs, fruit_csv().replace(',', "\t")).unwrap();
    let out = scratchnet(&["train", "--dataset", &format!("csv:{}", tabs.display()), "--epochs", "20"]);
    let printed = text(&out);
    assert!(out.status.success() && printed.contains("fields separated by tab"), "{printed}");
    assert!(printed.contains("features: weight (number), colour (3 categories), days (number)"), "{printed}");

    // comma-separated: a decimal comma can only be in quotes, and so can a comma in a text
    let mut text_csv = String::from("place,size,kind\n");
    for i in 0..120u32 {
        let place = ["\"Paris, France\"", "\"Lyon, France\"", "Bern"][(i % 3) as usize];
        let size = f64::from(i % 40) / 8.0;
        let kind = if size > 2.5 { "big" } else { "small" };
        text_csv += &format!("{place},\"{}\",{kind}\n", format!("{size:.3}").replace('.', ","));
    }
    std::fs::write(&quoted, text_csv).unwrap();
    let out = scratchnet(&["train", "--dataset", &format!("csv:{}", quoted.display()), "--epochs", "20"]);
    let printed = text(&out);
    assert!(out.status.success() && !printed.contains("fields separated by"), "{printed}");
    assert!(printed.contains("features: place (3 categories), size (number, decimal comma)"), "{printed}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_separators_can_be_forced_and_eval_rereads_the_file_alike() {
    let dir = temp_dir("forced");
    // areas with thousands dots only (1.234 = 1234): plain numbers unless --decimal , says
    // otherwise; and a comma on every line, so that `,` splits them as evenly as `;` does
    let csv = dir.join("flats.csv");
    let mut text_csv = String::from("area, m2;price\n");
    for i in 0..200u32 {
        let area = 1000 + (i * 37) % 900;
        let price = 3 * area; // written 3.702,5: a comma on every line, as in the header
        text_csv += &format!("{}.{:03};{}.{:03},5\n", area / 1000, area % 1000, price / 1000, price % 1000);
    }
    std::fs::write(&csv, text_csv).unwrap();
    let dataset = format!("csv:{}", csv.display());
    let guessed = text(&scratchnet(&["train", "--dataset", &dataset, "--epochs", "2"]));
    assert!(!guessed.contains("fields separated by"), "a tie goes to the comma: {guessed}");
    let model = dir.join("flats.safetensors");
    let model = model.to_str().unwrap();
    let flags = ["--delimiter", ";", "--decimal", ",", "--save", model];
    let out = scratchnet(&[&["train", "--dataset", &dataset][..], &flags[..]].concat());
    let printed = text(&out);
    assert!(out.status.success(), "{printed}");
    assert!(printed.contains("features: area, m2 (number, decimal comma)"), "{printed}");
    let value = predicted_value(&scratchnet(&["predict", "--model", model, "1.500"]));
    assert!((value - 4500.5).abs() < 300.0, "1.500 is 1500 m2: {value}");
    let eval = scratchnet(&["eval", "--model", model]);
    assert!(eval.status.success() && text(&eval).contains("flats.csv test set"), "{}", text(&eval));
    let bad = scratchnet(&["train", "--dataset", &dataset, "--delimiter", "ab"]);
    assert!(!bad.status.success() && text(&bad).contains("cannot separate fields"), "{}", text(&bad));
    let bad = scratchnet(&["train", "--dataset", &dataset, "--decimal", ";"]);
    assert!(!bad.status.success() && text(&bad).contains("use . or ,"), "{}", text(&bad));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_column_mixing_decimal_commas_and_words_stays_text() {
    let dir = temp_dir("mixed");
    let csv = dir.join("mixed.csv");
    let mut text_csv = String::from("reading;colour;kind\n");
    for i in 0..200u32 {
        let reading = if i % 50 == 7 { "abc".to_string() } else { format!("{},{}", i % 90, i % 10) };
        let colour = ["red", "blue"][(i % 2) as usize];
        text_csv += &format!("{reading};{colour};{}\n", if i % 2 == 0 { "a" } else { "b" });
    }
    std::fs::write(&csv, text_csv).unwrap();
    let out = scratchnet(&["train", "--dataset", &format!("csv:{}", csv.display()), "--epochs", "2"]);
    let printed = text(&out);
    assert!(out.status.success(), "{printed}");
    assert!(!printed.contains("decimal comma"), "{printed}");
    assert!(
        printed.contains("left out reading (a different text in almost every row")
            && printed.contains("most of its values are numbers, but not `abc`"),
        "{printed}"
    );
    assert!(printed.contains("features: colour (2 categories)"), "{printed}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_unknown_category_is_refused_at_predict_and_eval_unless_allowed() {
    let dir = temp_dir("unknown");
    let csv = dir.join("fruit.csv");
    std::fs::write(&csv, fruit_csv()).unwrap();
    let model = dir.join("fruit.safetensors");
    let model = model.to_str().unwrap();
    let out = scratchnet(&["train", "--dataset", &format!("csv:{}", csv.display()), "--save", model]);
    assert!(out.status.success(), "{}", text(&out));

    let refused = scratchnet(&["predict", "--model", model, "120", "purple", "3"]);
    let printed = text(&refused);
    assert!(!refused.status.success(), "{printed}");
    assert!(
        printed.contains(
            "`purple` in column `colour` is not a category the model was trained on; it knows: green, red, yellow"
        ) && printed.contains("--allow-unknown"),
        "{printed}"
    );
    let allowed = scratchnet(&["predict", "--model", model, "--allow-unknown", "120", "purple", "3"]);
    let printed = text(&allowed);
    assert!(allowed.status.success() && printed.contains("(120, purple, 3): "), "{printed}");
    assert!(
        printed.contains("warning: column `colour`: 1 value not seen in training (first `purple`)"),
        "{printed}"
    );

    let other = dir.join("other.csv");
    let rows = "weight,colour,days,kind\n120,yellow,3,banana\n90,Red,1,plum\n100,Red,2,plum\n";
    std::fs::write(&other, rows).unwrap();
    let dataset = format!("csv:{}", other.display());
    let refused = scratchnet(&["eval", "--model", model, "--dataset", &dataset]);
    let printed = text(&refused);
    assert!(
        !refused.status.success() && printed.contains("other.csv: line 3: `Red` in column `colour`"),
        "{printed}"
    );
    let allowed = scratchnet(&["eval", "--model", model, "--dataset", &dataset, "--allow-unknown"]);
    let printed = text(&allowed);
    assert!(allowed.status.success() && printed.contains("3 samples"), "{printed}");
    assert!(printed.contains("column `colour`: 2 values not seen in training (first `Red`)"), "{printed}");
    std::fs::remove_dir_all(&dir).unwrap();
}

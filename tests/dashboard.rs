//! The dashboard server: what it serves, what it refuses, and that pages come and go without
//! disturbing the run. (The page itself is tested in a real browser by e2e/dashboard.mjs.)

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use scratchnet::dashboard::{DIGIT_SIDE, Dashboard};
use scratchnet::{Activation, Init, Network, Rng};
use serde_json::json;

fn start() -> Dashboard {
    Dashboard::start(Some("127.0.0.1:0".parse().unwrap())).expect("a free loopback port")
}

/// Sends a raw request and returns (status, body).
fn raw(addr: SocketAddr, request: &[u8]) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    stream.write_all(request).unwrap();
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").map_or(response.len(), |i| i + 4);
    let (head, body) = response.split_at(split);
    let head = String::from_utf8_lossy(head).to_lowercase();
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    // large answers (the page, the font) come in chunks
    let body = if head.contains("transfer-encoding: chunked") { dechunk(body) } else { body.to_vec() };
    (status, String::from_utf8_lossy(&body).to_string())
}

/// The body of a chunked answer: `size in hex\r\n bytes \r\n` … until a chunk of size 0.
fn dechunk(mut rest: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    while let Some(end) = rest.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&rest[..end]).trim(), 16).expect("a chunk size");
        if size == 0 {
            break;
        }
        body.extend_from_slice(&rest[end + 2..end + 2 + size]);
        rest = &rest[end + 2 + size + 2..];
    }
    body
}

fn get(addr: SocketAddr, path: &str) -> (u16, String) {
    raw(addr, format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes())
}

fn post(addr: SocketAddr, path: &str, body: &[u8]) -> (u16, String) {
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(body);
    raw(addr, &request)
}

#[test]
fn it_listens_on_loopback_unless_told_otherwise() {
    let dashboard = Dashboard::start(None).unwrap();
    assert!(dashboard.addr().ip().is_loopback(), "{}", dashboard.addr());
    // the default port may be taken (by this very test's twin): a second one still starts
    let second = Dashboard::start(None).unwrap();
    assert_ne!(dashboard.addr(), second.addr());
    assert!(second.url().starts_with("http://127.0.0.1:"));
}

#[test]
fn an_address_in_use_is_a_clear_error() {
    let first = start();
    let Err(err) = Dashboard::start(Some(first.addr())) else { panic!("the same port twice") };
    assert!(err.to_string().contains("--dashboard-addr"), "{err}");
}

#[test]
fn it_serves_its_page_and_nothing_else() {
    let d = start();
    let (status, page) = get(d.addr(), "/");
    assert_eq!(status, 200);
    assert!(
        page.contains("<title data-t=\"dash.title\">scratchnet")
            && page.contains("new EventSource(\"/events\")")
    );
    assert!(!page.contains("http://") && !page.contains("https://"), "no CDN or outside address");
    for path in [
        "/index.html",
        "/../Cargo.toml",
        "/..%2f..%2fetc%2fpasswd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/src/dashboard/page.html",
        "//etc/passwd",
        "/api/state/../../Cargo.toml",
    ] {
        let (status, body) = get(d.addr(), path);
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("root:") && !body.contains("[package]"), "{path} leaked a file");
    }
    assert_eq!(raw(d.addr(), b"DELETE / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").0, 405);
    assert_eq!(get(d.addr(), "/api/digit").0, 405);
    assert_eq!(post(d.addr(), "/", b"x").0, 405);
    assert_eq!(post(d.addr(), "/font.ttf", b"x").0, 405);
}

/// The messages the server put into the page: `{"lang", "en": {key: template}, "zh": {…}}`.
fn injected(page: &str) -> serde_json::Value {
    let json = page.split("const I18N = ").nth(1).and_then(|s| s.split(";\n").next()).expect("the messages");
    serde_json::from_str(json).expect("the messages are JSON")
}

/// A template filled as the page's script does it (`{name}` from `args`).
fn fill(template: &str, args: &serde_json::Value) -> String {
    let mut out = template.to_string();
    for (name, value) in args.as_object().unwrap() {
        out = out.replace(&format!("{{{name}}}"), value.as_str().unwrap());
    }
    out
}

#[test]
fn the_page_speaks_the_language_the_run_speaks_and_holds_both() {
    use scratchnet::i18n::{Lang, with_lang};
    let zh = with_lang(Lang::Zh, start);
    let en = with_lang(Lang::En, start);
    assert_eq!((zh.lang(), en.lang()), (Lang::Zh, Lang::En));
    let (status, page) = get(zh.addr(), "/");
    assert_eq!(status, 200);
    assert!(page.contains("<html lang=\"zh\">"), "the page of a Chinese run says so");
    assert!(page.contains("<title data-t=\"dash.title\">scratchnet — 实时训练</title>"));
    for label in [
        "损失</h2>",
        "准确率</h2>",
        "混淆矩阵</span>",
        "一次预测是怎么算出来的</h2>",
        "手写一个数字</h2>",
        "验证集</span>",
    ] {
        assert!(page.contains(label), "{label} is on the page of a Chinese run");
    }
    let (_, english) = get(en.addr(), "/");
    assert!(english.contains("<html lang=\"en\">") && english.contains(">Inside one prediction</h2>"));
    assert!(!english.contains("损失</h2>"));
    // both languages are inside, with the same keys, for the switch on the page
    let messages = injected(&page);
    assert_eq!(messages["lang"], "zh");
    assert_eq!(injected(&english)["lang"], "en");
    let keys = |lang: &str| -> Vec<String> { messages[lang].as_object().unwrap().keys().cloned().collect() };
    assert!(keys("en").len() > 60, "{} messages", keys("en").len());
    assert_eq!(keys("en"), keys("zh"));
    assert!(keys("en").iter().all(|k| k.starts_with("dash.")));
    assert_eq!(messages["zh"]["dash.section.loss"], "损失");
    assert_eq!(messages["en"]["dash.section.loss"], "Loss");
    assert_eq!(injected(&english)["zh"], messages["zh"], "every page holds both languages");
    // the Chinese font the page falls back to
    let (status, font) = get(zh.addr(), "/font.ttf");
    assert_eq!(status, 200);
    assert!(font.len() > 10_000 && font.starts_with("\0\u{1}\0\0"), "a TrueType font");
}

#[test]
fn hints_carry_their_keys_so_the_page_can_show_them_in_either_language() {
    use scratchnet::dashboard::views::Diagnosis;
    use scratchnet::i18n::{Lang, with_lang};
    let d = with_lang(Lang::Zh, start);
    let mut rules = Diagnosis::new(0.001, false, 4);
    for e in 1..=4 {
        rules.epoch(&epoch(e, 2.30, 2.30, 0.11), &d);
    }
    let state: serde_json::Value = serde_json::from_str(&get(d.addr(), "/api/state").1).unwrap();
    let hint = &state["hints"][0];
    assert_eq!(hint["rule"], "plateau");
    let messages = injected(&get(d.addr(), "/").1);
    for part in ["title", "text", "fix"] {
        let shown = hint[part].as_str().unwrap();
        let message = &hint["messages"][part];
        let key = message["key"].as_str().unwrap();
        assert!(key.starts_with("dash.hint.plateau."), "{key}");
        // the run's language is Chinese: the text for /api/state is the Chinese message
        let zh = fill(messages["zh"][key].as_str().unwrap(), &message["args"]);
        assert_eq!(shown, zh);
        assert!(shown.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{shown}");
        // and switched to English, the page shows the English one, with the same numbers
        let en = fill(messages["en"][key].as_str().unwrap(), &message["args"]);
        assert!(!en.contains('{') && !en.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{en}");
        let numbers = |s: &str| -> Vec<String> {
            s.split(|c: char| !(c.is_ascii_digit() || c == '.'))
                .filter(|w| w.chars().any(|c| c.is_ascii_digit()))
                .map(str::to_string)
                .collect()
        };
        let mut a = numbers(&en);
        let mut b = numbers(&zh);
        a.sort();
        b.sort();
        assert_eq!(a, b, "{en} / {zh}");
    }
    assert!(hint["title"].as_str().unwrap().contains("2.3000 → 2.3000"), "{hint}");
}

#[test]
fn a_drawn_digit_is_checked_and_answered() {
    let d = start();
    let side = DIGIT_SIDE;
    // no network yet, or one that does not take 28×28 images
    assert_eq!(post(d.addr(), "/api/digit", &vec![255; side * side]).0, 404);
    let mut rng = Rng::new(1);
    let net =
        Network::new(&[784, 16, 10], Activation::Relu, Activation::Softmax, Init::He, &mut rng).unwrap();
    d.set_network(std::sync::Arc::new(net), 1.0 / 255.0);
    // wrong sizes: too short, one byte too many, and a huge declared body that is never sent
    assert_eq!(post(d.addr(), "/api/digit", &[255; 100]).0, 400);
    assert_eq!(post(d.addr(), "/api/digit", &vec![255; side * side + 1]).0, 413);
    let huge =
        b"POST /api/digit HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 999999999\r\n\r\n";
    assert_eq!(raw(d.addr(), huge).0, 413);
    // a blank page has no digit in it
    let (status, body) = post(d.addr(), "/api/digit", &vec![255; side * side]);
    assert_eq!(status, 422, "{body}");
    // a dark vertical stroke on white: a "1"
    let mut pixels = vec![255u8; side * side];
    for y in 20..92 {
        for x in 52..62 {
            pixels[y * side + x] = 0;
        }
    }
    let (status, body) = post(d.addr(), "/api/digit", &pixels);
    assert_eq!(status, 200, "{body}");
    let answer: serde_json::Value = serde_json::from_str(&body).unwrap();
    let input = answer["input"].as_array().unwrap();
    assert_eq!(input.len(), 784);
    assert!(
        input.iter().filter(|v| v.as_u64().unwrap() > 128).count() > 20,
        "the stroke reached the 28×28 input"
    );
    let probs: Vec<f64> = answer["probs"].as_array().unwrap().iter().map(|p| p.as_f64().unwrap()).collect();
    assert_eq!(probs.len(), 10);
    assert!((probs.iter().sum::<f64>() - 1.0).abs() < 1e-3);
    assert_eq!(answer["activations"].as_array().unwrap().len(), 2);
}

/// Opens an event stream and returns a reader positioned after the headers.
fn open_stream(addr: SocketAddr) -> BufReader<TcpStream> {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    stream.write_all(b"GET /events HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    assert!(line.starts_with("HTTP/1.1 200"), "{line}");
    loop {
        line.clear();
        reader.read_line(&mut line).unwrap();
        if line == "\r\n" {
            return reader;
        }
    }
}

/// Reads events until one of `kind` arrives; returns its data.
fn next_event(reader: &mut BufReader<TcpStream>, kind: &str) -> serde_json::Value {
    let mut current = String::new();
    let mut line = String::new();
    loop {
        line.clear();
        assert!(reader.read_line(&mut line).unwrap() > 0, "the stream ended");
        if let Some(k) = line.strip_prefix("event: ") {
            current = k.trim().to_string();
        } else if let Some(data) = line.strip_prefix("data: ")
            && current == kind
        {
            return serde_json::from_str(data.trim()).unwrap();
        }
    }
}

#[test]
fn several_pages_follow_the_run_and_closing_one_disturbs_nothing() {
    let d = start();
    d.publish("setup", json!({ "kind": "plain" }));
    d.publish("epoch", json!({ "epoch": 1 }));
    let mut a = open_stream(d.addr());
    let mut b = open_stream(d.addr());
    // a page opened late gets what happened before it
    assert_eq!(next_event(&mut a, "setup")["kind"], "plain");
    assert_eq!(next_event(&mut a, "epoch")["epoch"], 1);
    assert_eq!(next_event(&mut b, "epoch")["epoch"], 1);
    d.publish("epoch", json!({ "epoch": 2 }));
    assert_eq!(next_event(&mut a, "epoch")["epoch"], 2);
    assert_eq!(next_event(&mut b, "epoch")["epoch"], 2);
    assert_eq!(d.open_pages(), 2);
    drop(a); // a tab closes
    for epoch in 3..50 {
        d.publish("epoch", json!({ "epoch": epoch })); // never blocks, never panics
        std::thread::sleep(Duration::from_millis(2));
    }
    assert_eq!(next_event(&mut b, "epoch")["epoch"], 3);
    assert_eq!(d.open_pages(), 1, "the closed page was noticed and dropped");
    let (status, state) = get(d.addr(), "/api/state");
    assert_eq!(status, 200);
    let state: serde_json::Value = serde_json::from_str(&state).unwrap();
    assert_eq!(state["epochs"].as_array().unwrap().len(), 49);
}

#[test]
fn a_page_that_stops_reading_is_dropped_instead_of_slowing_training() {
    let d = start();
    let stalled = TcpStream::connect(d.addr()).unwrap();
    (&stalled).write_all(b"GET /events HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let big = "x".repeat(100_000);
    let start = std::time::Instant::now();
    for i in 0..2000 {
        d.publish("view", json!({ "i": i, "padding": big })); // the socket buffer fills quickly
    }
    assert!(start.elapsed() < Duration::from_secs(20), "publishing never waits for a page");
    assert_eq!(d.open_pages(), 0, "the stalled page was dropped");
    drop(stalled);
}

fn hints(d: &Dashboard) -> Vec<String> {
    let state: serde_json::Value = serde_json::from_str(&get(d.addr(), "/api/state").1).unwrap();
    state["hints"].as_array().unwrap().iter().map(|h| h["rule"].as_str().unwrap().to_string()).collect()
}

fn epoch(epoch: usize, train_loss: f32, val_loss: f32, train_accuracy: f32) -> scratchnet::train::EpochStats {
    scratchnet::train::EpochStats {
        epoch,
        train_loss,
        train_accuracy: Some(train_accuracy),
        val_loss: Some(val_loss),
        val_accuracy: None,
        lr: 0.1,
        train_seconds: 1.0,
    }
}

#[test]
fn the_diagnosis_rules_say_what_they_see_once() {
    use scratchnet::dashboard::views::Diagnosis;
    // a healthy run: falling losses, nothing to say
    let d = start();
    let mut rules = Diagnosis::new(0.1, true, 6);
    for i in 0..500 {
        let noise = if i % 2 == 0 { 0.3 } else { -0.3 }; // batch to batch, losses jump about
        rules.batch(2.0 / (1.0 + i as f32 * 0.05) + noise, 50, &d);
    }
    for e in 1..=6 {
        rules.epoch(&epoch(e, 1.0 / e as f32, 1.1 / e as f32, 0.9), &d);
    }
    assert!(hints(&d).is_empty(), "{:?}", hints(&d));

    // the loss climbs after a good start: the learning rate is too high
    let d = start();
    let mut rules = Diagnosis::new(0.5, true, 10);
    for i in 0..400 {
        let loss = if i < 200 { 2.0 - i as f32 * 0.009 } else { 0.2 + (i - 200) as f32 * 0.02 };
        rules.batch(loss, 20, &d);
    }
    assert_eq!(hints(&d), ["rising"]);

    // losses that swing up and down by half: oscillation
    let d = start();
    let mut rules = Diagnosis::new(1.0, false, 10);
    for i in 0..200 {
        let loss = if (i / 20) % 2 == 0 { 1.0 } else { 0.4 };
        rules.batch(loss, 20, &d);
    }
    assert_eq!(hints(&d), ["oscillating"]);

    // validation loss up three epochs running while training loss falls: over-fitting; said once
    let d = start();
    let mut rules = Diagnosis::new(0.1, false, 6);
    for (e, (t, v)) in [(0.5, 0.40), (0.4, 0.35), (0.3, 0.36), (0.2, 0.38), (0.1, 0.41), (0.05, 0.45)]
        .into_iter()
        .enumerate()
    {
        rules.epoch(&epoch(e + 1, t, v, 0.99), &d);
    }
    assert_eq!(hints(&d), ["overfitting"]);

    // a flat loss at low accuracy: a plateau
    let d = start();
    let mut rules = Diagnosis::new(0.001, false, 4);
    for e in 1..=4 {
        rules.epoch(&epoch(e, 2.30, 2.30, 0.11), &d);
    }
    assert_eq!(hints(&d), ["plateau"]);

    // most ReLU units silent on the probe
    let d = start();
    let mut rules = Diagnosis::new(3.0, true, 10);
    rules.dead_units(1, 0.2, &d);
    assert!(hints(&d).is_empty());
    rules.dead_units(1, 0.8, &d);
    assert_eq!(hints(&d), ["dead-relu"]);
}

/// The address a running `scratchnet ... --dashboard` prints, and the rest of its output.
fn dashboard_of(
    child: &mut std::process::Child,
) -> (SocketAddr, std::io::Lines<BufReader<std::process::ChildStdout>>) {
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|l| l.strip_prefix("dashboard: ").map(str::to_string))
        .unwrap();
    let addr: SocketAddr = url.trim_start_matches("http://").split('/').next().unwrap().parse().unwrap();
    (addr, lines)
}

#[test]
fn train_with_a_dashboard_keeps_serving_until_ctrl_c_and_then_exits_cleanly() {
    use std::process::{Command, Stdio};
    let dir = std::env::temp_dir().join(format!("scratchnet-dash-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let model = dir.join("m.safetensors");
    let mut child = Command::new(env!("CARGO_BIN_EXE_scratchnet"))
        .args([
            "train",
            "--dataset",
            "beans-hill",
            "--epochs",
            "30",
            "--dashboard-addr",
            "127.0.0.1:0",
            "--save",
        ])
        .arg(&model)
        .env("SCRATCHNET_LANG", "en") // the tests read English words
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (addr, mut lines) = dashboard_of(&mut child);
    assert!(addr.ip().is_loopback());
    // wait for the end of training: the model is saved before the wait
    assert!(lines.by_ref().map_while(Result::ok).any(|l| l.contains("press Ctrl-C to stop")));
    assert!(scratchnet::io::load(&model).is_ok(), "--save wrote the model");
    let (status, state) = get(addr, "/api/state");
    assert_eq!(status, 200);
    let state: serde_json::Value = serde_json::from_str(&state).unwrap();
    assert_eq!(state["epochs"].as_array().unwrap().len(), 30);
    assert_eq!(state["setup"]["kind"], "curve", "one input, one output: the beans view");
    assert_eq!(state["view"]["curve"]["xs"].as_array().unwrap().len(), 101);
    assert!(state["done"]["message"].as_str().unwrap().starts_with("training finished"));
    assert_eq!(state["done"]["failed"], false);
    Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "Ctrl-C after training exits with 0, got {status}");
    assert!(lines.map_while(Result::ok).any(|l| l == "dashboard stopped"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_diverging_run_shows_the_fix_on_the_page_and_exits_with_the_error() {
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_scratchnet"))
        .args([
            "train",
            "--dataset",
            "gender",
            "--lr",
            "1e20",
            "--activation",
            "identity",
            "--output",
            "identity",
        ])
        .args(["--loss", "mse", "--epochs", "50", "--dashboard-addr", "127.0.0.1:0"])
        .env("SCRATCHNET_LANG", "en") // the tests read English words
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (addr, mut lines) = dashboard_of(&mut child);
    assert!(lines.by_ref().map_while(Result::ok).any(|l| l.contains("press Ctrl-C to stop")));
    let state: serde_json::Value = serde_json::from_str(&get(addr, "/api/state").1).unwrap();
    let hint = &state["hints"][0];
    assert_eq!(hint["rule"], "diverged");
    assert!(
        hint["title"].as_str().unwrap().contains("NaN") || hint["title"].as_str().unwrap().contains("inf")
    );
    assert!(hint["fix"].as_str().unwrap().contains("--lr 10000000000000000000"), "{hint}");
    assert_eq!(hint["messages"]["fix"]["key"], "dash.hint.diverged.fix");
    assert_eq!(hint["messages"]["fix"]["args"]["lr"], "10000000000000000000");
    assert_eq!(state["done"]["failed"], true, "the page colours the status by this flag");
    assert_eq!(state["done"]["messages"]["message"]["key"], "dash.done.diverged");
    Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(1), "the run failed, so the exit status says so");
    assert!(String::from_utf8_lossy(&output.stderr).contains("training diverged"));
}

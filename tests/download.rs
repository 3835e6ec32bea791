//! Downloads against a real HTTP server on 127.0.0.1 started by the test, serving files the
//! test made: a good file, one with the wrong contents, a dropped connection, and a 404.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::PathBuf;

use scratchnet::data::download::{Outcome, content_sha256, download_files};

/// A gzip file holding `bytes`.
fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

/// Serves, until the process ends: `/good.gz` (the given bytes), `/bad.gz` (other bytes),
/// `/cut.gz` (announces 100,000 bytes, sends 1,000 and hangs up), anything else 404.
fn serve(good: Vec<u8>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut request = String::new();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            reader.read_line(&mut request).unwrap();
            loop {
                let mut header = String::new();
                if reader.read_line(&mut header).unwrap() <= 2 {
                    break;
                }
            }
            let path = request.split_whitespace().nth(1).unwrap_or("").to_string();
            let (status, body, announced) = match path.as_str() {
                "/good.gz" => ("200 OK", good.clone(), good.len()),
                "/bad.gz" => ("200 OK", gzip(b"not the file you wanted"), 0),
                "/cut.gz" => ("200 OK", vec![7u8; 1000], 100_000),
                _ => ("404 Not Found", b"no such file".to_vec(), 0),
            };
            let length = if announced > 0 { announced } else { body.len() };
            let head = format!("HTTP/1.1 {status}\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n");
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
            // dropping the stream closes the connection, mid-body for /cut.gz
        }
    });
    address
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("scratchnet-dl-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn leftovers(dir: &PathBuf) -> Vec<String> {
    std::fs::read_dir(dir)
        .map_or(vec![], |d| d.map(|e| e.unwrap().file_name().into_string().unwrap()).collect())
}

#[test]
fn a_good_file_is_checked_written_and_then_found_present() {
    let contents = b"an IDX file, pretend".repeat(1000);
    let expected = content_sha256(&contents).unwrap();
    let server = serve(gzip(&contents));
    let dir = temp_dir("good");
    let mut calls = 0;
    let result = download_files(&[("good", &expected)], &server, &dir, &mut |_, _, _| calls += 1).unwrap();
    assert!(matches!(result[0].1, Outcome::Downloaded { .. }), "{result:?}");
    assert!(calls > 0, "progress was reported");
    let written = std::fs::read(dir.join("good.gz")).unwrap();
    assert_eq!(content_sha256(&written).unwrap(), expected);
    let again = download_files(&[("good", &expected)], &server, &dir, &mut |_, _, _| {}).unwrap();
    assert_eq!(again[0].1, Outcome::AlreadyPresent);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_wrong_checksum_writes_nothing() {
    let server = serve(Vec::new());
    let dir = temp_dir("bad");
    let err = download_files(&[("bad", "00")], &server, &dir, &mut |_, _, _| {}).unwrap_err();
    assert!(err.to_string().contains("SHA-256 of the contents is"), "{err}");
    assert!(err.hint().contains("run the command again"));
    assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));
}

#[test]
fn a_dropped_connection_writes_nothing() {
    let server = serve(Vec::new());
    let dir = temp_dir("cut");
    let err = download_files(&[("cut", "00")], &server, &dir, &mut |_, _, _| {}).unwrap_err().to_string();
    assert!(err.contains("downloading") && (err.contains("connection") || err.contains("closed")), "{err}");
    assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));
}

#[test]
fn a_missing_file_and_no_server_are_clear_errors() {
    let server = serve(Vec::new());
    let dir = temp_dir("404");
    let err = download_files(&[("absent", "00")], &server, &dir, &mut |_, _, _| {}).unwrap_err().to_string();
    assert!(err.contains("404"), "{err}");
    // nothing listens on port 9 of loopback (discard), so the connection is refused
    let err = download_files(&[("x", "00")], "http://127.0.0.1:9", &dir, &mut |_, _, _| {}).unwrap_err();
    assert!(err.to_string().contains("http://127.0.0.1:9/x.gz"), "{err}");
}

#[test]
fn the_command_reports_a_failed_download_plainly() {
    let server = serve(Vec::new());
    let dir = temp_dir("cli");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_scratchnet"))
        .args(["data", "download", "mnist", "--base-url", &server, "--dir", dir.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("train-images-idx3-ubyte.gz") && stderr.contains("404"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

//! The live dashboard: a page in the browser that follows a training run as it happens.
//!
//! `scratchnet train --dashboard` starts a small HTTP server on 127.0.0.1 (tiny_http, one
//! thread per open page) and prints its address. The page (`page.html`, compiled into the
//! binary: no CDN, no files read at run time) opens an event stream (server-sent events) and
//! draws what arrives: loss and accuracy curves, the run's facts, diagnosis hints, and views
//! that depend on the data (digits and weight images for MNIST-like data, curves for the
//! beans). The training thread never waits for the browser: [`views::Watch`], the
//! [`Observer`](crate::Observer) that feeds the dashboard, sends at a bounded rate, and a tab
//! that cannot keep up loses its connection (it reconnects and gets the full state again).
//!
//! The dashboard speaks the run's language (the [`i18n::lang`] of the thread that starts it),
//! and the page has a switch to the other one: see `page.rs` and `message.rs`.
//!
//! What the server accepts, and nothing else:
//! - `GET /` the page, `GET /events` the event stream, `GET /api/state` the state as JSON;
//! - `GET /font.ttf` the Chinese font subset the pictures use, for browsers on machines
//!   without a Chinese font (the page asks for it only to draw Chinese characters);
//! - `POST /api/digit`: a drawn digit, exactly [`DIGIT_SIDE`]² grey bytes, for MNIST-like runs.
//!
//! Every other path is 404 (no file system access at all), other methods 405, bodies of the
//! wrong size 400 or 413.
//!
//! Read next: `views.rs` (what is sent, and the diagnosis rules).

pub mod message;
pub mod page;
pub mod views;

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::sync::mpsc::{RecvTimeoutError, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

use crate::i18n::{self, Lang};
use crate::network::Network;
use crate::{Error, t};

/// The subset of Noto Sans SC made by `tools/make-cjk-font.sh` (every character of the Chinese
/// catalog), served to pages for their Chinese text: the pictures' bytes when they are built in.
#[cfg(feature = "plot")]
use crate::plot::CJK_FONT;
#[cfg(not(feature = "plot"))]
static CJK_FONT: &[u8] = include_bytes!("../../assets/fonts/scratchnet-cjk.ttf");

/// Side of the square grey image the page sends for a drawn digit.
pub const DIGIT_SIDE: usize = 112;

/// The port tried first when no address is given; if busy, the system picks a free one.
pub const DEFAULT_PORT: u16 = 7878;

/// Events a page may have queued before it counts as too slow and is disconnected.
const QUEUE: usize = 256;

/// How often an idle stream sends a comment, so closed tabs are noticed.
const KEEP_ALIVE: Duration = Duration::from_secs(10);

/// What the server and the training thread share.
#[derive(Default)]
struct Hub {
    /// The latest event of each kind except "batch", "epoch" and "hint", replayed to new pages.
    latest: Vec<(String, Value)>,
    /// Every "epoch" and "hint" event, and the batch points, replayed to new pages.
    history: Vec<(String, Value)>,
    /// One queue per open event stream.
    streams: Vec<SyncSender<String>>,
    /// The network as of the last heavy update, for drawn digits.
    net: Option<Arc<Network>>,
    /// Pixel scale of the inputs (1/255 for images), for drawn digits.
    pixel_scale: f32,
}

/// A running dashboard server. Cloning gives another handle to the same one.
#[derive(Clone)]
pub struct Dashboard {
    hub: Arc<Mutex<Hub>>,
    addr: SocketAddr,
    /// The run's language: the page opens in it, and hints are written in it for `/api/state`.
    lang: Lang,
    /// The page in that language, made once.
    page: Arc<str>,
}

impl std::fmt::Debug for Dashboard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Dashboard({})", self.addr)
    }
}

impl Dashboard {
    /// Starts the server on `addr`, or on 127.0.0.1 at [`DEFAULT_PORT`] (any free port if that
    /// one is busy) when `addr` is `None`. The page speaks this thread's [`i18n::lang`].
    ///
    /// # Errors
    /// [`Error::Config`] if the address cannot be bound (in use, not an address of this
    /// machine, a privileged port).
    pub fn start(addr: Option<SocketAddr>) -> Result<Dashboard, Error> {
        let server = match addr {
            Some(addr) => tiny_http::Server::http(addr)
                .map_err(|e| Error::Config(t!("dash.error.bind", addr = addr, error = e)))?,
            None => {
                let loopback = |port| SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, port));
                tiny_http::Server::http(loopback(DEFAULT_PORT))
                    .or_else(|_| tiny_http::Server::http(loopback(0)))
                    .map_err(|e| Error::Config(t!("dash.error.bind-loopback", error = e)))?
            }
        };
        let addr =
            server.server_addr().to_ip().ok_or_else(|| Error::Config(t!("dash.error.no-ip").into()))?;
        let hub = Arc::new(Mutex::new(Hub { pixel_scale: 1.0, ..Hub::default() }));
        let lang = i18n::lang();
        let dashboard = Dashboard { hub, addr, lang, page: page::page(lang).into() };
        let serving = dashboard.clone();
        std::thread::Builder::new()
            .name("dashboard".into())
            .spawn(move || {
                for request in server.incoming_requests() {
                    let handle = serving.clone();
                    // one thread per request: an event stream lasts as long as its page
                    let _ = std::thread::Builder::new()
                        .name("dashboard-request".into())
                        .spawn(move || handle.answer(request));
                }
            })
            .map_err(|e| Error::Config(t!("dash.error.thread", error = e)))?;
        Ok(dashboard)
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The page's URL.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// The run's language: the page opens in it, and hints' texts are written in it.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    fn hub(&self) -> std::sync::MutexGuard<'_, Hub> {
        self.hub.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Sends an event of `kind` with `data` to every open page, and keeps it for pages opened
    /// later: the latest of each kind, or all of them for "batch", "epoch" and "hint".
    pub fn publish(&self, kind: &str, data: Value) {
        let message = format!("event: {kind}\ndata: {data}\n\n");
        let mut hub = self.hub();
        if matches!(kind, "batch" | "epoch" | "hint" | "reset") {
            if kind == "reset" {
                hub.history.clear();
                hub.latest.retain(|(k, _)| k != "done" && k != "view");
            }
            hub.history.push((kind.to_string(), data));
        } else if let Some(slot) = hub.latest.iter_mut().find(|(k, _)| k == kind) {
            slot.1 = data;
        } else {
            hub.latest.push((kind.to_string(), data));
        }
        // a full queue is a page that stopped reading: drop it rather than wait for it
        hub.streams.retain(|tx| {
            !matches!(
                tx.try_send(message.clone()),
                Err(TrySendError::Full(_) | TrySendError::Disconnected(_))
            )
        });
    }

    /// Makes `net` the network that answers drawn digits, with inputs scaled by `pixel_scale`.
    pub fn set_network(&self, net: Arc<Network>, pixel_scale: f32) {
        let mut hub = self.hub();
        hub.net = Some(net);
        hub.pixel_scale = pixel_scale;
    }

    /// Number of pages with an open event stream.
    pub fn open_pages(&self) -> usize {
        self.hub().streams.len()
    }

    /// Everything a new page needs, in the order it happened.
    fn replay(&self) -> Vec<String> {
        let hub = self.hub();
        let latest = hub.latest.iter().filter(|(k, _)| k == "setup");
        let rest = hub.latest.iter().filter(|(k, _)| k != "setup");
        latest
            .chain(hub.history.iter())
            .chain(rest)
            .map(|(kind, data)| format!("event: {kind}\ndata: {data}\n\n"))
            .collect()
    }

    fn state(&self) -> Value {
        let hub = self.hub();
        let mut state = serde_json::Map::new();
        for (kind, data) in &hub.latest {
            state.insert(kind.clone(), data.clone());
        }
        let epochs: Vec<&Value> = hub.history.iter().filter(|(k, _)| k == "epoch").map(|(_, d)| d).collect();
        state.insert("epochs".into(), json!(epochs));
        let hints: Vec<&Value> = hub.history.iter().filter(|(k, _)| k == "hint").map(|(_, d)| d).collect();
        state.insert("hints".into(), json!(hints));
        Value::Object(state)
    }

    fn answer(&self, mut request: tiny_http::Request) {
        let path = request.url().split('?').next().unwrap_or("").to_string();
        let method = request.method().clone();
        let response = match (method, path.as_str()) {
            (tiny_http::Method::Get, "/") => text(200, &self.page, "text/html; charset=utf-8"),
            (tiny_http::Method::Get, "/font.ttf") => {
                bytes(200, CJK_FONT, "font/ttf").with_header(header("Cache-Control", "max-age=86400"))
            }
            (tiny_http::Method::Get, "/events") => return self.stream(request),
            (tiny_http::Method::Get, "/api/state") => {
                text(200, &self.state().to_string(), "application/json")
            }
            (tiny_http::Method::Post, "/api/digit") => self.digit(&mut request),
            (_, "/" | "/events" | "/api/state" | "/api/digit" | "/font.ttf") => {
                text(405, "method not allowed\n", "text/plain")
            }
            _ => text(404, "not found\n", "text/plain"),
        };
        let _ = request.respond(response);
    }

    /// Streams events to one page until it goes away. The response is written by hand, one
    /// flushed write per event, because tiny_http's own chunked writer holds 8 KB back.
    fn stream(&self, request: tiny_http::Request) {
        let (tx, rx) = sync_channel(QUEUE);
        let backlog = self.replay();
        self.hub().streams.push(tx);
        let mut writer = request.into_writer();
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
                    X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n";
        let mut send = |text: &str| writer.write_all(text.as_bytes()).and_then(|()| writer.flush());
        if send(head).is_err() || send(&backlog.concat()).is_err() {
            return;
        }
        loop {
            let message = match rx.recv_timeout(KEEP_ALIVE) {
                Ok(message) => message,
                Err(RecvTimeoutError::Timeout) => ": still here\n\n".to_string(),
                Err(RecvTimeoutError::Disconnected) => return, // dropped as too slow
            };
            if send(&message).is_err() {
                return; // the page was closed; its queue goes with `rx`
            }
        }
    }

    /// Answers a drawn digit: the 28×28 input the network sees, its class probabilities and
    /// every layer's activations.
    fn digit(&self, request: &mut tiny_http::Request) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
        let expected = DIGIT_SIDE * DIGIT_SIDE;
        if request.body_length().is_some_and(|n| n > expected) {
            return text(413, &format!("a drawn digit is {expected} bytes\n"), "text/plain");
        }
        let mut body = Vec::with_capacity(expected);
        if request.as_reader().take(expected as u64 + 1).read_to_end(&mut body).is_err()
            || body.len() != expected
        {
            return text(
                400,
                &format!("a drawn digit is exactly {expected} grey bytes ({DIGIT_SIDE}×{DIGIT_SIDE})\n"),
                "text/plain",
            );
        }
        let (net, scale) = {
            let hub = self.hub();
            (hub.net.clone(), hub.pixel_scale)
        };
        let Some(net) = net.filter(|n| n.n_in() == 28 * 28) else {
            return text(404, "this run does not take 28×28 images\n", "text/plain");
        };
        match views::answer_digit(&net, &body, DIGIT_SIDE, scale) {
            Ok(answer) => text(200, &answer.to_string(), "application/json"),
            Err(message) => text(422, &format!("{message}\n"), "text/plain"),
        }
    }
}

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("a valid header")
}

fn text(status: u16, body: &str, content_type: &str) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    bytes(status, body.as_bytes(), content_type)
}

fn bytes(status: u16, body: &[u8], content_type: &str) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    tiny_http::Response::from_data(body.to_vec())
        .with_status_code(status)
        .with_header(header("Content-Type", content_type))
        .with_header(header("X-Content-Type-Options", "nosniff"))
        .with_header(header(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' data:",
        ))
}

//! Stopping a run cleanly: Ctrl-C, and on Unix SIGTERM (a job scheduler, `docker stop`,
//! `timeout`, `kill`) and SIGHUP (the terminal went away) all mean the same thing: finish the
//! current batch, write the checkpoint, print the `--resume` command. The exit status is then
//! 128 + the signal's number, as a shell reports a process ended by it: 130 for Ctrl-C (SIGINT),
//! 143 for SIGTERM, 129 for SIGHUP. A second signal while the first is being handled quits at
//! once, and so does the first one while nothing is being trained (loading data, evaluating:
//! there is nothing to save). While a dashboard waits after its run, a signal ends the wait.
//!
//! On Unix the handler is installed with `sigaction` (the `libc` crate, already in the build
//! through ctrlc, indicatif and ring), because the exit status must say which signal came. A
//! signal handler may only do async-signal-safe things, so it touches atomics, writes a fixed
//! message with `write(2)` and quits with `_exit(2)`; the training loop polls [`STOP`]. Elsewhere
//! (Windows) the ctrlc crate catches Ctrl-C, which is all there is to catch.

use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicUsize, Ordering};

use scratchnet::{Error, t};

use super::out_err;

/// Set by the first signal during training: the run finishes its batch, saves a checkpoint and
/// stops.
pub(crate) static STOP: AtomicBool = AtomicBool::new(false);
/// True while a training loop runs.
pub(crate) static TRAINING: AtomicBool = AtomicBool::new(false);
/// True while a dashboard waits for a signal to end.
static WAITING: AtomicBool = AtomicBool::new(false);
/// Signals received so far.
static RECEIVED: AtomicUsize = AtomicUsize::new(0);
/// The number of the first signal that asked to stop (0: none yet).
static FIRST: AtomicI32 = AtomicI32::new(0);

/// SIGINT, SIGHUP and SIGTERM have these numbers on every Unix (POSIX fixes them), and the
/// ctrlc fallback reports Ctrl-C as SIGINT.
const SIGINT: i32 = 2;
const SIGHUP: i32 = 1;
const SIGTERM: i32 = 15;

/// What the handler writes, each between line breaks, in the process's language. A handler
/// cannot format or look messages up, so they are made before it is installed ([`catch_ctrl_c`]).
struct Messages {
    sigterm: Vec<u8>,
    sighup: Vec<u8>,
    ctrl_c: Vec<u8>,
    second: Vec<u8>,
}

/// Set once, before the handler is installed; the handler only reads it (an atomic load).
static MESSAGES: std::sync::OnceLock<Messages> = std::sync::OnceLock::new();

impl Messages {
    fn new() -> Messages {
        let line = |text: &str| format!("\n{text}\n").into_bytes();
        Messages {
            sigterm: line(t!("cli.signal.sigterm")),
            sighup: line(t!("cli.signal.sighup")),
            ctrl_c: line(t!("cli.signal.ctrl-c")),
            second: line(t!("cli.signal.second")),
        }
    }
}

/// What the first signal during training prints (fixed bytes: a handler cannot format).
fn first_message(signal: i32) -> &'static [u8] {
    let Some(m) = MESSAGES.get() else { return b"\n" };
    match signal {
        SIGTERM => &m.sigterm,
        SIGHUP => &m.sighup,
        _ => &m.ctrl_c,
    }
}

/// What every handled signal does; runs inside the signal handler, so only atomics, [`say`]
/// and [`quit`].
fn on_signal(signal: i32) {
    RECEIVED.fetch_add(1, Ordering::SeqCst);
    if TRAINING.load(Ordering::SeqCst) {
        if STOP.swap(true, Ordering::SeqCst) {
            say(MESSAGES.get().map_or(&b"\n"[..], |m| m.second.as_slice()));
            quit(128 + signal);
        }
        let _ = FIRST.compare_exchange(0, signal, Ordering::SeqCst, Ordering::SeqCst);
        say(first_message(signal));
    } else if WAITING.load(Ordering::SeqCst) {
        let _ = FIRST.compare_exchange(0, signal, Ordering::SeqCst, Ordering::SeqCst);
    } else {
        quit(128 + signal); // loading or evaluating: nothing to save
    }
}

/// How the stop was asked for, for the message: `Ctrl-C`, `SIGTERM` or `SIGHUP`.
pub(crate) fn stopped_by() -> &'static str {
    match FIRST.load(Ordering::SeqCst) {
        SIGTERM => "SIGTERM",
        SIGHUP => "SIGHUP",
        _ => "Ctrl-C",
    }
}

/// The exit status of a run stopped by a signal: 128 + its number (130 for Ctrl-C).
pub(crate) fn exit_status() -> u8 {
    match FIRST.load(Ordering::SeqCst) {
        0 => 128 + SIGINT as u8,
        signal => (128 + signal) as u8,
    }
}

/// Installs the handler (once; see the module documentation).
///
/// # Errors
/// [`Error::Config`] if the system refuses the handler.
pub(crate) fn catch_ctrl_c() -> Result<(), Error> {
    static INSTALLED: std::sync::OnceLock<Result<(), String>> = std::sync::OnceLock::new();
    MESSAGES.get_or_init(Messages::new);
    INSTALLED
        .get_or_init(install)
        .clone()
        .map_err(|e| Error::Config(t!("cli.signal.cannot-catch", error = e)))
}

#[cfg(unix)]
fn install() -> Result<(), String> {
    extern "C" fn handler(signal: libc::c_int) {
        on_signal(signal);
    }
    for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
        // SAFETY: `action` is fully initialised (zeroed, then its fields set) before use, and
        // the handler only does async-signal-safe things (see `on_signal`).
        let status = unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = handler as extern "C" fn(libc::c_int) as libc::sighandler_t;
            action.sa_flags = libc::SA_RESTART; // reads and writes in progress carry on
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(signal, &action, std::ptr::null_mut())
        };
        if status != 0 {
            return Err(std::io::Error::last_os_error().to_string());
        }
    }
    Ok(())
}

#[cfg(not(unix))]
fn install() -> Result<(), String> {
    ctrlc::set_handler(|| on_signal(SIGINT)).map_err(|e| e.to_string())
}

/// Writes `message` to standard error from inside a signal handler.
#[cfg(unix)]
fn say(message: &[u8]) {
    // SAFETY: write(2) is async-signal-safe and reads `message.len()` bytes of a valid slice.
    let _ = unsafe { libc::write(2, message.as_ptr().cast(), message.len()) };
}

#[cfg(not(unix))]
fn say(message: &[u8]) {
    let _ = std::io::stderr().write_all(message); // ctrlc runs handlers on a thread of their own
}

/// Ends the process at once with `status`, from inside a signal handler.
#[cfg(unix)]
fn quit(status: i32) -> ! {
    // SAFETY: _exit(2) is async-signal-safe; nothing is left half-written that a rename would
    // publish (every file is written to a temporary name first).
    unsafe { libc::_exit(status) }
}

#[cfg(not(unix))]
fn quit(status: i32) -> ! {
    std::process::exit(status)
}

/// After a run with a dashboard: keep serving the final state until Ctrl-C (or SIGTERM,
/// SIGHUP), then return normally (exit status 0).
pub(crate) fn wait_for_ctrl_c(out: &mut dyn Write, url: &str) -> Result<(), Error> {
    catch_ctrl_c()?;
    let before = RECEIVED.load(Ordering::SeqCst);
    WAITING.store(true, Ordering::SeqCst);
    writeln!(out, "{}", t!("cli.dashboard.waiting", url = url)).map_err(out_err)?;
    out.flush().map_err(out_err)?;
    while RECEIVED.load(Ordering::SeqCst) == before {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    writeln!(out, "{}", t!("cli.dashboard.stopped")).map_err(out_err)
}

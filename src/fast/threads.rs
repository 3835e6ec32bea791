//! Fork-join on a few waiting threads: how a matrix product or an update is shared out.
//!
//! A training step of a small network is a chain of short pieces of work (a product of 50 µs,
//! an update of 20 µs, then a sigmoid on one thread), so what matters is how fast a waiting
//! thread starts on its half. General-purpose pools put idle threads to sleep in the kernel
//! almost at once; waking one costs microseconds, and with rayon a third of a batch-64 epoch
//! went to the kernel's scheduler. Here each helper thread *spins* for a while after finishing
//! a piece, watching one atomic, before it parks: during training, a piece handed to it starts
//! within a fraction of a microsecond. (BLAS libraries with OpenMP do the same.)
//!
//! [`join`] is the whole interface: run two closures, one on this thread and one on an idle
//! helper (or both here, if none is idle); [`start`] starts the helpers. Callers cut their
//! work by a thread count they are given, so results depend only on it, never on which thread
//! ran which piece.
//!
//! Read next: `gemm.rs`, whose matrix products are the main users.

use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::{Mutex, OnceLock};
use std::thread::Thread;
use std::time::{Duration, Instant};

/// How long a helper keeps watching for work before it sleeps. Long enough to span the
/// one-thread parts of a training step, short enough that an idle program is quiet.
const SPIN: Duration = Duration::from_millis(2);

/// For how much of [`SPIN`] a helper spins without offering its core to other threads.
const SPIN_ALONE: Duration = Duration::from_micros(20);

/// Makes sure at least `threads − 1` helper threads are waiting (they are started once and
/// never stopped; they sleep when idle). The thread count itself is not stored: every
/// computation is given it as a value and cuts its work by it, so its results depend only on
/// that number, never on which thread ran which piece.
pub fn start(threads: usize) {
    let mut helpers = HELPERS.lock().unwrap_or_else(|e| e.into_inner());
    while helpers.len() + 1 < threads {
        helpers.push(Helper::spawn());
    }
}

/// Runs `a` on this thread and `b` on an idle helper, and returns when both are done. If no
/// helper is idle (or none was started), or the helper has not picked `b` up by the time `a`
/// is done (another program has its core, say), `b` runs here too, after `a`. A panic in
/// either is passed on to the caller after both have finished.
pub fn join<A: FnOnce() + Send, B: FnOnce() + Send>(a: A, b: B) {
    let Some(helper) = claim_idle_helper() else {
        a();
        b();
        return;
    };
    let mut b = Some(b);
    let mut run_b = || {
        if let Some(b) = b.take() {
            b()
        }
    };
    let job: &mut (dyn FnMut() + Send) = &mut run_b;
    // SAFETY: the helper gets a pointer to `run_b` on this stack frame, which must outlive its
    // use. `Finish` takes the job back or waits until the helper has marked it done, even
    // while unwinding from a panic in `a`, and the helper never touches the pointer after.
    let job: *mut (dyn FnMut() + Send + 'static) = unsafe { std::mem::transmute(job) };
    helper.post(Job(job));
    let mut finish = Finish { helper, settled: false };
    a();
    let taken_back = finish.settle();
    if taken_back {
        run_b(); // the helper never started it; the pointer it was given is discarded
    } else if helper.panicked.swap(false, Ordering::SeqCst) {
        resume_unwind(Box::new("a parallel piece of work panicked (see the message above)"));
    }
}

/// The helper threads, started by [`start`] and never stopped (they sleep when idle).
static HELPERS: Mutex<Vec<&'static Helper>> = Mutex::new(Vec::new());

fn claim_idle_helper() -> Option<&'static Helper> {
    let helpers = HELPERS.lock().unwrap_or_else(|e| e.into_inner());
    helpers
        .iter()
        .copied()
        .find(|h| h.state.compare_exchange(IDLE, CLAIMED, Ordering::Acquire, Ordering::Relaxed).is_ok())
}

// A helper's state: IDLE → CLAIMED (by a caller of `join`) → POSTED (job in the slot) →
// RUNNING (the helper took it) → DONE → IDLE (by the caller, after it has seen DONE). The
// caller may also take a job back, POSTED → IDLE, if the helper has not started it.
const IDLE: u8 = 0;
const CLAIMED: u8 = 1;
const POSTED: u8 = 2;
const RUNNING: u8 = 3;
const DONE: u8 = 4;

/// A type-erased pointer to the closure a helper runs (see the SAFETY note in [`join`]).
struct Job(*mut (dyn FnMut() + Send + 'static));
// SAFETY: the closure behind it is `Send`, and only one thread uses the pointer at a time.
unsafe impl Send for Job {}

struct Helper {
    state: AtomicU8,
    slot: Mutex<Option<Job>>,
    sleeping: AtomicBool,
    panicked: AtomicBool,
    thread: OnceLock<Thread>,
}

impl Helper {
    fn spawn() -> &'static Helper {
        let helper: &'static Helper = Box::leak(Box::new(Helper {
            state: AtomicU8::new(IDLE),
            slot: Mutex::new(None),
            sleeping: AtomicBool::new(false),
            panicked: AtomicBool::new(false),
            thread: OnceLock::new(),
        }));
        let handle = std::thread::Builder::new()
            .name("scratchnet-helper".into())
            .spawn(move || helper.serve())
            .expect("the operating system refused to start a thread");
        let _ = helper.thread.set(handle.thread().clone());
        helper
    }

    fn post(&self, job: Job) {
        *self.slot.lock().unwrap_or_else(|e| e.into_inner()) = Some(job);
        self.state.store(POSTED, Ordering::SeqCst);
        if self.sleeping.load(Ordering::SeqCst)
            && let Some(thread) = self.thread.get()
        {
            thread.unpark();
        }
    }

    /// The helper thread's loop: wait for a job (spinning, then parked), run it, mark it done.
    fn serve(&self) {
        loop {
            let mut since = Instant::now();
            let mut spins = 0u32;
            while self.state.load(Ordering::Acquire) != POSTED {
                std::hint::spin_loop();
                spins = spins.wrapping_add(1);
                if !spins.is_multiple_of(64) {
                    continue;
                }
                let waited = since.elapsed();
                if waited > SPIN {
                    // Announce the sleep, then look once more: `post` stores POSTED before it
                    // reads `sleeping`, so one of the two sides sees the other.
                    self.sleeping.store(true, Ordering::SeqCst);
                    if self.state.load(Ordering::SeqCst) != POSTED {
                        std::thread::park();
                    }
                    self.sleeping.store(false, Ordering::SeqCst);
                    since = Instant::now();
                } else if waited > SPIN_ALONE {
                    // If the system put us on the same core as the thread that will post the
                    // next job, spinning would take its time: let it run.
                    std::thread::yield_now();
                }
            }
            if self.state.compare_exchange(POSTED, RUNNING, Ordering::Acquire, Ordering::Relaxed).is_err() {
                continue; // the caller took it back
            }
            let job = self.slot.lock().unwrap_or_else(|e| e.into_inner()).take();
            if let Some(Job(job)) = job {
                // SAFETY: the caller of `join` keeps the closure alive until it sees DONE.
                let result = catch_unwind(AssertUnwindSafe(|| unsafe { (*job)() }));
                self.panicked.store(result.is_err(), Ordering::SeqCst);
            }
            self.state.store(DONE, Ordering::Release);
        }
    }
}

/// Settles a posted job: takes it back if the helper has not started it, or waits until it
/// is done; then frees the helper. Also on unwinding.
struct Finish {
    helper: &'static Helper,
    settled: bool,
}

impl Finish {
    /// Returns true if the job was taken back (the caller must run it itself).
    fn settle(&mut self) -> bool {
        self.settled = true;
        let state = &self.helper.state;
        if state.compare_exchange(POSTED, CLAIMED, Ordering::Acquire, Ordering::Relaxed).is_ok() {
            self.helper.slot.lock().unwrap_or_else(|e| e.into_inner()).take();
            state.store(IDLE, Ordering::Release);
            return true;
        }
        let mut spins = 0u32;
        while state.load(Ordering::Acquire) != DONE {
            std::hint::spin_loop();
            spins = spins.wrapping_add(1);
            if spins.is_multiple_of(4096) {
                std::thread::yield_now(); // the helper may share our core with other programs
            }
        }
        state.store(IDLE, Ordering::Release);
        false
    }
}

impl Drop for Finish {
    fn drop(&mut self) {
        if !self.settled {
            self.settle(); // unwinding from a panic in `a`: `b` is dropped without running
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_halves_run_and_see_their_own_data() {
        start(2);
        let (mut left, mut right) = (vec![0u64; 1000], vec![0u64; 1000]);
        for round in 0..2000u64 {
            join(
                || left.iter_mut().for_each(|v| *v += round),
                || right.iter_mut().for_each(|v| *v += 2 * round),
            );
        }
        let sum: u64 = (0..2000).sum();
        assert!(left.iter().all(|&v| v == sum) && right.iter().all(|&v| v == 2 * sum));
    }

    #[test]
    fn a_sleeping_helper_wakes_up_for_work() {
        start(2);
        std::thread::sleep(SPIN * 3);
        let mut done = false;
        join(|| {}, || done = true);
        assert!(done);
    }

    #[test]
    fn a_panic_in_the_helper_reaches_the_caller_and_the_helper_survives() {
        start(2);
        let result = catch_unwind(|| join(|| {}, || panic!("planted")));
        assert!(result.is_err());
        let mut after = 0;
        join(|| {}, || after = 7);
        assert_eq!(after, 7);
    }
}

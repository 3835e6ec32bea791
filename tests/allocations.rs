//! The fast engine's training loop allocates nothing per batch once warmed up (issue 5: "no
//! per-batch allocation in the hot loop"). A counting allocator wraps the system one for this
//! test binary. (The reference engine allocates freely: it is written to be read.)

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use scratchnet::train::BatchInfo;
use scratchnet::{
    Activation, Dataset, Engine, Features, Init, Loss, Method, Network, Observer, Rng, TrainConfig,
};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed on to the system allocator unchanged; only a counter is added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Records the allocation count at every batch of the epochs after the first.
struct Watch {
    /// (epoch, batch, allocations so far)
    seen: Vec<(usize, usize, usize)>,
}

impl Observer for Watch {
    fn on_batch(&mut self, info: &BatchInfo, _net: &Network) {
        let count = ALLOCATIONS.load(Ordering::Relaxed);
        if info.epoch > 1 && self.seen.len() < self.seen.capacity() {
            self.seen.push((info.epoch, info.batch, count));
        }
    }
}

fn allocations_between_batches(
    hidden: Activation,
    output: Activation,
    loss: Loss,
    method: Method,
    threads: usize,
) {
    let mut rng = Rng::new(3);
    let (n, cols) = (640, 784);
    let bytes: Vec<u8> = (0..n * cols).map(|_| rng.below(256) as u8).collect();
    let labels: Vec<usize> = (0..n).map(|i| i % 10).collect();
    let inputs = Features::U8 { rows: n, cols, bytes, scale: 1.0 / 255.0 };
    let targets = scratchnet::data::one_hot(&labels, 10);
    let data = Dataset::from_features("noise", inputs, targets, scratchnet::Task::Classes(10)).unwrap();
    let mut net = Network::new(&[cols, 128, 64, 10], hidden, output, Init::Xavier, &mut rng).unwrap();
    let mut config = TrainConfig::new(loss, 0.01);
    (config.method, config.epochs, config.batch_size) = (method, 3, 64);
    config.engine = Engine::Fast { threads };
    let mut watch = Watch { seen: Vec::with_capacity(20) };
    scratchnet::fit(&mut net, &data, None, &config, &mut rng, &mut watch).unwrap();
    // within each later epoch, from one batch to the next, the count must not move; one or two
    // one-off allocations are allowed (a helper thread's first sleep may set up its parking
    // slot), a per-batch allocation would show up 18 times
    let mut moved = Vec::new();
    for pair in watch.seen.windows(2) {
        let ((e1, b1, c1), (e2, b2, c2)) = (pair[0], pair[1]);
        if e1 == e2 && c2 != c1 {
            moved.push(format!("{} between batch {b1} and {b2} of epoch {e1}", c2 - c1));
        }
    }
    assert!(
        moved.len() <= 2,
        "{hidden}/{output}/{loss}/{method:?}, {threads} thread(s): allocations {moved:?}"
    );
    assert!(watch.seen.len() >= 18, "the observer saw the batches");
}

#[test]
fn a_warmed_up_training_step_allocates_nothing() {
    allocations_between_batches(Activation::Sigmoid, Activation::Softmax, Loss::CrossEntropy, Method::Sgd, 1);
    // plain SGD on two threads: the update inside the products, the next batch gathered meanwhile
    allocations_between_batches(Activation::Sigmoid, Activation::Softmax, Loss::CrossEntropy, Method::Sgd, 2);
    allocations_between_batches(Activation::Relu, Activation::Softmax, Loss::CrossEntropy, Method::ADAM, 2);
    allocations_between_batches(Activation::Tanh, Activation::Sigmoid, Loss::Mse, Method::NESTEROV, 2);
}

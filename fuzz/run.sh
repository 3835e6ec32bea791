#!/usr/bin/env bash
# Coverage-guided fuzzing of scratchnet's file readers with libFuzzer, on stable Rust.
#   fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]     (default 60 s; targets idx csv model image)
# cargo-fuzz needs a nightly toolchain for its sanitizer flags; the coverage instrumentation
# itself is stable (-Cpasses=sancov-module), so this builds the targets with it directly
# (no AddressSanitizer: safe Rust's bounds checks and overflow checks, switched on here, are
# what catches bugs). Corpora grow in fuzz/corpus/ (not committed); a crash is written to
# fuzz/artifacts/TARGET/ and should become a file in tests/fuzz_regressions/TARGET/.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"; shift || true
targets=("${@:-idx csv model image}")
targets=(${targets[@]})
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
  -Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
  -Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks"
triple="$(rustc -vV | sed -n 's/^host: //p')"
cargo build --release --quiet --bins --target "$triple"
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t" "artifacts/$t"
  echo "== $t: $seconds s"
  "target/$triple/release/$t" "corpus/$t" "seeds/$t" "../tests/fuzz_regressions/$t" \
    -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
    -artifact_prefix="artifacts/$t/" -print_final_stats=1 2>&1 | grep -E "^stat::(number_of_executed_units|peak_rss_mb)|Done|ERROR|SUMMARY|panicked|deadly" || true
done

#!/usr/bin/env bash
# Regenerates every picture of docs/lessons.md with the lessons themselves.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
for lesson in descent surface hidden-layer; do
  ./target/release/scratchnet lesson "$lesson" --out docs/img > "docs/img/$lesson.txt"
done
ls -l docs/img

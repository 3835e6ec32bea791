#!/usr/bin/env bash
# Regenerates every picture of docs/lessons.md (English, docs/img/) and of docs/lessons.zh.md
# (Chinese, docs/img/zh/, same file names) with the lessons themselves, and the transcripts.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
mkdir -p docs/img/zh
for lesson in descent surface hidden-layer; do
  ./target/release/scratchnet lesson "$lesson" --lang en --out docs/img > "docs/img/$lesson.txt"
  ./target/release/scratchnet lesson "$lesson" --lang zh --out docs/img/zh > "docs/img/zh/$lesson.txt"
done
ls -l docs/img docs/img/zh

#!/usr/bin/env bash
# Speed against PyTorch and numpy, in the same run: bench/compare.sh [--rounds N] [--tiny]
# Makes bench/.venv with numpy and torch from PyPI the first time (about 4 GB: torch brings its
# CUDA libraries even for CPU use). Needs MNIST: $SCRATCHNET_DATA/mnist, default ../shared/data/mnist.
#
# Before vs after a change, in one interleaved run (issue 12, "no speed lost"):
#   bench/compare.sh --baseline /path/to/old/scratchnet --only 64,128 --no-torch [--rounds 5] [--engine-reference]
# Other options:
#   --baseline BIN      also time BIN (an older build) with the same flags, A B / B A each round; prints
#                       a "before vs after" table (medians, after/before, every run). Never gets --engine.
#   --engine-reference  also time this build with --engine reference; prints how many times slower than fast
#   --only 64,128       only these configurations (a batch size: 64 128 1 1024, or a piece of the name)
#   --no-torch          skip PyTorch and numpy (and the venv: uses python3 if bench/.venv is missing)
#   --binary BIN        time BIN instead of target/release/scratchnet (and skip cargo build)
set -euo pipefail
caller="$PWD"
cd "$(dirname "$0")/.."
data="${SCRATCHNET_DATA:-../shared/data}/mnist"
venv=bench/.venv
no_torch=0 own_binary=0 args=() path_next=0
absolute() { case "$1" in /*) printf %s "$1" ;; *) printf %s "$caller/$1" ;; esac; }
for a in "$@"; do  # --binary and --baseline paths are relative to where this was started, not the repo
  if [ "$path_next" = 1 ]; then args+=("$(absolute "$a")"); path_next=0; continue; fi
  case "$a" in
    --no-torch) no_torch=1 ;;
    --binary) own_binary=1 path_next=1 ;;
    --baseline) path_next=1 ;;
    --binary=*) own_binary=1 a="--binary=$(absolute "${a#*=}")" ;;
    --baseline=*) a="--baseline=$(absolute "${a#*=}")" ;;
  esac
  args+=("$a")
done
python="$venv/bin/python"
if [ "$no_torch" = 1 ]; then
  [ -x "$python" ] || python=python3  # compare.py itself needs only the standard library
elif [ ! -x "$python" ] || ! "$python" -c "import numpy, torch" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet numpy torch
fi
[ "$own_binary" = 1 ] || cargo build --release --quiet
"$python" bench/compare.py --data "$data" ${args[@]+"${args[@]}"}

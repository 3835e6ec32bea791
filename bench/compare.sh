#!/usr/bin/env bash
# Speed against PyTorch and numpy, in the same run: bench/compare.sh [--rounds N] [--tiny]
# Makes bench/.venv with numpy and torch from PyPI the first time (about 4 GB: torch brings its
# CUDA libraries even for CPU use). Needs MNIST: $SCRATCHNET_DATA/mnist, default ../shared/data/mnist.
set -euo pipefail
cd "$(dirname "$0")/.."
data="${SCRATCHNET_DATA:-../shared/data}/mnist"
venv=bench/.venv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import numpy, torch" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet numpy torch
fi
cargo build --release --quiet
"$venv/bin/python" bench/compare.py --data "$data" "$@"

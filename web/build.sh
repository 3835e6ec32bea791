#!/usr/bin/env bash
# Builds the web site into web/dist/: the lessons and the playground in the browser, nothing to
# install for the reader. Serve it with any static server:
#   web/build.sh && python3 -m http.server -d web/dist 8000   # then open http://127.0.0.1:8000/
# Installs what it needs if missing: the wasm32-unknown-unknown target (rustup) and the
# wasm-bindgen command line of exactly the version in Cargo.lock (cargo install, ~5 min once).
set -euo pipefail
cd "$(dirname "$0")/.."
dist=web/dist
budget=$((2 * 1024 * 1024))

rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
version=$(awk '/^name = "wasm-bindgen"$/ { getline; sub(/^version = "/, ""); sub(/"$/, ""); print; exit }' Cargo.lock)
[ -n "$version" ] || { echo "web/build.sh: no wasm-bindgen in Cargo.lock" >&2; exit 1; }
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $version" ]; then
  echo "installing wasm-bindgen-cli $version (once)"
  # not --locked: this machine's registry mirror lacks one of its pinned dependencies
  cargo install wasm-bindgen-cli --version "$version" --quiet
fi

cargo build -p scratchnet-web --target wasm32-unknown-unknown --profile web --quiet
rm -rf "$dist" && mkdir -p "$dist"
wasm-bindgen --target web --no-typescript --out-dir "$dist" target/wasm32-unknown-unknown/web/scratchnet_web.wasm
cp web/static/* "$dist"/
cp src/dashboard/draw.js "$dist"/               # the drawing code the dashboard uses too
cp assets/fonts/scratchnet-cjk.ttf "$dist"/     # Chinese for readers without a CJK font

# Nothing may come from elsewhere: no address outside the site in any file.
if grep -rlE 'https?://' "$dist"; then
  echo "web/build.sh: the files above name an outside address" >&2
  exit 1
fi
total=$(du -cb "$dist"/* | tail -1 | cut -f1)
echo "web/dist: $(ls "$dist" | wc -l) files, $total bytes (budget $budget)"
[ "$total" -le "$budget" ] || { echo "web/build.sh: over the 2 MB budget" >&2; exit 1; }

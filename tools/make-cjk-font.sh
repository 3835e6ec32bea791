#!/usr/bin/env bash
# Rebuilds assets/fonts/scratchnet-cjk.ttf, the font of the Chinese pictures: the part of
# Noto Sans SC (SIL Open Font License 1.1, assets/fonts/OFL.txt) holding printable ASCII,
# Latin-1, Greek, the symbols of the formulas, common Chinese punctuation, and every character
# of the Chinese catalog src/i18n/zh/*.txt. Nothing else: the same catalog gives the same bytes.
#
# Run it after adding characters to zh.txt (tests/i18n_font.rs names the ones missing) and
# commit its output; CI never runs it. Needs npm, python3 (with venv) and the network.
# docs/i18n.md says how the subset is made and what it adds to the binary.
set -euo pipefail
cd "$(dirname "$0")/.."

# Google Fonts' static Noto Sans SC 2.004, TrueType outlines, as packaged on npm (MIT AND OFL-1.1).
PACKAGE=@expo-google-fonts/noto-sans-sc@0.4.3
TGZ=expo-google-fonts-noto-sans-sc-0.4.3.tgz
TGZ_SHA256=0d69d0f4971d2ff574e3d93cbc218dc950bf3f3f8f8e2c008d97687ed53aee59
TTF=package/400Regular/NotoSansSC_400Regular.ttf
TTF_SHA256=d45f67f0a7c0ca3f256950777ce6a61cc7ce5f9696d02900cbbaac25f8aa7d16
FONTTOOLS=fonttools==4.68.0
CATALOG=(src/i18n/zh/*.txt)
OUT=assets/fonts/scratchnet-cjk.ttf

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$PACKAGE" > /dev/null)
echo "$TGZ_SHA256  $work/$TGZ" | sha256sum --check --quiet
tar xzf "$work/$TGZ" -C "$work" "$TTF" package/LICENSE_FONT
echo "$TTF_SHA256  $work/$TTF" | sha256sum --check --quiet
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check "$FONTTOOLS"

# The characters: the symbols below, and the values (after " = ") of every catalog entry.
"$work/venv/bin/python" - "$work/$TTF" "${CATALOG[@]}" > "$work/chars.txt" <<'PY'
import sys
from fontTools.ttLib import TTFont
# formulas and axes; Chinese punctuation (full-width forms and CJK symbols)
chars = set("·−×±÷²³°′″→←↑↓⇔≈≠≤≥∂∑Σσ√∞∈⊙‖…–—") | set("，。：；！？、（）《》〈〉“”‘’【】「」『』～％")
for path in sys.argv[2:]:
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("#") or line.startswith("[") or " = " not in line:
            continue
        chars.update(line.split(" = ", 1)[1])
cmap = TTFont(sys.argv[1]).getBestCmap()
missing = sorted(c for c in chars if ord(c) not in cmap)
if missing:
    print("not in Noto Sans SC (keep them out of pictures):", " ".join(missing), file=sys.stderr)
sys.stdout.write("".join(sorted(c for c in chars if ord(c) in cmap)))
PY

# No shaping tables (ab_glyph does no shaping), no hinting (it ignores hints), no vertical
# metrics; name IDs 0, 13 and 14 keep the copyright and the licence notice.
mkdir -p "$(dirname "$OUT")"
"$work/venv/bin/pyftsubset" "$work/$TTF" \
  --text-file="$work/chars.txt" --unicodes=U+0020-007E,U+00A0-00FF,U+0391-03A9,U+03B1-03C9 \
  --layout-features= --no-hinting --notdef-outline \
  --drop-tables+=vhea,vmtx,BASE,STAT,GDEF,GPOS,GSUB,DSIG \
  --name-IDs=0,1,2,3,4,5,6,13,14 \
  --output-file="$OUT"
cp "$work/package/LICENSE_FONT" assets/fonts/OFL.txt
"$work/venv/bin/python" - "$OUT" "$work/chars.txt" <<'PY'
import hashlib, os, sys
from fontTools.ttLib import TTFont
out, chars = sys.argv[1], open(sys.argv[2], encoding="utf-8").read()
han = sum("\u4e00" <= c <= "\u9fff" for c in chars)
digest = hashlib.sha256(open(out, "rb").read()).hexdigest()[:16]
print(f"{out}: {os.path.getsize(out)} bytes, {len(TTFont(out).getGlyphOrder())} glyphs "
      f"({han} Chinese characters), sha256 {digest}...")
PY

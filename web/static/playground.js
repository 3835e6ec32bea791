// The playground page: controls, URL state and drawing. Every number comes from the Rust
// `Playground` (web/src/playground.rs); this file only draws them, with draw.js's network,
// line chart and tooltip (the dashboard's drawing code).
import init, { Playground, messages } from "./scratchnet_web.js";

const D = globalThis.scratchnetDraw;
const $ = (id) => document.getElementById(id);

// The page's words come from the project's catalog (src/i18n/*/web.txt, keys
// web.playground.*), through the WebAssembly module; WORDS is filled once it is loaded.
const WORDS = {};
function wordsFor(lang) {
  const m = JSON.parse(messages(lang)), get = (key) => m[`web.playground.${key}`];
  const fill = (key, args) => get(key).replace(/\{(\w+)\}/g, (all, name) => (name in args ? String(args[name]) : all));
  const words = {};
  for (const key of Object.keys(m)) {
    const name = key.replace(/^web\.playground\./, "");
    if (name !== key && !name.includes(".")) words[name.replace(/-(\w)/g, (all, c) => c.toUpperCase())] = m[key];
  }
  return Object.assign(words, {
    layers: (n) => fill(n === 1 ? "layers.one" : "layers.other", { n }),
    neurons: (n) => fill(n === 1 ? "neurons.one" : "neurons.other", { n }),
    weight: (value) => fill("weight", { value }),
    unit: (layer, k) => fill("unit", { layer, neuron: k + 1 }),
  });
}

const DATASETS = ["xor", "circle", "blobs", "spiral", "beans"];
const RATES = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3];
const DEFAULTS = { data: "xor", noise: 0, split: 50, hidden: [4, 4], act: "tanh", lr: 0.03, batch: 10, seed: 1, lang: "en" };
const POINTS = 500, GRID = 40;

// ---- state in the URL ----------------------------------------------------------------------
function readUrl() {
  const q = new URLSearchParams(location.search), s = { ...DEFAULTS, hidden: [...DEFAULTS.hidden] };
  const num = (k, lo, hi) => { const v = Number(q.get(k)); if (q.has(k) && Number.isFinite(v)) s[k] = Math.min(hi, Math.max(lo, v)); };
  if (DATASETS.includes(q.get("data"))) s.data = q.get("data");
  num("noise", 0, 50); num("split", 10, 90); num("batch", 1, 30); num("seed", 0, 2 ** 32); num("lr", 0.0001, 10);
  if (["tanh", "relu", "sigmoid"].includes(q.get("act"))) s.act = q.get("act");
  if (q.has("hidden")) {
    s.hidden = q.get("hidden") === "" ? [] :
      q.get("hidden").split(",").map(Number).filter((n) => n >= 1).slice(0, 3).map((n) => Math.min(8, Math.round(n)));
  }
  if (q.get("lang") === "zh") s.lang = "zh";
  return s;
}

function writeUrl() {
  const q = new URLSearchParams({
    data: S.data, noise: S.noise, split: S.split, hidden: S.hidden.join(","), act: S.act, lr: S.lr,
    batch: S.batch, seed: S.seed, lang: S.lang,
  });
  history.replaceState(null, "", "?" + q);
}

// ---- the run ---------------------------------------------------------------------------------
const S = readUrl();
let pg = null, playing = false, losses = { train: [], test: [] }, sizes = [], weights = [], hover = [];
// what the tests read: the numbers drawn, frames drawn and the frame rate while playing
const state = { epoch: 0, trainLoss: NaN, testLoss: NaN, testAccuracy: NaN, frames: 0, fps: 0, draws: 0, hint: false };
window.playgroundState = state;

function rebuild() {
  if (pg) pg.free();
  pg = new Playground(S.data, POINTS, S.noise / 100, S.split / 100, Uint32Array.from(S.hidden), S.act, S.lr, S.batch, BigInt(S.seed));
  losses = { train: [], test: [] };
  sizes = Array.from(pg.sizes());
  record();
  writeUrl();
  showControls();
  draw();
}

function record() {
  state.epoch = pg.epoch(); state.trainLoss = pg.train_loss(); state.testLoss = pg.test_loss(); state.testAccuracy = pg.test_accuracy();
  losses.train.push([state.epoch, state.trainLoss]); losses.test.push([state.epoch, state.testLoss]);
}

function step(epochs) { pg.step(epochs); record(); }

// ---- drawing --------------------------------------------------------------------------------
const color = (v) => { // 0 → orange, 0.5 → white, 1 → blue
  const [a, b] = v < 0.5 ? [[245, 147, 34], [255, 255, 255]] : [[255, 255, 255], [8, 119, 189]];
  const t = v < 0.5 ? v * 2 : v * 2 - 1;
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
};
const LUT = Array.from({ length: 256 }, (_, i) => color(i / 255));
const tile = document.createElement("canvas"); tile.width = tile.height = GRID;
const tileCtx = tile.getContext("2d"), tileImage = tileCtx.createImageData(GRID, GRID);

// One map (GRID×GRID values in [0, 1] from `values` at `offset`) drawn into c's rectangle.
function drawMap(c, values, offset, x, y, w, h, alpha = 1) {
  const px = tileImage.data;
  for (let i = 0; i < GRID * GRID; i++) {
    const [r, g, b] = LUT[Math.max(0, Math.min(255, Math.round(values[offset + i] * 255)))];
    px[4 * i] = r; px[4 * i + 1] = g; px[4 * i + 2] = b; px[4 * i + 3] = 255 * alpha;
  }
  tileCtx.putImageData(tileImage, 0, 0);
  c.imageSmoothingEnabled = true; c.drawImage(tile, x, y, w, h);
}

function drawOutput(grid, outOffset) {
  const canvas = $("map"), c = canvas.getContext("2d"), W = canvas.width;
  c.clearRect(0, 0, W, W);
  drawMap(c, grid, outOffset, 0, 0, W, W, 0.85);
  const p = cachedPoints, X = (v) => (v + 6) / 12 * W, Y = (v) => (6 - v) / 12 * W;
  for (let i = 0; i < p.length; i += 4) {
    c.beginPath(); c.arc(X(p[i]), Y(p[i + 1]), 3, 0, 7);
    c.fillStyle = p[i + 2] > 0.5 ? "#0877bd" : "#f59322"; c.fill();
    c.lineWidth = 1; c.strokeStyle = p[i + 3] > 0.5 ? "#fff" : "#1d2430"; c.stroke(); // train: white rim, test: dark
  }
  if (S.data === "beans") {
    const w = WORDS[S.lang]; c.fillStyle = "#1d2430"; c.font = D.font(12);
    c.fillText(w.size + " →", W - 60, W - 6); c.save(); c.translate(12, 60); c.rotate(-Math.PI / 2); c.fillText(w.colour + " →", 0, 0); c.restore();
  }
}

function drawNetwork(grid) {
  const canvas = $("net"), w = WORDS[S.lang], c = canvas.getContext("2d");
  weights = JSON.parse(pg.weights());
  const net = { sizes, units: sizes.map((s) => [...Array(s).keys()]), weights };
  const drawn = D.network(canvas, net, {
    radius: 15,
    words: {
      weight: (l, i, j, x) => w.weight(x.toFixed(3)),
      unit: (l, k) => (l === 0 ? `${w.input} ${k === 0 ? "x" : "y"}` : w.unit(l, k)),
      layer: () => "", // the sizes are written above the drawing, beside the − + buttons
    },
  });
  hover = drawn.hover;
  // a small map on every hidden neuron and the output; x and y on the inputs
  let offset = 0;
  for (let l = 1; l < sizes.length; l++) {
    for (let k = 0; k < sizes[l]; k++) {
      const [x, y] = drawn.pos(l, k);
      drawMap(c, grid, offset, x - 15, y - 15, 30, 30);
      c.strokeStyle = "#1d2430"; c.lineWidth = 1; c.strokeRect(x - 15, y - 15, 30, 30);
      offset += GRID * GRID;
    }
  }
  c.fillStyle = "#1d2430"; c.font = D.font(13); c.textAlign = "center";
  ["x", "y"].forEach((t, k) => { const [x, y] = drawn.pos(0, k); c.fillText(t, x, y + 4); });
  c.textAlign = "left";
}

function drawLoss() {
  D.lineChart($("loss"), [
    { color: "#667085", points: losses.train, width: 1.5 },
    { color: "#1d2430", points: losses.test, width: 2 },
  ], { xMax: Math.max(state.epoch, 1), yRange: [0, Math.max(0.8, ...losses.test.map((p) => p[1]).filter(isFinite))], xLabel: WORDS[S.lang].epoch });
}

// A loss on a plateau: after 150 epochs, under 1% better than 100 epochs ago, and not yet good.
function plateau() {
  const t = losses.train, n = t.length;
  if (n < 150) return false;
  const now = t[n - 1][1], before = t[n - 101][1];
  return now > 0.2 && before - now < 0.01 * before;
}

let cachedPoints = [];
function draw() {
  const grid = pg.grid(GRID);
  cachedPoints = cachedPoints.length && !dirtyPoints ? cachedPoints : Array.from(pg.points());
  dirtyPoints = false;
  const outOffset = grid.length - GRID * GRID;
  drawOutput(grid, outOffset);
  drawNetwork(grid);
  drawLoss();
  const pct = (v) => (100 * v).toFixed(1) + "%";
  $("epoch").textContent = state.epoch;
  $("train-loss").textContent = state.trainLoss.toFixed(3);
  $("test-loss").textContent = state.testLoss.toFixed(3);
  $("test-acc").textContent = pct(state.testAccuracy);
  state.hint = plateau();
  $("hint").textContent = state.hint ? WORDS[S.lang].plateau : "";
  state.draws++;
}
let dirtyPoints = true;

// ---- controls -------------------------------------------------------------------------------
function showControls() {
  const w = WORDS[S.lang];
  document.documentElement.lang = S.lang === "zh" ? "zh-CN" : "en";
  document.querySelectorAll("[data-w]").forEach((e) => { e.textContent = w[e.dataset.w]; });
  $("data").innerHTML = DATASETS.map((d) => `<option value="${d}">${w[d]}</option>`).join("");
  $("data").value = S.data;
  $("noise").value = S.noise; $("noise-v").textContent = S.noise + "%";
  $("split").value = S.split; $("split-v").textContent = S.split + "%";
  $("act").value = S.act;
  $("lr").innerHTML = RATES.concat(RATES.includes(S.lr) ? [] : [S.lr]).map((r) => `<option>${r}</option>`).join("");
  $("lr").value = String(S.lr);
  $("batch").value = S.batch; $("batch-v").textContent = S.batch;
  $("seed").value = S.seed;
  $("play").textContent = playing ? w.pause : w.play;
  $("layers-text").textContent = w.layers(S.hidden.length);
  $("layer-minus").disabled = S.hidden.length === 0; $("layer-plus").disabled = S.hidden.length === 3;
  document.querySelectorAll("#lang button").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.lang === S.lang)));
  // − / + for each hidden layer, above its column in the drawing
  const canvas = $("net"), L = S.hidden.length + 2;
  $("unit-buttons").innerHTML = S.hidden.map((n, i) => {
    const left = (60 + (canvas.width - 120) * (i + 1) / (L - 1)) / canvas.width * 100;
    return `<span style="left:${left}%"><button data-layer="${i}" data-d="-1" ${n <= 1 ? "disabled" : ""}>−</button>` +
      `<button data-layer="${i}" data-d="1" ${n >= 8 ? "disabled" : ""}>+</button><br><small>${w.neurons(n)}</small></span>`;
  }).join("");
}

function change(update) { update(); dirtyPoints = true; rebuild(); }

function wire() {
  const on = (id, ev, f) => $(id).addEventListener(ev, f);
  on("data", "change", (e) => change(() => { S.data = e.target.value; }));
  on("noise", "input", (e) => change(() => { S.noise = Number(e.target.value); }));
  on("split", "input", (e) => change(() => { S.split = Number(e.target.value); }));
  on("act", "change", (e) => change(() => { S.act = e.target.value; }));
  on("lr", "change", (e) => change(() => { S.lr = Number(e.target.value); }));
  on("batch", "input", (e) => change(() => { S.batch = Number(e.target.value); }));
  on("seed", "change", (e) => change(() => { S.seed = Math.max(0, Math.round(Number(e.target.value) || 0)); }));
  on("layer-plus", "click", () => change(() => { if (S.hidden.length < 3) S.hidden.push(4); }));
  on("layer-minus", "click", () => change(() => { S.hidden.pop(); }));
  on("unit-buttons", "click", (e) => {
    const b = e.target.closest("button"); if (!b) return;
    const i = Number(b.dataset.layer);
    change(() => { S.hidden[i] = Math.min(8, Math.max(1, S.hidden[i] + Number(b.dataset.d))); });
  });
  on("play", "click", () => { playing = !playing; showControls(); });
  on("step", "click", () => { playing = false; step(1); showControls(); draw(); });
  on("reset", "click", () => change(() => {}));
  document.querySelectorAll("#lang button").forEach((b) => b.addEventListener("click", () => {
    S.lang = b.dataset.lang; writeUrl(); showControls(); draw();
  }));
  D.tooltip($("net"), $("tip"), () => hover);
}

// One epoch and one drawing per frame while playing; the frame rate over the last second.
let frameTimes = [];
function frame(now) {
  if (playing) {
    const t0 = performance.now();
    step(1); draw(); state.frames++;
    state.frameMs = 0.9 * (state.frameMs || performance.now() - t0) + 0.1 * (performance.now() - t0); // work per frame
    frameTimes.push(now);
    while (frameTimes.length && now - frameTimes[0] > 1000) frameTimes.shift();
    state.fps = frameTimes.length > 1 ? (frameTimes.length - 1) / ((now - frameTimes[0]) / 1000) : 0;
  } else frameTimes = [];
  requestAnimationFrame(frame);
}

await Promise.all([init(), document.fonts.load('12px "scratchnet-cjk"', "中文").catch(() => null)]);
WORDS.en = wordsFor("en");
WORDS.zh = wordsFor("zh");
wire();
rebuild();
state.ready = true;
window.playground = { hover: () => hover, play: () => { playing = true; showControls(); }, pause: () => { playing = false; showControls(); } };
requestAnimationFrame(frame);

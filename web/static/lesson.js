// The lesson pages: ?lesson=NAME&seed=N&lang=en|zh (and the sliders' values) in the URL, the
// lesson's text from the same Rust code the terminal runs, and its live part.
import init, { lesson_text, messages, neuron_output, HiddenLayerRun } from "./scratchnet_web.js";

const LESSONS = ["perceptron", "neuron", "forward", "mse", "chain-rule", "gender", "descent", "surface", "hidden-layer"];
const NEURON_LESSONS = ["perceptron", "neuron", "forward", "mse"];
const $ = (id) => document.getElementById(id);
const draw = globalThis.scratchnetDraw;

await init();
const params = new URLSearchParams(location.search);
const browserLang = (navigator.language || "").toLowerCase().startsWith("zh") ? "zh" : "en";
const S = {
  lesson: LESSONS.includes(params.get("lesson")) ? params.get("lesson") : "neuron",
  seed: /^\d+$/.test(params.get("seed") || "") ? params.get("seed") : "42",
  lang: ["en", "zh"].includes(params.get("lang")) ? params.get("lang") : browserLang,
  // the neuron's sliders
  w: number(params.get("w"), 1), b: number(params.get("b"), 0), x: number(params.get("x"), 2),
};
const words = { en: JSON.parse(messages("en")), zh: JSON.parse(messages("zh")) };
const page = globalThis.scratchnetPage = { ready: false, hiddenMs: null };

function number(text, fallback) { const v = Number(text); return text !== null && isFinite(v) ? v : fallback; }

// A catalog message in the page's language, its {placeholders} filled.
function T(key, args = {}) {
  const template = words[S.lang][key] ?? words.en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (m, name) => (name in args ? String(args[name]) : m));
}

// The URL holds everything the reader set, so a link reproduces what they saw.
function query(changes = {}) {
  const q = { lesson: S.lesson, seed: S.seed, lang: S.lang, ...changes };
  const out = new URLSearchParams({ lesson: q.lesson, seed: q.seed, lang: q.lang });
  if (NEURON_LESSONS.includes(q.lesson)) { out.set("w", S.w); out.set("b", S.b); out.set("x", S.x); }
  return "?" + out.toString();
}
const remember = () => history.replaceState(null, "", query());

function render() {
  document.documentElement.lang = S.lang;
  document.title = `scratchnet · ${S.lesson}`;
  $("title").textContent = T("web.title");
  $("tagline").textContent = T("web.tagline");
  $("seed-label").textContent = T("web.seed");
  $("seed").value = S.seed;
  $("to-playground").textContent = T("web.playground") + " →";
  $("to-playground").href = `playground.html?lang=${S.lang}`;
  document.querySelectorAll("#lang button").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.lang === S.lang)));
  $("lessons").replaceChildren(...LESSONS.map((name) => {
    const a = document.createElement("a");
    a.href = query({ lesson: name }); a.textContent = name; a.title = T(`lesson.summary.${name}`);
    if (name === S.lesson) a.setAttribute("aria-current", "page");
    a.addEventListener("click", (e) => { e.preventDefault(); S.lesson = name; show(); });
    return a;
  }));
  $("terminal").textContent = T("web.terminal", { name: S.lesson, seed: S.seed });
  try {
    $("lesson-text").textContent = lesson_text(S.lesson, BigInt(S.seed), S.lang);
  } catch (e) {
    $("lesson-text").textContent = T("web.error", { message: e });
  }
}

function show() {
  render();
  live();
  remember();
}

// --- the live part of each lesson ---
let stopLive = () => {};
function live() {
  stopLive(); stopLive = () => {};
  const box = $("live");
  box.replaceChildren();
  if (NEURON_LESSONS.includes(S.lesson)) neuronPart(box);
  else if (S.lesson === "hidden-layer") hiddenPart(box);
}

// One neuron: sliders for w, b and the input x; the sigmoid over x and the current point.
function neuronPart(box) {
  box.innerHTML = `<h2></h2><div class="sliders"></div><p class="value" id="neuron-value"></p>
    <canvas id="neuron-curve" width="640" height="260"></canvas>`;
  box.querySelector("h2").textContent = T("web.neuron.heading");
  const sliders = box.querySelector(".sliders");
  for (const [name, lo, hi] of [["w", -20, 20], ["b", -20, 20], ["x", -10, 10]]) {
    const label = document.createElement("label");
    label.innerHTML = `${name} <input type="range" id="slider-${name}" min="${lo}" max="${hi}" step="0.1"> <output></output>`;
    const input = label.querySelector("input"), out = label.querySelector("output");
    input.value = S[name]; out.textContent = Number(S[name]).toFixed(1);
    input.addEventListener("input", () => { S[name] = Number(input.value); out.textContent = S[name].toFixed(1); neuronDraw(); remember(); });
    sliders.append(label);
  }
  neuronDraw();
}

function neuronDraw() {
  const y = neuron_output(S.w, S.b, S.x);
  const sign = S.b < 0 ? "−" : "+";
  $("neuron-value").textContent = `y = σ(${S.w.toFixed(1)}·${S.x.toFixed(1)} ${sign} ${Math.abs(S.b).toFixed(1)}) = ${y}`;
  const cv = $("neuron-curve"), c = cv.getContext("2d"), W = cv.width, H = cv.height, P = 28;
  const X = (x) => P + (W - 2 * P) * (x + 10) / 20, Y = (v) => H - P - (H - 2 * P) * v;
  c.clearRect(0, 0, W, H);
  c.strokeStyle = "#e4e7ec"; c.strokeRect(P, P, W - 2 * P, H - 2 * P);
  c.fillStyle = "#667085"; c.font = draw.font(11);
  c.fillText("1", 8, Y(1) + 4); c.fillText("0", 8, Y(0) + 4); c.fillText("−10", X(-10) - 8, H - 8); c.fillText("10", X(10) - 6, H - 8); c.fillText("x", X(0), H - 8);
  c.strokeStyle = "#2f6fdd"; c.lineWidth = 2; c.beginPath();
  for (let i = 0; i <= 400; i++) { const x = -10 + i / 20, v = neuron_output(S.w, S.b, x); i ? c.lineTo(X(x), Y(v)) : c.moveTo(X(x), Y(v)); }
  c.stroke();
  c.fillStyle = "#e8772e"; c.beginPath(); c.arc(X(S.x), Y(y), 5, 0, 7); c.fill();
}

// hidden-layer: trains the lesson's network in the page, then plays its snapshots back.
function hiddenPart(box) {
  box.innerHTML = `<h2></h2><p class="note" id="hidden-timing"></p><p class="value" id="hidden-epoch"></p>
    <canvas id="hidden-curve" width="640" height="300"></canvas> <canvas id="hidden-loss" width="400" height="300"></canvas>
    <p><button id="hidden-again"></button></p>`;
  box.querySelector("h2").textContent = T("web.hidden.heading");
  $("hidden-again").textContent = T("web.hidden.again");
  $("hidden-again").addEventListener("click", () => hiddenPart(box));
  const epochs = 5000, started = performance.now();
  const run = new HiddenLayerRun(BigInt(S.seed), epochs);
  const ms = performance.now() - started;
  page.hiddenMs = ms;
  $("hidden-timing").textContent = T("web.hidden.timing", { epochs, ms: ms.toFixed(0) });
  const losses = run.losses(), beans = run.beans(), n = run.snapshots();
  let frame = 0, timer = 0;
  const step = () => {
    const i = Math.min(frame, n - 1), epoch = run.epoch(i);
    $("hidden-epoch").textContent = T("web.hidden.epoch", { epoch, loss: losses[Math.max(epoch - 1, 0)].toFixed(4) });
    hiddenCurves(run, i, beans);
    draw.lineChart($("hidden-loss"), [{ color: "#2f6fdd", points: Array.from(losses.slice(0, epoch), (l, e) => [e + 1, l]), width: 2 }],
      { xMax: epochs, yRange: [0, Math.max(...losses)], xLabel: T("web.hidden.axis") });
    frame++;
    if (frame < n) timer = setTimeout(step, 60);
  };
  step();
  stopLive = () => { clearTimeout(timer); run.free(); };
}

function hiddenCurves(run, i, beans) {
  const cv = $("hidden-curve"), c = cv.getContext("2d"), W = cv.width, H = cv.height, P = 28;
  const X = (x) => P + (W - 2 * P) * x / 2, Y = (v) => H - P - (H - 2 * P) * v;
  c.clearRect(0, 0, W, H);
  c.strokeStyle = "#e4e7ec"; c.strokeRect(P, P, W - 2 * P, H - 2 * P);
  const curve = (flat, color, width) => {
    c.strokeStyle = color; c.lineWidth = width; c.beginPath();
    for (let k = 0; k < flat.length; k += 2) k ? c.lineTo(X(flat[k]), Y(flat[k + 1])) : c.moveTo(X(flat[k]), Y(flat[k + 1]));
    c.stroke();
  };
  curve(run.hidden(i, 0), "#3a9d5d", 1); curve(run.hidden(i, 1), "#8e44c9", 1); curve(run.output(i), "#1f6fc5", 2.5);
  c.fillStyle = "#98a2b3";
  for (let k = 0; k < beans.length; k += 2) { c.beginPath(); c.arc(X(beans[k]), Y(beans[k + 1]), 3, 0, 7); c.fill(); }
}

$("seed").addEventListener("change", () => { if (/^\d+$/.test($("seed").value)) { S.seed = $("seed").value; show(); } });
document.querySelectorAll("#lang button").forEach((b) => b.addEventListener("click", () => { S.lang = b.dataset.lang; show(); }));
show();
page.ready = true;

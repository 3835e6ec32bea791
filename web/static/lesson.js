// The lesson pages: ?lesson=NAME&seed=N&lang=en|zh (and the sliders' values) in the URL, the
// lesson's text from the same Rust code the terminal runs, and its live part.
import init, { lesson_text, messages, neuron_output, HiddenLayerRun, DescentRun, GenderRun, SurfaceRun, chain_rule_worked, forward_values, mse_values, perceptron_values } from "./scratchnet_web.js";

const LESSONS = ["perceptron", "neuron", "forward", "mse", "chain-rule", "gender", "descent", "surface", "hidden-layer"];
const NEURON_LESSONS = ["neuron"];
// perceptron, forward and mse: their own sliders (in the URL under `key`), computed by the
// lesson's own functions; `show` writes what they give.
const f64 = (v) => new Float64Array(v);
const PANELS = {
  perceptron: { key: "pw", names: ["w1", "w2", "w3", "t", "x1", "x2", "x3"], init: [10, 8, 1, 5, 1, 1, 0],
    ranges: [[-20, 20, 1], [-20, 20, 1], [-20, 20, 1], [-20, 20, 1], [0, 1, 1], [0, 1, 1], [0, 1, 1]],
    show: (v) => { const [sum, go] = perceptron_values(f64(v.slice(0, 3)), v[3], f64(v.slice(4)));
      return `w·x = ${v[0]}·${v[4]} + ${v[1]}·${v[5]} + ${v[2]}·${v[6]} = ${sum}\n${sum} ${go ? ">" : "≤"} t = ${v[3]} → ${go}`; } },
  forward: { key: "fw", names: ["w1", "w2", "b", "x1", "x2"], init: [0, 1, 0, 2, 3],
    ranges: [[-20, 20, 0.1], [-20, 20, 0.1], [-20, 20, 0.1], [-10, 10, 0.1], [-10, 10, 0.1]],
    show: (v) => { const [h1, h2, o1] = forward_values(...v);
      return `h1 = h2 = σ(w1·x1 + w2·x2 + b) = ${h1}\no1 = σ(w1·h1 + w2·h2 + b) = σ(${v[0]}·${h1} + ${v[1]}·${h2} + ${v[2]}) = ${o1}`; } },
  mse: { key: "mp", names: ["ŷ1", "ŷ2", "ŷ3", "ŷ4"], init: [0, 0, 0, 0], ranges: [[0, 1, 0.01], [0, 1, 0.01], [0, 1, 0.01], [0, 1, 0.01]],
    show: (v) => { const r = mse_values(f64(v));
      return `y = [1, 0, 0, 1], ŷ = [${v.join(", ")}]\n(y − ŷ)² = [${Array.from(r.slice(0, 4)).join(", ")}]\nmse = ${r[4]}`; } },
};
// descent's methods: the lesson's learning rate (or step) and the slider's range
const METHODS = {
  "stochastic": { lr: 0.02, lo: 0.001, hi: 0.2 }, "batch": { lr: 0.5, lo: 0.01, hi: 1.5 },
  "mini-batch": { lr: 0.1, lo: 0.005, hi: 1 }, "fixed-step": { lr: 0.001, lo: 0.0001, hi: 0.02 },
};
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
  // perceptron, forward and mse: their sliders' values
  panels: Object.fromEntries(Object.entries(PANELS).map(([name, p]) => {
    const given = (params.get(p.key) || "").split(",").map(Number);
    return [name, given.length === p.init.length && given.every(isFinite) ? given : p.init.slice()];
  })),
  // descent's method and learning rate
  method: METHODS[params.get("method")] ? params.get("method") : "batch",
  // gender's person: weight − 135 and height − 66, Emily's by default
  gw: number(params.get("gw"), -7), gh: number(params.get("gh"), -3),
  // surface's view: turned by yaw and tilted by pitch (radians), contours on or off
  yaw: number(params.get("yaw"), 0.7), pitch: number(params.get("pitch"), 0.5), contours: params.get("contours") !== "0",
  lr: number(params.get("lr"), null),
};
if (!(S.lr > 0)) S.lr = METHODS[S.method].lr;
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
  if (PANELS[q.lesson]) out.set(PANELS[q.lesson].key, S.panels[q.lesson].join(","));
  if (q.lesson === "surface") { out.set("yaw", S.yaw.toFixed(2)); out.set("pitch", S.pitch.toFixed(2)); out.set("contours", S.contours ? 1 : 0); }
  if (q.lesson === "gender") { out.set("gw", S.gw); out.set("gh", S.gh); }
  if (q.lesson === "descent") { out.set("method", S.method); out.set("lr", S.lr); }
  if (q.lesson === "hidden-layer" && S.hand) out.set("hand", S.hand.map((v) => +v.toFixed(3)).join(","));
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
  else if (PANELS[S.lesson]) panelPart(box, S.lesson);
  else if (S.lesson === "hidden-layer") hiddenPart(box);
  else if (S.lesson === "descent") descentPart(box);
  else if (S.lesson === "gender") genderPart(box);
  else if (S.lesson === "surface") surfacePart(box);
  else if (S.lesson === "chain-rule") chainPart(box);
}

// perceptron, forward, mse: a slider for each number, the lesson's result under them.
function panelPart(box, lesson) {
  const panel = PANELS[lesson], values = S.panels[lesson];
  box.innerHTML = `<h2></h2><div class="sliders"></div><pre class="value" id="panel-value"></pre>`;
  box.querySelector("h2").textContent = T(`lesson.summary.${lesson}`);
  const redraw = () => { $("panel-value").textContent = panel.show(values); remember(); };
  panel.names.forEach((name, i) => {
    const [lo, hi, step] = panel.ranges[i], label = document.createElement("label");
    label.innerHTML = `${name} <input type="range" id="panel-${i}" min="${lo}" max="${hi}" step="${step}"> <output></output>`;
    const input = label.querySelector("input"), out = label.querySelector("output");
    input.value = values[i]; out.textContent = values[i];
    input.addEventListener("input", () => { values[i] = Number(input.value); out.textContent = values[i]; redraw(); });
    box.querySelector(".sliders").append(label);
  });
  redraw();
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
    <p><button id="hidden-again"></button></p>
    <h2 id="hand-heading"></h2><div class="sliders" id="hand-sliders"></div>
    <p><button id="hand-solve"></button> <span class="value" id="hand-loss"></span></p>
    <canvas id="hand-curve" width="640" height="300"></canvas>`;
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
  const stopHand = handPart(run, beans);
  stopLive = () => { clearTimeout(timer); stopHand(); run.free(); };
}

// hidden-layer by hand: seven sliders; the lesson's network computes the curve and the loss.
const HAND = ["w1", "b1", "w2", "b2", "v1", "v2", "c"];
const HAND_ORDER = [0, 2, 1, 3, 4, 5, 6]; // the sliders' order, from HiddenLayerRun's w1 w2 b1 b2 v1 v2 c
function handPart(run, beans) {
  $("hand-heading").textContent = T("web.hidden.hand");
  $("hand-solve").textContent = T("web.hidden.solve");
  const trained = run.trained(), fromRust = HAND_ORDER.map((i) => trained[i]);
  const given = (params.get("hand") || "").split(",").map(Number);
  S.hand = given.length === 7 && given.every(isFinite) ? given : fromRust.map(() => 0);
  const box = $("hand-sliders"); box.replaceChildren();
  const inputs = HAND.map((name, i) => {
    const label = document.createElement("label");
    label.innerHTML = `${name} <input type="range" id="hand-${name}" min="-50" max="50" step="0.1"> <output></output>`;
    const input = label.querySelector("input");
    input.value = S.hand[i];
    input.addEventListener("input", () => { S.hand[i] = Number(input.value); handDraw(); });
    box.append(label);
    return input;
  });
  const handDraw = () => {
    inputs.forEach((input, i) => { input.value = S.hand[i]; input.nextElementSibling.textContent = Number(S.hand[i]).toFixed(1); });
    const ordered = [S.hand[0], S.hand[2], S.hand[1], S.hand[3], S.hand[4], S.hand[5], S.hand[6]];
    const out = run.hand(new Float64Array(ordered)), n = (out.length - 1) / 3;
    $("hand-loss").textContent = T("web.hidden.hand-loss", { loss: out[0].toFixed(5) });
    curves($("hand-curve"), [out.subarray(1 + n, 1 + 2 * n), out.subarray(1 + 2 * n)], out.subarray(1, 1 + n), beans);
    const url = new URL(location.href); url.searchParams.set("hand", S.hand.map((v) => +v.toFixed(3)).join(","));
    history.replaceState(null, "", url.search);
  };
  // the button slides every slider to the trained network's value, over about a second
  let frame = 0;
  $("hand-solve").addEventListener("click", () => {
    cancelAnimationFrame(frame);
    const from = S.hand.slice(), t0 = performance.now();
    const move = (now) => {
      const t = Math.min(1, (now - t0) / 1000), ease = t * t * (3 - 2 * t);
      S.hand = from.map((v, i) => v + (fromRust[i] - v) * ease);
      handDraw();
      if (t < 1) frame = requestAnimationFrame(move);
    };
    frame = requestAnimationFrame(move);
  });
  handDraw();
  return () => cancelAnimationFrame(frame);
}

function hiddenCurves(run, i, beans) {
  curves($("hidden-curve"), [run.hidden(i, 0), run.hidden(i, 1)], run.output(i), beans);
}

// The beans, each hidden neuron's curve and the prediction (flat x, y lists) over x ∈ [0, 2].
function curves(cv, hidden, output, beans) {
  const c = cv.getContext("2d"), W = cv.width, H = cv.height, P = 28;
  const X = (x) => P + (W - 2 * P) * x / 2, Y = (v) => H - P - (H - 2 * P) * v;
  c.clearRect(0, 0, W, H);
  c.strokeStyle = "#e4e7ec"; c.strokeRect(P, P, W - 2 * P, H - 2 * P);
  const curve = (flat, color, width) => {
    c.strokeStyle = color; c.lineWidth = width; c.beginPath();
    for (let k = 0; k < flat.length; k += 2) k ? c.lineTo(X(flat[k]), Y(flat[k + 1])) : c.moveTo(X(flat[k]), Y(flat[k + 1]));
    c.stroke();
  };
  curve(hidden[0], "#3a9d5d", 1); curve(hidden[1], "#8e44c9", 1); curve(output, "#1f6fc5", 2.5);
  c.fillStyle = "#98a2b3";
  for (let k = 0; k < beans.length; k += 2) { c.beginPath(); c.arc(X(beans[k]), Y(beans[k + 1]), 3, 0, 7); c.fill(); }
}

// chain-rule: the 2-2-1 network with every value, and ∂L/∂w1's factors to click.
function chainPart(box) {
  const [zh1, h1, zh2, h2, zo1, yp, L, dL, dy, dh, total] = chain_rule_worked();
  const signed = (v) => (v < 0 ? "-" : "+") + Math.abs(v).toFixed(10); // as the lesson prints them
  const factors = [
    ["∂L/∂ŷ", "−2(y − ŷ)", `−2(1 − ${yp})`, dL],
    ["∂ŷ/∂h1", "w5·σ′(z_o1) = w5·σ(z_o1)(1 − σ(z_o1))", `1 · ${yp} · (1 − ${yp})`, dy],
    ["∂h1/∂w1", "x1·σ′(z_h1) = x1·σ(z_h1)(1 − σ(z_h1))", `−2 · ${h1} · (1 − ${h1})`, dh],
    ["∂L/∂w1", "∂L/∂ŷ · ∂ŷ/∂h1 · ∂h1/∂w1", `${dL} · ${dy} · ${dh}`, total],
  ];
  box.innerHTML = `<h2></h2><canvas id="chain-net" width="640" height="260"></canvas><p id="chain-factors"></p><pre id="chain-detail"></pre>`;
  box.querySelector("h2").textContent = T("web.chain.heading");
  const c = $("chain-net").getContext("2d");
  const nodes = { x1: [70, 60, "x1 = −2"], x2: [70, 200, "x2 = 5"], h1: [320, 60, `h1 = σ(${zh1}) = ${h1.toFixed(6)}`],
    h2: [320, 200, `h2 = σ(${zh2}) = ${h2.toFixed(6)}`], o1: [470, 130, `ŷ = σ(${zo1.toFixed(6)}) = ${yp.toFixed(6)}`] };
  const edge = (a, b, label, hot) => {
    const [x0, y0] = nodes[a], [x1, y1] = nodes[b];
    c.strokeStyle = hot ? "#e8772e" : "#98a2b3"; c.lineWidth = hot ? 3 : 1.5; c.beginPath(); c.moveTo(x0, y0); c.lineTo(x1, y1); c.stroke();
    c.fillStyle = hot ? "#e8772e" : "#667085"; c.fillText(label, (x0 + x1) / 2 - 10, (y0 + y1) / 2 - 6);
  };
  c.font = draw.font(13);
  edge("x1", "h1", "w1 = 1", true); edge("x2", "h1", "w2 = 1"); edge("x1", "h2", "w3 = 1"); edge("x2", "h2", "w4 = 1");
  edge("h1", "o1", "w5 = 1", true); edge("h2", "o1", "w6 = 1");
  for (const [x, y, label] of Object.values(nodes)) {
    c.fillStyle = "#fff"; c.strokeStyle = "#1d2430"; c.lineWidth = 1.2; c.beginPath(); c.arc(x, y, 14, 0, 7); c.fill(); c.stroke();
    c.fillStyle = "#1d2430"; c.fillText(label, x - 40, y + 32);
  }
  c.fillText(`L = (y − ŷ)² = ${L.toFixed(6)}`, 430, 250);
  $("chain-factors").replaceChildren(...factors.map(([name, formula, numbers, value], i) => {
    const b = document.createElement("button");
    b.textContent = name; b.id = `chain-factor-${i}`;
    b.addEventListener("click", () => { $("chain-detail").textContent = `${name} = ${formula}\n      = ${numbers}\n      = ${signed(value)}`; });
    return b;
  }));
  $("chain-detail").textContent = `∂L/∂w1 = ∂L/∂ŷ · ∂ŷ/∂h1 · ∂h1/∂w1 = ${signed(total)}`;
}

// surface: the bowl e(w, b) in 3-D, turned with the mouse, with contours on its floor and the
// batch-descent path running down it.
function surfacePart(box) {
  box.innerHTML = `<h2></h2><p><button id="surface-play"></button> <button id="surface-reset"></button>
    <label><input type="checkbox" id="surface-contours"> <span id="surface-contours-label"></span></label></p>
    <p class="value" id="surface-status"></p><canvas id="surface-3d" width="720" height="480" style="cursor: grab"></canvas>`;
  box.querySelector("h2").textContent = T("web.surface.heading");
  $("surface-reset").textContent = T("web.descent.reset");
  $("surface-contours-label").textContent = T("web.surface.contours");
  const run = new SurfaceRun(BigInt(S.seed)), N = 31, grid = run.grid(N), win = run.window(), path = run.path(), costs = run.costs();
  const top = Math.max(...grid), n = costs.length - 1;
  let k = n, playing = false, timer = 0;
  const redraw = () => {
    surfaceDraw($("surface-3d"), grid, N, win, top, path, costs, k);
    $("surface-status").textContent = T("web.surface.status", { k, n, w: path[2 * k].toFixed(4), b: path[2 * k + 1].toFixed(4), e: costs[k].toFixed(5) });
  };
  const play = (on) => {
    playing = on; clearTimeout(timer);
    $("surface-play").textContent = T(on ? "web.descent.pause" : "web.descent.play");
    if (!on) return;
    if (k >= n) k = 0;
    const tick = () => { k = Math.min(n, k + 2); redraw(); if (k < n) timer = setTimeout(tick, 30); else play(false); };
    tick();
  };
  $("surface-play").addEventListener("click", () => play(!playing));
  $("surface-reset").addEventListener("click", () => { play(false); k = 0; redraw(); });
  $("surface-contours").checked = S.contours;
  $("surface-contours").addEventListener("change", () => { S.contours = $("surface-contours").checked; redraw(); remember(); });
  const cv = $("surface-3d");
  let drag = null;
  cv.addEventListener("pointerdown", (e) => { drag = [e.clientX, e.clientY, S.yaw, S.pitch]; cv.setPointerCapture(e.pointerId); });
  cv.addEventListener("pointermove", (e) => {
    if (!drag) return;
    S.yaw = drag[2] + (e.clientX - drag[0]) / 150;
    S.pitch = Math.max(0.05, Math.min(1.5, drag[3] + (e.clientY - drag[1]) / 150));
    redraw();
  });
  cv.addEventListener("pointerup", () => { drag = null; remember(); });
  redraw(); play(false);
  stopLive = () => { clearTimeout(timer); run.free(); };
}

// Projects (u, v, h) in [−1, 1]² × [0, 1] (w, b and the cost, scaled) onto the canvas.
function projector(cv) {
  const W = cv.width, H = cv.height, s = Math.min(W, H) * 0.36;
  const cy = Math.cos(S.yaw), sy = Math.sin(S.yaw), cp = Math.cos(S.pitch), sp = Math.sin(S.pitch);
  return (u, v, h) => {
    const x = u * cy - v * sy, y = u * sy + v * cy; // turned about the vertical axis
    return [W / 2 + s * x, H * 0.62 - s * (y * sp + (h * 1.4 - 0.5) * cp)];
  };
}

function surfaceDraw(cv, grid, N, win, top, path, costs, k) {
  const c = cv.getContext("2d"), P = projector(cv);
  c.clearRect(0, 0, cv.width, cv.height);
  const U = (w) => 2 * (w - win[0]) / (win[1] - win[0]) - 1, V = (b) => 2 * (b - win[2]) / (win[3] - win[2]) - 1;
  const at = (i, j) => [2 * i / (N - 1) - 1, 2 * j / (N - 1) - 1, grid[j * N + i] / top];
  // the floor's contours: marching squares at ten levels of the cost
  if (S.contours) {
    c.lineWidth = 1;
    for (let l = 1; l <= 10; l++) {
      const level = top * Math.pow(l / 11, 2);
      c.strokeStyle = `hsl(${220 - l * 18}, 60%, 55%)`; c.beginPath();
      for (let j = 0; j + 1 < N; j++) for (let i = 0; i + 1 < N; i++) {
        const corners = [[i, j], [i + 1, j], [i + 1, j + 1], [i, j + 1]], pts = [];
        for (let e = 0; e < 4; e++) {
          const [a, b] = [corners[e], corners[(e + 1) % 4]], va = grid[a[1] * N + a[0]], vb = grid[b[1] * N + b[0]];
          if ((va < level) !== (vb < level)) { const t = (level - va) / (vb - va); pts.push([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]); }
        }
        for (let p = 0; p + 1 < pts.length; p += 2) {
          const [x0, y0] = P(2 * pts[p][0] / (N - 1) - 1, 2 * pts[p][1] / (N - 1) - 1, 0), [x1, y1] = P(2 * pts[p + 1][0] / (N - 1) - 1, 2 * pts[p + 1][1] / (N - 1) - 1, 0);
          c.moveTo(x0, y0); c.lineTo(x1, y1);
        }
      }
      c.stroke();
    }
  }
  // the bowl: a mesh of lines along w and along b, coloured by height
  c.lineWidth = 1;
  for (let j = 0; j < N; j++) for (let i = 0; i + 1 < N; i++) for (const [a, b] of [[at(i, j), at(i + 1, j)], [at(j, i), at(j, i + 1)]]) {
    c.strokeStyle = `hsla(${230 - 200 * a[2]}, 55%, 45%, 0.7)`; c.beginPath(); c.moveTo(...P(...a)); c.lineTo(...P(...b)); c.stroke();
  }
  // the descent path on the bowl, up to step k, and its shadow on the floor
  c.strokeStyle = "#e8772e"; c.lineWidth = 2.5; c.beginPath();
  for (let s = 0; s <= k; s++) { const [x, y] = P(U(path[2 * s]), V(path[2 * s + 1]), costs[s] / top); s ? c.lineTo(x, y) : c.moveTo(x, y); }
  c.stroke();
  const [bx, by] = P(U(path[2 * k]), V(path[2 * k + 1]), costs[k] / top);
  c.fillStyle = "#e8772e"; c.beginPath(); c.arc(bx, by, 6, 0, 7); c.fill();
  c.fillStyle = "#667085"; c.font = draw.font(12);
  c.fillText("w →", ...P(1.1, -1, 0)); c.fillText("b →", ...P(-1, 1.1, 0));
}

// gender: the lesson's training in the page (its loss curve drawn as it goes), then a person
// typed in and the network's answer.
function genderPart(box) {
  box.innerHTML = `<h2></h2><canvas id="gender-loss" width="560" height="240"></canvas>
    <div class="sliders"><label><span id="gender-w-label"></span> <input id="gender-w" type="number" step="1"></label>
    <label><span id="gender-h-label"></span> <input id="gender-h" type="number" step="1"></label></div>
    <p class="value" id="gender-answer"></p>`;
  box.querySelector("h2").textContent = T("web.gender.heading");
  $("gender-w-label").textContent = T("web.gender.weight"); $("gender-h-label").textContent = T("web.gender.height");
  const run = new GenderRun(BigInt(S.seed)), flat = run.losses(), points = [];
  for (let i = 0; i < flat.length; i += 2) points.push([flat[i], flat[i + 1]]);
  let shown = 0, timer = 0;
  const grow = () => {
    shown = Math.min(points.length, shown + 4);
    draw.lineChart($("gender-loss"), [{ color: "#2f6fdd", points: points.slice(0, shown), width: 2 }], { xMax: 1000, yRange: [0, Math.max(...points.map((p) => p[1]))], xLabel: T("web.hidden.axis") });
    if (shown < points.length) timer = setTimeout(grow, 20);
  };
  grow();
  const answer = () => {
    const p = run.predict(S.gw, S.gh);
    $("gender-answer").textContent = T("web.gender.answer", { p: p.toFixed(4), class: T(p > 0.5 ? "web.gender.female" : "web.gender.male") });
  };
  for (const [id, key] of [["gender-w", "gw"], ["gender-h", "gh"]]) {
    $(id).value = S[key];
    $(id).addEventListener("input", () => { if ($(id).value !== "" && isFinite(Number($(id).value))) { S[key] = Number($(id).value); answer(); remember(); } });
  }
  answer();
  stopLive = () => { clearTimeout(timer); run.free(); };
}

// descent: one method at the chosen rate, its updates played back; the line over the beans,
// and the ball on the cost curve e(w) at the current b with its slope.
function descentPart(box) {
  box.innerHTML = `<h2></h2><div class="sliders">
      <label><span id="descent-method-label"></span> <select id="descent-method"></select></label>
      <label><span id="descent-lr-label"></span> <input type="range" id="descent-lr" step="any"> <output id="descent-lr-value"></output></label>
    </div>
    <p><button id="descent-play"></button> <button id="descent-step"></button> <button id="descent-reset"></button></p>
    <p class="value" id="descent-status"></p>
    <figure><canvas id="descent-line" width="480" height="300"></canvas><figcaption id="descent-line-caption" class="note"></figcaption></figure>
    <figure><canvas id="descent-cut" width="480" height="300"></canvas><figcaption id="descent-cut-caption" class="note"></figcaption></figure>`;
  box.querySelector("h2").textContent = T("web.descent.heading");
  for (const id of ["method", "lr", "step", "reset"]) $(`descent-${id === "method" || id === "lr" ? id + "-label" : id}`).textContent = T(`web.descent.${id}`);
  $("descent-line-caption").textContent = T("web.descent.line");
  $("descent-cut-caption").textContent = T("web.descent.cut");
  const select = $("descent-method");
  for (const name of Object.keys(METHODS)) select.append(new Option(T(`lesson.descent.method.${name}`), name, false, name === S.method));
  const slider = $("descent-lr"), range = () => METHODS[S.method];
  // the slider moves the rate on a log scale, from the method's lo to hi
  const toSlider = (lr) => Math.log(lr / range().lo) / Math.log(range().hi / range().lo) * 1000;
  const fromSlider = (v) => Number((range().lo * Math.pow(range().hi / range().lo, v / 1000)).toPrecision(3));
  slider.min = 0; slider.max = 1000;
  let run = null, k = 0, playing = false, timer = 0;
  const start = () => {
    if (run) run.free();
    run = new DescentRun(BigInt(S.seed), S.method, S.lr);
    k = 0; slider.value = toSlider(S.lr); $("descent-lr-value").textContent = S.lr;
    descentDraw(run, k); remember();
  };
  const play = (on) => {
    playing = on; clearTimeout(timer);
    $("descent-play").textContent = T(on ? "web.descent.pause" : "web.descent.play");
    if (!on) return;
    const per = Math.max(1, Math.ceil(run.updates() / 300)); // about 300 frames, whatever the method
    const tick = () => { k = Math.min(k + per, run.updates()); descentDraw(run, k); if (k < run.updates()) timer = setTimeout(tick, 30); else play(false); };
    tick();
  };
  select.addEventListener("change", () => { S.method = select.value; S.lr = METHODS[S.method].lr; play(false); start(); });
  slider.addEventListener("input", () => { S.lr = fromSlider(Number(slider.value)); play(false); start(); });
  $("descent-play").addEventListener("click", () => { if (k >= run.updates()) k = 0; play(!playing); });
  $("descent-step").addEventListener("click", () => { play(false); k = Math.min(k + 1, run.updates()); descentDraw(run, k); });
  $("descent-reset").addEventListener("click", () => { play(false); k = 0; descentDraw(run, k); });
  start(); play(false);
  stopLive = () => { clearTimeout(timer); run.free(); };
}

function descentDraw(run, k) {
  // the run's numbers, copied out of WebAssembly once per run, not once per frame
  if (run.cache === undefined) run.cache = { path: run.path(), beans: run.beans(), costs: run.costs(), best: run.least_squares() };
  const { path, beans, costs, best } = run.cache, w = path[2 * k], b = path[2 * k + 1], e = costs[k], slope = run.slope(w, b);
  $("descent-status").textContent = T("web.descent.status", { k, n: run.updates(), w: w.toFixed(5), b: b.toFixed(5), e: e.toFixed(6), slope: slope.toFixed(5) });
  // the line over the beans
  let cv = $("descent-line"), c = cv.getContext("2d"), W = cv.width, H = cv.height, P = 28;
  let X = (x) => P + (W - 2 * P) * x, Y = (y) => H - P - (H - 2 * P) * (y - 0.3) / 1.1;
  c.clearRect(0, 0, W, H); c.strokeStyle = "#e4e7ec"; c.strokeRect(P, P, W - 2 * P, H - 2 * P);
  c.fillStyle = "#98a2b3";
  for (let i = 0; i < beans.length; i += 2) { c.beginPath(); c.arc(X(beans[i]), Y(beans[i + 1]), 3, 0, 7); c.fill(); }
  c.strokeStyle = "#1f6fc5"; c.lineWidth = 2.5; c.beginPath(); c.moveTo(X(0), Y(b)); c.lineTo(X(1), Y(w + b)); c.stroke();
  // e(w) at this b, the ball, and its tangent
  cv = $("descent-cut"); c = cv.getContext("2d");
  const [wls] = best, lo = Math.min(-0.2, w - 0.2), hi = Math.max(wls + 0.6, w + 0.2);
  const ws = Array.from({ length: 121 }, (_, i) => lo + (hi - lo) * i / 120), es = ws.map((v) => run.cost(v, b));
  const top = Math.max(...es), bottom = Math.min(...es, 0);
  X = (v) => P + (W - 2 * P) * (v - lo) / (hi - lo); Y = (v) => H - P - (H - 2 * P) * (v - bottom) / (top - bottom || 1);
  c.clearRect(0, 0, W, H); c.strokeStyle = "#e4e7ec"; c.strokeRect(P, P, W - 2 * P, H - 2 * P);
  c.fillStyle = "#667085"; c.font = draw.font(11); c.fillText("w", W - P + 6, H - P + 4); c.fillText("e", P - 14, P + 4);
  c.strokeStyle = "#1d2430"; c.lineWidth = 2; c.beginPath(); ws.forEach((v, i) => (i ? c.lineTo(X(v), Y(es[i])) : c.moveTo(X(v), Y(es[i])))); c.stroke();
  const here = run.cost(w, b), dw = (hi - lo) / 8;
  c.strokeStyle = "#e8772e"; c.lineWidth = 1.5; c.beginPath(); c.moveTo(X(w - dw), Y(here - slope * dw)); c.lineTo(X(w + dw), Y(here + slope * dw)); c.stroke();
  c.fillStyle = "#e8772e"; c.beginPath(); c.arc(X(w), Y(here), 6, 0, 7); c.fill();
}

$("seed").addEventListener("change", () => { if (/^\d+$/.test($("seed").value)) { S.seed = $("seed").value; show(); } });
document.querySelectorAll("#lang button").forEach((b) => b.addEventListener("click", () => { S.lang = b.dataset.lang; show(); }));
show();
page.ready = true;

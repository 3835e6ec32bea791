// scratchnet's drawings on <canvas>, one copy for every page that draws them: the dashboard
// (the server puts this file inside its page) and the web site (web/build.sh copies it to
// web/dist/draw.js). It holds no words: whatever it writes comes in through its arguments,
// already in the reader's language. Everything is on `scratchnetDraw`.
(function () {
  "use strict";

  // A canvas font that draws Chinese with the font scratchnet ships (served beside the page).
  const font = (px) => `${px}px "scratchnet-cjk", system-ui, sans-serif`;

  // A line chart. `series`: [{ color, points: [[x, y], …], width, dots }]; x runs from 0 to
  // `xMax`; y over `yRange` ([lo, hi]) or the points' own range; `xLabel` at the bottom right.
  function lineChart(canvas, series, { xMax = 1, yRange = null, xLabel = "" } = {}) {
    const c = canvas.getContext("2d"), W = canvas.width, H = canvas.height, L = 48, R = 10, TOP = 10, B = 28;
    c.clearRect(0, 0, W, H);
    const all = series.flatMap((s) => s.points).filter((p) => isFinite(p[1]));
    let [y0, y1] = yRange || [Math.min(...all.map((p) => p[1])), Math.max(...all.map((p) => p[1]))];
    if (!all.length) { y0 = 0; y1 = 1; }
    if (y1 - y0 < 1e-9) { y1 = y0 + 1; }
    const X = (x) => L + (W - L - R) * x / Math.max(xMax, 1e-9), Y = (y) => TOP + (H - TOP - B) * (1 - (y - y0) / (y1 - y0));
    c.strokeStyle = "#e4e7ec"; c.fillStyle = "#667085"; c.font = font(11); c.lineWidth = 1;
    for (let i = 0; i <= 4; i++) {
      const y = y0 + (y1 - y0) * i / 4;
      c.beginPath(); c.moveTo(L, Y(y)); c.lineTo(W - R, Y(y)); c.stroke(); c.fillText(y.toPrecision(3), 2, Y(y) + 4);
    }
    const step = Math.max(1, Math.ceil(xMax / 10));
    for (let e = 0; e <= xMax; e += step) c.fillText(String(e), X(e) - 3, H - 12);
    c.textAlign = "right"; c.fillText(xLabel, W - R, H - 1); c.textAlign = "left";
    for (const s of series) {
      c.strokeStyle = s.color; c.fillStyle = s.color; c.lineWidth = s.width || 1.5; c.beginPath();
      s.points.forEach((p, i) => (i ? c.lineTo(X(p[0]), Y(p[1])) : c.moveTo(X(p[0]), Y(p[1]))));
      c.stroke();
      if (s.dots) s.points.forEach((p) => { c.beginPath(); c.arc(X(p[0]), Y(p[1]), 2.5, 0, 7); c.fill(); });
    }
  }

  // A network: layers of circles joined by every weight, blue for positive and red for
  // negative, thicker for larger. `net`: { sizes, units: [[unit index shown], …] per layer,
  // weights: [[[w]]] per layer (shown units only), biases }. `words` gives the texts:
  // weight(l, i, j, w), unit(l, k, activation), layer(l, size). `activation(l, k)` is a value
  // in [−1, 1] that fills a unit (null: empty), and `lit(l, i, w)` how bright a weight's line
  // is (default: by its size). Returns what the mouse can point at, for `nearest`.
  function network(canvas, net, { words, activation = () => null, lit = null, radius = 8 }) {
    const c = canvas.getContext("2d"), W = canvas.width, H = canvas.height, L = net.units.length;
    c.clearRect(0, 0, W, H);
    const hover = [];
    const pos = (l, k) => [60 + (W - 120) * l / Math.max(L - 1, 1),
      20 + (H - 40) * (net.units[l].length === 1 ? 0.5 : k / (net.units[l].length - 1))];
    const maxW = Math.max(1e-6, ...net.weights.flat(2).map(Math.abs));
    net.weights.forEach((m, l) => m.forEach((row, i) => row.forEach((w, j) => {
      const [x0, y0] = pos(l, i), [x1, y1] = pos(l + 1, j), t = Math.abs(w) / maxW;
      const bright = lit ? lit(l, i, w) : t;
      c.strokeStyle = (w >= 0 ? "rgba(47,111,221," : "rgba(210,60,60,") + (0.1 + 0.8 * bright) + ")";
      c.lineWidth = 0.5 + 3 * t; c.beginPath(); c.moveTo(x0, y0); c.lineTo(x1, y1); c.stroke();
      hover.push({ kind: "line", x0, y0, x1, y1, text: words.weight(l, i, j, w) });
    })));
    net.units.forEach((us, l) => us.forEach((u, k) => {
      const [x, y] = pos(l, k), a = activation(l, k);
      c.fillStyle = a === null ? "#fff" : `rgba(46,157,91,${Math.min(1, Math.abs(a))})`;
      c.strokeStyle = "#1d2430"; c.lineWidth = 1.2; c.beginPath(); c.arc(x, y, radius, 0, 7); c.fill(); c.stroke();
      hover.push({ kind: "unit", x, y, l, k, text: words.unit(l, k, a) });
    }));
    c.fillStyle = "#667085"; c.font = font(12);
    net.sizes.forEach((s, l) => { const [x] = pos(l, 0); c.fillText(words.layer(l, s), x - 30, H - 2); });
    return { hover, pos };
  }

  // What of `hover` (from `network`) is at canvas point (x, y): a unit within a few pixels of
  // its edge, else the nearest line within 8 pixels; null if nothing.
  function nearest(hover, x, y) {
    let best = null, bd = 8;
    for (const h of hover) {
      let dist;
      if (h.kind === "unit") dist = Math.hypot(x - h.x, y - h.y) - 4;
      else {
        const dx = h.x1 - h.x0, dy = h.y1 - h.y0;
        const t = Math.max(0, Math.min(1, ((x - h.x0) * dx + (y - h.y0) * dy) / (dx * dx + dy * dy)));
        dist = Math.hypot(x - h.x0 - t * dx, y - h.y0 - t * dy);
      }
      if (dist < bd || (h.kind === "unit" && dist < 6)) { bd = dist; best = h; }
    }
    return best;
  }

  // Shows the text of what the mouse is over on `canvas` in the element `tip`;
  // `hover()` gives the current list (the drawing changes under the mouse).
  function tooltip(canvas, tip, hover) {
    canvas.addEventListener("mousemove", (e) => {
      const r = canvas.getBoundingClientRect();
      const best = nearest(hover(), (e.clientX - r.left) * canvas.width / r.width, (e.clientY - r.top) * canvas.height / r.height);
      if (best) {
        tip.textContent = best.text; tip.style.left = e.clientX + 12 + "px"; tip.style.top = e.clientY + 12 + "px"; tip.style.display = "block";
      } else tip.style.display = "none";
    });
    canvas.addEventListener("mouseleave", () => { tip.style.display = "none"; });
  }

  globalThis.scratchnetDraw = { font, lineChart, network, nearest, tooltip };
})();

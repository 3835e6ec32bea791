// End-to-end test of the playground page (web/dist/playground.html) in a real headless browser.
//
// Serves the dist folder over a tiny static server on 127.0.0.1, opens the playground in
// Debian's Chromium (driven by playwright-core) and checks: default settings reach ≥ 95% test
// accuracy on XOR and on circle; the URL holds every control and a link restores it; a control
// changes the drawing; the frame rate with two hidden layers of 8 on 500 points (printed, ≥ 30);
// the plateau hint; no console errors. Saves e2e/out/playground.png and playground-zh.png.
//
// usage: cd e2e && node playground.mjs [DIST]   (DIST defaults to web/dist; after web/build.sh)

import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serve } from "./static-server.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);
const dist = resolve(process.argv[2] || join(root, "web", "dist"));
if (!existsSync(join(dist, "playground.html"))) throw new Error(`missing ${dist}/playground.html: run web/build.sh first`);
mkdirSync(join(here, "out"), { recursive: true });

let failures = 0;
const check = (ok, what) => { console.log(`${ok ? "ok  " : "FAIL"} ${what}`); if (!ok) failures++; };

const server = await serve(dist);
const site = `http://127.0.0.1:${server.address().port}/playground.html`;

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--no-first-run"] });
try {
  const page = await browser.newPage({ viewport: { width: 1240, height: 800 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("requestfailed", (r) => { if (!/ERR_ABORTED/.test(r.failure()?.errorText || "")) errors.push(`request failed: ${r.url()}`); });
  const open = async (query) => {
    await page.goto(site + query);
    await page.waitForFunction(() => globalThis.playgroundState && globalThis.playgroundState.ready, null, { timeout: 60000 });
  };
  const state = () => page.evaluate(() => ({ ...globalThis.playgroundState }));

  // 1. default settings learn XOR and circle: play until the test accuracy reaches 95%
  for (const data of ["xor", "circle"]) {
    await open(data === "xor" ? "" : `?data=${data}`);
    await page.click("#play");
    let s;
    try {
      await page.waitForFunction(() => globalThis.playgroundState.testAccuracy >= 0.95, null, { timeout: 60000 });
    } catch { /* reported below */ }
    await page.click("#play");
    s = await state();
    check(s.testAccuracy >= 0.95, `${data}: test accuracy ${(100 * s.testAccuracy).toFixed(1)}% after ${s.epoch} epochs (≥ 95%)`);
  }

  // 2. URL state round-trips: every control from a link, and back into the URL
  const query = "?data=spiral&noise=15&split=70&hidden=3%2C8&act=relu&lr=0.1&batch=7&seed=42&lang=zh";
  await open(query);
  const controls = await page.evaluate(() => ({
    data: document.getElementById("data").value, noise: document.getElementById("noise").value,
    split: document.getElementById("split").value, act: document.getElementById("act").value,
    lr: document.getElementById("lr").value, batch: document.getElementById("batch").value,
    seed: document.getElementById("seed").value, lang: document.documentElement.lang, search: location.search,
  }));
  check(controls.data === "spiral" && controls.noise === "15" && controls.split === "70" && controls.act === "relu" &&
    controls.lr === "0.1" && controls.batch === "7" && controls.seed === "42" && controls.lang === "zh-CN",
    `a link sets every control (${JSON.stringify(controls)})`);
  check(controls.search === query, `the URL keeps the state (${controls.search})`);
  const sizes = await page.evaluate(() => document.getElementById("layers-text").textContent);
  check(sizes.includes("2"), `two hidden layers from the link (${sizes})`);
  await page.selectOption("#data", "circle");
  check((await page.evaluate(() => location.search)).includes("data=circle"), "changing a control updates the URL");
  // same settings and seed → same numbers
  const fiveSteps = async () => { for (let i = 0; i < 5; i++) await page.click("#step"); return state(); };
  const a = await fiveSteps();
  await page.reload();
  await page.waitForFunction(() => globalThis.playgroundState && globalThis.playgroundState.ready);
  const b = await fiveSteps();
  check(b.epoch === 5 && a.testLoss === b.testLoss && a.trainLoss === b.trainLoss, `same link, same numbers (test loss ${b.testLoss} after ${b.epoch} epochs)`);

  // 3. a control changes the drawing
  await open("");
  const pixels = () => page.evaluate(() => {
    const grab = (id) => document.getElementById(id).toDataURL();
    return grab("map") + grab("net");
  });
  const before = await pixels();
  await page.click("#step");
  const stepped = await pixels();
  await page.selectOption("#act", "relu");
  const relu = await pixels();
  await page.click("#layer-plus");
  const more = await pixels();
  check(before !== stepped, "one step redraws the map and the network");
  check(stepped !== relu && relu !== more, "the activation and the layer buttons change the drawing");
  await page.hover("#net", { position: { x: 160, y: 120 } });

  // 4. speed: two hidden layers of 8 on 500 points
  await open("?hidden=8%2C8");
  await page.click("#play");
  await page.waitForTimeout(4000);
  const fast = await state();
  await page.click("#play");
  console.log(`fps with 2×8 hidden on 500 points: ${fast.fps.toFixed(1)} (${fast.frames} frames, epoch ${fast.epoch}; ` +
    `one epoch + drawing takes ${fast.frameMs.toFixed(1)} ms)`);
  check(fast.fps >= 30, `30+ frames per second (${fast.fps.toFixed(1)})`);

  // 5. the plateau hint: no hidden layer cannot learn XOR, its loss stays flat
  await open("?data=xor&hidden=");
  await page.click("#play");
  await page.waitForFunction(() => globalThis.playgroundState.epoch >= 170, null, { timeout: 30000 });
  await page.click("#play");
  const flat = await state();
  const hint = await page.evaluate(() => document.getElementById("hint").textContent);
  check(flat.hint && /more neurons/.test(hint), `a loss on a plateau suggests more neurons (loss ${flat.trainLoss.toFixed(3)}: "${hint}")`);

  // 6. the screenshots: the spiral trained a while, the mouse on a weight; then in Chinese
  await open("?data=spiral&noise=5&hidden=8%2C8%2C4&lr=0.1&batch=10");
  await page.click("#play");
  await page.waitForTimeout(6000);
  await page.click("#play");
  const box = await page.locator("#net").boundingBox();
  const line = await page.evaluate(() => {
    const c = document.getElementById("net"), h = globalThis.playground.hover().filter((x) => x.kind === "line");
    const l = h[Math.floor(h.length * 0.9)];
    return { x: (l.x0 + l.x1) / 2 / c.width, y: (l.y0 + l.y1) / 2 / c.height };
  });
  await page.mouse.move(box.x + box.width * line.x, box.y + box.height * line.y);
  const tip = await page.evaluate(() => document.getElementById("tip").textContent);
  check(/^weight -?\d+\.\d{3}$/.test(tip), `hovering a connection shows its weight (${tip})`);
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: join(here, "out", "playground.png") });
  await page.click('#lang button[data-lang="zh"]');
  check((await page.evaluate(() => location.search)).includes("lang=zh"), "the language is in the URL");
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: join(here, "out", "playground-zh.png") });

  check(errors.length === 0, `no console errors${errors.length ? ": " + errors.join(" | ") : ""}`);
} finally {
  await browser.close();
  server.close();
}
console.log(failures ? `${failures} check(s) failed` : "all playground checks passed");
process.exit(failures ? 1 : 0);

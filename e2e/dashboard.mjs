// End-to-end test of `scratchnet train --dashboard` in a real headless browser.
//
// Starts a short real MNIST training run with a dashboard, opens the page in Debian's
// Chromium (driven by playwright-core), and checks what a person would: the curves redraw
// while training runs, the digit grid and the numbers on the page match the server's state,
// a drawn digit gets an answer, a prediction is explained, hovering the network shows values, the
// language switch turns every label Chinese and back, Ctrl-C ends the program cleanly. Saves
// screenshots to e2e/out/dashboard.png and e2e/out/dashboard-zh.png.
//
// usage: node e2e/dashboard.mjs   (after e2e/setup.sh and cargo build --release)
// Needs MNIST in $SCRATCHNET_DATA/mnist; without it, says so and exits 0 (skipped).

import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);
const binary = join(root, "target", "release", "scratchnet");
const data = process.env.SCRATCHNET_DATA ? join(process.env.SCRATCHNET_DATA, "mnist") : null;
if (!data || !existsSync(join(data, "train-images-idx3-ubyte.gz"))) {
  console.log("skipped: no MNIST (set SCRATCHNET_DATA to the folder holding mnist/)");
  process.exit(0);
}
if (!existsSync(binary)) throw new Error(`build first: ${binary} is missing (cargo build --release)`);

let failures = 0;
const check = (ok, what) => { console.log(`${ok ? "ok  " : "FAIL"} ${what}`); if (!ok) failures++; };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A run long enough to watch (~10 s, with room for a slow browser start on a busy machine):
// small batches on one thread.
const EPOCHS = 24;
const run = spawn(binary, ["train", "--data-dir", data, "--epochs", String(EPOCHS), "--batch-size", "16", "--threads", "1",
  "--dashboard-addr", "127.0.0.1:0"], { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, SCRATCHNET_LANG: "en" } });
const lines = createInterface({ input: run.stdout });
const output = [];
const url = await new Promise((resolve, reject) => {
  lines.on("line", (l) => { output.push(l); const m = l.match(/^dashboard: (http:\/\/\S+)/); if (m) resolve(m[1]); });
  run.on("exit", (code) => reject(new Error(`scratchnet exited (${code}) before serving:\n${output.join("\n")}`)));
});
console.log(`dashboard at ${url}`);

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  await page.goto(url);

  // 1. live: the curves redraw at least twice while training is still running
  await page.waitForFunction(() => window.dashboardState.updates >= 1, null, { timeout: 20000 });
  const snap = () => page.evaluate(() => ({ updates: window.dashboardState.updates, done: !!window.dashboardState.done,
    loss: document.getElementById("loss-chart").toDataURL(), epoch: document.getElementById("f-epoch").textContent }));
  // redraws are paced (at most one per 400 ms, on an animation frame), so a chart is compared
  // once it has had the time to change, not at the instant an update arrives
  const redrawn = (before) => page.waitForFunction((b) => document.getElementById("loss-chart").toDataURL() !== b,
    before, { timeout: 20000 }).then(() => true, () => false);
  const first = await snap();
  await page.waitForFunction((n) => window.dashboardState.updates >= n + 2, first.updates, { timeout: 20000 });
  const firstRedrawn = await redrawn(first.loss);
  const second = await snap();
  await page.waitForFunction((n) => window.dashboardState.updates >= n + 2, second.updates, { timeout: 20000 });
  const secondRedrawn = await redrawn(second.loss);
  const third = await snap();
  check(!first.done && !second.done, `updates arrived while training ran (${first.updates} → ${second.updates} → ${third.updates})`);
  check(firstRedrawn && secondRedrawn && !second.done, "the loss chart was redrawn as the updates came in");

  // 2. the end: the final state stays on the page
  await page.waitForFunction(() => !!window.dashboardState.done, null, { timeout: 120000 });
  await sleep(300);
  const state = await page.evaluate(async () => (await fetch("/api/state")).json());
  const status = await page.textContent("#status");
  check(status.includes("training finished"), `status says the run ended: "${status}"`);
  check(state.epochs.length === EPOCHS, `the server has ${EPOCHS} epochs (${state.epochs.length})`);
  const epochText = await page.textContent("#f-epoch");
  check(epochText.trim() === `${EPOCHS} / ${EPOCHS}`, `the header shows epoch ${EPOCHS} / ${EPOCHS} ("${epochText}")`);

  // 3. the digit grid and the confusion matrix are the server's
  const grid = await page.$$eval("#grid .digit", (cells) => cells.map((c) => ({ label: c.dataset.label, pred: c.dataset.pred,
    wrong: c.classList.contains("wrong"), text: c.querySelector(".pred").textContent })));
  const predictions = state.view.images.predictions;
  check(grid.length === 24 && predictions.length === 24, `24 test digits shown (${grid.length})`);
  check(grid.every((g, i) => Number(g.pred) === predictions[i].class), "every digit shows the server's predicted class");
  check(grid.every((g, i) => g.wrong === (Number(g.label) !== predictions[i].class)), "wrong predictions, and only those, are marked");
  check(grid.every((g, i) => g.text.endsWith(`${(100 * predictions[i].probs[predictions[i].class]).toFixed(0)}%`)), "each digit's probability is the server's");
  const labels = state.setup.grid.labels;
  check(grid.every((g, i) => Number(g.label) === labels[i]), "labels are the test set's");
  const confusion = await page.$$eval("table.confusion td", (tds) => tds.map((td) => Number(td.textContent || 0)));
  const total = confusion.reduce((a, b) => a + b, 0);
  check(total === state.view.images.probe_size, `the confusion matrix counts ${total} of ${state.view.images.probe_size} test samples`);
  const accText = await page.textContent("#probe-acc");
  check(accText.includes((100 * state.view.images.probe_accuracy).toFixed(2) + "%"), `accuracy shown as the server computed it ("${accText}")`);
  check(await page.$$eval("#weights canvas", (c) => c.length) === 16, "16 first-layer weight images");

  // 4. draw a digit: a vertical stroke, a "1"
  const pad = await page.$("#pad");
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.15);
  await page.mouse.down();
  for (let t = 0; t <= 1; t += 0.1) await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * (0.15 + 0.7 * t));
  await page.mouse.up();
  await page.waitForFunction(() => !!window.dashboardState.drawn, null, { timeout: 10000 });
  const drawn = await page.evaluate(() => window.dashboardState.drawn);
  const bars = await page.$$eval("#probs .bar", (b) => b.map((x) => x.textContent));
  const sum = drawn.probs.reduce((a, b) => a + b, 0);
  check(bars.length === 10 && Math.abs(sum - 1) < 0.01, `10 probability bars, summing to ${sum.toFixed(3)}`);
  check(drawn.input.filter((v) => v > 128).length > 20, "the 28×28 input the network receives has the stroke");
  const best = drawn.probs.indexOf(Math.max(...drawn.probs));
  console.log(`     the drawn "1" was read as ${best} (${(100 * drawn.probs[best]).toFixed(1)}%)`);
  check(bars[best].includes((100 * drawn.probs[best]).toFixed(1) + "%"), "the bars show the server's probabilities");

  // 5. inside one prediction: digit 3, its own label's unit, z and softmax with numbers
  await page.click("#grid .digit:nth-child(4)");
  const label3 = labels[3];
  await page.selectOption("#x-unit", String(label3));
  const explained = await page.textContent("#explain");
  const p = Number((explained.match(/p\d+ = [\d.]+ \/ [\d.]+ = ([\d.]+)/) || [])[1]);
  check(explained.includes("softmax") && Math.abs(p - predictions[3].probs[label3]) < 2e-3,
    `the explanation's softmax gives ${p}, the server's probability is ${predictions[3].probs[label3]}`);

  // 6. hovering a unit of the network shows its value
  const net = await page.$("#net");
  await net.scrollIntoViewIfNeeded();
  const nb = await net.boundingBox();
  const W = await page.evaluate(() => document.getElementById("net").width); // units at x = 60 + (W − 120)·l/(L − 1)
  await page.mouse.move(nb.x + nb.width * 60 / W, nb.y + nb.height * 20 / 300, { steps: 4 });
  await page.waitForFunction(() => document.getElementById("tooltip").style.display === "block", null, { timeout: 5000 }).catch(() => {});
  const tip = await page.textContent("#tooltip");
  const value = state.view.network;
  check(/layer 0 unit \d+/.test(tip) && tip.includes(`unit ${value.units[0][0]}`), `hovering the first input unit shows "${tip}"`);
  // the middle of the line from the first input unit to the first unit of hidden layer 1
  await page.mouse.move(nb.x + nb.width * (60 + (W - 120) / 6) / W, nb.y + nb.height * 20 / 300, { steps: 4 });
  await sleep(100);
  const lineTip = await page.textContent("#tooltip");
  const w = value.weights[0][0][0];
  check(lineTip.startsWith(`weight from unit ${value.units[0][0]} of layer 0 to unit ${value.units[1][0]} of layer 1`) &&
    lineTip.endsWith(Number(w).toFixed(4)), `hovering a connection shows "${lineTip}" (server: ${w})`);
  mkdirSync(join(here, "out"), { recursive: true });
  await page.mouse.move(0, 0);
  await page.screenshot({ path: join(here, "out", "dashboard.png"), fullPage: true });
  console.log("screenshot: e2e/out/dashboard.png");

  // 7. the language switch: 中文, every label Chinese with the same numbers, remembered; and back
  const cjk = /[\u4e00-\u9fff]/;
  const words = () => page.evaluate(() => ({
    lang: document.documentElement.lang, title: document.title, stored: localStorage.getItem("scratchnet.lang"),
    loss: document.querySelector('h2[data-t="dash.section.loss"]').textContent,
    labels: [...document.querySelectorAll("[data-t]")].map((e) => e.textContent),
    status: document.getElementById("status").textContent, acc: document.getElementById("probe-acc").textContent,
    explain: document.getElementById("explain").textContent, epoch: document.getElementById("f-epoch").textContent,
    pressed: document.querySelector('#lang button[aria-pressed="true"]').dataset.lang }));
  const english = await words();
  check(english.lang === "en" && english.loss === "Loss" && english.pressed === "en", `the page opens in the run's language (${english.lang}, "${english.loss}")`);
  check(english.labels.every((l) => !cjk.test(l)), "no Chinese on the English page");
  // the one Chinese word of the English page, the switch's 中文, is drawn with the served font
  // (a font that is still loading can leave it as empty boxes: see page.html's CSS)
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("DOM.enable"); await cdp.send("CSS.enable");
  const root = (await cdp.send("DOM.getDocument")).root.nodeId;
  const drawnWith = async (selector) => {
    const { nodeId } = await cdp.send("DOM.querySelector", { nodeId: root, selector });
    return (await cdp.send("CSS.getPlatformFontsForNode", { nodeId })).fonts;
  };
  const switchFonts = await drawnWith('#lang button[data-lang="zh"]');
  check(switchFonts.length === 1 && switchFonts[0].isCustomFont && switchFonts[0].glyphCount === 2,
    `"中文" is drawn with the served font (${switchFonts.map((f) => `${f.familyName}: ${f.glyphCount}`).join(", ")})`);
  await page.click('#lang button[data-lang="zh"]');
  const chinese = await words();
  check(chinese.lang === "zh" && chinese.loss === "损失" && chinese.pressed === "zh", `中文: <html lang="${chinese.lang}">, the loss chart is "${chinese.loss}"`);
  const latin = chinese.labels.filter((l) => !cjk.test(l));
  check(latin.length === 0, `every one of ${chinese.labels.length} labels is Chinese (${latin.join(" | ")})`);
  check(cjk.test(chinese.status) && !/training|finished|accuracy/.test(chinese.status) && chinese.title.includes("实时训练"), `the status and the title too ("${chinese.status}", "${chinese.title}")`);
  const percent = (t) => (t.match(/[\d.]+%/) || [""])[0];
  check(percent(chinese.acc) === percent(english.acc) && percent(english.acc) !== "", `the same accuracy in both ("${english.acc}" / "${chinese.acc}")`);
  const lastLine = (t) => t.trim().split("\n").pop();
  check(chinese.explain.includes("隐藏层") && lastLine(chinese.explain) === lastLine(english.explain) && chinese.epoch === english.epoch,
    `the explanation is Chinese around the same numbers ("${lastLine(chinese.explain)}")`);
  check(chinese.stored === "zh", "the choice is stored in localStorage");
  const labelFonts = await drawnWith('h2[data-t="dash.section.explain"]');
  check(labelFonts.some((f) => f.isCustomFont), `Chinese labels are drawn with the served font (${labelFonts.map((f) => f.familyName).join(", ")})`);
  await page.evaluate(() => document.fonts.ready);
  const fontOk = await page.evaluate(() => document.fonts.check('14px "scratchnet-cjk"', "损失"));
  check(fontOk, "the Chinese font the server holds was loaded (/font.ttf)");
  await sleep(500); // canvases are redrawn once the font is in
  await page.screenshot({ path: join(here, "out", "dashboard-zh.png"), fullPage: true });
  console.log("screenshot: e2e/out/dashboard-zh.png");
  await page.reload();
  await page.waitForFunction(() => !!window.dashboardState.done, null, { timeout: 20000 });
  const reloaded = await words();
  check(reloaded.lang === "zh" && reloaded.loss === "损失", "after a reload the page is still Chinese (remembered)");
  await page.click('#lang button[data-lang="en"]');
  const back = await words();
  check(back.lang === "en" && back.loss === "Loss" && back.labels.every((l) => !cjk.test(l)) && back.stored === "en",
    `English again: "${back.loss}", "${back.status}"`);
  check(errors.length === 0, `no errors in the page's console (${errors.join("; ")})`);
} finally {
  await browser.close();
}

// 8. Ctrl-C ends it cleanly
const exited = new Promise((resolve) => run.on("exit", (code, signal) => resolve({ code, signal })));
run.kill("SIGINT");
const { code } = await exited;
check(code === 0, `Ctrl-C: scratchnet exited with status ${code}`);
check(output.includes("dashboard stopped"), "it said so");

// 9. a run started with --lang zh opens its page in Chinese (a fresh browser: nothing remembered)
const zhRun = spawn(binary, ["train", "--data-dir", data, "--epochs", "1", "--lang", "zh", "--dashboard-addr", "127.0.0.1:0"],
  { stdio: ["ignore", "pipe", "inherit"] });
const zhLines = createInterface({ input: zhRun.stdout });
const zhUrl = await new Promise((resolve, reject) => {
  zhLines.on("line", (l) => { const m = l.match(/^仪表盘：(http:\/\/[^\s（]+)/); if (m) resolve(m[1]); });
  zhRun.on("exit", (code) => reject(new Error(`scratchnet --lang zh exited (${code}) before serving`)));
});
const zhBrowser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
try {
  const page = await zhBrowser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(zhUrl);
  await page.waitForFunction(() => !!window.dashboardState.done, null, { timeout: 60000 });
  const zh = await page.evaluate(() => ({ lang: document.documentElement.lang,
    loss: document.querySelector('h2[data-t="dash.section.loss"]').textContent,
    pressed: document.querySelector('#lang button[aria-pressed="true"]').dataset.lang }));
  check(zh.lang === "zh" && zh.loss === "损失" && zh.pressed === "zh", `a --lang zh run opens in Chinese (<html lang="${zh.lang}">, "${zh.loss}")`);
} finally {
  await zhBrowser.close();
}
const zhExited = new Promise((resolve) => zhRun.on("exit", (code) => resolve(code)));
zhRun.kill("SIGINT");
check((await zhExited) === 0, "Ctrl-C ends the Chinese run cleanly too");

console.log(failures ? `${failures} check(s) failed` : "all checks passed");
process.exit(failures ? 1 : 0);

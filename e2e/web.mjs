// End-to-end test of the web site (web/build.sh's web/dist) in a real headless browser.
//
// Serves web/dist over a plain static server on 127.0.0.1, opens the lesson pages in Debian's
// Chromium (driven by playwright-core) and checks what a reader would: each page prints exactly
// the text `scratchnet lesson NAME --seed N --lang L` prints in the terminal, the URL holds the
// page's state, a slider moves the value and the drawing, hidden-layer trains in the page, and
// nothing goes wrong in the console. Saves a screenshot of every lesson page to e2e/out/.
//
// usage: node e2e/web.mjs   (after e2e/setup.sh, web/build.sh and cargo build --release)

import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serve } from "./static-server.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);
const dist = join(root, "web", "dist");
const binary = join(root, "target", "release", "scratchnet");
for (const need of [join(dist, "index.html"), binary]) {
  if (!existsSync(need)) throw new Error(`missing ${need}: run web/build.sh and cargo build --release first`);
}
mkdirSync(join(here, "out"), { recursive: true });

let failures = 0;
const check = (ok, what) => { console.log(`${ok ? "ok  " : "FAIL"} ${what}`); if (!ok) failures++; };

const server = await serve(dist);
const site = `http://127.0.0.1:${server.address().port}/`;

// The terminal's text. The lessons that draw end it with an empty line and how to get the
// pictures (`--out DIR`): the page draws them instead, so that last line is not compared.
const terminal = (lesson, seed, lang) =>
  execFileSync(binary, ["lesson", lesson, "--seed", String(seed), "--lang", lang], { encoding: "utf8" })
    .replace(/\n[^\n]*--out DIR[^\n]*\n$/, "");

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--no-first-run"] });
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  // a request cut short by leaving the page (ERR_ABORTED) is not a failure
  page.on("requestfailed", (r) => { if (!/ERR_ABORTED/.test(r.failure()?.errorText || "")) errors.push(`request failed: ${r.url()}`); });
  const open = async (query) => {
    await page.goto(site + query);
    await page.waitForFunction(() => globalThis.scratchnetPage && globalThis.scratchnetPage.ready, null, { timeout: 60000 });
  };
  const text = () => page.evaluate(() => document.getElementById("lesson-text").textContent);

  // 1. the page's text is the terminal's, character for character
  const LESSONS = ["perceptron", "neuron", "forward", "mse", "chain-rule", "gender", "descent", "surface", "hidden-layer"];
  const cases = [...LESSONS.map((l) => [l, 42, "en"]), ["gender", 7, "en"], ["gender", 7, "zh"], ["descent", 3, "en"],
    ["surface", 5, "zh"], ["hidden-layer", 42, "zh"], ["chain-rule", 42, "zh"], ["hidden-layer", 3, "en"]];
  for (const [lesson, seed, lang] of cases) {
    await open(`?lesson=${lesson}&seed=${seed}&lang=${lang}`);
    const shown = await text(), printed = terminal(lesson, seed, lang);
    const numbers = (printed.match(/-?\d+(\.\d+)?(e-?\d+)?/g) || []).length;
    check(shown === printed, `${lesson} --seed ${seed} --lang ${lang}: the page shows the terminal's ${printed.split("\n").length - 1} lines (${numbers} numbers)`);
    if (lang === "en" && seed === 42) await page.screenshot({ path: join(here, "out", `web-${lesson}.png`), fullPage: true });
  }

  // 2. the URL holds the state, and a link gives it back
  await open("?lesson=neuron&seed=9&lang=zh&w=3.5&b=-2&x=1.5");
  const state = await page.evaluate(() => ({ lang: document.documentElement.lang, seed: document.getElementById("seed").value,
    w: document.getElementById("slider-w").value, b: document.getElementById("slider-b").value, x: document.getElementById("slider-x").value,
    value: document.getElementById("neuron-value").textContent, url: location.search }));
  check(state.lang === "zh" && state.seed === "9" && state.w === "3.5" && state.b === "-2" && state.x === "1.5",
    `a link restores the page: lang ${state.lang}, seed ${state.seed}, w ${state.w}, b ${state.b}, x ${state.x}`);
  // σ(3.5·1.5 − 2) = σ(3.25) = 1 / (1 + e^−3.25), from the lesson's own f64 sigmoid
  const sigma = Number(state.value.split("= ").pop());
  check(Math.abs(sigma - 1 / (1 + Math.exp(-3.25))) < 1e-15, `the neuron's value comes from the lesson's sigmoid: "${state.value}"`);

  // 3. a slider changes the value, the drawing and the URL
  const before = await page.evaluate(() => [document.getElementById("neuron-value").textContent, document.getElementById("neuron-curve").toDataURL()]);
  await page.evaluate(() => { const s = document.getElementById("slider-w"); s.value = "-4"; s.dispatchEvent(new Event("input")); });
  const after = await page.evaluate(() => [document.getElementById("neuron-value").textContent, document.getElementById("neuron-curve").toDataURL(), location.search]);
  check(after[0] !== before[0] && after[1] !== before[1] && after[2].includes("w=-4"), `moving w changes the value ("${after[0]}"), the curve and the URL (${after[2]})`);
  await page.screenshot({ path: join(here, "out", "web-neuron-zh.png"), fullPage: true });

  // gender: the page's network answers as the terminal's does (Emily: 0.8446 at seed 42)
  await open("?lesson=gender&seed=42&lang=en");
  const emily = await page.evaluate(() => document.getElementById("gender-answer").textContent);
  const printedEmily = terminal("gender", 42, "en").match(/Emily .*: ([\d.]+)/)[1];
  check(emily.includes(printedEmily), `gender answers Emily (−7, −3) as the terminal does: "${emily}" (terminal ${printedEmily})`);
  await page.fill("#gender-w", "20"); await page.fill("#gender-h", "2");
  const frank = await page.evaluate(() => [document.getElementById("gender-answer").textContent, location.search]);
  const printedFrank = terminal("gender", 42, "en").match(/Frank .*: ([\d.]+)/)[1];
  check(frank[0].includes(printedFrank) && frank[1].includes("gw=20"), `typing Frank's numbers gives "${frank[0]}" (terminal ${printedFrank}), kept in the URL`);

  // surface: the view in the URL, dragging turns the bowl, the path runs to the lesson's end
  await open("?lesson=surface&seed=42&lang=en&yaw=0.3&pitch=0.6&contours=0");
  const sf0 = await page.evaluate(() => [document.getElementById("surface-contours").checked, document.getElementById("surface-3d").toDataURL(),
    document.getElementById("surface-status").textContent]);
  const box = await page.locator("#surface-3d").boundingBox();
  await page.mouse.move(box.x + 300, box.y + 200); await page.mouse.down(); await page.mouse.move(box.x + 420, box.y + 230, { steps: 5 }); await page.mouse.up();
  const sf1 = await page.evaluate(() => [document.getElementById("surface-3d").toDataURL(), location.search]);
  const lastW = terminal("surface", 42, "en").match(/w = ([-\d.]+)/g);
  check(!sf0[0] && sf1[0] !== sf0[1] && /yaw=1\.10/.test(sf1[1]), `surface: contours off from the URL, a drag turns the bowl (${sf1[1]}); "${sf0[2]}"`);
  await page.screenshot({ path: join(here, "out", "web-surface-live.png"), fullPage: true });

  // chain-rule: clicking the product shows the value the terminal prints for ∂L/∂w1
  await open("?lesson=chain-rule&seed=42&lang=en");
  await page.click("#chain-factor-3");
  const chainDetail = await page.evaluate(() => document.getElementById("chain-detail").textContent);
  const chainValue = chainDetail.trim().split("= ").pop();
  const printedChain = terminal("chain-rule", 42, "en");
  check(printedChain.includes(`∂L/∂w1  = -0.2590538049 · +0.1127496840 · -0.0903533195 = ${chainValue}`) && chainValue === "+0.0026390610",
    `chain-rule: the clicked ∂L/∂w1 = ${chainValue}, as the terminal prints it`);
  for (const i of [0, 1, 2]) {
    await page.click(`#chain-factor-${i}`);
    const factor = (await page.evaluate(() => document.getElementById("chain-detail").textContent)).trim().split("= ").pop();
    check(printedChain.includes(factor), `chain-rule: factor ${i + 1} = ${factor}, as the terminal prints it`);
  }
  await page.screenshot({ path: join(here, "out", "web-chain-rule-live.png"), fullPage: true });

  // perceptron, forward, mse: their sliders give the lesson's own results
  const panel = async (query) => { await open(query); return page.evaluate(() => document.getElementById("panel-value").textContent); };
  const o1 = (await panel("?lesson=forward&seed=42&lang=en")).match(/= ([\d.]+)$/)[1];
  check(terminal("forward", 42, "en").includes(o1), `forward at the lesson's values: o1 = ${o1}, as the terminal prints it`);
  const mse = await panel("?lesson=mse&seed=42&lang=en&mp=0.5,0,0,1");
  check(/mse = 0\.0625$/.test(mse), `mse with ŷ = (0.5, 0, 0, 1): ${mse.split("\n").pop()}`);
  const decision = await panel("?lesson=perceptron&seed=42&lang=en&pw=10,8,1,5,0,0,1");
  check(decision.endsWith("1 ≤ t = 5 → 0"), `perceptron: bad weather and overtime, easy trip: "${decision.split("\n").pop()}"`);
  await page.evaluate(() => { const s = document.getElementById("panel-3"); s.value = "0"; s.dispatchEvent(new Event("input")); });
  const lowered = await page.evaluate(() => [document.getElementById("panel-value").textContent, location.search]);
  check(lowered[0].endsWith("1 > t = 0 → 1") && lowered[1].includes("pw=10%2C8%2C1%2C0"), `lowering the threshold to 0 changes the decision and the URL ("${lowered[0].split("\n").pop()}")`);

  // 4. descent: method and rate from the URL; one step, then play to the end
  await open("?lesson=descent&seed=3&lang=en&method=mini-batch&lr=0.2");
  const d0 = await page.evaluate(() => ({ method: document.getElementById("descent-method").value,
    lr: document.getElementById("descent-lr-value").textContent, status: document.getElementById("descent-status").textContent }));
  check(d0.method === "mini-batch" && d0.lr === "0.2" && d0.status.startsWith("update 0 of 600:"), `descent restores method and rate from the URL ("${d0.status}")`);
  const line0 = await page.evaluate(() => document.getElementById("descent-line").toDataURL());
  await page.click("#descent-step");
  const d1 = await page.evaluate(() => [document.getElementById("descent-status").textContent, document.getElementById("descent-line").toDataURL()]);
  check(d1[0].startsWith("update 1 of 600:") && d1[1] !== line0, `one step moves the line ("${d1[0]}")`);
  await page.click("#descent-play");
  await page.waitForFunction(() => /^update 600 of 600:/.test(document.getElementById("descent-status").textContent), null, { timeout: 30000 });
  const d2 = await page.evaluate(() => document.getElementById("descent-status").textContent);
  check(true, `play runs to the end ("${d2}")`);
  await page.screenshot({ path: join(here, "out", "web-descent-live.png"), fullPage: true });

  // 5. hidden-layer trains its 5000 epochs in the page
  await open("?lesson=hidden-layer&seed=42&lang=en");
  const ms = await page.evaluate(() => globalThis.scratchnetPage.hiddenMs);
  console.log(`hidden-layer: 5000 epochs in ${ms.toFixed(0)} ms in Chromium`);
  check(ms < 1000, `hidden-layer's 5000 epochs take under a second (${ms.toFixed(0)} ms)`);
  // hand mode: seven sliders from the URL; the button slides them to the trained network
  await open("?lesson=hidden-layer&seed=42&lang=en&hand=1,2,3,4,5,6,-7");
  const hand0 = await page.evaluate(() => [["w1", "b1", "w2", "b2", "v1", "v2", "c"].map((n) => document.getElementById(`hand-${n}`).value).join(","),
    document.getElementById("hand-loss").textContent]);
  check(hand0[0] === "1,2,3,4,5,6,-7", `hand mode restores its seven sliders from the URL (${hand0[0]}; ${hand0[1]})`);
  await page.click("#hand-solve");
  await page.waitForTimeout(1500);
  const hand1 = await page.evaluate(() => [document.getElementById("hand-loss").textContent, location.search]);
  const handLoss = Number(hand1[0].split(": ").pop());
  check(handLoss < 0.01 && hand1[1].includes("hand="), `the button reaches the trained network: "${hand1[0]}" (was "${hand0[1]}")`);
  await page.waitForTimeout(3500); // the playback reaches its end
  await page.screenshot({ path: join(here, "out", "web-hidden-layer-live.png"), fullPage: true });

  check(errors.length === 0, `no errors in the console and no failed requests (${errors.join("; ")})`);
} finally {
  await browser.close();
  server.close();
}
console.log(failures ? `${failures} check(s) failed` : "all checks passed");
process.exit(failures ? 1 : 0);

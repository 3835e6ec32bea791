// Training throughput with and without one open dashboard page (issue 6: < 5% slower).
//
// Runs `scratchnet train --epochs 20` on MNIST, alternately without a dashboard and with one
// that a real headless Chromium page watches (the page connects during the first epochs; only
// epochs 6–20 are compared). Medians of the per-epoch times over all rounds.
//
// usage: node bench/dashboard.mjs [ROUNDS]   (after e2e/setup.sh and cargo build --release;
// needs MNIST in $SCRATCHNET_DATA/mnist)

import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const { chromium } = createRequire(join(root, "e2e", "package.json"))("playwright-core");
const binary = join(root, "target", "release", "scratchnet");
const data = join(process.env.SCRATCHNET_DATA || join(root, "..", "shared", "data"), "mnist");
const rounds = Number(process.argv[2] || 5);
const dir = mkdtempSync(join(tmpdir(), "scratchnet-dash-bench-"));
const median = (v) => { const s = [...v].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

async function train(withPage, browser, round) {
  const report = join(dir, `r${round}-${withPage}.json`);
  const args = ["train", "--data-dir", data, "--epochs", "20", "--report", report];
  if (withPage) args.push("--dashboard-addr", "127.0.0.1:0");
  const run = spawn(binary, args, { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, SCRATCHNET_LANG: "en" } }); // waits for English text
  const exited = new Promise((resolve) => run.on("exit", resolve));
  let page = null;
  for await (const line of createInterface({ input: run.stdout })) {
    const m = line.match(/^dashboard: (http:\/\/\S+)/);
    if (m) { page = await browser.newPage(); await page.goto(m[1]); }
    if (line.includes("press Ctrl-C")) run.kill("SIGINT");
  }
  await exited;
  if (page) {
    const updates = await page.evaluate(() => window.dashboardState.updates);
    await page.close();
    if (updates < 10) throw new Error(`the page saw only ${updates} updates`);
  }
  return JSON.parse(readFileSync(report, "utf8")).epochs.slice(5).map((e) => e.train_seconds);
}

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
const without = [], withPage = [];
for (let r = 0; r < rounds; r++) {
  without.push(...await train(false, browser, r));
  withPage.push(...await train(true, browser, r));
  console.log(`round ${r + 1}: without ${median(without).toFixed(4)} s/epoch, with a page ${median(withPage).toFixed(4)} s/epoch`);
}
await browser.close();
const a = median(without), b = median(withPage);
console.log(`${rounds} rounds, epochs 6–20 of MNIST 784-128-64-10 (batch 128, 2 threads), median seconds per epoch:`);
console.log(`  without a dashboard  ${a.toFixed(4)}`);
console.log(`  with one open page   ${b.toFixed(4)}   (${(100 * (b / a - 1)).toFixed(1)}% slower)`);

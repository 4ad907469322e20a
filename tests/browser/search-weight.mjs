// Measures what the search transfers: for each query, a fresh page of the
// site's home types it and sums the bytes of every search file it loads.
// Usage: node search-weight.mjs SITE_DIR "query 1" "query 2" …
// (BENCHMARKS.md, national corpus). Not a test: prints a Markdown table.
import { chromium } from "playwright-core";
import { readFileSync, existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { resolve, join } from "node:path";

const [siteArg, ...queries] = process.argv.slice(2);
const site = resolve(siteArg);
const server = createServer((req, res) => {
  let file = join(site, decodeURIComponent(new URL(req.url, "http://x").pathname));
  if (!file.startsWith(site)) { res.writeHead(400); res.end(); return; }
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
  if (!existsSync(file)) { res.writeHead(404); res.end(); return; }
  res.writeHead(200);
  res.end(readFileSync(file));
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
console.log("| query | files | bytes | results (status) |\n|---|---|---|---|");
for (const q of queries) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(base + "index.html");
  const loaded = [];
  page.on("response", async (r) => {
    if (r.url().includes("/search/")) loaded.push(r.url().slice(base.length) + " " + (await r.body()).length);
  });
  const started = Date.now();
  if (process.env.TYPE) await page.type("#recherche", q, { delay: 60 }); else await page.fill("#recherche", q);
  await page.waitForFunction(() => /résultat|Aucun/.test(document.querySelector("#recherche-etat").textContent), null, { timeout: 10000 });
  const ms = Date.now() - started;
  await page.waitForTimeout(200);
  const bytes = loaded.reduce((s, l) => s + Number(l.split(" ").pop()), 0);
  const status = await page.textContent("#recherche-etat");
  console.log(`| \`${q}\` | ${loaded.length} | ${bytes} | ${status} (${ms} ms) |`);
  if (process.env.VERBOSE) console.error(loaded.join("\n"));
  await context.close();
}
await browser.close();
server.close();

// Opens pages of a built site in headless Chromium at 1280, 390 and 320 px,
// checks that none is wider than the viewport, runs axe-core on each,
// exercises the search box and the REM filters, and takes screenshots.
// Usage: node axe.mjs SITE_DIR SCREENSHOT_DIR
// Exit 0 when no serious or critical violation and no script error.
import { chromium } from "playwright-core";
import { readFileSync, mkdirSync, existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { resolve, join } from "node:path";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const [site, shots] = process.argv.slice(2).map((p) => resolve(p));
mkdirSync(shots, { recursive: true });

// The site as a static host would serve it (axe reads stylesheets, which
// file:// pages may not do).
const types = { html: "text/html; charset=utf-8", css: "text/css", js: "text/javascript", json: "application/json", csv: "text/csv", xml: "application/xml" };
const server = createServer((req, res) => {
  let file = join(site, decodeURIComponent(new URL(req.url, "http://x").pathname));
  if (!file.startsWith(site)) { res.writeHead(400); res.end(); return; }
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
  if (!existsSync(file)) { res.writeHead(404); res.end("404"); return; }
  res.writeHead(200, { "Content-Type": types[file.split(".").pop()] || "application/octet-stream" });
  res.end(readFileSync(file));
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const base = `http://127.0.0.1:${server.address().port}/`;
const url = (path) => base + path;

// SEGURDOC_PAGES="a.html,b.html" checks other pages (another project's site);
// the search and filter interactions then run only when MS-DUI is among them.
// The sample's chapter pages are named after its chapter titles.
const pages = process.env.SEGURDOC_PAGES ? process.env.SEGURDOC_PAGES.split(",") : [
  "index.html",
  "dispositifs/MS-DUI/index.html",
  "dispositifs/MS-DUI/chapitres/gestion-de-l-identite-nationale-de-sante-ins.html",
  "dispositifs/MS-DUI/rem-2.0.html",
  "dispositifs/MS-DUI/rem-2.0/gestion-de-l-identite-nationale-de-sante-ins.html",
  "equivalences/index.html",
  "equivalences/HOP-DPI--MS-DUI.html",
  "parcours/index.html",
  "parcours/preuves-derogatoires/index.html",
  "recherche/index.html",
  "accessibilite/index.html",
  "changelog/MS-DUI/2.0--2.1.html",
  "candidatures/index.html",
  "candidatures/cas3-ms-pde/index.html",
  "candidatures/cas3-ms-pde/convention.html",
];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const failures = [];
const report = [];
try {
  for (const [width, suffix] of [[1280, ""], [390, "-mobile"], [320, "-320"]]) {
    const context = await browser.newContext({ viewport: { width, height: 900 }, locale: "fr-FR" });
    for (const path of pages) {
      const page = await context.newPage();
      const errors = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
      await page.goto(url(path));
      await page.addScriptTag({ content: axeSource });
      const result = await page.evaluate(async () =>
        await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } }));
      const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      for (const v of result.violations) {
        report.push(`${path}${suffix}: ${v.impact} ${v.id} (${v.nodes.length}) ${v.help}`);
      }
      for (const v of bad) failures.push(`${path}${suffix}: ${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
      for (const e of errors) failures.push(`${path}${suffix}: script error: ${e}`);
      const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      report.push(`width: ${path}${suffix}: ${scroll}/${client}`);
      // No page may scroll sideways (tables scroll inside their own region).
      if (scroll > client) failures.push(`${path}${suffix}: ${scroll} px wide in a ${client} px viewport`);
      await page.screenshot({ path: join(shots, path.replaceAll("/", "_").replace(".html", "") + suffix + ".png"), fullPage: suffix === "" && !path.startsWith("dispositifs") });
      await page.close();
    }
    await context.close();
  }

  // The nature filter (guides and checklists, REMs that state the nature):
  // unchecking « Préconisée » hides those items and says how many remain.
  for (const path of pages) {
    const context = await browser.newContext({ viewport: { width: 390, height: 900 } });
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(url(path));
    const box = page.locator("input[name=nature][value=preconisee]");
    if (await box.count()) {
      const items = await page.getAttribute("form.filters", "data-items") || "article.requirement";
      const total = await page.locator(items).count();
      await box.uncheck();
      const shown = await page.locator(`${items}:visible`).count();
      const hiddenPreconisee = await page.locator(`${items}[data-nature=preconisee]:visible`).count();
      const status = await page.textContent(".filter-status");
      if (!(shown > 0 && shown < total) || hiddenPreconisee !== 0) failures.push(`${path}: nature filter: ${shown} of ${total} shown, ${hiddenPreconisee} préconisées still visible`);
      if (!status.startsWith(`${shown} `)) failures.push(`${path}: nature filter: status says ${status}`);
      await page.screenshot({ path: join(shots, path.replaceAll("/", "_").replace(".html", "") + "-nature.png") });
      report.push(`nature filter: ${path}: ${shown}/${total} after unchecking Préconisée (${status})`);
    }
    for (const e of errors) failures.push(`${path}: nature filter: script error: ${e}`);
    await context.close();
  }

  if (process.env.SEGURDOC_INTERACTIONS === "0" || !pages.includes("dispositifs/MS-DUI/index.html")) throw new Error("skip-interactions");
  // The search box finds a requirement by its ID and links to its anchor.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(url("index.html"));
  await page.fill("#recherche", "dui.ins.01");
  await page.waitForSelector("#recherche-resultats li a", { timeout: 5000 });
  const first = await page.getAttribute("#recherche-resultats li a", "href");
  const status = await page.textContent("#recherche-etat");
  const insPage = "dispositifs/MS-DUI/chapitres/gestion-de-l-identite-nationale-de-sante-ins.html";
  if (!first || !first.endsWith(`${insPage}#DUI.INS.01`)) failures.push(`search: first result ${first}`);
  await page.screenshot({ path: join(shots, "search.png") });
  await page.click("#recherche-resultats li a");
  await page.waitForLoadState();
  if (!page.url().endsWith(`${insPage}#DUI.INS.01`)) failures.push(`search: landed on ${page.url()}`);

  // Results are grouped by dispositif, with a filter.
  await page.goto(url("index.html"));
  await page.fill("#recherche", "insi");
  await page.waitForSelector("#recherche-resultats .search-group", { timeout: 5000 });
  const groups = await page.locator("#recherche-resultats .search-group").count();
  if (groups < 2) failures.push(`search groups: ${groups} group(s) for "insi"`);
  if (!(await page.isVisible(".search-filter"))) failures.push("search filter hidden with several groups");
  const msdui = await page.locator("#recherche-filtre option").evaluateAll((os) => os.map((o) => [o.value, o.textContent]).find((o) => o[1].startsWith("MS-DUI ")));
  await page.selectOption("#recherche-filtre", msdui[0]);
  await page.waitForFunction(() => document.querySelectorAll("#recherche-resultats .search-group").length === 1, null, { timeout: 5000 }).catch(() => {});
  const kinds = await page.locator("#recherche-resultats .kind").allTextContents();
  if (!kinds.length || kinds.some((k) => !k.endsWith(" MS-DUI"))) failures.push(`search filter MS-DUI: ${kinds.join(", ")}`);
  await page.screenshot({ path: join(shots, "search-groups.png") });
  // A dispositif's code among the words restricts to it.
  await page.fill("#recherche", "");
  await page.fill("#recherche", "hop-dpi insi");
  await page.waitForSelector("#recherche-resultats .kind", { timeout: 5000 });
  const codeKinds = await page.locator("#recherche-resultats .kind").allTextContents();
  if (!codeKinds.length || codeKinds.some((k) => !k.endsWith(" HOP-DPI"))) failures.push(`search "hop-dpi insi": ${codeKinds.join(", ")}`);
  report.push(`search: "insi" → ${groups} groups; filtered to ${msdui[1]}: ${kinds.length} shown`);

  // An old link to the guide's anchor (before chapter pages) follows the
  // index of numbers to the chapter page.
  await page.goto(url("dispositifs/MS-DUI/index.html#DUI.INS.02"));
  await page.waitForURL(/chapitres\/.*#DUI\.INS\.02$/, { timeout: 5000 }).catch(() => {});
  if (!page.url().endsWith(`${insPage}#DUI.INS.02`)) failures.push(`old guide anchor: landed on ${page.url()}`);
  report.push(`old guide anchor #DUI.INS.02 → ${page.url().slice(base.length)}`);

  // The chapter filters hide requirements and say how many are shown.
  await page.goto(url(insPage));
  const total = await page.locator("article.requirement").count();
  await page.uncheck("input[name=perimetre][value='Vague 1']");
  const shown = await page.locator("article.requirement:visible").count();
  const filterStatus = await page.textContent(".filter-status");
  if (!(shown > 0 && shown < total)) failures.push(`filters: ${shown} of ${total} shown after unchecking Vague 1`);
  if (!filterStatus.includes(`${shown} exigence`)) failures.push(`filters: status says ${filterStatus}`);
  await page.screenshot({ path: join(shots, "filters.png") });
  for (const e of errors) failures.push(`interaction: script error: ${e}`);

  // Printed, a checklist has no navigation and a box before each proof.
  const printed = await context.newPage();
  await printed.goto(url("candidatures/cas3-ms-pde/index.html"));
  await printed.emulateMedia({ media: "print" });
  const nav = await printed.evaluate(() => getComputedStyle(document.querySelector(".site-header")).display);
  const box = await printed.evaluate(() => getComputedStyle(document.querySelector(".proofs tr[data-nature] > th"), "::before").content);
  const breaks = await printed.evaluate(() => [...document.querySelectorAll(".deposit-group")].slice(1).map((g) => getComputedStyle(g).breakBefore));
  if (nav !== "none" || box !== '"☐ "' || breaks.some((b) => b !== "page")) failures.push(`print: header ${nav}, box ${box}, breaks ${breaks}`);
  await printed.pdf({ path: join(shots, "checklist-print.pdf"), format: "A4" });
  report.push(`print: checklist without navigation, ${breaks.length + 1} chapters on their own pages, boxes ${box}`);

  // Opened from disk, the search loads its files as scripts.
  const disk = await context.newPage();
  disk.on("pageerror", (e) => failures.push(`file:// search: script error: ${e}`));
  await disk.goto("file://" + join(site, "dispositifs/MS-DUI/index.html"));
  await disk.fill("#recherche", "DUI.PSC.01.01");
  await disk.waitForSelector("#recherche-resultats li a", { timeout: 5000 }).catch(() => {});
  const diskFirst = await disk.locator("#recherche-resultats li a").first().getAttribute("href").catch(() => null);
  if (!diskFirst || !diskFirst.includes("#DUI.PSC.01.01")) failures.push(`file:// search: first result ${diskFirst}`);
  report.push(`file:// search: "DUI.PSC.01.01" → ${diskFirst}`);

  // Without JavaScript: a link to the search page, which lists every
  // dispositif's chapters and index of numbers.
  const plain = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 900 } });
  const np = await plain.newPage();
  await np.goto(url("index.html"));
  if (!(await np.isVisible(".search-nojs a")) || (await np.isVisible("#recherche"))) failures.push("no-JS: the search link is not shown instead of the box");
  await np.click(".search-nojs a");
  await np.waitForLoadState();
  const numbers = await np.locator("a[href$='MS-DUI/index.html#numeros']").count();
  if (!np.url().endsWith("recherche/index.html") || numbers !== 1) failures.push(`no-JS search page: ${np.url()}, ${numbers} link to MS-DUI's numbers`);
  await np.screenshot({ path: join(shots, "recherche-nojs-mobile.png"), fullPage: true });
  report.push(`no-JS: search page ${np.url().slice(base.length)}`);
  await plain.close();
  report.push(`search: "dui.ins.01" → ${first} (${status})`);
  report.push(`filters: ${shown}/${total} requirements after unchecking Vague 1 (${filterStatus})`);
  await context.close();
} catch (e) {
  if (e.message !== "skip-interactions") throw e;
} finally {
  await browser.close();
  server.close();
}
console.log(report.join("\n"));
if (failures.length) {
  console.error(failures.join("\n"));
  process.exit(1);
}

// End-to-end in a real browser (headless Chromium driven by Playwright): sign in, create
// a case with the bundled example files through the new-case page, wait for the
// interpretation, see the tier I findings, and download the PDF. Screenshots of each step
// go to SCREENS (test artefacts, looked at by a person before a release).
//
// Usage: node e2e/mtb.mjs BASE_URL USER PASSWORD SHARED_DATA SCREENS
// Needs playwright-core (npm) and Debian's chromium (/usr/bin/chromium, or CHROMIUM).
import { createRequire } from "node:module";
import { mkdirSync } from "node:fs";
import path from "node:path";

const require = createRequire(process.env.PLAYWRIGHT_CORE ?? import.meta.url);
const { chromium } = require("playwright-core");
const [base, user, password, data, screens] = process.argv.slice(2);
if (!screens) {
  console.error("usage: node e2e/mtb.mjs BASE_URL USER PASSWORD SHARED_DATA SCREENS");
  process.exit(2);
}
mkdirSync(screens, { recursive: true });

function check(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
try {
  const context = await browser.newContext({ viewport: { width: 1200, height: 1000 } });
  const page = await context.newPage();

  // Signed out: sent to the sign-in page.
  await page.goto(base + "/");
  check(page.url().endsWith("/login"), `not sent to sign in: ${page.url()}`);
  await page.fill("input[name=username]", user);
  await page.fill("input[name=password]", password);
  await page.screenshot({ path: path.join(screens, "1-sign-in.png") });
  await page.click("button[type=submit]");
  await page.waitForURL(base + "/");
  check((await page.textContent("h1")) === "Cases", "no case list after signing in");

  // The new-case form with the bundled example's files.
  await page.click("text=New case");
  await page.waitForURL(base + "/cases/new");
  await page.fill("input[name=patient]", "E2E-CRC-001");
  await page.fill("input[name=tumor_type]", "COAD");
  await page.fill("input[name=purity]", "0.6");
  await page.fill("input[name=panel_size_mb]", "34");
  await page.fill("input[name=medications]", "capecitabine, clopidogrel");
  const pcgr = path.join(data, "onco/testdata/pcgr");
  const pharmcat = path.join(data, "pgx/pharmcat-3.1.1/examples");
  await page.setInputFiles("input[name=somatic_vcf]", path.join(pcgr, "T001-COAD.grch38.vcf.gz"));
  await page.setInputFiles("input[name=somatic_segments]", path.join(pcgr, "T001-COAD.grch38.cna.tsv"));
  await page.setInputFiles("input[name=somatic_fusions]", path.join(pcgr, "T001-COAD.grch38.fusions.tsv"));
  await page.setInputFiles("input[name=germline_vcf]", path.join(pharmcat, "pharmcat.example.vcf"));
  await page.setInputFiles("input[name=germline_outside_calls]", path.join(pharmcat, "pharmcat.example.outsideCall.tsv"));
  // The patient agreed to research use only.
  await page.check("input[name=consent][value=research]");
  await page.screenshot({ path: path.join(screens, "2-new-case.png"), fullPage: true });
  // (Not the first submit button of the page: that is "Sign out" in the header.)
  await page.click("button:has-text('Store and interpret')");
  await page.waitForURL(/\/cases\/[0-9a-f]{32}$/);

  // The page refreshes itself while the engines run; wait until it says done.
  await page.waitForFunction(
    () => document.querySelector("#status")?.textContent === "done",
    null,
    { timeout: 60000, polling: 250 },
  );
  await page.screenshot({ path: path.join(screens, "3-case.png"), fullPage: true });
  const text = await page.textContent("main");
  check(text.includes("E2E-CRC-001"), "patient pseudonym missing from the case page");
  const tierOne = await page.$$eval("tbody tr", (rows) =>
    rows.map((r) => r.textContent).filter((t) => t.startsWith("I-A") || t.startsWith("I-B")));
  check(tierOne.some((t) => t.includes("BRAF")), `no tier I BRAF finding: ${tierOne.join(" | ")}`);
  check(text.includes("Pharmacogenomics"), "no pharmacogenomics section");
  check(tierOne.some((t) => t.includes("TMB")), "the panel size gives a TMB finding");

  // The PDF, through the link on the page, with the browser's session.
  const href = await page.getAttribute("a:has-text('clinician report (PDF)')", "href");
  const pdf = await context.request.get(base + href);
  check(pdf.ok(), `PDF download answered ${pdf.status()}`);
  check(pdf.headers()["content-type"] === "application/pdf", "PDF content type");
  const body = await pdf.body();
  check(body.subarray(0, 5).toString() === "%PDF-", "not a PDF");
  // Consent: the export for sharing is refused until the patient's data-sharing consent
  // is recorded on the case page, then served.
  const share = base + page.url().replace(base, "").replace("/cases/", "/api/v1/cases/") + "/share.json";
  const refused = await context.request.get(share);
  check(refused.status() === 403, `share.json without consent answered ${refused.status()}`);
  check(await page.isChecked("input[name=research]"), "the research box recorded at upload");
  await page.check("input[name=data_sharing]");
  await page.click("button:has-text('Record consent')");
  await page.waitForURL(/\/cases\/[0-9a-f]{32}$/);
  await page.screenshot({ path: path.join(screens, "4-consent.png"), fullPage: true });
  const shared = await context.request.get(share);
  check(shared.ok(), `share.json with consent answered ${shared.status()}`);
  check(!(await shared.text()).includes("E2E-CRC-001"), "share.json names the patient");
  console.log(`e2e: signed in, case created and interpreted (${tierOne.length} tier I findings), PDF ${body.length} bytes; screenshots in ${screens}`);
} finally {
  await browser.close();
}

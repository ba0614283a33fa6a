// The broker's journey in a real browser (Debian's Chromium driven by playwright-core) against a
// real `brscale serve`: sign up, first listing, import a messy CSV and fix a column, watch the
// conversations appear live, approve drafts in bulk, a lead answers through the API and the board
// moves without a reload, switch language. Screens are saved at desktop and phone widths under
// e2e/artifacts/ (gitignored); the onboarding is timed and printed.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { chromium } from "playwright-core";
import { ROOT, gql, startServer } from "./server.mjs";

const ARTIFACTS = join(ROOT, "frontend/e2e/artifacts");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const LIVE = 90_000; // generous: 2 shared cores in CI; every wait is on a condition
const DESKTOP = { width: 1280, height: 860 };
const PHONE = { width: 390, height: 844 };

// A CRM export as brokers have them: BOM, semicolons, Spanish headers with accents, quoted cells
// with quotes inside, money written three ways, a row with no way to reach the person, an empty
// row, and a column we cannot recognise ("Dónde busca": where the lead is looking).
const MESSY_CSV = [
  "\uFEFFNombre completo;Correo;Celular;Dónde busca;Presupuesto;Recámaras;Último contacto;Dato raro",
  '"López, Ana";ana.lopez@example.com;55 1234 5678;Polanco;"$5,000,000";3;2026-11-20;"dijo ""llámame"""',
  "Carla Méndez;carla@example.com;+52 55 8765 4321;polanco;5200000;3;2026-10-15;",
  ";;;;;;;",
  "Diego Soto;;;Roma Norte;3000000;2;2026-11-01;sin contacto",
  "Elena Ríos;elena@example.com;5512345679;Polanco;6000000;3;2026-11-30;x",
  "Fer Gómez;fer@example.com;;Polanco;5500000;3;2026-12-01;",
].join("\r\n");

let server;
let browser;
let desktop;
let phone;
let page; // the broker's main tab
let token;
let listingPath;
let onboardingStarted;
const timings = {};

function until(what, check, timeout = LIVE, interval = 200) {
  return (async () => {
    const deadline = Date.now() + timeout;
    let last;
    for (;;) {
      try {
        last = await check();
        if (last) return last;
      } catch (error) {
        last = error;
      }
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what} (last: ${last})`);
      await new Promise((r) => setTimeout(r, interval));
    }
  })();
}

async function columnCount(target, column) {
  const badge = target.getByTestId(`count-${column}`);
  return (await badge.count()) ? Number(await badge.innerText()) : 0;
}

/** The same screen at a desktop's and at a phone's width. */
async function shoot(name, path, ready) {
  await desktop.screenshot({ path: join(ARTIFACTS, `${name}-desktop.png`), fullPage: true });
  if (path) {
    await phone.goto(path);
    if (ready) await ready(phone);
    await phone.waitForLoadState("networkidle").catch(() => {});
    await phone.screenshot({ path: join(ARTIFACTS, `${name}-phone.png`), fullPage: true });
  }
}

let failed = false;
/** One step of the journey: later steps need earlier ones, so after a failure they are skipped. */
function step(name, fn) {
  test(name, { timeout: 5 * 60_000 }, async (t) => {
    if (failed) return t.skip("an earlier step failed");
    try {
      await fn();
    } catch (error) {
      failed = true;
      const shot = join(ARTIFACTS, `failed-${name.replace(/\W+/g, "-").slice(0, 60)}.png`);
      await page?.screenshot({ path: shot, fullPage: true }).catch(() => {});
      throw error;
    }
  });
}

describe("the broker's dashboard", { timeout: 15 * 60_000 }, () => {
  before(async () => {
    assert.ok(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM} (apt-get install chromium)`);
    assert.ok(existsSync(join(ROOT, "frontend/dist/index.html")), "Build the app first (npm run build)");
    mkdirSync(ARTIFACTS, { recursive: true });
    server = await startServer();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
    const desktopContext = await browser.newContext({ viewport: DESKTOP, baseURL: server.base, acceptDownloads: true });
    desktopContext.setDefaultTimeout(LIVE);
    page = await desktopContext.newPage();
    desktop = page;
    const phoneContext = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, baseURL: server.base });
    phoneContext.setDefaultTimeout(LIVE);
    phone = await phoneContext.newPage();
    for (const p of [page, phone]) {
      p.on("pageerror", (error) => console.error(`[browser error] ${error.message}`));
    }
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (onboardingStarted) {
      const lines = Object.entries(timings).map(([k, v]) => `  ${k}: ${(v / 1000).toFixed(1)} s`);
      console.log(`Onboarding timings (from opening the sign-up page):\n${lines.join("\n")}`);
    }
  });

  step("a broker signs up and lands on the onboarding", async () => {
    await phone.goto("/app/signup");
    await phone.getByRole("heading", { name: "Crea tu cuenta" }).waitFor();
    await phone.screenshot({ path: join(ARTIFACTS, "signup-phone.png"), fullPage: true });

    onboardingStarted = Date.now();
    await page.goto("/app/signup");
    await page.getByRole("heading", { name: "Crea tu cuenta" }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, "signup-desktop.png"), fullPage: true });
    await page.getByLabel("Tu nombre").fill("Ana Broker");
    await page.getByLabel("Nombre de tu inmobiliaria").fill("Casa Ana");
    await page.getByLabel("Correo electrónico").fill("ana@example.com");
    await page.getByLabel("Contraseña").fill("a long password");
    await page.getByRole("button", { name: "Crear cuenta" }).click();

    await page.getByRole("heading", { name: "Empieza aquí" }).waitFor();
    assert.match(new URL(page.url()).pathname, /^\/app\/?$/);
    token = await page.evaluate(() => localStorage.getItem("brscale.token"));
    assert.ok(token);
    await phone.evaluate((value) => localStorage.setItem("brscale.token", value), token);
    timings["signed up"] = Date.now() - onboardingStarted;
    await shoot("home-empty", "/app/", (p) => p.getByRole("heading", { name: "Empieza aquí" }).waitFor());
  });

  step("the broker asks to approve first messages and lists a first property", async () => {
    await page.getByRole("link", { name: "Ajustes" }).click();
    await page.getByText("Aprobar los primeros mensajes", { exact: true }).click();
    assert.ok(await page.getByRole("switch", { name: /Aprobar los primeros mensajes/ }).isChecked());
    await page.getByRole("button", { name: "Guardar" }).click();
    await page.getByText("Ajustes guardados.").waitFor();

    await page.getByRole("link", { name: "Inicio" }).click();
    await page.getByRole("link", { name: "Crear propiedad" }).click();
    await page.getByRole("heading", { name: "Nueva propiedad" }).waitFor();
    await page.getByLabel("Título").fill("Departamento en Polanco");
    await page.getByLabel("Colonia o zona").fill("Polanco");
    await page.getByLabel("Ciudad").fill("Ciudad de México");
    await page.getByLabel("Precio").fill("5200000");
    await page.getByLabel("Recámaras").fill("3");
    await page.getByLabel("Baños").fill("2.5");
    await page.getByLabel("Descripción").fill("Luminoso, con terraza y dos estacionamientos.");
    await page.getByRole("button", { name: "Crear y buscar leads" }).click();

    await page.getByRole("heading", { name: "Departamento en Polanco" }).waitFor();
    await page.getByText("Sin conversaciones todavía").waitFor();
    listingPath = new URL(page.url()).pathname;
    timings["first listing"] = Date.now() - onboardingStarted;
  });

  step("a messy CSV is imported after fixing a column, and conversations appear live on the open board", async () => {
    // The board stays open in the first tab; the import runs in a second one.
    const importTab = await page.context().newPage();
    await importTab.goto("/app/import");
    await importTab.getByRole("heading", { name: "Importar leads" }).waitFor();
    await importTab.locator('input[type="file"]').setInputFiles({
      name: "export-crm.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(MESSY_CSV, "utf8"),
    });

    const whereColumn = importTab.locator('tr[data-column="Dónde busca"]');
    await whereColumn.getByText("No reconocida").waitFor();
    await importTab.getByText("Polanco · polanco · Roma Norte").waitFor(); // sample values
    await importTab.screenshot({ path: join(ARTIFACTS, "import-mapping-desktop.png"), fullPage: true });

    await importTab.getByRole("textbox", { name: "Campo para la columna Dónde busca" }).click();
    await importTab.getByRole("option", { name: "Zona", exact: true }).click();
    await importTab.getByRole("button", { name: "Revisar de nuevo" }).click();
    await until("the column to be read as an area", async () => (await whereColumn.getByText("No reconocida").count()) === 0);
    await importTab.getByText("Así quedarían las primeras filas").waitFor();

    await importTab.getByRole("button", { name: /^Importar \d+ filas$/ }).click();
    await importTab.getByText("Importación terminada").waitFor();
    await importTab.getByText(/4 nuevos, 0 actualizados, 0 duplicados, 1 rechazados/).waitFor();
    const rejected = importTab.getByRole("row").filter({ hasText: "Diego" }).or(importTab.getByRole("cell", { name: "5", exact: true }));
    await rejected.first().waitFor();
    const [download] = await Promise.all([
      importTab.waitForEvent("download"),
      importTab.getByRole("button", { name: "Descargar filas rechazadas (CSV)" }).click(),
    ]);
    const rejectedCsv = readFileSync(await download.path(), "utf8");
    assert.match(rejectedCsv, /^\uFEFFLínea,Columna,Motivo\r\n5,/);
    await importTab.screenshot({ path: join(ARTIFACTS, "import-done-desktop.png"), fullPage: true });
    timings["leads imported"] = Date.now() - onboardingStarted;
    await importTab.close();

    // No reload: the open board fills through the agentActivity subscription.
    await until("drafts on the board", async () => (await columnCount(page, "toApprove")) === 4);
    timings["first conversations on the board"] = Date.now() - onboardingStarted;
    await page.getByRole("heading", { name: "Departamento en Polanco" }).waitFor();
    await shoot("listing-board", listingPath, (p) => p.getByTestId("count-toApprove").waitFor());
  });

  step("the broker approves every draft at once", async () => {
    await page.getByLabel("Seleccionar todos los borradores").check();
    await page.getByRole("button", { name: "Aprobar 4 borradores" }).click();
    await page.getByText("4 conversaciones aprobadas: sus mensajes van en camino.").waitFor();
    await until("approved conversations waiting for replies", async () =>
      (await columnCount(page, "toApprove")) === 0 && (await columnCount(page, "waiting")) === 4,
    );
  });

  step("a lead answers through the API and the board moves without a reload", async () => {
    const { conversations } = await gql(
      server.base,
      token,
      `{ conversations(first: 10) { edges { node { id lead { name } } } } }`,
    );
    const ana = conversations.edges.find((e) => e.node.lead.name.includes("Ana")).node;
    await gql(
      server.base,
      token,
      `mutation($input: ReceiveLeadMessageInput!) { receiveLeadMessage(input: $input) { id } }`,
      { input: { conversationId: ana.id, channel: "EMAIL", body: "¿Tiene estacionamiento?" } },
    );
    await until("the answered conversation to leave Waiting", async () => (await columnCount(page, "waiting")) === 3);
    const column = await page.locator("[data-column]").filter({ hasText: ana.lead.name }).getAttribute("data-column");
    assert.notEqual(column, "waiting");

    await page.getByRole("link", { name: ana.lead.name }).click();
    await page.getByRole("heading", { name: ana.lead.name }).waitFor();
    const reply = (p) => p.getByRole("listitem", { name: "Mensaje del lead" }).filter({ hasText: "¿Tiene estacionamiento?" });
    await reply(page).waitFor();
    await reply(page).getByText("Pregunta", { exact: true }).waitFor(); // the understood intent
    await shoot("conversation", new URL(page.url()).pathname, (p) => reply(p).waitFor());

    await page.getByRole("button", { name: "Tomar la conversación" }).click();
    await page.getByText(/Tú llevas esta conversación/).waitFor();
    await page.getByRole("button", { name: "Devolver a la IA" }).click();
    await page.getByRole("button", { name: "Tomar la conversación" }).waitFor();
  });

  step("Today lists whom to call and a task is done with one click", async () => {
    await page.getByRole("link", { name: "Hoy" }).click();
    await page.getByRole("heading", { name: "Hoy" }).waitFor();
    const done = page.getByRole("button", { name: /^Hecho: / });
    await done.first().waitFor();
    const before = await done.count();
    await done.first().click();
    await until("the task to leave the list", async () => (await done.count()) === before - 1);
    await page.getByText("Hechas", { exact: true }).click(); // the segmented control's label
    await page.getByRole("button", { name: /^Reabrir: / }).first().waitFor();
  });

  step("every screen, at desktop and phone widths", async () => {
    const screens = [
      ["home", "/app/", (p) => p.getByRole("heading", { name: "Actividad en vivo" }).waitFor()],
      ["listings", "/app/listings", (p) => p.getByText("Departamento en Polanco").first().waitFor()],
      ["listing-matches", listingPath, async (p) => {
        await p.getByRole("tab", { name: /Coincidencias/ }).click();
        await p.getByRole("table").waitFor();
      }],
      ["listing-new", "/app/listings/new", (p) => p.getByLabel("Título").waitFor()],
      ["import", "/app/import", (p) => p.getByText("Archivo CSV").waitFor()],
      ["today", "/app/today", (p) => p.getByRole("heading", { name: "Hoy" }).waitFor()],
      ["settings", "/app/settings", (p) => p.getByLabel("Firma").waitFor()],
    ];
    for (const [name, path, ready] of screens) {
      await page.goto(path);
      await ready(page);
      await page.waitForLoadState("networkidle").catch(() => {});
      await shoot(name, path, ready);
    }
  });

  step("the broker switches to English and it sticks", async () => {
    await page.goto("/app/today");
    await page.getByRole("heading", { name: "Hoy" }).waitFor();
    await page.getByText("EN", { exact: true }).click();
    await page.getByRole("heading", { name: "Today" }).waitFor();
    await page.getByRole("link", { name: "Listings" }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), "en");
    await page.reload();
    await page.getByRole("heading", { name: "Today" }).waitFor();
    await page.goto(listingPath);
    await page.getByRole("heading", { name: "Waiting" }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, "listing-board-en-desktop.png"), fullPage: true });
  });
});

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
import { a11yViolations } from "./a11y.mjs";
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
// Automatic persisted queries: requests that carried only a query's hash (the server knew it).
const persisted = { hashOnly: 0, answered: 0 };

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

/** No WCAG 2.1 A/AA violation axe-core can see (names, labels, contrast, landmarks). */
async function accessible(target, name) {
  assert.deepEqual(await a11yViolations(target), [], `accessibility of ${name}`);
}

/** The same screen at a desktop's and at a phone's width, each checked for accessibility. */
async function shoot(name, path, ready) {
  await desktop.screenshot({ path: join(ARTIFACTS, `${name}-desktop.png`), fullPage: true });
  await accessible(desktop, `${name} (desktop)`);
  if (path) {
    await phone.goto(path);
    if (ready) await ready(phone);
    await phone.waitForLoadState("networkidle").catch(() => {});
    await phone.screenshot({ path: join(ARTIFACTS, `${name}-phone.png`), fullPage: true });
    await accessible(phone, `${name} (phone)`);
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
      p.on("requestfinished", async (request) => {
        const body = request.method() === "POST" && request.url().endsWith("/graphql") ? request.postData() : null;
        if (!body || !body.includes('"persistedQuery"') || body.includes('"query"')) return;
        persisted.hashOnly += 1;
        const answer = await (await request.response())?.json().catch(() => null);
        if (answer?.data) persisted.answered += 1;
      });
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
    await accessible(page, "sign-up");
    // With the keyboard alone: Tab from field to field, Enter sends.
    await page.getByLabel("Tu nombre").focus();
    await page.keyboard.type("Ana Broker");
    for (const value of ["Casa Ana", "ana@example.com", "a long password"]) {
      await page.keyboard.press("Tab");
      await page.keyboard.type(value);
    }
    assert.equal(await page.getByLabel("Contraseña").inputValue(), "a long password");
    await page.keyboard.press("Enter");

    // The answer never says whether the address has an account: the e-mail's link (in the
    // local outbox of `brscale serve`) creates it.
    await page.getByRole("heading", { name: "Revisa tu correo" }).waitFor();
    await accessible(page, "sign-up sent");
    const outbox = join(server.dataDir, "outbox.jsonl");
    const signUpLink = await until("the sign-up e-mail", async () =>
      existsSync(outbox) && readFileSync(outbox, "utf8").match(/\/app\/signup\/[^\s"\\]+/)?.[0],
    );
    await page.goto(signUpLink);
    await page.getByRole("heading", { name: "Confirma tu cuenta" }).waitFor();
    await accessible(page, "sign-up confirmation");
    await page.getByRole("button", { name: "Crear mi cuenta y entrar" }).click();

    await page.getByRole("heading", { name: "Empieza aquí" }).waitFor();
    assert.match(new URL(page.url()).pathname, /^\/app\/?$/);
    // The first Tab of a page offers to skip the header and the menu; Enter lands in the page.
    await page.evaluate(() => (document.activeElement instanceof HTMLElement ? document.activeElement.blur() : null));
    await page.keyboard.press("Tab");
    await page.getByRole("link", { name: "Saltar al contenido" }).and(page.locator(":focus")).waitFor();
    await page.keyboard.press("Enter");
    assert.equal(await page.evaluate(() => document.activeElement?.id), "main-content");
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
    await page.getByRole("form", { name: "Tu inmobiliaria" }).getByRole("button", { name: "Guardar" }).click();
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
    // The facts the AI may quote (parking stays unknown: a lead's question about it comes to Today).
    await page.getByLabel("Dirección").fill("Av. Presidente Masaryk 123, Polanco");
    await page.getByLabel("Construcción (m²)").fill("120.5");
    await page.getByLabel("Mantenimiento mensual").fill("3500");
    await page.getByLabel("Disponible desde").fill("2027-01-15");
    await page.getByRole("textbox", { name: "Mascotas" }).click();
    await page.getByRole("option", { name: "Se aceptan", exact: true }).click();
    await page.getByRole("textbox", { name: "Amenidades" }).fill("Alberca");
    await page.getByRole("textbox", { name: "Amenidades" }).press("Enter");
    await page.getByRole("textbox", { name: "Amenidades" }).fill("Gimnasio");
    await page.getByRole("textbox", { name: "Amenidades" }).press("Enter");
    await page.getByLabel("Enlace del anuncio").fill("https://example.com/polanco-123");
    await page.getByRole("button", { name: "Crear y buscar leads" }).click();

    await page.getByRole("heading", { name: "Departamento en Polanco" }).waitFor();
    await page.getByText("Sin conversaciones todavía").waitFor();
    listingPath = new URL(page.url()).pathname;
    timings["first listing"] = Date.now() - onboardingStarted;

    // The facts come back as entered; an edit sends only what changed and keeps the rest.
    const facts = page.getByRole("table", { name: "Datos de la propiedad" });
    const fact = (label) => facts.getByRole("row").filter({ has: page.getByRole("rowheader", { name: label, exact: true }) });
    await page.getByRole("tab", { name: "Datos" }).click();
    await fact("Baños").getByText("2.5").waitFor();
    await fact("Construcción (m²)").getByText("120.5 m²").waitFor();
    await fact("Mantenimiento mensual").getByText("$3,500").waitFor();
    await fact("Mascotas").getByText("Se aceptan").waitFor();
    await fact("Amenidades").getByText("Alberca, Gimnasio").waitFor();
    await fact("Dirección").getByText("Av. Presidente Masaryk 123, Polanco").waitFor();
    await fact("Disponible desde").getByText("15 de enero de 2027").waitFor();
    await fact("Estacionamientos").getByText("Sin especificar").waitFor();
    await page.getByRole("link", { name: "Editar" }).click();
    await page.getByRole("heading", { name: "Editar propiedad" }).waitFor();
    const sent = [];
    const watch = (request) => {
      const body = request.postData() ?? "";
      if (body.includes("updateProperty")) sent.push(JSON.parse(body).variables.input);
    };
    page.on("request", watch);
    await page.getByLabel("Terreno (m²)").fill("150");
    await page.getByRole("button", { name: "Guardar" }).click();
    await page.getByText("Cambios guardados.").waitFor();
    page.off("request", watch);
    assert.deepEqual(sent, [{ lotAreaM2: 150 }]);
    await page.getByRole("tab", { name: "Datos" }).click();
    await fact("Terreno (m²)").getByText("150 m²").waitFor();
    await fact("Construcción (m²)").getByText("120.5 m²").waitFor();
    await page.screenshot({ path: join(ARTIFACTS, "listing-facts-desktop.png"), fullPage: true });
    await page.getByRole("tab", { name: /^Conversaciones/ }).click();
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
    await importTab.getByText(/^4 nuevos, 0 actualizados, 0 sin cambios, 0 duplicados, 1 rechazados/).waitFor(); // not the list of imports below
    const rejected = importTab.getByRole("row").filter({ hasText: "Diego" }).or(importTab.getByRole("cell", { name: "5", exact: true }));
    await rejected.first().waitFor();
    // Its reason in Spanish (the API's own wording for a Spanish brokerage, or the dashboard's).
    await importTab.getByRole("cell", { name: /^Fila omitida: no tiene correo ni teléfono\.?$/ }).waitFor();
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
    // The button counts drafts (one per channel), not conversations.
    const { conversations } = await gql(server.base, token, `{ conversations(first: 20) { edges { node { messages { status } } } } }`);
    const drafts = conversations.edges.flatMap((e) => e.node.messages).filter((m) => m.status === "DRAFT").length;
    assert.ok(drafts >= 4);
    const label = drafts === 4 ? "Aprobar 4 borradores" : `Aprobar ${drafts} borradores de 4 conversaciones`;
    await page.getByRole("button", { name: label, exact: true }).click();
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

  step("a QUESTION task is answered from Today and the answer reaches the lead's conversation", async () => {
    // Ana asked about parking, which the listing does not say: the agent promised the broker's answer.
    await page.getByRole("link", { name: "Hoy" }).click();
    await page.getByRole("heading", { name: "Hoy" }).waitFor();
    const question = page.locator('li[data-task-kind="QUESTION"]').filter({ hasText: "Ana" });
    await question.waitFor();
    const conversationLink = question.getByRole("link", { name: /^Conversación con / });
    const conversationPath = await conversationLink.getAttribute("href");
    await question.getByRole("link", { name: "Departamento en Polanco" }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, "today-question-desktop.png"), fullPage: true });
    const answer = "Sí, tiene dos cajones de estacionamiento techados.";
    await question.getByLabel(/^Tu respuesta para /).fill(answer);
    await question.getByRole("button", { name: "Enviar respuesta" }).click();
    await page.getByText(/^Respuesta enviada a /).waitFor();
    await until("the answered task to leave the open list", async () => (await question.count()) === 0);

    await page.goto(conversationPath);
    await page
      .getByRole("listitem", { name: "Mensaje de la IA" })
      .filter({ hasText: answer })
      .waitFor();
    const { node } = await gql(
      server.base,
      token,
      `query($id: ID!) { node(id: $id) { ... on Conversation { messages { direction body } tasks { kind status } } } }`,
      { id: conversationPath.split("/").pop() },
    );
    assert.ok(node.messages.some((m) => m.direction === "OUTBOUND" && m.body.includes(answer)));
    assert.ok(node.tasks.some((t) => t.kind === "QUESTION" && t.status === "DONE"));
  });

  step("a viewing the lead confirms shows on Today in the brokerage's zone, is moved and cancelled", async () => {
    const { conversations } = await gql(
      server.base,
      token,
      `{ conversations(first: 10) { edges { node { id lead { name } } } } }`,
    );
    const carla = conversations.edges.find((e) => e.node.lead.name.includes("Carla")).node;
    const say = (body) =>
      gql(
        server.base,
        token,
        `mutation($input: ReceiveLeadMessageInput!) { receiveLeadMessage(input: $input) { viewing { id status startsAt } } }`,
        { input: { conversationId: carla.id, channel: "SMS", body } },
      );
    const offered = await say("Hola, ¿la puedo ver esta semana?");
    assert.equal(offered.receiveLeadMessage.viewing.status, "PROPOSED");
    const confirmed = await say("La primera me queda perfecto");
    assert.equal(confirmed.receiveLeadMessage.viewing.status, "CONFIRMED");
    const { id: viewingId, startsAt } = confirmed.receiveLeadMessage.viewing;

    await page.getByRole("link", { name: "Hoy" }).click();
    const task = page.locator('li[data-task-kind="VIEWING"]').filter({ hasText: "Carla" });
    const panel = task.getByRole("group", { name: "Visita" });
    await panel.getByText("Confirmada").waitFor();
    await panel.getByText("Av. Presidente Masaryk 123, Polanco").waitFor();
    const zone = await page.evaluate(async (t) => {
      const r = await fetch("/graphql", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${t}` },
        body: JSON.stringify({ query: "{ brokerage { timezone } }" }),
      });
      return (await r.json()).data.brokerage.timezone;
    }, token);
    const local = new Intl.DateTimeFormat("es-MX", { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(startsAt));
    await panel.getByTestId("viewing-time").filter({ hasText: zone }).waitFor();
    assert.match(await panel.getByTestId("viewing-time").innerText(), new RegExp(local.replace(/^0/, "0?")));
    await page.screenshot({ path: join(ARTIFACTS, "today-viewing-desktop.png"), fullPage: true });

    // Moved one hour later, in the brokerage's local time.
    await panel.getByRole("button", { name: "Cambiar horario" }).click();
    const input = panel.getByLabel(/^Nuevo horario/);
    const current = await input.inputValue();
    const hour = Number(current.slice(11, 13)) + 1;
    const moved = `${current.slice(0, 11)}${String(hour).padStart(2, "0")}${current.slice(13)}`;
    await input.fill(moved);
    await panel.getByRole("button", { name: "Mover visita" }).click();
    await page.getByText("Visita movida: el lead recibe el nuevo horario.").waitFor();
    const after = async () =>
      (await gql(server.base, token, `query($id: ID!) { node(id: $id) { ... on Viewing { status startsAt } } }`, { id: viewingId })).node;
    await until("the viewing to move an hour", async () => new Date((await after()).startsAt) - new Date(startsAt) === 3_600_000);

    // The conversation view shows the viewing too; cancelled from there.
    await task.getByRole("link", { name: /^Conversación con / }).click();
    const conversationPanel = page.getByRole("group", { name: "Visita" });
    await conversationPanel.getByText("Confirmada").waitFor();
    await conversationPanel.getByRole("button", { name: "Cancelar visita" }).click();
    await conversationPanel.getByRole("button", { name: "Sí, cancelar" }).click();
    await conversationPanel.getByText("Cancelada").waitFor();
    assert.equal((await after()).status, "CANCELLED");
  });

  step("Today lists whom to call and a task is done with one click", async () => {
    await page.getByRole("link", { name: "Hoy" }).click();
    await page.getByRole("heading", { name: "Hoy" }).waitFor();
    await page.getByText("Hechas", { exact: true }).click(); // the segmented control's label
    const question = page.locator('li[data-task-kind="QUESTION"]');
    await question.getByRole("button", { name: /^Reabrir: / }).click(); // the answered question, open again
    await until("the reopened task to leave the done list", async () => (await question.count()) === 0);
    await page.getByText("Pendientes", { exact: true }).click();
    await question.getByRole("button", { name: /^Hecho: / }).click();
    await until("the task to leave the open list", async () => (await question.count()) === 0);
    await page.getByRole("button", { name: /^Hecho: / }).first().waitFor(); // the calls stay
    await page.getByText("Hechas", { exact: true }).click();
    await question.getByRole("button", { name: /^Reabrir: / }).waitFor();
  });

  step("the broker names the agent, addresses leads as usted and sets viewing hours", async () => {
    await page.getByRole("link", { name: "Ajustes" }).click();
    await page.getByLabel("Nombre del agente").fill("Jorge");
    await page.getByText("Usted", { exact: true }).click();
    await page.getByText(/Sin horario propio/).waitFor();
    await page.getByRole("button", { name: "Añadir horario" }).click(); // Monday 10:00-18:00
    await page.getByLabel("Hasta (horario 1)").fill("14:00");
    await page.getByRole("button", { name: "Añadir horario" }).click(); // Tuesday, same hours
    await page.getByLabel("Desde (horario 2)").fill("16:00");
    await page.getByLabel("Hasta (horario 2)").fill("15:00");
    await page.getByText(/Revisa los horarios marcados/).waitFor(); // ends before it starts
    await page.getByLabel("Hasta (horario 2)").fill("19:00");
    await page.getByRole("form", { name: "Tu inmobiliaria" }).getByRole("button", { name: "Guardar" }).click();
    await page.getByText("Ajustes guardados.").waitFor();
    const { brokerage } = await gql(server.base, token, `{ brokerage { agentName formality availability { weekday startTime endTime } } }`);
    assert.deepEqual(brokerage, {
      agentName: "Jorge",
      formality: "USTED",
      availability: [
        { weekday: "MONDAY", startTime: "10:00", endTime: "14:00" },
        { weekday: "TUESDAY", startTime: "16:00", endTime: "19:00" },
      ],
    });
    await page.reload();
    assert.equal(await page.getByLabel("Nombre del agente").inputValue(), "Jorge");
    assert.equal(await page.getByLabel("Desde (horario 2)").inputValue(), "16:00");
    await page.screenshot({ path: join(ARTIFACTS, "settings-agent-desktop.png"), fullPage: true });
  });

  step("the imports are listed with their counts, one reopens, and a dry run shows its merges", async () => {
    await page.getByRole("link", { name: "Importar leads" }).click();
    const list = page.getByRole("table", { name: "Tus importaciones" });
    const row = list.getByRole("row").filter({ hasText: "export-crm.csv" });
    await row.getByText("Terminada").waitFor();
    await row.getByText(/4 nuevos, 0 actualizados, 0 sin cambios, 0 duplicados, 1 rechazados/).waitFor();
    await row.getByRole("button", { name: "Ver: export-crm.csv" }).click();
    await page.getByText("Importación terminada").waitFor();
    await page.getByRole("button", { name: "Descargar filas rechazadas (CSV)" }).waitFor();

    await page.getByRole("button", { name: "Importar otro archivo" }).click();
    await page.locator('input[type="file"]').setInputFiles({
      name: "again.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(
        ["Nombre,Correo,Teléfono", "Ana López,ana.lopez@example.com,", "Ana L.,ana.lopez@example.com,", "Nuevo Lead,nuevo@example.com,"].join("\n"),
        "utf8",
      ),
    });
    await page.getByText(/^Línea 2: actualiza a López, Ana, que ya tienes/).waitFor();
    await page.getByText(/^Línea 3: /).waitFor();
    await page.getByText(/Se importarían \d+ nuevos/).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, "import-merges-desktop.png"), fullPage: true });
    // A dry run is not an import: the list still holds one.
    assert.equal(await list.getByRole("row").filter({ hasText: ".csv" }).count(), 1);
  });

  step("Home's AI activity follows the chosen period", async () => {
    await page.getByRole("link", { name: "Inicio" }).click();
    await page.getByRole("heading", { name: "Actividad de la IA (últimos 7 días)" }).waitFor();
    const sent = (p) => p.getByRole("region", { name: /^Actividad de la IA/ }).getByText(/^\d+$/).first();
    const week = Number(await sent(page).innerText());
    await page.getByText("Todo", { exact: true }).click();
    await page.getByRole("heading", { name: "Actividad de la IA (desde el inicio)" }).waitFor();
    const { crmSyncStats } = await gql(server.base, token, `{ crmSyncStats(window: ALL_TIME) { window aiActivity { messagesSent } } }`);
    assert.equal(crmSyncStats.window, "ALL_TIME");
    await until("the all-time figure", async () => Number(await sent(page).innerText()) === crmSyncStats.aiActivity.messagesSent);
    assert.ok(crmSyncStats.aiActivity.messagesSent >= week);
  });

  step("the owner invites an agent, who joins from the e-mail's link and sees only the leads given to them", async () => {
    await page.getByRole("link", { name: "Equipo" }).click();
    await page.getByRole("heading", { name: "Equipo" }).waitFor();
    await page.getByText(/Por ahora trabajas solo/).waitFor();
    await page.getByLabel("Correo electrónico").fill("luis@example.com");
    await page.getByRole("button", { name: "Enviar invitación" }).click();
    await page.getByText("Invitación enviada a luis@example.com.").waitFor();
    await page.getByRole("list", { name: "Invitaciones sin aceptar" }).getByText(/luis@example.com · Agente/).waitFor();

    // The invitation e-mail lands in the local outbox of `brscale serve` (no SMTP configured).
    const outbox = join(server.dataDir, "outbox.jsonl");
    const link = await until("the invitation e-mail", async () =>
      existsSync(outbox) && readFileSync(outbox, "utf8").match(/\/app\/invitations\/[^\s"]+/)?.[0],
    );
    const agentContext = await browser.newContext({ viewport: DESKTOP, baseURL: server.base });
    agentContext.setDefaultTimeout(LIVE);
    const agent = await agentContext.newPage();
    agent.on("pageerror", (error) => console.error(`[browser error] ${error.message}`));
    await agent.goto(link);
    await agent.getByRole("heading", { name: "Únete a tu equipo" }).waitFor();
    await agent.getByLabel("Tu nombre").fill("Luis Agente");
    await agent.getByLabel("Contraseña").fill("another long password");
    await agent.getByRole("button", { name: "Aceptar e iniciar sesión" }).click();
    await agent.getByText("Luis Agente · Agente").waitFor(); // the shell knows who and what role
    const nav = agent.getByRole("navigation", { name: "Navegación principal" });
    await nav.getByRole("link", { name: "Hoy" }).waitFor();
    assert.equal(await nav.getByRole("link", { name: "Equipo" }).count(), 0);
    assert.equal(await nav.getByRole("link", { name: "Importar leads" }).count(), 0);

    // The owner gives Ana's lead to Luis from her conversation.
    const { conversations } = await gql(server.base, token, `{ conversations(first: 10) { edges { node { id lead { name } } } } }`);
    const byName = (name) => conversations.edges.find((e) => e.node.lead.name.includes(name)).node.id;
    await page.goto(`/app/conversations/${byName("Ana")}`);
    await page.getByRole("textbox", { name: "Agente" }).click();
    await page.getByRole("option", { name: /^Luis Agente/ }).click();
    await page.getByText("Lead asignado a Luis Agente.").waitFor();

    // Luis sees that conversation, not another one, and no listing editing or manager settings.
    await agent.goto(listingPath);
    await agent.getByRole("tab", { name: "Conversaciones (1)" }).waitFor();
    assert.equal(await agent.getByRole("link", { name: "Editar" }).count(), 0);
    await agent.goto(`/app/conversations/${byName("Ana")}`);
    await agent.getByText(/Agente:\s*Luis Agente/).waitFor();
    await agent.goto(`/app/conversations/${byName("Carla")}`);
    await agent.getByRole("alert").getByText("No lo encontramos").waitFor(); // not "Conversation not found"
    await agent.goto("/app/settings");
    await agent.getByRole("form", { name: "Tú" }).waitFor();
    await agent.getByText("Solo el dueño de la inmobiliaria cambia estos ajustes.").waitFor();
    assert.equal(await agent.getByRole("region", { name: "API keys" }).count(), 0);
    await agent.screenshot({ path: join(ARTIFACTS, "settings-agent-role-desktop.png"), fullPage: true });
    await agentContext.close();

    await page.getByRole("link", { name: "Equipo" }).click();
    await page.getByRole("region", { name: "Personas" }).getByText("Luis Agente").waitFor();
    await page.getByRole("region", { name: "Quién hizo qué" }).getByText(/asignó un lead/).waitFor();
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
      ["settings", "/app/settings", (p) => p.getByLabel("Firma", { exact: true }).waitFor()],
      ["team", "/app/team", (p) => p.getByRole("region", { name: "Quién hizo qué" }).getByText(/asignó un lead/).waitFor()],
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

  step("the app sends known queries by their hash alone (automatic persisted queries)", async () => {
    // The first of each is answered PERSISTED_QUERY_NOT_FOUND (the client then sends the text).
    assert.ok(persisted.answered > 10, JSON.stringify(persisted));
    console.log(`Automatic persisted queries: ${JSON.stringify(persisted)}`);
  });
});

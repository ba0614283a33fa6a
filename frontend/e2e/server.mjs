// A real `brscale serve` on the embedded default (SQLite in a fresh data folder, in-process jobs,
// offline conversation model) on a free port: what a broker's `./dev run` is.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

export async function startServer({ timeoutMs = 180_000 } = {}) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "brscale-e2e-"));
  const env = { ...process.env, BRSCALE_DATA_DIR: dataDir };
  for (const name of ["DATABASE_URL", "REDIS_URL", "OPENAI_API_KEY", "SMTP_URL"]) delete env[name];
  const brscale = process.env.BRSCALE_BIN ?? join(ROOT, ".venv/bin/brscale");
  const child = spawn(brscale, ["serve", "--port", String(port)], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  child.stderr.on("data", (chunk) => {
    log = (log + chunk.toString()).slice(-20_000);
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`brscale serve exited (${child.exitCode}):\n${log}`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL"); // not left serving after the run gives up on it
      rmSync(dataDir, { recursive: true, force: true });
      throw new Error(`brscale serve did not answer /healthz in time:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    base,
    dataDir, // the local outbox (outbox.jsonl) is there: invitation e-mails, messages
    log: () => log,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The API as a partner (or a lead's channel) calls it, beside the browser. */
export async function gql(base, token, query, variables = {}) {
  const response = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

// Fails when src/gql/ is not what GraphQL Code Generator makes from the committed schema.graphql
// and the operations in src/: run `npm run codegen` and commit the result.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const tmp = mkdtempSync(join(tmpdir(), "brscale-codegen-"));
try {
  execFileSync("npx", ["graphql-codegen", "--config", "codegen.ts", "--silent"], {
    stdio: "inherit",
    env: { ...process.env, CODEGEN_OUT: `${tmp}/` },
  });
  const names = new Set([...readdirSync(tmp), ...readdirSync("src/gql")]);
  const stale = [...names].filter((name) => {
    const read = (dir) => {
      try {
        return readFileSync(join(dir, name), "utf8");
      } catch {
        return null;
      }
    };
    return read(tmp) !== read("src/gql");
  });
  if (stale.length) {
    console.error(
      `src/gql/ is out of date with schema.graphql or the operations (${stale.join(", ")}): run \`npm run codegen\`.`,
    );
    process.exit(1);
  }
  console.log("Generated GraphQL types are up to date.");
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

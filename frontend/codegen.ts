import type { CodegenConfig } from "@graphql-codegen/cli";

// Operation types come from the committed schema, never from a running server: the drift check
// (scripts/codegen-check.mjs) regenerates into a temporary folder and compares.
const out = process.env.CODEGEN_OUT ?? "src/gql/";

const config: CodegenConfig = {
  schema: "../schema.graphql",
  documents: ["src/**/*.{ts,tsx}", "!src/gql/**/*"],
  ignoreNoDocuments: true,
  generates: {
    [out]: {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        enumsAsTypes: true,
        onlyOperationTypes: true, // types of what the app asks for: unrelated schema changes do not drift
        useTypeImports: true,
        scalars: { Date: "string", DateTime: "string", Money: "number", Upload: "File" },
      },
    },
  },
};

export default config;

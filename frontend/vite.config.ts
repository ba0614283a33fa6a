/// <reference types="vitest" />
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The app lives under /app/ (the API redirects / there, and OAuth callbacks return to /app/).
// `npm run dev` proxies the API so the browser talks to one origin, as in production.
const api = process.env.BRSCALE_API ?? "http://127.0.0.1:8000";

export default defineConfig({
  base: "/app/",
  plugins: [react()],
  server: {
    proxy: {
      "/graphql": { target: api, ws: true, changeOrigin: true },
      "/healthz": api,
    },
  },
  build: {
    chunkSizeWarningLimit: 1500,
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    css: false,
    testTimeout: 30_000, // user-event on 2 shared CI cores is slow; every wait is on a condition
  },
});

#!/usr/bin/env node
// `npm start`: builds and packages the extension, then serves it in real VS Code (code-server on
// 127.0.0.1, no auth) at the printed URL until Ctrl+C. First use installs code-server (minutes).
//   npm start [-- --port=8080]
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { tsImport } from "tsx/esm/api";

const { values } = parseArgs({ options: { port: { type: "string", default: process.env.PORT ?? "8080" } } });
const port = Number(values.port);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`--port: expected a TCP port, got ${values.port}`);
  process.exit(2);
}

process.chdir(fileURLToPath(new URL("..", import.meta.url)));
const packaged = spawnSync(process.execPath, ["scripts/package.mjs"], { stdio: "inherit" });
if (packaged.status !== 0) process.exit(packaged.status ?? 1);

const { VSIX_PATH } = await tsImport("../test/harness/paths.ts", import.meta.url);
const { serve } = await tsImport("../test/harness/serve.ts", import.meta.url);
try {
  await serve({ vsix: VSIX_PATH, port });
} catch (error) {
  if (error?.name === "HarnessError") console.error(`\n${error.message}`);
  else console.error(error);
  process.exit(1);
}

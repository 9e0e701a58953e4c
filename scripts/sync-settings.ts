// Regenerates package.json's contributes.configuration from the settings registry in src/core.
import { readFileSync, writeFileSync } from "node:fs";
import { configurationProperties } from "../src/core/settings/contribution";

const path = "package.json";
const pkg = JSON.parse(readFileSync(path, "utf8")) as { contributes?: Record<string, unknown> };
pkg.contributes = {
  ...pkg.contributes,
  configuration: { title: "Self-Braking Reasoner", properties: configurationProperties() },
};
writeFileSync(path, JSON.stringify(pkg, null, 2) + "\n");
console.log(`package.json: ${Object.keys(configurationProperties()).length} settings written`);

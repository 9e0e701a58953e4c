// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";
import { builtinModules } from "node:module";

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/** Layer rules: imports only point down (see DESIGN.md). */
const noVscode = { name: "vscode", message: "Only src/extension may import vscode." };
const noLlama = { name: "node-llama-cpp", message: "Only src/engine may import node-llama-cpp." };

export default tseslint.config(
  { ignores: ["dist/**", "out/**", ".cache/**", "node_modules/**", "test-results/**", "bench-results/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      eqeqeq: ["error", "smart"],
    },
  },
  {
    files: ["src/core/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [noVscode, noLlama, ...nodeBuiltins.map((name) => ({ name, message: "src/core is pure TypeScript: pass values in, no Node built-ins." }))],
          patterns: [
            { group: ["**/engine/**", "**/extension/**", "**/webview/**", "**/cli/**"], message: "src/core may not import upper layers." },
            { group: ["@node-llama-cpp/*"], message: "Only src/engine may import node-llama-cpp." },
          ],
        },
      ],
    },
  },
  {
    files: ["src/engine/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [noVscode],
          patterns: [{ group: ["**/extension/**", "**/webview/**", "**/cli/**"], message: "src/engine may not import upper layers." }],
        },
      ],
    },
  },
  {
    files: ["src/webview/**/*.ts"],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [noVscode, noLlama, ...nodeBuiltins.map((name) => ({ name, message: "The webview runs in a browser." }))],
          patterns: [{ group: ["**/engine/**", "**/extension/**", "**/cli/**"], message: "The webview talks to the host only through src/protocol.ts." }],
        },
      ],
    },
  },
  {
    files: ["src/cli/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { paths: [noVscode], patterns: [{ group: ["**/extension/**", "**/webview/**"], message: "The CLI may not import the editor layers." }] },
      ],
    },
  },
  {
    files: ["src/extension/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { paths: [noLlama], patterns: [{ group: ["**/webview/**", "**/cli/**"], message: "src/extension talks to the webview through src/protocol.ts only." }] },
      ],
    },
  },
);

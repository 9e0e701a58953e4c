// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";
import { builtinModules } from "node:module";

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/** Layer rules: imports only point down (docs/ARCHITECTURE.md). */
const noVscode = { name: "vscode", message: "Only src/extension may import vscode." };
const noLlama = { name: "node-llama-cpp", message: "Only src/engine/process may import node-llama-cpp." };
/** Tooling (tests, harness, benchmarks, brake research) is never part of the product. */
const noTooling = { group: ["**/test/**", "**/lab/**", "**/bench/**", "**/scripts/**"], message: "src/ never imports tests, benchmarks, lab/ or scripts/." };
/** The process wall: the engine process (src/engine/process) is entered only through its entry point, forked as dist/engine.js. */
const noProcessFromOutside = {
  group: ["**/engine/process/**", "**/engine/process", "../process/**"],
  message: "Nothing imports the engine process (src/engine/process): it runs behind the process wall. Talk to it through src/engine/client; share types through src/engine/common.",
};

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
          patterns: [noTooling, 
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
          patterns: [noTooling, { group: ["**/extension/**", "**/webview/**", "**/cli/**"], message: "src/engine may not import upper layers." }, noProcessFromOutside],
        },
      ],
    },
  },
  {
    files: ["src/engine/common/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [noVscode, noLlama],
          patterns: [noTooling, 
            { group: ["**/engine/client/**", "**/engine/process/**", "../client/**", "../process/**", "**/extension/**", "**/webview/**", "**/cli/**"], message: "engine/common is the plain types, protocol and errors both sides of the process wall share: it imports neither side." },
            { group: ["@node-llama-cpp/*"], message: "Only src/engine/process may import node-llama-cpp." },
          ],
        },
      ],
    },
  },
  {
    files: ["src/engine/models/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [noVscode, noLlama],
          patterns: [noTooling, 
            { group: ["**/engine/client/**", "**/engine/process/**", "../client/**", "../process/**", "../../client/**", "../../process/**", "**/extension/**", "**/webview/**", "**/cli/**"], message: "engine/models (finding, describing and downloading model files) runs in the editor and the CLI without llama.cpp: it imports engine/common and core only." },
            { group: ["@node-llama-cpp/*"], message: "Only src/engine/process may import node-llama-cpp." },
          ],
        },
      ],
    },
  },
  {
    files: ["src/engine/client/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [noVscode, { name: "node-llama-cpp", message: "The engine client runs in the editor or CLI: node-llama-cpp lives behind the process wall (src/engine/process)." }],
          patterns: [noTooling, noProcessFromOutside, { group: ["**/extension/**", "**/webview/**", "**/cli/**"], message: "src/engine may not import upper layers." }],
        },
      ],
    },
  },
  {
    files: ["src/engine/process/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [noVscode],
          patterns: [noTooling, { group: ["**/engine/client/**", "../client/**", "**/extension/**", "**/webview/**", "**/cli/**"], message: "The engine process answers requests; it does not use the client or upper layers." }],
        },
      ],
    },
  },
  {
    files: ["src/scripted-model/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [noVscode, noLlama],
          patterns: [noTooling, { group: ["**/core/**", "**/engine/**", "**/extension/**", "**/webview/**", "**/cli/**"], message: "The scripted-model builder writes GGUF bytes from plain data: it depends on nothing of the project." }],
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
          patterns: [noTooling, { group: ["**/engine/**", "**/extension/**", "**/cli/**"], message: "The webview talks to the host only through src/protocol.ts." }],
        },
      ],
    },
  },
  {
    files: ["src/cli/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { paths: [noVscode, noLlama], patterns: [noTooling, { group: ["**/extension/**", "**/webview/**"], message: "The CLI may not import the editor layers." }, noProcessFromOutside] },
      ],
    },
  },
  {
    files: ["src/extension/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { paths: [noLlama], patterns: [noTooling, { group: ["**/webview/**", "**/cli/**"], message: "src/extension talks to the webview through src/protocol.ts only." }, noProcessFromOutside, { group: ["**/scripted-model/**"], message: "The editor does not build models." }] },
      ],
    },
  },
);

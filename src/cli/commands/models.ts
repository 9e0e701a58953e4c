/**
 * `self-braking models list|fit|download|remove`: the models on this machine and the catalogue,
 * each with its fit (local files through the engine's `fit` request; catalogue entries from their
 * size against the engine's `machine` state), downloads (resumable) and removal of downloads.
 */
import { lstat, realpath, rm } from "node:fs/promises";
import { homedir } from "node:os";
import { basename, dirname, relative, resolve, sep, isAbsolute } from "node:path";
import { parseArgs } from "node:util";
import { formatBytes } from "../../core/format";
import { EngineClient } from "../../engine/client/engineClient";
import { EngineError } from "../../engine/common/errors";
import { compareFits } from "../../engine/common/fit";
import type { FitEstimate, MachineState } from "../../engine/common/fit";
import type { FitOptions, GpuChoice } from "../../engine/common/types";
import { CATALOGUE } from "../../engine/models/catalogue";
import type { CatalogueEntry } from "../../engine/models/catalogue";
import { discoverModels } from "../../engine/models/discovery";
import type { DiscoveredModel, DiscoveryOptions } from "../../engine/models/discovery";
import { downloadModel, isDownloadError, PARTIAL_SUFFIX, SIDECAR_SUFFIX } from "../../engine/models/download";
import type { DownloadModelOptions, DownloadModelResult, DownloadProgress } from "../../engine/models/download";
import { modelFilesOf } from "../../engine/models/discovery/shardNames";
import { estimateFitFromSize } from "../../engine/models/fitFromSize";
import type { CliCommand, CliIo } from "../command";
import { CliUsageError } from "../command";
import { cacheFolder } from "../../engine/common/cacheFolder";
import { settingLimits, settingOption } from "../settingOptions";

/** Where `models download` puts models unless --dir says otherwise (and where `models remove` may delete). */
export const MODELS_DIR_ENV = "SELF_BRAKING_MODELS_DIR";

/** `$SELF_BRAKING_MODELS_DIR`, else `$XDG_CACHE_HOME/self-braking/models`, else `~/.cache/self-braking/models`. */
export function defaultModelsDir(env: Readonly<Record<string, string | undefined>>, home: string): string {
  return cacheFolder(env, home, MODELS_DIR_ENV, "models");
}

/** What the command needs from the engine (injectable for tests). */
export interface ModelsEngine {
  fit(modelPath: string, options: FitOptions): Promise<FitEstimate>;
  machine(gpu: GpuChoice): Promise<MachineState>;
  dispose(): Promise<void>;
}

export interface ModelsDeps {
  /** Started on first use; disposed when the command ends. */
  readonly engine: () => ModelsEngine;
  readonly discover: (options: DiscoveryOptions) => Promise<DiscoveredModel[]>;
  readonly catalogue: readonly CatalogueEntry[];
  readonly download: (options: DownloadModelOptions) => Promise<DownloadModelResult>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeDir: string;
  /** Stop (Ctrl-C) for a download: returns a function that stops listening. */
  readonly onInterrupt: (stop: () => void) => () => void;
}

const USAGE = `usage: self-braking models <list|fit|download|remove> [options]

  models list [--json]             models on this machine (LM Studio, Ollama, the Hugging Face
                                   cache, node-llama-cpp's folder, downloads) and the catalogue of
                                   recommended reasoning models, each with its fit, best first
  models fit PATH|hf:URI|ID [--json]
                                   whether a model fits: a local file from its header (through the
                                   engine), a catalogue entry (URI or id) from its size
  models download URI|ID [--dir DIR]
                                   download a GGUF (hf:<user>/<repo>/<file>.gguf, an http(s) URL,
                                   or a catalogue id); progress on stderr; run it again to resume
  models remove PATH --yes         delete a downloaded model (only inside the download folder)

options:
  --gpu NAME            ${settingLimits("model.gpu")}
  --context N|auto      context size the fit assumes (${settingLimits("model.contextSize")}; auto:
                        the model's trained size, at most 8192)
  --dir DIR             the download folder (default: $${MODELS_DIR_ENV}, else
                        $XDG_CACHE_HOME/self-braking/models, else ~/.cache/self-braking/models)
  --json                one JSON document on stdout

Fit verdicts: gpu (every layer on the GPU), partial, cpu (no layer on a GPU), none (does not fit
in memory); speed: fast (≥ 15 tokens/s), usable (≥ 4), slow — a rough class from the bytes read
per token, not a measurement.`;

const OPTIONS = {
  json: { type: "boolean", default: false },
  gpu: { type: "string" },
  context: { type: "string" },
  dir: { type: "string" },
  yes: { type: "boolean", default: false },
} as const;

interface Parsed {
  readonly action: string;
  readonly targets: readonly string[];
  readonly json: boolean;
  readonly fit: FitOptions;
  readonly dir: string;
  readonly yes: boolean;
}

function parse(args: readonly string[], deps: ModelsDeps): Parsed {
  const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, options: OPTIONS });
  const [action, ...targets] = positionals;
  if (action === undefined) throw new CliUsageError("give a subcommand: list, fit, download or remove (self-braking models --help)");
  if (values.dir !== undefined && values.dir.trim() === "") throw new CliUsageError("--dir needs a folder");
  return {
    action,
    targets,
    json: values.json === true,
    yes: values.yes === true,
    fit: {
      gpu: settingOption("--gpu", "model.gpu", values.gpu),
      contextSize: settingOption("--context", "model.contextSize", values.context),
    },
    dir: values.dir !== undefined ? resolve(values.dir) : defaultModelsDir(deps.env, deps.homeDir),
  };
}

// ---- list ----

export interface LocalModelRow {
  readonly path: string;
  readonly displayName: string;
  readonly source: DiscoveredModel["source"];
  readonly storeName: string | null;
  readonly sizeBytes: number;
  readonly facts: DiscoveredModel["facts"];
  /** Why it cannot be used as it is (from discovery), or why the engine could not estimate it. */
  readonly problem: string | null;
  readonly fit: FitEstimate | null;
}

export interface CatalogueRow {
  readonly id: string;
  readonly displayName: string;
  readonly uri: string;
  readonly sizeBytes: number;
  readonly quantisation: string;
  readonly parameters: number;
  readonly licence: string;
  readonly goodFor: string;
  /** The local file when this entry's GGUF is already on this machine. */
  readonly onDisk: string | null;
  readonly fit: FitEstimate;
}

/** Fits first (best first), then the ones without a fit; otherwise in the order given. */
function byFit<T extends { readonly fit: FitEstimate | null }>(rows: readonly T[]): T[] {
  return rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => {
      if (a.row.fit === null || b.row.fit === null) return (a.row.fit === null ? 1 : 0) - (b.row.fit === null ? 1 : 0) || a.index - b.index;
      return compareFits(a.row.fit, b.row.fit) || a.index - b.index;
    })
    .map(({ row }) => row);
}

async function localRows(models: readonly DiscoveredModel[], engine: ModelsEngine, fit: FitOptions): Promise<LocalModelRow[]> {
  const rows: LocalModelRow[] = [];
  for (const model of models) {
    const base = { path: model.path, displayName: model.displayName, source: model.source, storeName: model.storeName, sizeBytes: model.sizeBytes, facts: model.facts };
    if (model.problem !== null) {
      rows.push({ ...base, problem: model.problem, fit: null });
      continue;
    }
    try {
      rows.push({ ...base, problem: null, fit: await engine.fit(model.path, fit) });
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      rows.push({ ...base, problem: error.message, fit: null });
    }
  }
  return byFit(rows);
}

function catalogueRows(entries: readonly CatalogueEntry[], machine: MachineState, fit: FitOptions, local: readonly DiscoveredModel[]): CatalogueRow[] {
  const rows = entries.map((entry): CatalogueRow => {
    const onDisk = entry.file === null ? undefined : local.find((model) => model.problem === null && basename(model.path) === basename(entry.file as string));
    return {
      id: entry.id,
      displayName: entry.displayName,
      uri: entry.uri,
      sizeBytes: entry.sizeBytes,
      quantisation: entry.quantisation,
      parameters: entry.parameters,
      licence: entry.licence,
      goodFor: entry.goodFor,
      onDisk: onDisk?.path ?? null,
      fit: estimateFitFromSize(entry, machine, { contextSize: fit.contextSize }),
    };
  });
  return byFit(rows);
}

function badge(fit: FitEstimate | null): string {
  return fit === null ? "[?]" : `[${fit.verdict}${fit.verdict === "none" ? "" : `, ${fit.speedClass}`}]`;
}

function machineLine(machine: MachineState): string {
  const gpu = machine.gpu === null ? "no GPU" : `${machine.gpu.name}: ${formatBytes(machine.gpu.freeVramBytes)} of ${formatBytes(machine.gpu.totalVramBytes)} VRAM free${machine.gpu.software ? " (software renderer)" : ""}`;
  return `This machine: ${formatBytes(machine.freeRamBytes)} of ${formatBytes(machine.totalRamBytes)} RAM free; ${gpu}`;
}

async function list(parsed: Parsed, deps: ModelsDeps, io: CliIo, engine: () => ModelsEngine): Promise<number> {
  if (parsed.targets.length > 0) throw new CliUsageError(`list takes no arguments (got ${parsed.targets.join(" ")})`);
  const found = await deps.discover({ homeDir: deps.homeDir, env: deps.env, downloadFolders: [parsed.dir] });
  const machine = await engine().machine(parsed.fit.gpu);
  const local = await localRows(found, engine(), parsed.fit);
  const catalogue = catalogueRows(deps.catalogue, machine, parsed.fit, found);
  if (parsed.json) {
    io.stdout.write(`${JSON.stringify({ machine, settings: parsed.fit, downloadDir: parsed.dir, local, catalogue }, null, 2)}\n`);
    return 0;
  }
  const out: string[] = [machineLine(machine), "", `On this machine (${local.length}):`];
  if (local.length === 0) out.push("  none found (LM Studio, Ollama, the Hugging Face cache, node-llama-cpp's folder and the download folder were looked in)");
  for (const row of local) {
    out.push(`  ${badge(row.fit)} ${row.displayName} · ${formatBytes(row.sizeBytes)} · ${row.source}${row.storeName ? ` (${row.storeName})` : ""}`);
    out.push(`      ${row.path}`);
    out.push(`      ${row.fit?.reason ?? `cannot be used: ${row.problem ?? "unknown problem"}`}`);
  }
  out.push("", `Recommended to download (${catalogue.length}):`);
  for (const row of catalogue) {
    out.push(`  ${badge(row.fit)} ${row.displayName} (${row.id}) · ${formatBytes(row.sizeBytes)} · ${row.quantisation}${row.onDisk ? " · on this machine" : ""}`);
    out.push(`      ${row.goodFor}`);
    out.push(`      ${row.fit.reason}`);
  }
  out.push("", "Download one with: self-braking models download ID");
  io.stdout.write(out.join("\n") + "\n");
  return 0;
}

// ---- fit ----

function catalogueMatch(target: string, entries: readonly CatalogueEntry[]): CatalogueEntry | undefined {
  const lower = target.toLowerCase();
  return entries.find((entry) => entry.id === target || entry.uri.toLowerCase() === lower || (entry.file !== null && `hf:${entry.repo}/${entry.file}`.toLowerCase() === lower));
}

function looksLikeUri(target: string): boolean {
  return /^(hf|huggingface):/i.test(target) || /^https?:\/\//i.test(target);
}

async function fit(parsed: Parsed, deps: ModelsDeps, io: CliIo, engine: () => ModelsEngine): Promise<number> {
  const [target, ...rest] = parsed.targets;
  if (target === undefined || rest.length > 0) throw new CliUsageError("give one model: self-braking models fit PATH|hf:URI|ID");
  const entry = catalogueMatch(target, deps.catalogue);
  let estimate: FitEstimate;
  let what: string;
  if (entry !== undefined) {
    const machine = await engine().machine(parsed.fit.gpu);
    estimate = estimateFitFromSize(entry, machine, { contextSize: parsed.fit.contextSize });
    what = `${entry.displayName} (${entry.id}, ${formatBytes(entry.sizeBytes)}, estimated from its size)`;
  } else if (looksLikeUri(target)) {
    throw new CliUsageError(`${target} is not in the catalogue, so its size is unknown before it is downloaded. Download it (self-braking models download ${target}) and run models fit on the file, or see models list for the catalogue.`);
  } else {
    estimate = await engine().fit(resolve(target), parsed.fit);
    what = resolve(target);
  }
  if (parsed.json) io.stdout.write(`${JSON.stringify({ model: entry?.id ?? resolve(target), fit: estimate })}\n`);
  else io.stdout.write(`${badge(estimate)} ${what}\n${estimate.reason}\n`);
  return 0;
}

// ---- download ----

/** A catalogue id or URI as a source the downloader takes (the file's own hf: path when the catalogue knows it). */
function downloadSource(target: string, entries: readonly CatalogueEntry[]): { source: string; entry: CatalogueEntry | undefined } {
  const entry = catalogueMatch(target, entries);
  if (entry === undefined) return { source: target, entry };
  return { source: entry.file !== null ? `hf:${entry.repo}/${entry.file}` : entry.uri, entry };
}

function progressLine(p: DownloadProgress): string {
  const total = p.totalBytes === null ? "" : ` of ${formatBytes(p.totalBytes)} (${((p.receivedBytes / Math.max(1, p.totalBytes)) * 100).toFixed(1)} %)`;
  const speed = p.bytesPerSecond > 0 ? `, ${formatBytes(p.bytesPerSecond)}/s` : "";
  const left = p.secondsLeft === null ? "" : `, ${p.secondsLeft < 90 ? `${Math.ceil(p.secondsLeft)} s` : `${Math.ceil(p.secondsLeft / 60)} min`} left`;
  const part = p.part.count > 1 ? ` [part ${p.part.index}/${p.part.count}]` : "";
  return `${formatBytes(p.receivedBytes)}${total}${speed}${left}${part}`;
}

async function download(parsed: Parsed, deps: ModelsDeps, io: CliIo): Promise<number> {
  const [target, ...rest] = parsed.targets;
  if (target === undefined || rest.length > 0) throw new CliUsageError("give one model: self-braking models download URI|ID [--dir DIR]");
  const { source, entry } = downloadSource(target, deps.catalogue);
  const abort = new AbortController();
  const stopListening = deps.onInterrupt(() => abort.abort());
  let lastLine = 0;
  let shown = false;
  io.stderr.write(`Downloading ${entry ? `${entry.displayName} ` : ""}${source} into ${parsed.dir}\n`);
  try {
    const result = await deps.download({
      source,
      destinationDir: parsed.dir,
      signal: abort.signal,
      onNotice: (notice) => void io.stderr.write(`${shown && io.isTTY ? "\n" : ""}${notice.message}\n`),
      onProgress: (p) => {
        if (io.isTTY) {
          io.stderr.write(`\r${progressLine(p)}\x1b[K`);
          shown = true;
          return;
        }
        const now = Date.now();
        if (now - lastLine < 5000 && p.receivedBytes !== p.totalBytes) return;
        lastLine = now;
        io.stderr.write(`${progressLine(p)}\n`);
      },
    });
    if (shown) io.stderr.write("\n");
    const already = result.parts.every((part) => part.alreadyPresent);
    io.stderr.write(already ? `Already downloaded: ${result.path}\n` : `Downloaded ${formatBytes(result.bytes)}: ${result.path}\n`);
    if (parsed.json) io.stdout.write(`${JSON.stringify({ path: result.path, bytes: result.bytes, parts: result.parts, notices: result.notices })}\n`);
    else io.stdout.write(`${result.path}\n`);
    return 0;
  } catch (error) {
    if (shown) io.stderr.write("\n");
    if (isDownloadError(error)) {
      const resume = error.resumable ? ` Run the same command again to resume.` : "";
      io.stderr.write(`self-braking models download: ${error.message}${resume && !error.message.includes("resume") ? resume : ""}\n`);
      return error.code === "cancelled" ? 130 : 1;
    }
    throw error;
  } finally {
    stopListening();
  }
}

// ---- remove ----

function inside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel.length > 0 && !rel.startsWith("..") && !isAbsolute(rel) && !rel.split(sep).includes("..");
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

async function remove(parsed: Parsed, io: CliIo): Promise<number> {
  const [target, ...rest] = parsed.targets;
  if (target === undefined || rest.length > 0) throw new CliUsageError("give one model file: self-braking models remove PATH --yes");
  const dir = await realpath(parsed.dir).catch(() => null);
  if (dir === null) throw new CliUsageError(`the download folder ${parsed.dir} does not exist, so there is nothing to remove (only downloaded models can be removed)`);
  const given = resolve(target);
  const real = await realpath(given).catch(() => null);
  if (real === null) throw new CliUsageError(`${given} does not exist`);
  if (!inside(dir, real)) {
    throw new CliUsageError(`${given} is not in the download folder ${parsed.dir}: only models downloaded there are removed (delete other files yourself, or pass --dir)`);
  }
  if (!real.toLowerCase().endsWith(".gguf")) throw new CliUsageError(`${given} is not a .gguf file`);
  const files = modelFilesOf(real).expected.filter((path) => dirname(path) === dirname(real));
  const targets: string[] = [];
  for (const file of files) for (const path of [file, file + PARTIAL_SUFFIX, file + SIDECAR_SUFFIX]) if (await exists(path)) targets.push(path);
  if (!parsed.yes) {
    io.stderr.write(`This would delete:\n${targets.map((path) => `  ${path}`).join("\n")}\nRun again with --yes to delete.\n`);
    return 2;
  }
  for (const path of targets) await rm(path, { force: true });
  io.stdout.write(`Removed ${targets.length} file${targets.length === 1 ? "" : "s"}:\n${targets.map((path) => `  ${path}`).join("\n")}\n`);
  return 0;
}

// ---- the command ----

function defaultDeps(): ModelsDeps {
  return {
    engine: () => new EngineClient({ modelPath: "", gpu: "auto", gpuLayers: "auto", contextSize: "auto", threads: "auto" }, { idleUnloadMinutes: 0 }),
    discover: (options) => discoverModels(options),
    catalogue: CATALOGUE,
    download: (options) => downloadModel(options),
    env: process.env,
    homeDir: homedir(),
    onInterrupt: (stop) => {
      let count = 0;
      const handler = (): void => {
        count++;
        if (count === 1) stop();
        else process.exit(130);
      };
      process.on("SIGINT", handler);
      return () => process.off("SIGINT", handler);
    },
  };
}

export function createModelsCommand(overrides: Partial<ModelsDeps> = {}): CliCommand {
  return {
    name: "models",
    summary: "models on this machine and recommended ones, with their fit; download and remove them",
    usage: USAGE,
    async run(args: readonly string[], io: CliIo): Promise<number> {
      const deps: ModelsDeps = { ...defaultDeps(), ...overrides };
      const parsed = parse(args, deps);
      let engine: ModelsEngine | null = null;
      const getEngine = (): ModelsEngine => (engine ??= deps.engine());
      try {
        switch (parsed.action) {
          case "list":
            return await list(parsed, deps, io, getEngine);
          case "fit":
            return await fit(parsed, deps, io, getEngine);
          case "download":
            return await download(parsed, deps, io);
          case "remove":
            return await remove(parsed, io);
          default:
            throw new CliUsageError(`unknown subcommand "${parsed.action}": use list, fit, download or remove`);
        }
      } catch (error) {
        if (error instanceof EngineError) {
          io.stderr.write(`self-braking models ${parsed.action}: ${error.message}\n`);
          return 1;
        }
        throw error;
      } finally {
        await (engine as ModelsEngine | null)?.dispose();
      }
    },
  };
}

export const modelsCommand = createModelsCommand();

/**
 * The VS Code language id for a code fence's language ("py", "c++", "shell", "TypeScript"…),
 * used when a code block is opened as a new file. Pure: the caller passes the language ids this
 * VS Code knows (`vscode.languages.getLanguages()`) so that ids contributed by other extensions
 * (toml, kotlin…) work too; anything unknown opens as plain text.
 */

/** Fence spellings that differ from the VS Code language id. */
const ALIASES: Readonly<Record<string, string>> = {
  py: "python",
  py3: "python",
  python3: "python",
  gyp: "python",
  js: "javascript",
  mjs: "javascript",
  cjs: "javascript",
  node: "javascript",
  jsx: "javascriptreact",
  ts: "typescript",
  mts: "typescript",
  cts: "typescript",
  tsx: "typescriptreact",
  sh: "shellscript",
  bash: "shellscript",
  shell: "shellscript",
  zsh: "shellscript",
  ksh: "shellscript",
  console: "shellscript",
  "shell-session": "shellscript",
  ps: "powershell",
  ps1: "powershell",
  pwsh: "powershell",
  "c++": "cpp",
  cxx: "cpp",
  cc: "cpp",
  hpp: "cpp",
  hxx: "cpp",
  "h++": "cpp",
  h: "c",
  cuda: "cuda-cpp",
  cu: "cuda-cpp",
  cs: "csharp",
  "c#": "csharp",
  fs: "fsharp",
  "f#": "fsharp",
  yml: "yaml",
  md: "markdown",
  rs: "rust",
  golang: "go",
  rb: "ruby",
  pl: "perl",
  raku: "perl6",
  kt: "kotlin",
  kts: "kotlin",
  objc: "objective-c",
  "obj-c": "objective-c",
  objcpp: "objective-cpp",
  "objective-c++": "objective-cpp",
  docker: "dockerfile",
  make: "makefile",
  mk: "makefile",
  tex: "latex",
  cmd: "bat",
  batch: "bat",
  htm: "html",
  xhtml: "html",
  svg: "xml",
  xsd: "xml",
  json5: "jsonc",
  patch: "diff",
  cfg: "ini",
  conf: "ini",
  jl: "julia",
  clj: "clojure",
  coffee: "coffeescript",
  hbs: "handlebars",
  jade: "pug",
  cshtml: "razor",
  vbnet: "vb",
  rst: "restructuredtext",
  text: "plaintext",
  txt: "plaintext",
  plain: "plaintext",
  "": "plaintext",
};

/** Language ids every VS Code ships (1.100), for callers that cannot ask VS Code. */
export const BUILT_IN_LANGUAGE_IDS: ReadonlySet<string> = new Set([
  "bat", "bibtex", "c", "clojure", "coffeescript", "cpp", "csharp", "css", "cuda-cpp", "dart", "diff", "dockerfile",
  "fsharp", "go", "groovy", "handlebars", "hlsl", "html", "ini", "java", "javascript", "javascriptreact", "json",
  "jsonc", "julia", "latex", "less", "lua", "makefile", "markdown", "objective-c", "objective-cpp", "perl", "perl6",
  "php", "plaintext", "powershell", "pug", "python", "r", "razor", "restructuredtext", "ruby", "rust", "scss",
  "shellscript", "sql", "swift", "tex", "typescript", "typescriptreact", "vb", "xml", "xsl", "yaml",
]);

/**
 * The first word of a fence's info string, lower-cased: "Python", "ts title=a.ts", "js:app.js"
 * and "{.python}" give "python", "ts", "js" and "python".
 */
export function fenceLanguage(info: string): string {
  const word = info.trim().replace(/^\{\s*\.?/, "").split(/[\s{},:]/)[0] ?? "";
  return word.toLowerCase();
}

/**
 * The language id for a fence's language: its alias, or itself when VS Code knows it; otherwise
 * "plaintext". `known` is the set of language ids this VS Code has (default: the built-in ones).
 */
export function languageIdForFence(info: string, known: ReadonlySet<string> = BUILT_IN_LANGUAGE_IDS): string {
  const word = fenceLanguage(info);
  const candidate = ALIASES[word] ?? word;
  return known.has(candidate) || candidate === "plaintext" ? candidate : "plaintext";
}

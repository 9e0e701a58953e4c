import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import { fenceLanguage, languageIdForFence } from "../../../../src/extension/codeActions/languageIds";

describe("languageIdForFence", () => {
  it("maps the usual fence spellings to VS Code language ids", () => {
    const cases: [string, string][] = [
      ["py", "python"], ["python", "python"], ["js", "javascript"], ["ts", "typescript"], ["tsx", "typescriptreact"],
      ["sh", "shellscript"], ["bash", "shellscript"], ["shell", "shellscript"], ["c++", "cpp"], ["cxx", "cpp"],
      ["cs", "csharp"], ["c#", "csharp"], ["yml", "yaml"], ["md", "markdown"], ["rs", "rust"], ["golang", "go"],
      ["go", "go"], ["rb", "ruby"], ["ps1", "powershell"], ["json", "json"], ["html", "html"], ["sql", "sql"],
    ];
    for (const [fence, id] of cases) assert.equal(languageIdForFence(fence), id, fence);
  });

  it("ignores case, white space and what follows the language word", () => {
    assert.equal(languageIdForFence("  Python "), "python");
    assert.equal(languageIdForFence("ts title=app.ts"), "typescript");
    assert.equal(languageIdForFence("js:src/app.js"), "javascript");
    assert.equal(languageIdForFence("{.python}"), "python");
  });

  it("gives plaintext for an empty or unknown language", () => {
    assert.equal(languageIdForFence(""), "plaintext");
    assert.equal(languageIdForFence("klingon"), "plaintext");
    assert.equal(languageIdForFence("text"), "plaintext");
  });

  it("uses the ids VS Code knows when given them (languages of other extensions)", () => {
    assert.equal(languageIdForFence("toml"), "plaintext");
    assert.equal(languageIdForFence("toml", new Set(["toml"])), "toml");
    assert.equal(languageIdForFence("kt", new Set(["kotlin"])), "kotlin");
    assert.equal(languageIdForFence("py", new Set(["plaintext"])), "plaintext", "python is not there");
  });

  it("reads the language word of a fence's info string", () => {
    assert.equal(fenceLanguage("C++ {.numberLines}"), "c++");
    assert.equal(fenceLanguage(""), "");
  });
});

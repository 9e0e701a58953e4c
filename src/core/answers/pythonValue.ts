/**
 * Python values as `ast.literal_eval` builds them, and how Python compares them.
 *
 * Inside containers Python's `==` applies: numbers compare by value across bool, int, float and
 * complex (`[1] == [True] == [1.0]`), dict and set equality ignores order, a list never equals a
 * tuple. At the top level the CRUXEval judge adds `type(a) == type(b)` (`1` vs `1.0`, `True` vs
 * `1` differ): {@link outputKey}.
 *
 * Known deviation: strings are JavaScript strings, so `'\ud83d\ude00'` (two escaped surrogates)
 * equals `'😀'` here and not in Python.
 */

export type PythonValue =
  | { readonly type: "int"; readonly value: bigint }
  | { readonly type: "float"; readonly value: number }
  | { readonly type: "complex"; readonly real: number; readonly imag: number }
  | { readonly type: "bool"; readonly value: boolean }
  | { readonly type: "NoneType" }
  | { readonly type: "ellipsis" }
  | { readonly type: "str"; readonly value: string }
  /** Each char code is one byte (0–255). */
  | { readonly type: "bytes"; readonly value: string }
  | { readonly type: "list"; readonly items: readonly PythonValue[] }
  | { readonly type: "tuple"; readonly items: readonly PythonValue[] }
  | { readonly type: "set"; readonly items: readonly PythonValue[] }
  | { readonly type: "dict"; readonly entries: readonly (readonly [PythonValue, PythonValue])[] };

/** A float's value as a key: integral values (and ±inf) spelled like ints, so `1.0` meets `1`. */
function realKey(x: number): string {
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (Number.isNaN(x)) return "nan";
  return Number.isInteger(x) ? BigInt(x).toString() : String(x);
}

function numberKey(real: string, imag: number): string {
  return imag === 0 ? `n${real}` : `n${real}${imag < 0 ? "" : "+"}${realKey(imag)}j`;
}

/**
 * A string that two values share exactly when Python's `==` holds between them (no NaN can be
 * written as a literal, so `==` is an equivalence here). Dict and set members are sorted.
 */
export function pythonKey(v: PythonValue): string {
  switch (v.type) {
    case "int":
      return numberKey(v.value.toString(), 0);
    case "bool":
      return numberKey(v.value ? "1" : "0", 0);
    case "float":
      return numberKey(realKey(v.value), 0);
    case "complex":
      return numberKey(realKey(v.real), v.imag);
    case "NoneType":
      return "None";
    case "ellipsis":
      return "...";
    case "str":
      return `s${JSON.stringify(v.value)}`;
    case "bytes":
      return `b${JSON.stringify(v.value)}`;
    case "list":
      return `[${v.items.map(pythonKey).join(",")}]`;
    case "tuple":
      return `(${v.items.map(pythonKey).join(",")})`;
    case "set":
      return `{${v.items.map(pythonKey).sort().join(",")}}`;
    case "dict":
      return `{:${v.entries.map(([k, x]) => `${pythonKey(k)}:${pythonKey(x)}`).sort().join(",")}}`;
  }
}

/** Python's `a == b`. */
export function pythonEquals(a: PythonValue, b: PythonValue): boolean {
  return pythonKey(a) === pythonKey(b);
}

/** The judge's key: the top-level type, then {@link pythonKey} (`type(a) == type(b) and a == b`). */
export function outputKey(v: PythonValue): string {
  return `${v.type}:${pythonKey(v)}`;
}

/** The judge's rule: `type(a) == type(b) and a == b`. */
export function sameOutputValue(a: PythonValue, b: PythonValue): boolean {
  return outputKey(a) === outputKey(b);
}

/** Whether Python can hash the value (a dict key or set member): no list, dict or set inside. */
export function isHashable(v: PythonValue): boolean {
  if (v.type === "list" || v.type === "dict" || v.type === "set") return false;
  return v.type !== "tuple" || v.items.every(isHashable);
}

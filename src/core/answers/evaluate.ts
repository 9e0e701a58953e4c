/**
 * Evaluates a constant LaTeX-ish expression (numbers, + − × ÷ ^, \frac, \sqrt, \pi, brackets,
 * implicit products like `2\sqrt{3}`) to a number, or null when it has variables or is not
 * an expression. Input is expected to be normalised (no spaces, see normalizeMath).
 */

class Parser {
  private pos = 0;
  constructor(
    private readonly s: string,
    private readonly vars: ReadonlyMap<string, number>,
  ) {}

  parse(): number | null {
    const v = this.expr();
    return v !== null && this.pos === this.s.length && Number.isFinite(v) ? v : null;
  }

  private peek(word: string): boolean {
    return this.s.startsWith(word, this.pos);
  }

  private eat(word: string): boolean {
    if (!this.peek(word)) return false;
    this.pos += word.length;
    return true;
  }

  private expr(): number | null {
    let v = this.term();
    while (v !== null) {
      if (this.eat("+")) {
        const r = this.term();
        v = r === null ? null : v + r;
      } else if (this.eat("-")) {
        const r = this.term();
        v = r === null ? null : v - r;
      } else break;
    }
    return v;
  }

  private term(): number | null {
    let v = this.unary();
    while (v !== null) {
      if (this.eat("*") || this.eat("\\cdot") || this.eat("\\times")) {
        const r = this.unary();
        v = r === null ? null : v * r;
      } else if (this.eat("/") || this.eat("\\div")) {
        const r = this.unary();
        v = r === null || r === 0 ? null : v / r;
      } else if (this.startsPrimary()) {
        const r = this.power();
        v = r === null ? null : v * r;
      } else break;
    }
    return v;
  }

  private unary(): number | null {
    if (this.eat("-")) {
      const v = this.unary();
      return v === null ? null : -v;
    }
    if (this.eat("+")) return this.unary();
    return this.power();
  }

  private power(): number | null {
    const base = this.primary();
    if (base === null) return null;
    if (this.eat("^")) {
      const e = this.peek("{") ? this.group("{", "}") : this.primary();
      return e === null ? null : Math.pow(base, e);
    }
    return base;
  }

  private startsPrimary(): boolean {
    const c = this.s[this.pos];
    return c !== undefined && (/[\d.({a-z]/.test(c) || this.peek("\\frac") || this.peek("\\sqrt") || this.peek("\\pi"));
  }

  private group(open: string, close: string): number | null {
    if (!this.eat(open)) return null;
    const v = this.expr();
    return v !== null && this.eat(close) ? v : null;
  }

  private primary(): number | null {
    const rest = this.s.slice(this.pos);
    const num = /^(?:\d+(?:\.\d*)?|\.\d+)/.exec(rest);
    if (num) {
      this.pos += num[0].length;
      return Number(num[0]);
    }
    if (this.peek("(")) return this.group("(", ")");
    if (this.peek("{")) return this.group("{", "}");
    if (this.eat("\\pi")) return Math.PI;
    const c = this.s[this.pos];
    if (c !== undefined && /[a-z]/.test(c)) {
      const v = this.vars.get(c);
      if (v === undefined) return null;
      this.pos++;
      return v;
    }
    if (this.eat("\\frac")) {
      const a = this.group("{", "}");
      const b = a === null ? null : this.group("{", "}");
      return a === null || b === null || b === 0 ? null : a / b;
    }
    if (this.eat("\\sqrt")) {
      let degree = 2;
      if (this.peek("[")) {
        const d = this.group("[", "]");
        if (d === null) return null;
        degree = d;
      }
      const v = this.peek("{") ? this.group("{", "}") : this.primary();
      return v === null || v < 0 ? null : Math.pow(v, 1 / degree);
    }
    return null;
  }
}

const NO_VARIABLES: ReadonlyMap<string, number> = new Map();

export function evaluateConstant(normalised: string): number | null {
  if (normalised.length === 0 || normalised.length > 200) return null;
  return new Parser(normalised, NO_VARIABLES).parse();
}

/** Single-letter variables of a normalised expression (letters not part of a `\command`). */
export function variablesOf(normalised: string): string[] {
  const found = new Set<string>();
  const bare = normalised.replace(/\\[a-z]+/g, " ");
  for (const c of bare) if (c >= "a" && c <= "z") found.add(c);
  return [...found].sort();
}

const SAMPLE_POINTS = [1.37, 2.71, -0.59, 0.43];

/**
 * Values of the expression at a few fixed points for its variables (the same points for the
 * same variable names), or null if it cannot be evaluated. Two expressions with the same
 * values at all points are taken as equal (a cheap stand-in for symbolic simplification).
 */
export function sampleValues(normalised: string, variables: readonly string[]): number[] | null {
  if (normalised.length === 0 || normalised.length > 200 || variables.length > 3) return null;
  const values: number[] = [];
  for (let k = 0; k < SAMPLE_POINTS.length; k++) {
    const vars = new Map<string, number>();
    variables.forEach((v, i) => vars.set(v, SAMPLE_POINTS[(k + i) % SAMPLE_POINTS.length] ?? 1));
    const value = new Parser(normalised, vars).parse();
    if (value === null) return null;
    values.push(value);
  }
  return values;
}

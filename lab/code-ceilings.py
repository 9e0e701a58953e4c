"""The code judge's oracle against what an honest brake could reach, per dataset and model.

    python3 lab/code-ceilings.py [TRACES.jsonl] [PER_TRACE.jsonl]

judge_code.py's oracle cuts right after the first step holding the final code or the gold output.
This prints, next to it, (1) the oracle with judge.py's rule for values given in the question (a
gold output the question already contains counts only in a step that states it as a result, not
where the model restates the input), and (2) the verified ceiling as judge.py defines it for math:
on traces that were right, right after the *second* such step (the answer found, then checked once;
for code, the final code written out in full a second time). With a per-trace file from
`self-braking replay --per-trace`, the brake's cut on right traces as a share of that ceiling.
Numbers only, never trace text.
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
JUDGE = os.path.join(HERE, "..", "..", "shared", "eval", "judge")
sys.path.insert(0, JUDGE)
from codecheck import code_hits, nows  # noqa: E402

CODE = {"codegen", "code_infill"}
RESULT = re.compile(r"\b(?:return|returns|returned|output|outputs|result|answer|prints?|==)\b|==", re.I)


def split(trace):
    t = trace.split("<think>", 1)[-1]
    th, _, rest = t.partition("</think>")
    return th, rest.strip()


def gold_forms(gold):
    import ast
    forms = {nows(gold)}
    try:
        forms.add(nows(repr(ast.literal_eval(gold.strip()))))
    except Exception:
        pass
    return {f for f in forms if f}


def step_end_after(th, pos):
    k = th.find("\n\n", pos)
    return len(th) if k < 0 else k + 2


def code_cut(r, th, nth):
    code = r.get("finalCode") or split(r["trace"])[1]
    if not code or not code.strip():
        return 0
    offset = 0
    for _ in range(nth):
        hits = code_hits(th[offset:], code, python=True)
        ends = [v[1] for v in hits.values() if v]
        if not ends:
            return 0
        offset = step_end_after(th, offset + min(ends))
    return max(0, len(th) - offset)


def output_cut(r, th, nth, in_problem_rule):
    forms = gold_forms(str(r["answer"]))
    given = any(f in nows(r.get("problem") or "") for f in forms)
    pos = hits = 0
    for st in th.split("\n\n"):
        pos += len(st) + 2
        flat = nows(st)
        if any(f in flat for f in forms) and (not (in_problem_rule and given) or RESULT.search(st)):
            hits += 1
            if hits == nth:
                return max(0, len(th) - pos)
    return 0


def main():
    traces = sys.argv[1] if len(sys.argv) > 1 else os.path.join(JUDGE, "..", "traces-dev-code.jsonl")
    per = {}
    if len(sys.argv) > 2:
        for line in open(sys.argv[2]):
            if line.strip():
                d = json.loads(line)
                per[d["id"]] = d
    groups = {}
    for line in open(traces):
        if not line.strip():
            continue
        r = json.loads(line)
        th, _ = split(r["trace"])
        ds = r["dataset"]
        if ds in CODE:
            oracle = fair = code_cut(r, th, 1)
            verified = code_cut(r, th, 2) if r["correct"] else 0
        else:
            oracle = output_cut(r, th, 1, False)
            fair = output_cut(r, th, 1, True)
            verified = output_cut(r, th, 2, True) if r["correct"] else 0
        d = per.get(r["id"], {})
        at = d.get("brakeAt")
        cut = len(th) - at if d.get("braked") and at is not None and 0 <= at < len(th) else 0
        for key in (ds, f"{ds} · {r['model'].split('/')[-1]}", "ALL"):
            g = groups.setdefault(key, [0, 0, 0, 0, 0, 0, 0, 0])
            g[0] += 1; g[1] += len(th); g[2] += oracle; g[3] += fair; g[4] += cut
            if r["correct"]:
                g[5] += len(th); g[6] += verified; g[7] += cut
    print("group: n · oracle (judge) · oracle, given values as results · brake cut [captured of each] · "
          "right traces: verified ceiling · brake [share of ceiling]")
    for key in sorted(groups, key=lambda k: (k == "ALL", k)):
        n, t, o, f, c, rt, v, rc = groups[key]
        pct = lambda a, b: 100 * a / b if b else 0.0
        print(f"  {key}: n {n} · oracle {pct(o, t):.1f}% · fair {pct(f, t):.1f}% · cut {pct(c, t):.1f}% "
              f"[{pct(c, o):.0f}% / {pct(c, f):.0f}%] · right: verified {pct(v, rt):.1f}% · cut {pct(rc, rt):.1f}% "
              f"[{pct(rc, v):.0f}%]")


main()

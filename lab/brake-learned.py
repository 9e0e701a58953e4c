#!/usr/bin/env python3
"""Can a learned step classifier brake earlier than the hand-written rules without losing accuracy?

usage: python3 lab/brake-learned.py DEV_STEPS.jsonl LONG_STEPS.jsonl
       (the files come from `npx tsx lab/brake-steps.ts TRACES.jsonl OUT.jsonl`; needs numpy
       and scikit-learn: `pip install numpy scikit-learn`. Analysis only, nothing here ships.)

At every step where the detector holds an answer, the label is "braking here would be harmful":
the trace was right and the anchored answer is not gold (braking a wrong trace costs nothing).
A classifier on the detector's evidence and simple text features predicts it, leave one model
out: every model's steps are scored by a classifier trained on the other nine. The learned rule
brakes at the first step whose predicted harm is below a bound, on top of the default brake or
instead of it, optionally only once the anchor was restated. Output: judge-style cells per file
and model half (accuracy change in points / thinking cut / % of the oracle's saving captured,
h = harmful, b = beneficial flips). Numbers only.
"""
import json
import sys
from collections import Counter, defaultdict

import numpy as np
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

HALF_A = {"DeepSeek-R1-Distill-Qwen-1.5B", "Qwen3-32B", "grok-3-mini-think", "qwen3-30b-a3b-think", "DeepHermes-3-Mistral-24B-Pre"}
KINDS = ["result", "claim", "conclusion", "phrase", "boxed"]


def features(trace, s):
    return [
        s["conf"], s["conf"] - s["req"], float(s["expl"]), s["rev"], s["dist"], s["astep"] / max(1, s["step"]),
        s["step"] - s["astep"], np.log1p(s["tok"]), s["kappa"] * 10, (s["chk"] or 0) * 10,
        s["rep"], s["rep8"], s["repcum"], s["reread"], s["quotes"],
        float(trace["dataset"] == "mmlu_pro_options"), float(trace["dataset"] in ("math500", "aime")),
    ] + [float(s["kind"] == k) for k in KINDS]


def judge(traces, brake_step, on_top):
    """brake_step(trace, i) -> bool; returns cells per group."""
    agg = defaultdict(Counter)
    for t in traces:
        pos = t["base"] if on_top else None
        right = t["baseRight"] if on_top else t["correct"]
        for i, s in enumerate(t["steps"]):
            if (pos is not None and s["end"] >= pos) or s["end"] >= t["L"]:
                break
            if brake_step(t, i):
                pos, right = s["end"], s["gold"]
                break
        cut = t["L"] - pos if pos is not None and pos < t["L"] else 0
        for k in ("all", "A" if t["model"] in HALF_A else "B"):
            a = agg[k]
            a["n"] += 1; a["L"] += t["L"]; a["cut"] += cut; a["oracle"] += t["oracleCut"]
            a["base"] += t["correct"]; a["acc"] += right
            a["h"] += t["correct"] and not right; a["b"] += right and not t["correct"]
    return agg


def cells(agg):
    out = []
    for k in ("all", "A", "B"):
        a = agg[k]
        out.append(f"{k} {100 * (a['acc'] - a['base']) / a['n']:+.1f}/{a['cut'] / a['L']:.1%}/{a['cut'] / max(1, a['oracle']):.0%} h{a['h']}b{a['b']}")
    return " · ".join(out)


def main():
    files = {name: [json.loads(l) for l in open(path) if l.strip()] for name, path in zip(("dev", "long"), sys.argv[1:3])}
    traces = [t for ts in files.values() for t in ts]
    classifiers = {
        "boosted trees": lambda: GradientBoostingClassifier(n_estimators=150, max_depth=3, learning_rate=0.05, subsample=0.8, random_state=0),
        "logistic": lambda: make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)),
    }
    for restated in (False, True):
        rows = [(ti, i) for ti, t in enumerate(traces) for i, s in enumerate(t["steps"])
                if s["ans"] is not None and s["end"] < t["L"] and (not restated or s["conf"] >= 1)]
        X = np.array([features(traces[ti], traces[ti]["steps"][i]) for ti, i in rows])
        y = np.array([int(traces[ti]["correct"] and not traces[ti]["steps"][i]["gold"]) for ti, i in rows])
        models = np.array([traces[ti]["model"] for ti, _ in rows])
        for cname, make in classifiers.items():
            p = np.zeros(len(rows))
            for m in sorted(set(models)):
                held = models == m
                clf = make().fit(X[~held], y[~held])
                p[held] = clf.predict_proba(X[held])[:, 1]
            harm = {row: v for row, v in zip(rows, p)}
            index = {id(t): ti for ti, t in enumerate(traces)}
            for on_top in (True, False):
                print(f"\n{cname}, {'restated anchors only, ' if restated else ''}{'on top of the default brake' if on_top else 'alone'}")
                for bound in (0.005, 0.01, 0.02, 0.03, 0.05, 0.1):
                    rule = lambda t, i: harm.get((index[id(t)], i), 1.0) < bound
                    line = "   ".join(f"{name}: {cells(judge(ts, rule, on_top))}" for name, ts in files.items())
                    print(f"  harm < {bound:<5}  {line}")
    print("\ndefault brake   " + "   ".join(f"{name}: {cells(judge(ts, lambda t, i: False, True))}" for name, ts in files.items()))


if __name__ == "__main__":
    main()

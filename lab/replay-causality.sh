#!/usr/bin/env bash
# Causality check wrapper for ../shared/eval/judge/judge.py --causality-cmd:
# called as `replay-causality.sh IN.jsonl OUT.jsonl`, writes the per-trace brake decisions.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
in="$(realpath "$1")"
out="$(realpath -m "$2")"
cd "$root"
if [[ -f dist/cli.js && "${SELF_BRAKING_USE_DIST:-0}" == "1" ]]; then
  node dist/cli.js replay "$in" --per-trace "$out" >/dev/null
else
  node --import tsx src/cli/main.ts replay "$in" --per-trace "$out" >/dev/null
fi

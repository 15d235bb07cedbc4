"""Run every benchmarks/bench_*.py module's main() in turn.

`python -m benchmarks bench_scan` (or `scan`) runs just that one; options after the names go to
it (`python -m benchmarks adversarial --budget small`).
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path


def main() -> int:
    names = sorted(p.stem for p in Path(__file__).parent.glob("bench_*.py"))
    args = sys.argv[1:]
    split = next((i for i, a in enumerate(args) if a.startswith("-")), len(args))
    only = {a if a.startswith("bench_") else f"bench_{a}" for a in args[:split]}
    options = args[split:]
    status = 0
    for name in names:
        if only and name not in only:
            continue
        print(f"== {name}", flush=True)
        module = importlib.import_module(f"benchmarks.{name}")
        result = module.main(options) if options else module.main()
        status = status or (result if isinstance(result, int) else 0)
    return status


if __name__ == "__main__":
    raise SystemExit(main())

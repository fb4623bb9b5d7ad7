"""Run every benchmark, print their tables and write them to docs/benchmarks.md.

python bench/run.py                 # everything (builds and caches the million once)
python bench/run.py --quick         # small sizes, no million (CI's smoke test)
python bench/run.py --only e2e      # one part: e2e, matching, import, memory, profile
python bench/run.py --no-write      # print only
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import e2e, import_bench, matching_scale, memory_startup, profile_bot
from bench.common import DOC, HEADER, PROJECT, Section, machine, write_section

PARTS: dict[str, Callable[[bool], Section]] = {
    "e2e": lambda quick: e2e.run(quick),
    "matching": lambda quick: matching_scale.run(quick, write_plot=not NO_WRITE),
    "import": lambda quick: import_bench.run(quick),
    "memory": lambda quick: memory_startup.run(quick),
    "profile": lambda quick: profile_bot.run(quick, None if quick else ["off", "auto"]),
}
NO_WRITE = False


def main(argv: list[str] | None = None) -> int:
    global NO_WRITE
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, no million")
    parser.add_argument("--no-write", action="store_true", help="print, do not write docs/")
    parser.add_argument("--only", action="append", choices=sorted(PARTS), help="run only these")
    args = parser.parse_args(argv)
    NO_WRITE = args.no_write
    command = "python bench/run.py" + (f" {' '.join(argv if argv is not None else sys.argv[1:])}")
    os.chdir(PROJECT)
    print(f"{machine()}\n", flush=True)
    if not args.no_write and not DOC.exists():
        DOC.parent.mkdir(parents=True, exist_ok=True)
        DOC.write_text(HEADER, encoding="utf-8")
    for name in args.only or list(PARTS):
        print(f"running {name}...", file=sys.stderr, flush=True)
        started = time.perf_counter()
        section = PARTS[name](args.quick)
        section.seconds = section.seconds or time.perf_counter() - started
        section.print()
        if not args.no_write:
            write_section(section, command.strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())

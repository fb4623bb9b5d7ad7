"""Run every benchmark, print their tables and write them to docs/benchmarks.md.

From the project's folder:

python -m bench.run                 # everything (builds and caches the million once)
python -m bench.run --quick         # small sizes, no million (CI's smoke test)
python -m bench.run --only e2e      # one part: e2e, faults, matching, import, memory, profile
python -m bench.run --no-write      # print only
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable

from bench import e2e, faults, import_bench, matching_scale, memory_startup, profile_bot
from bench.common import DOC, HEADER, PROJECT, Section, machine, write_section

# Each part from (quick, write): `write` is False with --no-write (no plot either).
PARTS: dict[str, Callable[[bool, bool], Section]] = {
    "e2e": lambda quick, write: e2e.run(quick),
    "faults": lambda quick, write: faults.run(quick),
    "matching": lambda quick, write: matching_scale.run(quick, write_plot=write),
    "import": lambda quick, write: import_bench.run(quick),
    "memory": lambda quick, write: memory_startup.run(quick),
    "profile": lambda quick, write: profile_bot.run(quick, None if quick else ["off", "auto"]),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, no million")
    parser.add_argument("--no-write", action="store_true", help="print, do not write docs/")
    parser.add_argument("--only", action="append", choices=sorted(PARTS), help="run only these")
    args = parser.parse_args(argv)
    command = " ".join(["python -m bench.run", *(sys.argv[1:] if argv is None else argv)])
    os.chdir(PROJECT)
    print(f"{machine()}\n", flush=True)
    if not args.no_write and not DOC.exists():
        DOC.parent.mkdir(parents=True, exist_ok=True)
        DOC.write_text(HEADER, encoding="utf-8")
    for name in args.only or list(PARTS):
        print(f"running {name}...", file=sys.stderr, flush=True)
        started = time.perf_counter()
        section = PARTS[name](args.quick, not args.no_write)
        section.seconds = section.seconds or time.perf_counter() - started
        section.print()
        if not args.no_write:
            write_section(section, command)
    return 0


if __name__ == "__main__":
    sys.exit(main())

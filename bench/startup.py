"""Command-line start-up time and the daemon's idle memory.

Run from the project root:

    .venv/bin/python bench/startup.py [--rounds N]

It prints:

- for `watcher --help`, `watcher extract --help`, `watcher config show` and `watcher rules
  check` (none of them opens the database): the median wall time of the whole process over
  N rounds, each round running `python -c pass` (the interpreter's own start-up, the
  baseline) and then every command once, alternated so that a busy machine slows all of them
  alike; the median of each round's difference to the baseline; and the median CPU time
  (user + system) of each process, which a busy machine inflates far less than the wall
  time. Target: under 0.3 s for `--help` and the commands that do not touch the database;
- the resident memory (VmRSS) of a fresh interpreter after `import watcher.daemon`, and after
  building the daemon (its pipeline on an empty SQLite database, no sources), against a bare
  interpreter; and whether matplotlib was loaded by then (it should be only once a digest is
  drawn).

The commands run in a scratch folder with the project's rules and companies and a SQLite
file there; settings from the environment (WATCHER_*) are left out. Exit status is 0 whatever
the numbers say; read the lines.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
WATCHER = str(Path(PYTHON).parent / "watcher")
TARGET_SECONDS = 0.3
COMMANDS = {
    "watcher --help": [WATCHER, "--help"],
    "watcher extract --help": [WATCHER, "extract", "--help"],
    "watcher config show": [WATCHER, "config", "show"],
    "watcher rules check": [WATCHER, "rules", "check"],
}
BASELINE = "python -c pass"

MEMORY_SCRIPT = """
import json, sys
def rss_mb():
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmRSS"))
    return int(line.split()[1]) / 1024
stage = sys.argv[1]
if stage != "bare":
    import watcher.daemon
if stage == "daemon":
    from watcher.settings import load_settings
    daemon = watcher.daemon.Daemon(load_settings())
print(json.dumps({"rss_mb": rss_mb(), "matplotlib": "matplotlib" in sys.modules}))
"""


def environment(scratch: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WATCHER_")}
    # The warm-up writes the .pyc files an installed package has; with this set, every process
    # would compile each module changed since they were last written.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    feeds = scratch / "feeds.yaml"
    feeds.write_text("sources: []\n")
    env.update(
        WATCHER_DATABASE__URL=f"sqlite:///{scratch / 'watcher.db'}",
        WATCHER_RULES__DIR=str(ROOT / "rules"),
        WATCHER_COMPANIES__FILE=str(ROOT / "config" / "companies.yaml"),
        WATCHER_SOURCES__FILE=str(feeds),
        WATCHER_HTTP__PORT="0",
    )
    return env


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_timed(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one whole process."""
    cpu, started = children_cpu(), time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, timeout=120)
    elapsed, cpu = time.perf_counter() - started, children_cpu() - cpu
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{done.stderr.decode()}")
    return elapsed, cpu


Timings = dict[str, list[tuple[float, float]]]


def startup_times(rounds: int, cwd: Path, env: dict[str, str]) -> Timings:
    """(wall, CPU) times per command, the baseline first in every round."""
    times: Timings = {BASELINE: [], **{name: [] for name in COMMANDS}}
    for argv in COMMANDS.values():  # one warm-up each: .pyc files, the page cache
        run_timed(argv, cwd, env)
    for _ in range(rounds):
        times[BASELINE].append(run_timed([PYTHON, "-c", "pass"], cwd, env))
        for name, argv in COMMANDS.items():
            times[name].append(run_timed(argv, cwd, env))
    return times


def memory(stage: str, cwd: Path, env: dict[str, str]) -> dict[str, object]:
    done = subprocess.run(
        [PYTHON, "-c", MEMORY_SCRIPT, stage],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        raise SystemExit(f"memory ({stage}) failed:\n{done.stderr}")
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def report_times(times: Timings) -> None:
    baseline = [wall for wall, _ in times[BASELINE]]
    print(f"start-up, whole process, median of {len(baseline)} alternated rounds")
    print(f"  {'':<26} {'wall':>7}  {'over baseline':>13}  {'cpu':>7}")
    for name in (BASELINE, *COMMANDS):
        walls = [wall for wall, _ in times[name]]
        median = statistics.median(walls)
        extra = statistics.median(t - b for t, b in zip(walls, baseline, strict=True))
        cpu = statistics.median(cpu for _, cpu in times[name])
        verdict = "" if name == BASELINE else "  ok" if median < TARGET_SECONDS else "  over 0.3 s"
        print(f"  {name:<26} {median:6.3f}s  {extra:+12.3f}s  {cpu:6.3f}s{verdict}")


def report_memory(cwd: Path, env: dict[str, str]) -> None:
    print("resident memory (VmRSS) of a fresh interpreter")
    bare = memory("bare", cwd, env)
    print(f"  {'bare python':<26} {bare['rss_mb']:6.1f} MB")
    for stage, label in (("import", "import watcher.daemon"), ("daemon", "Daemon(settings) built")):
        found = memory(stage, cwd, env)
        loaded = "matplotlib loaded" if found["matplotlib"] else "no matplotlib"
        print(f"  {label:<26} {found['rss_mb']:6.1f} MB  ({loaded})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        env = environment(scratch)
        report_times(startup_times(args.rounds, scratch, env))
        report_memory(scratch, env)


if __name__ == "__main__":
    main()

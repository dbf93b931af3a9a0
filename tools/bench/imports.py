"""Import figures.

The target: the whole `manage.py import_programs FILE` process (start-up,
checks, the import, its history and its run record) into a fresh database ÷ a
process that only runs `openpyxl.load_workbook(FILE)` (its own start-up
included), pair by pair. For reference, in-process: the import ÷ openpyxl's
fastest read (read-only, every value), re-import ÷ import, and the memory both
need. Each run in a fresh interpreter."""

from __future__ import annotations

from pathlib import Path

from tools import server
from tools.bench.common import IMPORT_ROUNDS, OUT, ROUNDS, median
from tools.bench.databases import Databases, timed, worker

OPENPYXL_LOAD = "import sys, openpyxl; openpyxl.load_workbook(sys.argv[1])"


def measure_import(dbs: Databases, sheet: Path) -> dict:
    return {**measure_processes(dbs, sheet), **measure_in_process(dbs, sheet)}


def measure_processes(dbs: Databases, sheet: Path) -> dict:
    """Whole processes, as an operator runs them, with the production settings."""
    env = {
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        # Compiled bytecode, as an installed site has it, kept apart from the tree;
        # the untimed first pair writes it.
        "PYTHONPYCACHEPREFIX": str(OUT / "pycache"),
        "PYTHONDONTWRITEBYTECODE": "",
    }
    load = [server.PYTHON, "-c", OPENPYXL_LOAD, str(sheet)]
    command = [server.PYTHON, "manage.py", "import_programs", str(sheet)]
    timed(load, dbs.template, **env)
    timed(command, dbs.copy("import-warm-up"), **env)
    pairs = []
    for n in range(IMPORT_ROUNDS):
        database = dbs.copy(f"import-process{n}")
        if n % 2 == 0:  # alternate which goes first, so a drifting load favours neither
            openpyxl_s = timed(load, dbs.template, **env)
            import_s = timed(command, database, **env)
        else:
            import_s = timed(command, database, **env)
            openpyxl_s = timed(load, dbs.template, **env)
        pairs.append((openpyxl_s, import_s))
    return process_figures(pairs)


def process_figures(pairs: list[tuple[float, float]]) -> dict:
    """Medians of (openpyxl seconds, import seconds) pairs, and of their ratios."""
    return {
        "openpyxl_process_s": median(openpyxl for openpyxl, _ in pairs),
        "import_process_s": median(imported for _, imported in pairs),
        "process_ratio": median(imported / openpyxl for openpyxl, imported in pairs),
        "process_runs": len(pairs),
    }


def measure_in_process(dbs: Databases, sheet: Path) -> dict:
    rounds = []
    for n in range(ROUNDS):
        baseline = worker(dbs.template, "openpyxl", str(sheet))
        imported = worker(dbs.copy(f"import{n}"), "import", str(sheet))
        rounds.append((baseline, imported))
    traced_openpyxl = worker(dbs.template, "openpyxl", str(sheet), "--trace")
    traced_import = worker(dbs.copy("import-traced"), "import", str(sheet), "--trace")
    return {
        "file_mb": sheet.stat().st_size / 2**20,
        "programs": rounds[0][1]["programs"],
        "openpyxl_s": median(b["seconds"] for b, _ in rounds),
        "import_s": median(i["seconds"] for _, i in rounds),
        "reimport_s": median(i["reimport_seconds"] for _, i in rounds),
        "import_ratio": median(i["seconds"] / b["seconds"] for b, i in rounds),
        "reimport_ratio": median(i["reimport_seconds"] / i["seconds"] for _, i in rounds),
        "import_peak_mb": traced_import["traced_peak_mb"],
        "openpyxl_peak_mb": traced_openpyxl["traced_peak_mb"],
        "import_rss_mb": median(i["rss_growth_mb"] for _, i in rounds),
        "openpyxl_rss_mb": median(b["rss_growth_mb"] for b, _ in rounds),
        "report": rounds[0][1]["report"],
    }

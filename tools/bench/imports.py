"""Import figures: import_programs ÷ openpyxl reading the same file, re-import ÷
import, and the memory both need. Each run in a fresh interpreter."""

from __future__ import annotations

from pathlib import Path

from tools.bench.common import ROUNDS, median
from tools.bench.databases import Databases, worker


def measure_import(dbs: Databases, sheet: Path) -> dict:
    rounds = []
    full_loads = []
    for n in range(ROUNDS):
        baseline = worker(dbs.template, "openpyxl", str(sheet))
        imported = worker(dbs.copy(f"import{n}"), "import", str(sheet))
        full_loads.append(worker(dbs.template, "openpyxl", str(sheet), "--full"))
        rounds.append((baseline, imported))
    traced_openpyxl = worker(dbs.template, "openpyxl", str(sheet), "--trace")
    traced_import = worker(dbs.copy("import-traced"), "import", str(sheet), "--trace")
    size_mb = sheet.stat().st_size / 2**20
    return {
        "file_mb": size_mb,
        "programs": rounds[0][1]["programs"],
        "openpyxl_s": median(b["seconds"] for b, _ in rounds),
        "openpyxl_full_s": median(f["seconds"] for f in full_loads),
        "import_full_ratio": median(
            i["seconds"] / f["seconds"] for (_, i), f in zip(rounds, full_loads, strict=True)
        ),
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

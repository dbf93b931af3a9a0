"""A scratch site for the load tools: a database holding the shipped 2019 plan,
and the URLs of each page type in the traffic mix, read from that database."""

from __future__ import annotations

import json
from urllib.parse import urlencode, urlsplit

from tools import server
from tools.traffic import log

PLAN = server.ROOT / "fixtures" / "plan-2019.xlsx"


def ensure_postgres_database(database_url: str) -> None:
    """Create the scratch database if it does not exist (never drops anything)."""
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            log(f"created database {name}")


def prepare(database_url: str) -> dict[str, str]:
    """Migrate and import the 2019 plan (idempotent); the environment used."""
    if not PLAN.exists():
        raise SystemExit(f"{PLAN} is missing: the load needs the 2019 plan")
    if database_url.startswith("postgres"):
        ensure_postgres_database(database_url)
    env = server.production_env(database_url)
    server.manage("migrate", "--noinput", env=env)
    server.manage("import_programs", str(PLAN), env=env)
    return env


SITE_FACTS = """
import json
from programs.models import Plan, Program, SupportArea
year = Plan.objects.latest_year()
programs = list(Program.objects.for_year(year).values_list("pk", flat=True))
areas = list(SupportArea.objects.filter(plan_id=year).values_list("name", flat=True))
print("FACTS " + json.dumps({"year": year, "programs": programs, "areas": areas}))
"""


def urls(env: dict[str, str]) -> dict[str, list[str]]:
    """The URLs of each page type, built from what the database holds."""
    output = server.manage("shell", "-c", SITE_FACTS, env=env)
    facts = json.loads(next(line for line in output.splitlines() if line.startswith("FACTS "))[6:])
    if not facts["programs"]:
        raise SystemExit("the database holds no programs")
    year = facts["year"]
    filtered = []
    for area in facts["areas"]:
        filtered.append("/programs/?" + urlencode({"area": area}))
    for month in (3, 6, 9):
        filtered.append("/programs/?" + urlencode({"month": month, "kind": "application"}))
    filtered += ["/programs/?" + urlencode({"q": q}) for q in ("협동조합", "판로", "교육")]
    return {
        "catalogue": ["/", "/programs/", f"/programs/?year={year}"],
        "filtered": filtered,
        "detail": [f"/programs/{pk}/" for pk in facts["programs"]],
        "calendar": ["/calendar/", f"/calendar/{year}/3/", f"/calendar/{year}/10/"],
        "ics": ["/calendar.ics"] + [f"/programs/{pk}/calendar.ics" for pk in facts["programs"][:5]],
        "json": ["/programs.json", f"/programs.json?year={year}"],
    }

"""Where the tests find the project and its shipped data."""

from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
FIXTURES = BASE_DIR / "fixtures"
PLAN_2019_XLSX = FIXTURES / "plan-2019.xlsx"
PLAN_2019_SEED = FIXTURES / "plan-2019-seed.txt"

"""The shape of the code: apps depend one way, the site package reaches the
apps only through its URL map, and no module or function outgrows a reader.

Every import statement counts, also those inside functions."""

import ast
import subprocess
from pathlib import Path

from tests.support.paths import BASE_DIR

APPS = ("portal", "programs", "schedules", "contacts")
DOMAIN = {"programs", "schedules", "contacts"}
SKIPPED = {"migrations", "__pycache__"}
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80


def modules(app: str):
    for path in sorted((BASE_DIR / app).rglob("*.py")):
        if not SKIPPED & set(path.parts):
            yield path, ast.parse(path.read_text(encoding="utf-8"))


def imported_apps(tree) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        else:
            continue
        found += [(node.lineno, name.split(".")[0]) for name in names]
    return found


def app_graph() -> dict[str, set[str]]:
    graph = {app: set() for app in APPS}
    for app in APPS:
        for _path, tree in modules(app):
            graph[app] |= {name for _, name in imported_apps(tree) if name in APPS} - {app}
    return graph


def test_the_apps_depend_one_way():
    graph = app_graph()
    done = set()

    def visit(app, path):
        assert app not in path, "import cycle: " + " -> ".join([*path, app])
        if app in done:
            return
        for dependency in sorted(graph[app]):
            visit(dependency, [*path, app])
        done.add(app)

    for app in APPS:
        visit(app, [])
    assert "programs" not in graph["schedules"] | graph["contacts"]


def test_the_site_package_reaches_domain_apps_only_from_its_url_map():
    reached = [
        f"{path.relative_to(BASE_DIR)}:{line} imports {name}"
        for path, tree in modules("portal")
        for line, name in imported_apps(tree)
        if name in DOMAIN and path.name != "urls.py"
    ]
    assert reached == []


def test_no_module_or_function_outgrows_a_reader():
    too_long = []
    for app in APPS:
        for path, tree in modules(app):
            lines = path.read_text(encoding="utf-8").count("\n")
            if lines > MAX_MODULE_LINES:
                too_long.append(f"{path.relative_to(BASE_DIR)}: {lines} lines")
            for node in ast.walk(tree):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    length = node.end_lineno - node.lineno + 1
                    if length > MAX_FUNCTION_LINES:
                        too_long.append(f"{path.relative_to(BASE_DIR)}:{node.lineno} {node.name}")
    assert too_long == []


def test_nothing_points_outside_the_repository():
    # Machine paths and the workplace's shared folders, spelled so this line is not one.
    pointers = (
        *(f"/{top}/" for top in ("work", "home", "root")),
        *(f"shared/{d}" for d in ("seeds", "design")),
    )
    found = []
    tracked = (
        subprocess.run(["git", "ls-files", "-z"], cwd=BASE_DIR, capture_output=True, check=True)
        .stdout.decode()
        .split("\0")
    )
    # What the repository holds: not scratch output that git ignores (bench runs).
    for path in sorted(Path(BASE_DIR) / name for name in tracked if name):
        if path.suffix not in {".py", ".html", ".css", ".js", ".md", ".txt", ".toml"}:
            continue
        if {".venv", "node_modules", ".git", "staticfiles", "var"} & set(path.parts):
            continue
        if path == Path(__file__):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        found += [f"{path.relative_to(BASE_DIR)}: {p}" for p in pointers if p in text]
    assert found == []

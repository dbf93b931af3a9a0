"""tools.server, the one way tests and tools run production gunicorn: it serves
as production does behind the proxy, and nothing of it outlives the run."""

import os
import socket
from pathlib import Path

import pytest

from tools import server


def alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "State:\tZ" not in status  # a zombie has ended; its parent has not reaped it yet


def test_a_free_port_is_one_nothing_listens_on(tmp_path):
    port = server.free_port()
    with socket.socket() as probe, pytest.raises(ConnectionRefusedError):
        probe.connect((server.HOST, port))


def test_gunicorn_serves_as_production_and_leaves_no_process_behind(tmp_path, monkeypatch):
    # An empty WEB_CONCURRENCY in the caller's environment, which gunicorn alone would die on.
    monkeypatch.setenv("WEB_CONCURRENCY", "")
    database = f"sqlite:///{tmp_path / 'unused.sqlite3'}"  # /healthz never opens it
    log_path = tmp_path / "gunicorn.log"
    with server.serve(database, log_path=log_path, workers=2) as gunicorn:
        processes = [gunicorn.process.pid, *gunicorn.worker_pids()]
        assert len(processes) == 3
        assert gunicorn.get("/healthz").status == 200
        # DJANGO_DEBUG=false behind the proxy: a request the proxy did not mark
        # as HTTPS is sent to https, so the clients must play the proxy.
        plain = gunicorn.get("/programs/", headers={"X-Forwarded-Proto": "http"})
        assert plain.status == 301
        assert plain.headers["Location"].startswith("https://")
    assert not any(alive(pid) for pid in processes)
    assert "Booting worker" in log_path.read_text()


def test_workers_a_crashed_master_leaves_behind_are_stopped_too(tmp_path):
    database = f"sqlite:///{tmp_path / 'unused.sqlite3'}"
    with server.serve(database, log_path=tmp_path / "gunicorn.log", workers=2) as gunicorn:
        workers = gunicorn.worker_pids()
        os.kill(gunicorn.process.pid, 9)  # the master dies without a word to its workers
    assert not any(alive(pid) for pid in workers)


def test_a_worker_count_that_is_not_a_number_stops_it_before_anything_starts(tmp_path, monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "many")
    log_path = tmp_path / "gunicorn.log"
    with (
        pytest.raises(SystemExit, match="WEB_CONCURRENCY='many'"),
        server.serve("sqlite://", log_path=log_path),
    ):
        pass
    assert not log_path.exists()

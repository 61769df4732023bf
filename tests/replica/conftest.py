"""The platform served by ``sdg87 serve`` on a PostgreSQL primary and its streaming replica.

Run under ``scripts/with-postgres-replica.sh`` (``make test-replica``), which starts both
clusters and sets ``DATABASE_URL``, ``DATABASE_REPLICA_URL`` and the two server logs
(``PG_PRIMARY_LOG``, ``PG_REPLICA_LOG``, every statement logged). The fixtures set the platform
up on the primary (``sdg87 setup --no-data`` and a small load), start ``sdg87 serve`` against
both clusters in a subprocess and talk to it over HTTP, as a client would. Without
``DATABASE_REPLICA_URL`` every test here is skipped.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

SDG87 = Path(sys.executable).with_name("sdg87")
REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
# Short enough to see it end in a test, long enough for the reads that follow a write.
PIN_SECONDS = 4
SKIP_REASON = (
    "needs a PostgreSQL primary and a streaming replica: run under "
    "scripts/with-postgres-replica.sh (make test-replica), which sets DATABASE_REPLICA_URL"
)


@dataclass
class Cluster:
    """One PostgreSQL server: a URL for direct SQL checks and its statement log."""

    url: str
    log: Path

    def query(self, sql: str, *params: object) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as connection:
            return connection.execute(sql, params).fetchall()

    def value(self, sql: str, *params: object) -> object:
        return self.query(sql, *params)[0][0]

    def log_mentions(self, marker: str) -> bool:
        return marker in self.log.read_text(encoding="utf-8", errors="replace")


@dataclass
class Platform:
    url: str
    primary: Cluster
    replica: Cluster
    admin_username: str
    admin_password: str = field(repr=False)

    def wait_for_replay(self, timeout: float = 30) -> None:
        """Until the replica has replayed everything the primary has written so far."""
        target = self.primary.value("SELECT pg_current_wal_lsn()::text")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            behind = self.replica.value(
                "SELECT pg_wal_lsn_diff(%s::pg_lsn, pg_last_wal_replay_lsn())", target
            )
            if behind <= 0:
                return
            time.sleep(0.05)
        raise AssertionError(f"the replica did not replay up to {target} in {timeout} s")

    def sign_in(self) -> requests.Session:
        """A browser-like client (cookies kept) signed in as the administrator."""
        client = requests.Session()
        login = f"{self.url}/en/accounts/login/"
        page = client.get(login, timeout=30)
        assert page.status_code == 200, page.text[:500]
        response = client.post(
            login,
            data={
                "username": self.admin_username,
                "password": self.admin_password,
                "csrfmiddlewaretoken": client.cookies["csrftoken"],
            },
            headers={"Referer": login},
            allow_redirects=False,
            timeout=30,
        )
        assert response.status_code == 302, response.text[:500]
        assert "sessionid" in client.cookies
        return client


def _environment(**extra: str) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "HOST", "PORT"}
    }
    environment.update(
        {
            # The test settings: fast password hasher, static files from the finders.
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "PYTHONUNBUFFERED": "1",
            "REPLICA_PIN_SECONDS": str(PIN_SECONDS),
        }
    )
    environment.update(extra)
    return environment


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    if not REPLICA_URL:
        pytest.skip(SKIP_REASON)
    primary = Cluster(os.environ["DATABASE_URL"], Path(os.environ["PG_PRIMARY_LOG"]))
    replica = Cluster(REPLICA_URL, Path(os.environ["PG_REPLICA_LOG"]))
    workdir = tmp_path_factory.mktemp("replica-platform")

    setup = subprocess.run(
        [str(SDG87), "setup", "--no-data", "--json"],
        capture_output=True,
        text=True,
        env=_environment(),
        cwd=workdir,
        timeout=600,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert setup.returncode == 0, setup.stderr[-3000:]
    admin_username = json.loads(setup.stdout)["admin"]["username"]
    admin_password = re.search(r"password: (\S+)", setup.stderr).group(1)
    # A small load: the reference data (countries, framework, instruments), on the primary.
    load = subprocess.run(
        [str(SDG87), "load-data", "--json"],
        capture_output=True,
        text=True,
        env=_environment(LIBRARY_LOAD_CORPUS="false", PATHFINDER_EXAMPLES="false"),
        cwd=workdir,
        timeout=900,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert load.returncode == 0, load.stderr[-3000:]

    port = _free_port()
    log_path = workdir / "serve.log"
    with log_path.open("w") as serve_log:
        server = subprocess.Popen(
            [
                str(SDG87),
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                "2",
                "--no-task-worker",
            ],
            stdout=serve_log,
            stderr=subprocess.STDOUT,
            env=_environment(),
            cwd=workdir,
            stdin=subprocess.DEVNULL,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                pytest.fail(f"sdg87 serve exited with {server.returncode}:\n{log_path.read_text()}")
            try:
                if requests.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"sdg87 serve did not answer in 60 s:\n{log_path.read_text()}")
            time.sleep(0.2)
        platform = Platform(url, primary, replica, admin_username, admin_password)
        platform.wait_for_replay()
        yield platform
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=30)

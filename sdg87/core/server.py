"""``sdg87 serve``: a production-grade server (gunicorn) with WhiteNoise for static files."""

from __future__ import annotations

import errno
import os
import socket
from typing import Any

from gunicorn.app.base import BaseApplication

from sdg87.core.errors import DomainError, InvalidInput


class PortUnavailableError(DomainError):
    code = "port_unavailable"


def check_port_free(host: str, port: int) -> None:
    if not 0 < port < 65536:
        raise InvalidInput(f"--port {port} is not a TCP port (1-65535)")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PortUnavailableError(
                    f"port {port} on {host} is already in use: stop the other server or "
                    "choose another with --port or PORT"
                ) from None
            raise PortUnavailableError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


class _GunicornApplication(BaseApplication):
    def __init__(self, application: Any, options: dict[str, Any]) -> None:
        self.application = application
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return self.application


def serve(
    *, host: str, port: int, workers: int | None = None, background_worker: bool = True
) -> None:
    from django.core.wsgi import get_wsgi_application

    from sdg87.core.tasks import background_worker_hooks

    check_port_free(host, port)
    cores = os.cpu_count() or 1
    worker_count = workers or min(2 * cores + 1, 5)
    options = {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": worker_count,
        "worker_class": "gthread",
        "threads": 4,
        "timeout": 60,
        # Idle keep-alive connections stay open 5 s (gunicorn's default is 2 s): a client that
        # reuses its connection after a pause of 2–3 s would otherwise race the server closing
        # it and read "connection reset" (seen under `make load`).
        "keepalive": 5,
        "accesslog": "-",
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "sdg87",
    }
    if background_worker:
        # One task worker (harvests, large imports, re-indexing) started and stopped by the
        # gunicorn master, so `make run` needs no second process.
        options.update(background_worker_hooks())
    _GunicornApplication(get_wsgi_application(), options).run()

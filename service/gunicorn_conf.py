"""gunicorn settings for copydesk: ``gunicorn -c python:service.gunicorn_conf`` serves it.

The app is ``service.serving:application()``: gunicorn's asyncio worker holds the
connections and the Flask app runs on ``COPYDESK_THREADS`` threads per worker, once a
request has fully arrived (see ``service.serving``).

With ``COPYDESK_LANGUAGETOOL_URL`` unset, the master process starts and supervises the
host's one LanguageTool server before forking, and hands its URL to every worker through
the environment: all workers share one JVM.
"""

from __future__ import annotations

import os

from service.languagetool.supervisor import LanguageToolSupervisor
from service.settings import Settings

_settings = Settings.load()
wsgi_app = "service.serving:application()"
bind = _settings.bind
workers = _settings.workers
worker_class = "service.serving.Worker"
# Open connections per worker: each costs a coroutine, not a thread (threads serve requests).
worker_connections = 1000
# gunicorn's control socket (a fixed path under ~/.gunicorn) is not used; several servers run per host in tests.
control_socket_disable = True
# How long a worker's event loop may go without a heartbeat before the master restarts it.
timeout = int(_settings.languagetool_timeout * 2 + 30)
graceful_timeout = 30
loglevel = _settings.log_level
accesslog = "-"
errorlog = "-"
# Request-line and header limits (gunicorn's defaults, stated here so they are documented).
limit_request_line = 4094
limit_request_fields = 100

_supervisor: LanguageToolSupervisor | None = None


def on_starting(server) -> None:
    global _supervisor
    if _settings.languagetool_url is None:
        _supervisor = LanguageToolSupervisor.from_settings(_settings)
        _supervisor.start()
        os.environ["COPYDESK_LANGUAGETOOL_URL"] = _supervisor.url
        server.log.info("embedded LanguageTool supervised at %s", _supervisor.url)


def on_exit(server) -> None:
    if _supervisor is not None:
        server.log.info("stopping embedded LanguageTool")
        _supervisor.stop()

"""gunicorn settings for copydesk: ``gunicorn -c python:service.gunicorn_conf`` serves it.

The app is ``service.serving:application()``: gunicorn's asyncio worker holds the
connections and the Flask app runs on ``COPYDESK_THREADS`` threads per worker, once a
request has fully arrived (see ``service.serving``).

The app is loaded in the master before the workers fork (shared memory); with
``COPYDESK_LANGUAGETOOL_URL`` unset, that starts and supervises the host's one LanguageTool
server in the master: all workers share one JVM.
"""

from __future__ import annotations

import atexit
import gc
import os
import resource
import shutil
import tempfile
from pathlib import Path

from service.settings import Settings

_settings = Settings.load()

# Metrics across workers (``service.edge.metrics``): prometheus-client's multiprocess mode is
# chosen when the library is first imported, which preloading the app does, right after this
# file is read: so the folder is decided here. A folder named by PROMETHEUS_MULTIPROC_DIR is
# emptied of the last run's files; unset, this run gets a fresh one, removed on exit.
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    _metrics_dir = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    _metrics_dir.mkdir(parents=True, exist_ok=True)
    for _stale in _metrics_dir.glob("*.db"):
        _stale.unlink()
else:
    _metrics_dir = Path(tempfile.mkdtemp(prefix="copydesk-metrics-"))
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(_metrics_dir)

    def _remove_metrics_dir(master: int = os.getpid()) -> None:
        # Run when the master exits by any way, a start that failed included (gunicorn's on_exit
        # runs only after a start); the workers it forked inherit this and must not remove it.
        if os.getpid() == master:
            shutil.rmtree(_metrics_dir, ignore_errors=True)

    atexit.register(_remove_metrics_dir)
wsgi_app = "service.serving:application()"
bind = _settings.bind
workers = _settings.workers
worker_class = "service.serving.Worker"
# Open connections per worker: each costs a coroutine, not a thread (threads serve requests), and a
# file descriptor. gunicorn's asyncio worker does not hold to this number itself: service.serving's
# Worker does, and answers a connection past it with 503 (fewer when the descriptors allowed are fewer).
worker_connections = 1000
# A container's soft limit on descriptors is often 1,024: raised to the hard limit (as Go programs
# do), so that worker_connections, LanguageTool's and Redis's sockets and open files all fit.
_soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
if _soft != _hard:
    resource.setrlimit(resource.RLIMIT_NOFILE, (_hard, _hard))
# An idle connection costs a coroutine too, so it can wait longer than gunicorn's 2 s for the next
# request: longer than a proxy in front keeps its own idle connections (see the setting).
keepalive = _settings.keepalive
# gunicorn's control socket (one fixed path per user) is not used; several servers run per host in tests.
control_socket_disable = True
# How long a worker's event loop may go without a heartbeat before the master restarts it. gunicorn
# also bounds each wait for more of a request body by it, and answered a body that paused longer
# with a bare 500: so it stays above COPYDESK_BODY_TIMEOUT, whose 408 is the answer to a slow body.
timeout = int(max(_settings.languagetool_timeout * 2 + 30, _settings.body_timeout + 10))
graceful_timeout = 30
loglevel = _settings.log_level
# One JSON line per request comes from the app (``service.edge.logs``), so gunicorn's own
# access log is off; its error log, copydesk's and LanguageTool's output are JSON lines on stderr.
accesslog = None
errorlog = "-"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "service.edge.logs.JsonFormatter"}},
    "handlers": {
        "error_console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"},
    },
    "root": {"level": _settings.log_level.upper(), "handlers": ["error_console"]},
    "loggers": {
        "gunicorn.error": {"level": _settings.log_level.upper(), "handlers": [], "propagate": True},
        "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": False},
    },
}
# Request-line and header limits (gunicorn's defaults, stated here so they are documented).
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190

# The app is built once, in the master, before the workers fork: the rule packs, the model and
# the pronunciation dictionary are then shared by all workers (copy-on-write) instead of loaded
# by each. With COPYDESK_LANGUAGETOOL_URL unset, building it starts the host's one LanguageTool
# server, supervised by the master; the workers inherit its URL.
preload_app = True


def pre_fork(server, worker) -> None:
    # Objects that exist now are never collected: the garbage collector will not touch (and so
    # copy) the pages the workers share.
    gc.freeze()


def on_starting(server) -> None:
    server.log.info("metrics of all processes in %s", _metrics_dir)


def child_exit(server, worker) -> None:
    # A dead worker's live gauges must not be added up any more (its counters still count).
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server) -> None:
    supervisor = server.app.wsgi().flask_app.extensions["copydesk"].supervisor
    if supervisor is not None:
        server.log.info("stopping embedded LanguageTool")
        supervisor.stop()

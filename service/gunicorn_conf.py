"""gunicorn settings for copydesk: ``gunicorn -c python:service.gunicorn_conf`` serves it.

The app is ``service.serving:application()``: gunicorn's asyncio worker holds the
connections and the Flask app runs on ``COPYDESK_THREADS`` threads per worker, once a
request has fully arrived (see ``service.serving``).

The app is loaded in the master before the workers fork (shared memory); with
``COPYDESK_LANGUAGETOOL_URL`` unset, that starts and supervises the host's one LanguageTool
server in the master: all workers share one JVM.
"""

from __future__ import annotations

import gc

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

# The app is built once, in the master, before the workers fork: the rule packs, the model and
# the pronunciation dictionary are then shared by all workers (copy-on-write) instead of loaded
# by each. With COPYDESK_LANGUAGETOOL_URL unset, building it starts the host's one LanguageTool
# server, supervised by the master; the workers inherit its URL.
preload_app = True


def pre_fork(server, worker) -> None:
    # Objects that exist now are never collected: the garbage collector will not touch (and so
    # copy) the pages the workers share.
    gc.freeze()


def on_exit(server) -> None:
    supervisor = server.app.wsgi().flask_app.extensions["copydesk"].supervisor
    if supervisor is not None:
        server.log.info("stopping embedded LanguageTool")
        supervisor.stop()

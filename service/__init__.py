"""copydesk: one JSON report on an article's grammar, readability, phrasing and clickbait.

``create_app`` is the application factory: settings, then the services (built once and
kept on ``app.extensions["copydesk"]``), then the blueprints and the error handlers.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import metadata
from typing import TYPE_CHECKING, Any

from flask import Flask, Response

from .cache import MemoryStore, RedisStore, Store, build_digest, fingerprint
from .checks.clarity import ReadabilityThresholds
from .checks.clickbait import ClickbaitCheck
from .checks.grammar import GrammarCheck
from .checks.phrasing import PhrasingCheck
from .headline_model.model import load_default_model
from .languagetool.client import LanguageToolClient
from .languagetool.supervisor import LanguageToolSupervisor
from .rulebook.book import RuleBook
from .scoring import Scorer, Thresholds
from .settings import Settings
from .text import memo

if TYPE_CHECKING:
    from .checks.readability import ReadabilityCheck

try:
    __version__ = metadata.version("copydesk")
except metadata.PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.1.0"

log = logging.getLogger(__name__)


@dataclass
class Services:
    settings: Settings
    scorer: Scorer
    languagetool: LanguageToolClient
    grammar: GrammarCheck
    clickbait: ClickbaitCheck
    rulebook: RuleBook
    supervisor: LanguageToolSupervisor | None

    @property
    def readability(self) -> ReadabilityThresholds:
        """The service's readability thresholds (``COPYDESK_READABILITY_*``), which a request's override."""
        from .checks.readability import ReadabilityCheck

        check = self.scorer.checks["readability"]
        assert isinstance(check, ReadabilityCheck)
        return check.thresholds

    def ready(self) -> tuple[bool, str]:
        """Whether LanguageTool is ready for traffic, and why not. The embedded server counts
        from the time its supervisor has warmed it up (each COPYDESK_LANGUAGETOOL_WARM_LANGUAGES)
        until it exits; then the LanguageTool client's own probe decides."""
        if self.supervisor is not None and not self.supervisor.ready:
            return False, self.supervisor.reason
        return self.languagetool.ready()


def _store(settings: Settings, kind: str, memory_bytes: int) -> Store | None:
    """The cache of one kind: in Redis when COPYDESK_CACHE_URL names one, else in this
    process within ``memory_bytes``; none when that budget is 0."""
    if not memory_bytes:
        return None
    if settings.cache_url:
        return RedisStore(settings.cache_url, kind, settings.cache_ttl, settings.cache_max_entry_bytes)
    return MemoryStore(memory_bytes)


# Allocations between collections of the youngest generation (CPython's default is 700). A
# long text makes hundreds of thousands of small objects (spans, tokens); with the default,
# collections come so often that a check's cost grows faster than the text (bench.hostile: a
# 100,000-character text of short lines took 1.6x per character what a 10,000 one did).
GC_THRESHOLD = 50_000


def tune_garbage_collector() -> None:
    """Collect less often, so checking stays linear in the text (see GC_THRESHOLD)."""
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(GC_THRESHOLD, middle, oldest)


def build_local_checks(settings: Settings) -> dict[str, ReadabilityCheck | PhrasingCheck | ClickbaitCheck]:
    """The checks that run in this process (all but grammar), with the process tuned for them
    (garbage collector, memo sizes): what the service runs, and what the benchmarks measure."""
    tune_garbage_collector()
    # Here, not at the top: it imports NLTK (and NLTK the SciPy and scikit-learn of a dev
    # environment), 2 s of the 3 s `copydesk check --url` took to start in one, where no check
    # runs in the process.
    from .checks.readability import ReadabilityCheck

    memo.keep(settings.memo_entries)
    rulebook = RuleBook.load(settings.rules_dirs, default_disabled=settings.disabled_rules)
    return {
        "readability": ReadabilityCheck(ReadabilityThresholds.from_settings(settings), data_dir=settings.data_dir),
        "phrasing": PhrasingCheck(rulebook),
        "clickbait": ClickbaitCheck(rulebook, load_default_model(), settings.clickbait_threshold),
    }


def build_services(settings: Settings) -> Services:
    """Everything a request needs, built once per process."""
    supervisor = None
    url = settings.languagetool_url
    if url is None:
        # The embedded default: this process runs the host's server. Under gunicorn that is
        # the master (the app is preloaded there), and the forked workers share its server.
        supervisor = LanguageToolSupervisor.from_settings(settings)
        supervisor.start()
        url = supervisor.url
    languagetool = LanguageToolClient(url, timeout=settings.languagetool_timeout, level=settings.languagetool_level)
    if supervisor is not None:
        languagetool.up = lambda: supervisor.ready
    grammar = GrammarCheck(
        languagetool,
        piece_chars=settings.languagetool_piece_chars,
        parallel=settings.languagetool_parallel,
        paragraphs=_store(settings, "paragraph", settings.paragraph_cache_bytes),
    )
    # After the server is started, so its warm-up and the loading of these overlap.
    local = build_local_checks(settings)
    clickbait = local["clickbait"]
    assert isinstance(clickbait, ClickbaitCheck)
    rulebook = clickbait.book
    checks = {"grammar": grammar, **local}
    scorer = Scorer(
        checks,
        Thresholds(settings.pass_score, settings.warn_score),
        versions={"copydesk": __version__, "clickbait_model": clickbait.model.version},
        threads=settings.check_threads,
        reports=_store(settings, "report", settings.report_cache_bytes),
        # What else decides a report, and so its key and ETag: the settings, the packs as
        # written (a user's packs live outside the package) and the build, so a fix deployed
        # without a new version number gives no client a 304 for the report before it.
        configuration=fingerprint(
            settings.affecting_reports(), [pack.digest for pack in rulebook.loaded_packs], build_digest()
        ),
    )
    return Services(settings, scorer, languagetool, grammar, clickbait, rulebook, supervisor)


class CopydeskFlask(Flask):
    """Flask, answering ``OPTIONS`` with 204 No Content and the ``Allow`` header (Flask's own
    answer is an empty 200)."""

    def make_default_options_response(self) -> Response:
        response = super().make_default_options_response()
        response.status_code = 204
        del response.headers["Content-Type"]
        return response


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app. ``config`` overrides settings by field name (``languagetool_url``, ...)
    and may carry Flask's own upper-case keys (``TESTING``)."""
    config = dict(config or {})
    settings = Settings.load(overrides={k: v for k, v in config.items() if not k.isupper()})
    from . import edge

    edge.logs.configure(settings.log_level)

    app = CopydeskFlask(__name__, static_folder=None)  # no /static/ route: the assets are web's and docs'
    # A multipart form's field may be as large as the body (Flask's own bound is 500 KB): a /v2
    # `data` field of 570 KB got Werkzeug's 413 as multipart and a check as url-encoded.
    app.config.update(MAX_CONTENT_LENGTH=settings.max_body_bytes, MAX_FORM_MEMORY_SIZE=settings.max_body_bytes,
                      JSON_SORT_KEYS=False)
    app.config.update({k: v for k, v in config.items() if k.isupper()})
    app.json.sort_keys = False  # type: ignore[attr-defined]
    # "/v1//score" is a path the API does not have (404, a problem body), not a redirect in HTML.
    app.url_map.merge_slashes = False
    app.extensions["copydesk"] = services = build_services(settings)

    from . import lt_api, problems
    from .api import api
    from .docs import docs
    from .web import security_headers, web

    app.register_blueprint(api)
    app.register_blueprint(docs)
    app.register_blueprint(web)
    edge.install(app, services)
    app.after_request(security_headers)
    lt_api.init_app(app, settings)
    problems.register(app)
    return app

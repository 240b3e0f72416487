"""``copydesk check``: score files in CI, in pre-commit or at a desk, with one exit code for the gate.

The command reads files (Markdown, HTML or text), sends each to an engine (a running
service with ``--url``, or the scorer in this process), judges each report against the
policy (``--min-score``, ``--fail-on``) and writes the results in one or more formats.
Exit codes are :class:`~service.cli.results.ExitCode`; ``docs/cli.md`` is the user guide.
"""

from __future__ import annotations

import errno
import logging
import os
import signal
import sys
import traceback
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import click
from tqdm import tqdm

from .. import __version__
from ..findings import CHECK_NAMES
from ..markup import FORMATS, Unreadable
from ..score_request import RequestError, build_document, has_prose, parse_checks
from ..settings import finite_number
from .config import (
    FAIL_ON_CHOICES,
    ApiKey,
    ConfigError,
    Options,
    find_config,
    load_api_key,
    load_config,
    parse_extensions,
    parse_url,
)
from .engines import (
    Engine,
    EngineUnavailable,
    RequestRejected,
    ServiceRefusedKey,
    open_engine,
    request_body,
    wait_interruptibly,
)
from .formats import FORMATTERS, OUTPUT_FORMATS
from .inputs import STDIN, InputError, Source, by_extension, expand, read_source
from .lines import line_start
from .results import ExitCode, FileResult, Run, judge

log = logging.getLogger(__name__)


class GateError(click.ClickException):
    """A usage or configuration problem found after option parsing (exit 2, no usage banner)."""

    exit_code = ExitCode.USAGE

    def show(self, file: Any = None) -> None:
        click.echo(f"copydesk: error: {self.format_message()}", err=True)


class FiniteRange(click.FloatRange):
    """click's FloatRange without 'nan' and 'inf', which it lets through: nan compares false
    with every score, so --min-score nan passed every file (and the JSON result held NaN,
    which is not JSON); --timeout inf or nan was a traceback."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if not finite_number(number):
            self.fail(f"{value!r} is not a finite number.", param, ctx)
        return number


@dataclass(frozen=True)
class Output:
    format: str
    path: Path | None  # None: standard output


def parse_outputs(specs: Sequence[str]) -> list[Output]:
    """``--format NAME[=PATH]``, repeatable; at most one goes to standard output (no PATH, or ``-``)."""
    outputs: list[Output] = []
    for spec in specs or ("human",):
        name, _, path = spec.partition("=")
        if path == "-":  # standard output, as "-" is standard input; not a file named "-"
            path = ""
        if name not in FORMATTERS:
            raise click.BadParameter(
                f"{name!r} is not one of {', '.join(OUTPUT_FORMATS)} (use NAME or NAME=PATH)", param_hint="'--format'"
            )
        if path and Path(path).is_dir():  # known before the run, not after it
            raise click.BadParameter(f"{spec!r}: {path} is a folder; give a file name", param_hint="'--format'")
        outputs.append(Output(name, Path(path) if path else None))
    if sum(1 for o in outputs if o.path is None) > 1:
        raise click.BadParameter(
            "only one format can go to standard output; give the others =PATH", param_hint="'--format'"
        )
    files = [os.path.abspath(o.path) for o in outputs if o.path is not None]
    twice = sorted({path for path in files if files.count(path) > 1})
    if twice:  # the last would overwrite the others without a word
        raise click.BadParameter(f"two formats would be written to {twice[0]}", param_hint="'--format'")
    return outputs


def _checks_option(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    try:
        return parse_checks(list(dict.fromkeys(c.strip() for c in value.split(",") if c.strip())))
    except RequestError as exc:
        raise click.BadParameter(exc.errors[0].message, param_hint="'--checks'") from exc


def _extension_option(values: tuple[str, ...]) -> tuple[tuple[str, str], ...] | None:
    if not values:
        return None
    for value in values:
        if "=" not in value:
            raise click.BadParameter(f"{value!r}: give EXT=FORMAT, as in qmd=markdown", param_hint="'--extension'")
    try:
        return parse_extensions(value.partition("=")[::2] for value in values)
    except ConfigError as exc:
        raise click.BadParameter(str(exc), param_hint="'--extension'") from exc


class CopydeskGroup(click.Group):
    """The ``copydesk`` commands, where Ctrl-C exits 130: click's own "Aborted!" exits 1,
    which ``check`` means as copy below the bar and ``rules test`` as a failing example."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("\ncopydesk: interrupted", err=True)
            raise click.exceptions.Exit(ExitCode.INTERRUPTED) from None


@click.group(cls=CopydeskGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="copydesk")
def main() -> None:
    """copydesk: grammar, readability, phrasing and clickbait scores for news copy."""


@main.command()
@click.argument("paths", nargs=-1, metavar="[PATH|DIR|GLOB|-]...")
@click.option("--url", envvar="COPYDESK_URL", help="A running copydesk service (else: check in this process).")
@click.option(
    "--api-key-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A file holding the service's API key (default: the COPYDESK_API_KEY variable).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A .copydesk.toml or pyproject.toml (default: the nearest one, from here upward).",
)
@click.option(
    "--no-config", is_flag=True,
    help="Ignore config files: only the defaults, the environment (COPYDESK_URL) and these options.",
)
@click.option(
    "--min-score", type=FiniteRange(0, 100), help="Fail a file scoring below this (default: verdict 'fail')."
)
@click.option(
    "--fail-on", type=click.Choice(FAIL_ON_CHOICES), help="Fail a file with any issue this severe [default: error]."
)
@click.option(
    "--checks", "checks_value", metavar="LIST", help=f"Comma-separated checks to run ({','.join(CHECK_NAMES)})."
)
@click.option("--enable", multiple=True, metavar="SELECTOR", help="Enable a pack or rule (repeatable).")
@click.option("--disable", multiple=True, metavar="SELECTOR", help="Disable a check's pack or rule (repeatable).")
@click.option(
    "--accept", multiple=True, metavar="WORD", help="A word the spelling check accepts, e.g. a name (repeatable)."
)
@click.option("--language", help="Language of the copy (en-US, en-GB, ...).")
@click.option(
    "--format-in", type=click.Choice(FORMATS), help="Read every input as this format (default: by extension)."
)
@click.option(
    "--extension", "extensions", multiple=True, metavar="EXT=FORMAT",
    help="Read files with this extension in this format, and find them in folders (repeatable): qmd=markdown.",
)
@click.option(
    "--format",
    "-f",
    "outputs",
    multiple=True,
    metavar="FORMAT[=PATH]",
    help=f"Output format ({', '.join(OUTPUT_FORMATS)}), to stdout or to PATH; repeatable [default: human].",
)
@click.option("--jobs", "-j", type=click.IntRange(1, 64), help="Files checked at the same time [default: 4].")
@click.option(
    "--timeout", type=FiniteRange(0, min_open=True),
    help="Seconds to wait for the service per file [default: 120].",
)
@click.option("--exclude", multiple=True, metavar="GLOB", help="Skip matching files in folders and globs (repeatable).")
@click.option(
    "--force-exclude",
    is_flag=True,
    help="Skip excluded files even when named (pre-commit names every staged file); none left passes.",
)
@click.option("--stdin-filename", metavar="NAME", help="Name (and so format) of the document read from '-'.")
@click.option("--color/--no-color", default=None, help="Colour the human format [default: when stdout is a terminal].")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr [default: when it is a terminal].")
@click.option("--verbose", "-v", is_flag=True, help="Log what the engine does to stderr.")
def check(
    paths: tuple[str, ...],
    url: str | None,
    api_key_file: Path | None,
    config_path: Path | None,
    no_config: bool,
    min_score: float | None,
    fail_on: str | None,
    checks_value: str | None,
    enable: tuple[str, ...],
    disable: tuple[str, ...],
    accept: tuple[str, ...],
    language: str | None,
    format_in: str | None,
    extensions: tuple[str, ...],
    outputs: tuple[str, ...],
    jobs: int | None,
    timeout: float | None,
    exclude: tuple[str, ...],
    force_exclude: bool,
    stdin_filename: str | None,
    color: bool | None,
    progress: bool | None,
    verbose: bool,
) -> None:
    """Check files, folders (recursively), globs or standard input ('-').

    \b
    Exit codes:
      0  every file passed
      1  a file is below the bar (--min-score, --fail-on)
      2  usage or configuration error
      3  the checks could not run (service unreachable, 503, LanguageTool down)
      130  interrupted (Ctrl-C)
    """
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, stream=sys.stderr, format="%(message)s")
    targets = parse_outputs(outputs)
    cwd = Path.cwd()
    cli_values: dict[str, Any] = {
        "paths": paths or None,
        "url": url,
        "min_score": min_score,
        "fail_on": fail_on,
        "checks": _checks_option(checks_value),
        "enable": enable or None,
        "disable": disable or None,
        "accept": accept or None,
        "language": language,
        "format_in": format_in,
        "extension": _extension_option(extensions),
        "jobs": jobs,
        "timeout": timeout,
        "exclude": exclude or None,
        "exclude_base": cwd if exclude else None,  # the command line's patterns replace the file's
    }
    try:
        if no_config and config_path:
            raise GateError("--config and --no-config contradict each other")
        if url is not None:
            try:
                cli_values["url"] = parse_url(url)
            except ConfigError as exc:
                raise GateError(f"--url (or COPYDESK_URL): {exc}") from exc
        config_file = None if no_config else config_path or find_config(cwd)
        options = load_config(config_file) if config_file else Options()
        options = options.merged({k: v for k, v in cli_values.items() if v is not None})
        # Only a service is sent a key: checking in this process reads none, nor refuses one.
        api_key = load_api_key(api_key_file, os.environ) if options.url else None
    except ConfigError as exc:
        raise GateError(str(exc)) from exc

    if not options.paths:
        raise GateError("nothing to check: name files, folders or globs (or '-'), or set 'paths' in .copydesk.toml")
    _check_writable(targets)
    not_read: set[Path] = set()
    try:
        sources = _read_all(options, cwd, stdin_filename, force_exclude, not_read)
    except InputError as exc:
        raise GateError(str(exc)) from exc

    try:
        if sources:
            run = _run(sources, options, api_key, progress)
        else:  # every file named is excluded (--force-exclude): nothing to gate, no engine to start
            run = Run([], options, "remote" if options.url else "local", options.url, __version__)
    except KeyboardInterrupt:
        _exit_interrupted()
    except Exception as exc:  # a bug: say so, and never let it look like a gate result
        _exit_on_bug(exc)
    run.not_read = by_extension(not_read)

    stdout_is_tty = sys.stdout.isatty()
    unwritten: list[str] = []
    for target in targets:
        use_color = (
            bool(color)
            if color is not None
            else (target.path is None and stdout_is_tty and not os.environ.get("NO_COLOR"))
        )
        try:
            text = FORMATTERS[target.format](run, use_color)
        except Exception as exc:  # as above: exit 1 would say "below the bar"
            _exit_on_bug(exc)
        if target.path is None:
            click.echo(text, nl=False, color=use_color)
            continue
        try:
            target.path.parent.mkdir(parents=True, exist_ok=True)
            target.path.write_text(text, encoding="utf-8")
        except OSError as exc:  # a traceback and exit 1, "below the bar", whatever the verdict
            unwritten.append(_cannot_write(target, exc))
    if unwritten:
        raise GateError("; ".join(unwritten))
    raise click.exceptions.Exit(int(run.exit_code))


def _check_writable(targets: Sequence[Output]) -> None:
    """Refuse an output that cannot be written before the run, not after minutes of checking
    (and not after a JSON result on standard output had said exit code 0 to a run that exits 2)."""
    refused = []
    for target in targets:
        if target.path is None:
            continue
        try:
            target.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            refused.append(_cannot_write(target, exc))
            continue
        probe = target.path if target.path.exists() else target.path.parent
        if not os.access(probe, os.W_OK):
            refused.append(_cannot_write(target, PermissionError(errno.EACCES, "Permission denied", str(probe))))
    if refused:
        raise GateError("; ".join(refused))


def _cannot_write(target: Output, exc: OSError) -> str:
    where = f" ({exc.filename})" if exc.filename and str(exc.filename) != str(target.path) else ""
    return f"--format {target.format}={target.path}: cannot be written: {exc.strerror}{where}"


def _exit_on_bug(exc: Exception) -> NoReturn:
    """A bug in the command: its traceback, and exit 3 (not checked), never a gate result."""
    traceback.print_exc()
    raise click.exceptions.Exit(ExitCode.UNAVAILABLE) from exc


def _exit_interrupted() -> NoReturn:
    """Ctrl-C while files are being checked (the engine is closed by then) or while an embedded
    LanguageTool starts (the kernel stops it with this process): say so, and end the process at
    once. A normal exit waited for the files in flight, since Python joins a thread pool's
    threads at exit: up to --timeout for a file at the service, and every piece of a long file
    at LanguageTool in this process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C cannot cut this short into a traceback
    click.echo("\ncopydesk: interrupted", err=True)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(ExitCode.INTERRUPTED)


def _read_all(
    options: Options, cwd: Path, stdin_filename: str | None, force_exclude: bool, not_read: set[Path]
) -> list[Source]:
    """Every input, read; the ones that cannot be (not UTF-8, a broken link, a folder that
    cannot be listed) are named all at once, so a tree with several is fixed in one run rather
    than one run per file, and none is left out in silence (``not_read`` gathers the files of
    formats copydesk does not read that a folder or a pattern left out)."""
    extensions = dict(options.extension)
    items = expand(options.paths, cwd, options.exclude, options.exclude_base, force_exclude, not_read, extensions)
    # Bytes, decoded as files are: the locale's text stream would raise, or pass lone surrogates on.
    stdin_data = sys.stdin.buffer.read() if STDIN in items else None
    sources: list[Source] = []
    unreadable: list[str] = []
    for item in items:
        try:
            sources.append(read_source(item, cwd, options.format_in, stdin_data, stdin_filename, extensions))
        except InputError as exc:
            unreadable.append(str(exc))
    if len(unreadable) > 1:  # a line each, none of which may start with a name GitHub Actions runs
        listed = "".join(f"\n  {line_start(message)}" for message in unreadable)
        raise GateError(f"{len(unreadable)} paths cannot be checked:{listed}")
    if unreadable:
        raise GateError(unreadable[0])
    return sources


def _run(sources: list[Source], options: Options, api_key: ApiKey | None, progress: bool | None) -> Run:
    """Open the engine, check every file (``options.jobs`` at a time), close the engine."""
    if not options.url and not os.environ.get("COPYDESK_LANGUAGETOOL_URL") and sys.stderr.isatty():
        click.echo(
            "copydesk: checking in this process; LanguageTool may take 15 s to start "
            "(set COPYDESK_URL or COPYDESK_LANGUAGETOOL_URL to use a running one)",
            err=True,
        )
    try:
        engine = open_engine(options, api_key)
    except (EngineUnavailable, RequestRejected) as exc:
        code = ExitCode.UNAVAILABLE if isinstance(exc, EngineUnavailable) else ExitCode.USAGE
        status = "not-checked" if code == ExitCode.UNAVAILABLE else "rejected"
        files = [FileResult(s, status, error="not checked: the engine did not start") for s in sources]
        return Run(files, options, "remote" if options.url else "local", options.url, __version__, str(exc), code)
    try:
        files = _check_all(engine, sources, options, progress)
    finally:
        engine.close()
    return Run(files, options, engine.kind, engine.url, __version__)


def _result(future: Future[FileResult]) -> FileResult:
    """The file's result, waited for so that Ctrl-C is heard at once (``wait_interruptibly``)."""
    wait_interruptibly(lambda seconds: not wait([future], seconds).not_done)
    return future.result()


def _has_prose(source: Source) -> bool:
    """Whether a file holds prose to check: an empty one, or one of only markup, code or
    comments, is skipped (the service would refuse it). One it cannot read goes to the engine,
    whose answer says why."""
    if not source.text.strip():
        return False
    try:
        return has_prose(build_document(source.text, None, source.format))
    except Unreadable:
        return True


def _check_all(engine: Engine, sources: list[Source], options: Options, progress: bool | None) -> list[FileResult]:
    # After the engine fails once, or refuses the API key, the other files are not sent (a
    # dead server would make each of them wait for its own time-out, and a refused key would
    # repeat its 401 for every file); they get the status and error that ``halted`` holds.
    halted: list[tuple[str, str]] = []
    show_progress = progress if progress is not None else (sys.stderr.isatty() and len(sources) > 1)
    bar = tqdm(total=len(sources), unit="file", file=sys.stderr, disable=not show_progress, leave=False)

    def check_one(source: Source) -> FileResult:
        try:
            if halted:
                status, error = halted[0]
                return FileResult(source, status, error=error)
            if not _has_prose(source):
                return FileResult(source, "skipped")
            try:
                report = engine.score(request_body(source, options))
            except EngineUnavailable as exc:
                halted.append(("not-checked", "not checked: the engine is unavailable"))
                return FileResult(source, "unavailable", error=str(exc))
            except ServiceRefusedKey as exc:
                halted.append(("rejected", f"not checked: {exc}"))
                return FileResult(source, "rejected", error=str(exc))
            except RequestRejected as exc:
                return FileResult(source, "rejected", error=str(exc))
            reasons = judge(report, options)
            return FileResult(source, "fail" if reasons else "pass", report, reasons)
        finally:
            bar.update(1)

    pool = ThreadPoolExecutor(max_workers=min(options.jobs, max(1, len(sources))), thread_name_prefix="copydesk-cli")
    try:
        return [_result(future) for future in [pool.submit(check_one, source) for source in sources]]
    finally:
        # Not 'with': on Ctrl-C its exit waited for the files in flight before anything else.
        pool.shutdown(wait=False, cancel_futures=True)
        bar.close()

"""openapi.yaml through a real code generator and a real compiler, as a TypeScript client reads it.

`openapi-typescript` (pinned in `tests/clients`, which ``make test`` installs with ``npm ci``)
generates the types from the spec, as the README tells a client to; real answers of the service
(the app with the session's LanguageTool) and the request bodies the README shows are written
as object literals of those types, and `tsc --strict` compiles them. An object literal is
checked for excess properties, so a field the service sends that the spec lacks, a value of
another type, or a required field the service leaves out each fail the compile; so does a
request body the generated types cannot express (the `anyOf` of two partial request types
that `/v1/score` had). The tests that validate every response against the spec cannot see
these: JSON Schema takes an unknown field, and a union of partial types validates.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from support import ContractClient, free_port

from service import create_app
from service.settings import PROJECT_ROOT

BIN = Path(__file__).parent / "clients" / "node_modules" / ".bin"
MODULE = "answers.ts"

# Request bodies as the README shows them: every field of its request table (the test holds the
# two to the same fields), with the examples it gives, and a headline batch. The service takes
# each of them: the test sends them.
SCORE_REQUEST = {
    "text": "It was decided by the board.\n\nHe go home to copydesk.",
    "title": "You won't believe what the board decided",
    "language": "en-GB",
    "checks": ["grammar", "readability", "phrasing", "clickbait"],
    "format": "markdown",
    "allow_partial": True,
    "rules": {"enable": ["clickbait"], "disable": ["translationese.till-place"]},
    "accept": ["copydesk"],
    "clickbait_threshold": 0.5,
    "readability": {"passive_good": 5, "long_sentence_words": 25},
}
CLICKBAIT_REQUEST = {"headlines": ["You won't believe what happened next", "Budget approved"], "threshold": 0.7}
# The README's text/plain example: `/v1/score?checks=phrasing,clickbait`.
SCORE_QUERY = {"checks": "phrasing,clickbait"}

SCORE = 'operations["score"]'
CLICKBAIT = 'paths["/v1/clickbait"]["post"]'
RULES = 'paths["/v1/rules"]["get"]'
PREAMBLE = f"""\
import type {{ components, operations, paths }} from "./copydesk";

type ScoreJson = {SCORE}["requestBody"]["content"]["application/json"];
type ScoreQuery = NonNullable<{SCORE}["parameters"]["query"]>;
type Report = {SCORE}["responses"][200]["content"]["application/json"];
type ScoreProblem = {SCORE}["responses"][422]["content"]["application/problem+json"];
type Unavailable = {SCORE}["responses"][503]["content"]["application/problem+json"];
type ClickbaitJson = {CLICKBAIT}["requestBody"]["content"]["application/json"];
type Headlines = {CLICKBAIT}["responses"][200]["content"]["application/json"];
type ClickbaitProblem = {CLICKBAIT}["responses"][422]["content"]["application/problem+json"];
type Rules = {RULES}["responses"][200]["content"]["application/json"];
type Schemas = components["schemas"];
""" + """\
type LanguageToolForm = paths["/v2/check"]["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"];
type Answer<P extends keyof paths, M extends "get" | "post"> =
  NonNullable<paths[P][M]> extends { responses: { 200: { content: { "application/json": infer T } } } } ? T : never;
// /v2 passes LanguageTool's answers on, and the spec leaves their objects open to the fields it
// does not name (LanguageTool's, not copydesk's): those are no error, but a required field left
// out, a value of another type or an object typed with no fields at all is.
type Open<T> = T extends (infer U)[] ? Open<U>[]
  : T extends object ? { [K in keyof T]: Open<T[K]> } & { [key: string]: unknown } : T;
"""
# The types are strict enough for what this module is for: each of these must fail to compile
# (`@ts-expect-error` fails the compile where no error follows), so looser generated types, such
# as every object open to any key, cannot pass unseen.
SELF_CHECKS = """
// @ts-expect-error a field the spec lacks
export const extra: Report = { ...seedAnswer, surprise: true };
// @ts-expect-error a required field left out
export const missing: Report = (({ score, ...rest }) => rest)(seedAnswer);
// @ts-expect-error a value of another type
export const wrong: ScoreJson = { text: "Hi.", allow_partial: "yes" };
// @ts-expect-error a request body field the spec lacks
export const unknownField: ClickbaitJson = { headlines: ["Budget approved"], limit: 10 };
// @ts-expect-error a text that is not a string (a union with `{text: unknown}` took it)
export const notText: ScoreJson = { text: 42 };
// One request type that a client reads and sets fields of (a union of partial types has no
// `language` to read).
export function inBritishEnglish(request: ScoreJson): ScoreJson {
  const language: ScoreJson["language"] = request.language === "en" ? "en" : "en-GB";
  return { ...request, language, checks: request.checks ?? ["grammar"] };
}
export const report: Schemas["Report"] = seedAnswer;
"""


def _readme_request_fields() -> list[str]:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("### The request", 1)[1].split("Unknown fields", 1)[0]
    return re.findall(r"^\| `(\w+)` \|", table, re.MULTILINE)


def _answer(response, status: int) -> object:
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()


def _compile(folder: Path, spec: Path) -> subprocess.CompletedProcess[str]:
    """The types generated from ``spec`` into ``folder``, and tsc on the module written there."""
    generated = subprocess.run(
        [str(BIN / "openapi-typescript"), str(spec), "--default-non-nullable", "false",
         "--output", str(folder / "copydesk.ts")],
        capture_output=True, text=True, timeout=120,
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
    return subprocess.run(
        # Without the DOM's types (`--lib`) and the check of the libraries' own (`--skipLibCheck`,
        # which leaves the generated module checked): a few seconds less.
        [str(BIN / "tsc"), "--noEmit", "--strict", "--target", "es2022", "--lib", "es2022", "--skipLibCheck",
         "--module", "esnext", "--moduleResolution", "bundler", MODULE],
        cwd=folder, capture_output=True, text=True, timeout=120,
    )


def _errors(result: subprocess.CompletedProcess[str], folder: Path) -> str:
    """tsc's errors, each with the line of the module it points at."""
    lines = (folder / MODULE).read_text(encoding="utf-8").splitlines()
    out = []
    for error in (result.stdout + result.stderr).splitlines():
        out.append(error)
        where = re.match(rf"{re.escape(MODULE)}\((\d+),\d+\)", error)
        if where:
            out.append(f"    > {lines[int(where[1]) - 1].strip()}")
    return "\n".join(out)


@pytest.fixture()
def dead_app(data_dir: Path):
    """A LanguageTool URL where nothing listens: the 503 and the partial report."""
    app = create_app({"data_dir": data_dir, "TESTING": True, "languagetool_timeout": 2,
                      "languagetool_url": f"http://127.0.0.1:{free_port()}"})
    app.test_client_class = ContractClient
    yield app
    app.extensions["copydesk"].scorer.close()


def test_real_answers_compile_against_the_generated_typescript_types(
    client, dead_app, seed_text: str, seed_title: str, tmp_path: Path
) -> None:
    """Reports (the seed article's, the README's request's, a headline alone, a text/plain body,
    a partial one), a 503, two 422s, a headline batch and the rule list, each with its request;
    the health answers; `/v2/check` with its form, `/v2/languages`, `/v2/info` and
    `/v2/configinfo` (whose `software` was typed as an object with no field)."""
    assert (BIN / "tsc").exists(), "run `make test` (it runs npm ci in tests/clients)"
    assert sorted(SCORE_REQUEST) == sorted(_readme_request_fields())
    module = [PREAMBLE]

    def typed(name: str, type_: str, value: object) -> None:
        module.append(f"export const {name}: {type_} = {json.dumps(value, indent=1)};\n")

    dead = dead_app.test_client()
    scored = {  # name: (app, JSON body, status, the answer's type)
        "seed": (client, {"text": seed_text, "title": seed_title}, 200, "Report"),
        "readme": (client, SCORE_REQUEST, 200, "Report"),
        "minimal": (client, {"text": "He go home."}, 200, "Report"),
        "titleOnly": (client, {"title": seed_title}, 200, "Report"),
        "partial": (dead, {"text": seed_text, "allow_partial": True}, 200, "Report"),
        "unavailable": (dead, {"text": seed_text}, 503, "Unavailable"),
    }
    reports = {}
    for name, (app, body, status, answer) in scored.items():
        reports[name] = _answer(app.post("/v1/score", json=body), status)
        typed(f"{name}Request", "ScoreJson", body)
        typed(f"{name}Answer", answer, reports[name])
    assert reports["partial"]["complete"] is False
    typed("plainQuery", "ScoreQuery", SCORE_QUERY)
    typed("plainAnswer", "Report", _answer(client.post("/v1/score", query_string=SCORE_QUERY, data=seed_text,
                                                       content_type="text/plain"), 200))
    problem = client.post("/v1/score", json={"text": " ", "checks": ["nope"]})
    typed("scoreProblem", "ScoreProblem", _answer(problem, 422))
    typed("clickbaitRequest", "ClickbaitJson", CLICKBAIT_REQUEST)
    typed("clickbaitAnswer", "Headlines", _answer(client.post("/v1/clickbait", json=CLICKBAIT_REQUEST), 200))
    typed("clickbaitProblem", "ClickbaitProblem", _answer(client.post("/v1/clickbait", json={"headlines": []}), 422))
    typed("rules", "Rules", _answer(client.get("/v1/rules"), 200))
    typed("healthz", 'Answer<"/healthz", "get">', _answer(client.get("/healthz"), 200))
    typed("readyz", 'Answer<"/readyz", "get">', _answer(client.get("/readyz"), 200))
    form = {"text": f"{seed_title}. He go home.", "language": "en-US"}
    typed("languageToolForm", "LanguageToolForm", form)
    typed("languageToolCheck", 'Open<Answer<"/v2/check", "post">>', _answer(client.post("/v2/check", data=form), 200))
    for path in ("/v2/languages", "/v2/info", "/v2/configinfo?language=en-US"):
        name = path.split("?")[0]
        typed(f"languageTool_{name[4:]}", f'Open<Answer<"{name}", "get">>', _answer(client.get(path), 200))

    (tmp_path / MODULE).write_text("".join(module) + SELF_CHECKS, encoding="utf-8")
    result = _compile(tmp_path, PROJECT_ROOT / "openapi.yaml")
    assert result.returncode == 0, _errors(result, tmp_path)

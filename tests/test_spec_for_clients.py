"""openapi.yaml as a client's code generator reads it: schemas that type what the service sends.

Reviewed with `openapi-python-client` and `openapi-typescript` (clients generated from the spec
and used against a running copydesk) and with `@redocly/cli lint`; each test here holds one
thing they showed was wrong. The other tests validate every response against the spec; these
check that the spec says enough for a generated client, which validation alone cannot see.
The lint runs here too, with the rules `redocly.yaml` turns off; `tests/test_typed_clients.py`
compiles real answers against the types `openapi-typescript` generates.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import yaml

from service.settings import PROJECT_ROOT

SPEC = yaml.safe_load((PROJECT_ROOT / "openapi.yaml").read_text(encoding="utf-8"))
SCHEMAS = SPEC["components"]["schemas"]


def _deref(node: dict, section: str = "schemas") -> dict:
    """``node``, or the component of ``section`` its ``$ref`` names."""
    return SPEC["components"][section][node["$ref"].rsplit("/", 1)[1]] if "$ref" in node else node


def _operations() -> Iterator[tuple[str, str, dict]]:
    """(path, method, operation) for every operation of the spec (a path's shared parameters left out)."""
    for path, item in SPEC["paths"].items():
        for method, operation in item.items():
            if method != "parameters":
                yield path, method, operation

# The keywords of a JSON Schema 2020-12 schema and those OpenAPI 3.1 adds to it.
KEYWORDS = {
    "$ref", "$defs", "$schema", "$id", "$comment", "$anchor", "$dynamicRef", "$dynamicAnchor",
    "type", "enum", "const", "title", "description", "default", "examples", "example", "deprecated",
    "readOnly", "writeOnly", "format", "contentMediaType", "contentEncoding", "contentSchema",
    "allOf", "anyOf", "oneOf", "not", "if", "then", "else",
    "properties", "patternProperties", "additionalProperties", "unevaluatedProperties", "required",
    "propertyNames", "minProperties", "maxProperties", "dependentRequired", "dependentSchemas",
    "items", "prefixItems", "contains", "minContains", "maxContains", "unevaluatedItems",
    "minItems", "maxItems", "uniqueItems",
    "minLength", "maxLength", "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
    "multipleOf", "discriminator", "xml", "externalDocs",
}
_ONE = ("items", "not", "if", "then", "else", "contains", "propertyNames", "unevaluatedItems",
        "unevaluatedProperties", "additionalProperties", "contentSchema")
_MANY = ("allOf", "anyOf", "oneOf", "prefixItems")
_BY_NAME = ("properties", "patternProperties", "dependentSchemas", "$defs")


def _subschemas(schema: dict, where: str) -> Iterator[tuple[str, dict]]:
    yield where, schema
    for key in _ONE:
        if isinstance(schema.get(key), dict):
            yield from _subschemas(schema[key], f"{where}/{key}")
    for key in _MANY:
        for i, sub in enumerate(schema.get(key, [])):
            yield from _subschemas(sub, f"{where}/{key}/{i}")
    for key in _BY_NAME:
        for name, sub in schema.get(key, {}).items():
            yield from _subschemas(sub, f"{where}/{key}/{name}")


def _media_schemas(holder: dict, where: str) -> Iterator[tuple[str, dict]]:
    for media_type, media in holder.get("content", {}).items():
        if "schema" in media:
            yield from _subschemas(media["schema"], f"{where}/{media_type}")


def every_schema() -> Iterator[tuple[str, dict]]:
    """Every schema object of the document, with where it is."""
    for name, schema in SCHEMAS.items():
        yield from _subschemas(schema, f"#/components/schemas/{name}")
    for name, response in SPEC["components"]["responses"].items():
        yield from _media_schemas(response, f"#/components/responses/{name}")
        for header, spec in response.get("headers", {}).items():
            yield from _subschemas(spec.get("schema", {}), f"#/components/responses/{name}/headers/{header}")
    for path, item in SPEC["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                operation = {"parameters": operation}
            where = f"{method.upper()} {path}"
            for parameter in operation.get("parameters", []):
                yield from _subschemas(parameter.get("schema", {}), f"{where} parameter {parameter.get('name')}")
            yield from _media_schemas(operation.get("requestBody", {}), f"{where} body")
            for status, response in operation.get("responses", {}).items():
                yield from _media_schemas(response, f"{where} {status}")
                for header, spec in response.get("headers", {}).items():
                    yield from _subschemas(spec.get("schema", {}), f"{where} {status} header {header}")


def test_every_schema_uses_only_schema_keywords() -> None:
    """A comma in a flow mapping's plain scalar starts a new key: `description: 1-based, in code
    points.` made `Issue.column` a schema with the keyword `in code points.` and a cut
    description. JSON Schema ignores a keyword it does not know, so only a list catches it."""
    schemas = list(every_schema())
    assert len(schemas) > 300
    strays = [(where, sorted(set(schema) - KEYWORDS)) for where, schema in schemas
              if set(schema) - KEYWORDS and not all(key.startswith("x-") for key in set(schema) - KEYWORDS)]
    assert not strays, strays


def test_every_required_property_is_declared() -> None:
    """A name in `required` that `properties` does not declare gets no type in a generated client
    (`meta.timings_ms.total` was only an additionalProperties number)."""
    undeclared = [
        (where, name)
        for where, schema in every_schema()
        for name in schema.get("required", [])
        if name not in schema.get("properties", {})
    ]
    assert not undeclared, undeclared


def test_request_bodies_are_one_object_type_for_a_code_generator() -> None:
    """`/v1/score`'s body said "text or title" with an `anyOf` of two `required` lists beside its
    properties: `openapi-python-client` made it `ScoreRequestType0 | ScoreRequestType1`, one with
    only `text` (typed Any), one with only `title`, so `language`, `checks` and the rest could only
    be set as untyped extra keys; `openapi-typescript` made a union with `{text: unknown}`."""
    for path, method, operation in _operations():
        for media_type, media in operation.get("requestBody", {}).get("content", {}).items():
            composed = {"anyOf", "oneOf", "allOf"} & set(_deref(media["schema"]))
            assert not composed, f"{method.upper()} {path} {media_type}: {composed}"


def test_a_score_request_needs_a_text_or_a_title() -> None:
    """The rule the anyOf said, as the if/else says it now."""
    import jsonschema

    document = {"$ref": "#/components/schemas/ScoreRequest", "components": SPEC["components"]}
    validator = jsonschema.Draft202012Validator(document)
    for valid in ({"text": "x"}, {"title": "x"}, {"title": "x", "text": " "}, {"title": None, "text": "x"}):
        assert validator.is_valid(valid), valid
    for invalid in ({}, {"text": " "}, {"title": None}, {"title": " "}, {"language": "en-GB"},
                    {"title": None, "text": ""}):
        assert not validator.is_valid(invalid), invalid


# Keys a response of these schemas sends only sometimes: every other key the service sends must be
# `required`, or a generated client types it as possibly missing (`Unset` in Python, `?` in
# TypeScript) and every reader has to check for what is always there.
SOMETIMES = {
    "SectionBase": {"error"},  # an unavailable section only
    "GrammarSection": {"server_version"},  # not on an unavailable section
    "Issue": {"grade", "probability"},  # readability's and the model's findings only
    "Issue.rule": {"url"},  # a rule with a link only
    "Report.checks": {"grammar", "readability", "phrasing", "clickbait"},  # the requested ones
    "Meta.timings_ms": {"grammar", "readability", "phrasing", "clickbait"},  # not from the cache
    "Problem": {"errors", "request_id", "unavailable"},
}


def _resolve(schema: dict) -> tuple[str | None, dict]:
    return schema["$ref"].rsplit("/", 1)[1] if "$ref" in schema else None, _deref(schema)


def _object_parts(schema: dict, name: str) -> Iterator[tuple[str, dict]]:
    """The schema and its allOf parts, each with the name SOMETIMES knows it by."""
    yield name, schema
    for part in schema.get("allOf", []):
        ref, part = _resolve(part)
        yield from _object_parts(part, ref or name)


def _unpromised(schema: dict, value: object, name: str) -> Iterator[str]:
    """Keys of ``value`` that its schema neither requires nor lists in SOMETIMES."""
    ref, schema = _resolve(schema)
    name = ref or name
    for choice in schema.get("oneOf", []):
        if value is not None and choice.get("type") != "null":
            yield from _unpromised(choice, value, name)
    if isinstance(value, list) and "items" in schema:
        for item in value:
            yield from _unpromised(schema["items"], item, f"{name}[]")
    if not isinstance(value, dict):
        return
    properties: dict[str, dict] = {}
    required: set[str] = set()
    for part_name, part in _object_parts(schema, name):
        properties.update(part.get("properties", {}))
        required |= set(part.get("required", [])) | SOMETIMES.get(part_name, set())
    for key, item in value.items():
        if key in properties:
            if key not in required:
                yield f"{name}.{key}"
            yield from _unpromised(properties[key], item, f"{name}.{key}")
        elif isinstance(schema.get("additionalProperties"), dict):
            yield from _unpromised(schema["additionalProperties"], item, f"{name}.*")


def test_what_the_service_always_sends_is_required(client, seed_text: str, seed_title: str) -> None:
    """Across reports with and without a headline, the rule list, a headline batch and a problem:
    `openapi-python-client` typed the readability section's metrics, grade and clarity, the
    clickbait section's headline and threshold, a cue's features, the model's version, a rule's
    description and a problem's instance as possibly missing, though every answer has them."""
    reports = [
        client.post("/v1/score", json={"text": seed_text, "title": seed_title}),
        client.post("/v1/score", json={"text": "It was decided by the board.\n\nHe go home.", "format": "markdown"}),
        client.post("/v1/score", json={"title": "You won't believe what happened next"}),
    ]
    answers = [
        *[(response, "Report") for response in reports],
        (client.get("/v1/rules"), "RuleList"),
        (client.post("/v1/clickbait", json={"headlines": [seed_title, "Budget approved"]}), "ClickbaitResponse"),
        (client.post("/v1/score", json={"text": " ", "checks": ["nope"]}), "Problem"),
    ]
    loose = set()
    for response, schema in answers:
        assert response.status_code in (200, 422), response.get_data(as_text=True)
        loose |= set(_unpromised({"$ref": f"#/components/schemas/{schema}"}, response.get_json(), schema))
    assert not loose, sorted(loose)


def _responses() -> Iterator[tuple[str, str, dict]]:
    for path, method, operation in _operations():
        for status, response in operation["responses"].items():
            yield f"{method.upper()} {path}", status, _deref(response, "responses")


def _header(response: dict, name: str) -> dict | None:
    header = response.get("headers", {}).get(name)
    return _deref(header, "headers") if header else header


def test_the_headers_a_client_reads_are_declared() -> None:
    """`X-Request-ID` (on every answer of the app: what a CMS logs and quotes to whoever runs
    copydesk) was declared on none, and `Retry-After` on a 429 or 503, `WWW-Authenticate` on a
    401, `Allow` on an OPTIONS answer and the `ETag` of a 304 were optional, so a generated
    client could not count on them. The HTTP server's own 414 and 431 carry no id; its 400, 501,
    500 and 503 (a connection past the number a worker keeps open, on any path) may stand where
    the app's would."""
    server_may_answer = {"400", "500", "501", "503"}
    for where, status, response in _responses():
        request_id = _header(response, "X-Request-ID")
        if status in ("414", "431"):
            assert request_id is None, f"{where} {status}"
            continue
        assert request_id is not None, f"{where} {status} does not declare X-Request-ID"
        # A response shared with one of those cannot promise the id (/v2's 408, 413 and 415 do not share one).
        shared = any(other is response for _, code, other in _responses() if code in server_may_answer)
        assert request_id.get("required", False) is not (status in server_may_answer or shared), f"{where} {status}"
        if status in ("429", "503") and where.split()[0] != "HEAD":
            assert _header(response, "Retry-After").get("required") is True, f"{where} {status}"
        if status == "401" and where.split()[0] != "HEAD":
            assert _header(response, "WWW-Authenticate").get("required") is True, f"{where} {status}"
        if where.startswith("OPTIONS") and status == "204" and "Allow" in response.get("headers", {}):
            assert _header(response, "Allow").get("required") is True, where
    assert _header(SPEC["paths"]["/v1/score"]["post"]["responses"]["304"], "ETag").get("required") is True


def test_the_request_id_is_the_clients_own_when_it_is_well_formed(client) -> None:
    """What the RequestId header's description promises, through the contract client (which holds
    every answer to the declared header)."""
    mine = client.post("/v1/clickbait", json={"headlines": ["Budget approved"]}, headers={"X-Request-ID": "cms:42"})
    assert mine.headers["X-Request-ID"] == "cms:42"
    made = client.post("/v1/clickbait", json={"headlines": ["Budget approved"]}, headers={"X-Request-ID": "a b"})
    assert made.headers["X-Request-ID"] not in ("", "a b")
    problem = client.post("/v1/clickbait", json={"headlines": []}, headers={"X-Request-ID": "cms:43"})
    assert problem.status_code == 422
    assert problem.get_json()["request_id"] == problem.headers["X-Request-ID"] == "cms:43"


def _examples() -> Iterator[tuple[str, dict, object]]:
    """Every example of the document with the schema it illustrates."""
    for where, schema in every_schema():
        if "example" in schema:
            yield where, schema, schema["example"]
    holders = [(f"#/components/responses/{name}", r) for name, r in SPEC["components"]["responses"].items()]
    for path, method, operation in _operations():
        holders.append((f"{method.upper()} {path} body", operation.get("requestBody", {})))
        holders += [(f"{method.upper()} {path} {status}", r) for status, r in operation["responses"].items()]
    for where, holder in holders:
        for media_type, media in holder.get("content", {}).items():
            if "example" in media:
                yield f"{where} {media_type}", media["schema"], media["example"]


def test_every_example_is_valid_and_every_request_body_has_one() -> None:
    """`/v1/clickbait` had no example, so the API reference's "Try it out" and generated docs
    made one up from the schema; the 422 a client must handle had none either."""
    import jsonschema

    examples = list(_examples())
    assert len(examples) >= 5
    for where, schema, example in examples:
        validator = jsonschema.Draft202012Validator({**schema, "components": SPEC["components"]})
        assert not list(validator.iter_errors(example)), where
    for path, method, operation in _operations():
        if not path.startswith("/v1/"):
            continue
        for media_type, media in operation.get("requestBody", {}).get("content", {}).items():
            assert "example" in media or "example" in _deref(media["schema"]), f"{method.upper()} {path} {media_type}"


def test_the_422_example_is_what_the_service_answers(client) -> None:
    example = SPEC["components"]["responses"]["Invalid"]["content"]["application/problem+json"]["example"]
    response = client.post("/v1/score", json={"text": "Hi there.", "language": "xx"})
    assert response.status_code == 422
    answer = response.get_json()
    assert {**answer, "request_id": example["request_id"]} == example


REDOCLY = Path(__file__).parent / "clients" / "node_modules" / "@redocly" / "openapi-core"
# `redocly lint` through @redocly/openapi-core's Node API (the engine of Redocly's CLI): its
# problems with the rule, where and what, as JSON lines.
LINT = """
const [core, config, spec] = process.argv.slice(1);
const { lint, loadConfig } = require(core);
(async () => {
  const problems = await lint({ ref: spec, config: await loadConfig({ configPath: config }) });
  for (const p of problems) {
    console.log(JSON.stringify([p.severity, p.ruleId, p.location[0].pointer, p.message]));
  }
})().catch((error) => { console.error(error); process.exit(2); });
"""


def redocly_lint(spec: Path) -> list[list[str]]:
    result = subprocess.run(
        ["node", "-e", LINT, str(REDOCLY), str(PROJECT_ROOT / "redocly.yaml"), str(spec)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_redocly_lint_finds_nothing(tmp_path: Path) -> None:
    """Redocly's recommended rules, less the three that `redocly.yaml` turns off and says why."""
    assert REDOCLY.exists(), "run `make test` (it runs npm ci in tests/clients)"
    assert redocly_lint(PROJECT_ROOT / "openapi.yaml") == []
    # The same lint, on a copy with an operationId used twice, does find it.
    spec = (PROJECT_ROOT / "openapi.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "openapi.yaml"
    broken.write_text(spec.replace("operationId: scoreHeadlines\n", "operationId: score\n", 1), encoding="utf-8")
    assert [rule for _, rule, _, _ in redocly_lint(broken)] == ["operation-operationId-unique"]

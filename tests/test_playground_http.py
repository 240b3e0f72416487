"""The playground's files over HTTP (the browser tests in tests/browser/ use them for real):
served by the service itself, with the declared types, nothing from outside, no inline
script or style, and the security headers on every response."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from support import ContractClient, free_port

from service import create_app
from service.docs import SWAGGER_UI_DIR
from service.settings import PROJECT_ROOT
from service.web import ASSETS, STATIC_DIR


@pytest.fixture(scope="module")
def pages_app(data_dir: Path) -> Iterator:
    """No report is scored here, so no LanguageTool is needed: its address is a closed port."""
    app = create_app({"languagetool_url": f"http://127.0.0.1:{free_port()}", "data_dir": data_dir, "TESTING": True})
    app.test_client_class = ContractClient
    yield app
    app.extensions["copydesk"].scorer.close()


@pytest.fixture()
def client(pages_app):
    return pages_app.test_client()


def test_the_playground_page_is_served_at_the_root(client) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert '<script type="module" src="/web/main.js"></script>' in html
    assert 'data-api-keys="off"' in html, "no COPYDESK_API_KEYS_FILE: the key field starts hidden"
    assert "://" not in html, "every asset and link stays on this service"
    assert not re.search(r"<script(?![^>]*\bsrc=)", html), "no inline script (the CSP forbids it)"
    assert " style=" not in html and "<style" not in html, "no inline style (the CSP forbids it)"


def test_the_page_carries_the_services_text_limit(data_dir: Path) -> None:
    # The character count's limit is COPYDESK_MAX_TEXT_CHARS as this service has it, not a default.
    app = create_app({"languagetool_url": f"http://127.0.0.1:{free_port()}", "data_dir": data_dir,
                      "max_text_chars": 1234, "TESTING": True})
    try:
        html = app.test_client().get("/").get_data(as_text=True)
    finally:
        app.extensions["copydesk"].scorer.close()
    assert '<html lang="en" data-api-keys="off" data-max-text-chars="1234">' in html


def referenced_assets() -> set[str]:
    """Every file the page loads: from index.html, and the modules' imports, transitively."""
    html = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    found = set(re.findall(r'(?:src|href)="/web/([^"]+)"', html))
    pending = [name for name in found if name.endswith(".js")]
    while pending:
        source = (STATIC_DIR / pending.pop()).read_text(encoding="utf-8")
        for name in re.findall(r'from "\./([^"]+)"', source):
            if name not in found:
                found.add(name)
                pending.append(name)
    return found


def test_every_referenced_asset_is_served_with_its_type(client) -> None:
    assets = referenced_assets()
    assert {"main.js", "offsets.js", "playground.css", "favicon.svg"} <= assets
    types = {".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}
    for name in sorted(assets):
        with client.get(f"/web/{name}") as response:
            assert response.status_code == 200, name
            assert response.mimetype == types[name[name.rindex("."):]], name
            assert response.headers["Cache-Control"] == "no-cache"
            assert "://" not in response.get_data(as_text=True).replace("http://www.w3.org/", ""), name


def test_offsets_are_converted_in_one_module_only() -> None:
    # /v1 counts code points, JavaScript UTF-16 units: only offsets.js may deal with the difference.
    for path in STATIC_DIR.glob("*.js"):
        source = path.read_text(encoding="utf-8")
        converts = "charCodeAt" in source or "codePointAt" in source or "0xd800" in source.lower()
        assert converts == (path.name == "offsets.js"), path.name


@pytest.mark.parametrize("name", ["__init__.py", "index.html", "missing.js", "..%2Fdocs.py", "%C2%84"])
@pytest.mark.parametrize("method", ["GET", "OPTIONS"])
def test_nothing_else_is_served_under_web(client, name: str, method: str) -> None:
    response = client.open(f"/web/{name}", method=method)
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_an_asset_is_revalidated_with_its_etag_and_a_failed_precondition_is_a_problem(client) -> None:
    tag = client.get("/web/main.js").headers["ETag"]
    assert client.get("/web/main.js", headers={"If-None-Match": tag}).status_code == 304
    assert client.get("/web/main.js", headers={"If-Match": tag}).status_code == 200
    # If-Match naming another version: 412, as a problem body (not the file under a 412).
    refused = client.get("/web/main.js", headers={"If-Match": '"another-version"'})
    assert refused.status_code == 412
    assert refused.mimetype == "application/problem+json"
    assert refused.get_json()["type"] == "urn:copydesk:problem:precondition-failed"


@pytest.mark.parametrize(
    "path", ["/web/main.js", "/docs/swagger-ui.css", "/", "/openapi.yaml", "/docs/", "/docs/start.js"]
)
def test_a_files_preconditions_are_decided_in_rfc_9110s_order(client, path: str) -> None:
    """If-Match: * matches any file that exists (RFC 9110, 13.1.1); If-None-Match is decided after
    a matching If-Match (13.2.2); If-Match compares strongly, so a weak tag never matches. Werkzeug
    answered 412 to the first and 200 to the second, and left the file in a 412's body."""
    with client.get(path) as first:
        tag = first.headers["ETag"]

    def answer(method: str = "GET", **headers: str) -> tuple[int, str]:
        with client.open(path, method=method, headers={k.replace("_", "-"): v for k, v in headers.items()}) as response:
            return response.status_code, response.mimetype

    assert answer(If_Match="*")[0] == answer("HEAD", If_Match="*")[0] == 200
    assert answer(If_Match=f'"another-version", {tag}')[0] == 200
    assert answer(If_Match=tag, If_None_Match=tag)[0] == 304
    assert answer(If_Match="*", If_None_Match="*")[0] == 304
    assert answer(If_None_Match=f"W/{tag}")[0] == 304
    for failed in (f"W/{tag}", '"another-version"'):
        assert answer(If_Match=failed, If_None_Match=tag) == (412, "application/problem+json"), failed


@pytest.mark.parametrize("path", ["/", "/openapi.yaml", "/docs/", "/docs/start.js"])
def test_pages_and_the_contract_are_revalidated_not_downloaded_again(client, path: str) -> None:
    """A browser, or a client that polls the contract, downloads these again only when they
    changed; each fetch took the whole file before."""
    with client.get(path) as first:
        assert first.status_code == 200 and first.headers["Cache-Control"] == "no-cache"
        tag = first.headers["ETag"]
        assert not tag.startswith("W/"), "the bytes are the file's whole identity: a strong tag"
    for method in ("GET", "HEAD"):
        with client.open(path, method=method, headers={"If-None-Match": tag}) as again:
            assert again.status_code == 304, method
            assert again.get_data() == b"" and again.headers["ETag"] == tag


def test_the_page_is_a_new_version_when_its_settings_change(data_dir: Path, client) -> None:
    """The page carries two settings: a changed setting is a changed page, not a 304."""
    tag = client.get("/").headers["ETag"]
    app = create_app({"languagetool_url": f"http://127.0.0.1:{free_port()}", "data_dir": data_dir,
                      "max_text_chars": 1234, "TESTING": True})
    try:
        answer = app.test_client().get("/", headers={"If-None-Match": tag})
    finally:
        app.extensions["copydesk"].scorer.close()
    assert answer.status_code == 200 and answer.headers["ETag"] != tag


def test_the_contract_lists_exactly_the_served_assets(client) -> None:
    spec = yaml.safe_load((PROJECT_ROOT / "openapi.yaml").read_text(encoding="utf-8"))
    (parameter,) = spec["paths"]["/web/{asset}"]["parameters"]
    assert parameter["schema"]["enum"] == ASSETS
    assert referenced_assets() <= set(ASSETS)


@pytest.mark.parametrize("path", ["/", "/web/main.js", "/docs/", "/healthz", "/openapi.yaml", "/no-such-page"])
def test_every_response_carries_the_security_headers(client, path: str) -> None:
    with client.get(path) as response:
        headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "connect-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy


def test_docs_serve_a_swagger_ui_that_reads_openapi_3_1(client) -> None:
    page = client.get("/docs/").get_data(as_text=True)
    assert '<script src="start.js"></script>' in page and "<script>" not in page
    start = client.get("/docs/start.js")
    assert start.mimetype == "text/javascript"
    assert b'url: "../openapi.yaml"' in start.data and b"validatorUrl: null" in start.data
    with client.get("/docs/swagger-ui-bundle.js") as bundle:
        assert bundle.status_code == 200 and len(bundle.data) > 1_000_000
    # Swagger UI reads OpenAPI 3.1 from version 5 on; 4.x cannot render our contract.
    assert (SWAGGER_UI_DIR / "VERSION").read_text().strip().lstrip("v").split(".")[0] == "5"
    assert (SWAGGER_UI_DIR / "LICENSE").exists()


def test_docs_serve_only_the_files_the_page_loads_and_redirect_relative(client) -> None:
    """Behind a proxy that serves the app under a path prefix, a redirect to an absolute /docs/
    drops the prefix; Swagger UI's oauth2-redirect.html, which no flow of this API uses, is not
    served (nor the wheel's other unused files)."""
    redirected = client.get("/docs")
    assert redirected.status_code in (301, 302, 308) and redirected.headers["Location"] == "docs/"
    page = client.get("/docs/").get_data(as_text=True)
    for asset in re.findall(r'(?:src|href)="([^"]+)"', page):
        with client.get("/docs/" + asset) as loaded:
            assert loaded.status_code == 200, asset
    for unused in ("oauth2-redirect.html", "oauth2-redirect.js", "index.css", "swagger-ui.js", "VERSION"):
        assert (SWAGGER_UI_DIR / unused).exists()  # there, and still not served
        assert client.get("/docs/" + unused).status_code == 404, unused
        assert client.options("/docs/" + unused).status_code == 404, unused
    with client.get("/docs/LICENSE") as licence:
        assert licence.status_code == 200


def test_a_range_of_a_swagger_ui_file_is_served_or_refused_as_the_contract_says(client) -> None:
    """Swagger UI's files are served in ranges; a range they cannot answer is a 416 problem of a
    kind the contract names (it was ``http-416``, named nowhere)."""
    spec = yaml.safe_load((PROJECT_ROOT / "openapi.yaml").read_text(encoding="utf-8"))
    kinds = " ".join(spec["components"]["schemas"]["Problem"]["properties"]["type"]["description"].split())
    with client.get("/docs/LICENSE", headers={"Range": "bytes=0-9"}) as part:
        assert (part.status_code, len(part.get_data())) == (206, 10)
    for unanswerable in ("bytes=5-1", "bytes=0-1,4-5", "bytes=99999999-"):
        refused = client.get("/docs/LICENSE", headers={"Range": unanswerable})
        assert refused.status_code == 416 and refused.mimetype == "application/problem+json", unanswerable
        kind = refused.get_json()["type"].removeprefix("urn:copydesk:problem:")
        assert kind == "range-not-satisfiable" and f"{kind} (416" in kinds

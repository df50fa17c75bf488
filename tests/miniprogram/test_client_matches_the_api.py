"""The mini program's API client cannot drift from the server: every route it calls is in the OpenAPI schemas,
and the copies of those schemas its jest tests validate every request against (miniprogram/openapi.json,
miniprogram/allauth-openapi.json; see miniprogram/test/api-contract.test.js) are the server's current ones."""
import json
import re
from pathlib import Path

from django.core.management import call_command

MINIPROGRAM = Path(__file__).resolve().parents[2] / "miniprogram"
ROUTE = re.compile(r"^\s*(\w+): \['(GET|POST|PUT|PATCH|DELETE)', '([^']+)'\],", re.MULTILINE)


def client_routes() -> list[tuple[str, str, str]]:
    routes = ROUTE.findall((MINIPROGRAM / "api" / "routes.js").read_text())
    assert len(routes) > 10, "routes.js lost its one-route-per-line form"
    return routes


def test_every_rest_route_the_client_calls_is_in_the_regenerated_schema(tmp_path):
    schema_file = tmp_path / "openapi.json"
    call_command("spectacular", file=str(schema_file), format="openapi-json")
    paths = json.loads(schema_file.read_text())["paths"]
    missing = [
        f"{name}: {method} {path}" for name, method, path in client_routes()
        if path.startswith("/api/") and method.lower() not in paths.get(path, {})
    ]
    assert missing == []


def test_the_schema_kept_beside_the_mini_program_is_current(tmp_path):
    """miniprogram/openapi.json is what front-end work reads; regenerate it with manage.py spectacular."""
    schema_file = tmp_path / "openapi.json"
    call_command("spectacular", file=str(schema_file), format="openapi-json")
    assert json.loads(schema_file.read_text())["paths"].keys() == json.loads(
        (MINIPROGRAM / "openapi.json").read_text()
    )["paths"].keys(), "run: .venv/bin/python manage.py spectacular --format openapi-json --file miniprogram/openapi.json"


def test_every_sign_in_route_the_client_calls_is_in_allauths_headless_schema():
    from allauth.headless.spec.internal.schema import get_schema

    spec = get_schema()
    missing = []
    for name, method, path in client_routes():
        if not path.startswith("/_allauth/"):
            continue
        # allauth documents /_allauth/{client}/v1/... ; the mini program is the "app" client.
        documented = [p for p in spec["paths"] if p.replace("{client}", "app") == path]
        if not any(method.lower() in spec["paths"][p] for p in documented):
            missing.append(f"{name}: {method} {path}")
    assert missing == []


# --- the copies the mini program's jest tests validate against (miniprogram/test/api-contract.test.js) ----

# Words change with translations (the lead's .po files) and do not change what a request may carry.
WORDS = {"description", "summary", "title", "example", "examples"}


def _deref(spec: dict, node, seen=()):
    """``node`` with every local $ref inlined and its words dropped (so enum component names such as
    Method47fEnum, which hash translated labels, do not matter either)."""
    if isinstance(node, list):
        return [_deref(spec, item, seen) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        ref = node["$ref"]
        if ref in seen:
            return {"$ref": ref}
        target = spec
        for key in ref.removeprefix("#/").split("/"):
            target = target[key]
        return _deref(spec, {**target, **{k: v for k, v in node.items() if k != "$ref"}}, (*seen, ref))
    return {key: _deref(spec, value, seen) for key, value in node.items() if key not in WORDS}


def _generated_schema(tmp_path) -> dict:
    schema_file = tmp_path / "openapi.json"
    call_command("spectacular", file=str(schema_file), format="openapi-json")
    return json.loads(schema_file.read_text())


REGENERATE = "run: .venv/bin/python manage.py spectacular --format openapi-json --file miniprogram/openapi.json"


def test_what_the_client_sends_and_reads_is_current_in_the_kept_schema(tmp_path):
    """Every operation the mini program calls — parameters, request body, responses — reads the same in
    miniprogram/openapi.json as in the schema the server makes now (words aside)."""
    generated = _generated_schema(tmp_path)
    kept = json.loads((MINIPROGRAM / "openapi.json").read_text())
    stale = []
    for name, method, path in client_routes():
        if not path.startswith("/api/"):
            continue
        now = _deref(generated, generated["paths"][path][method.lower()])
        then = _deref(kept, kept["paths"].get(path, {}).get(method.lower()))
        if now != then:
            stale.append(f"{name}: {method} {path}")
    assert stale == [], REGENERATE


ALLAUTH_SPEC = MINIPROGRAM / "allauth-openapi.json"
REGENERATE_ALLAUTH = (
    "run: .venv/bin/python manage.py shell -c \"import json; from django.test import Client; "
    "json.dump(Client().get('/_allauth/openapi.json').json(), open('miniprogram/allauth-openapi.json', 'w'), "
    "indent=1, ensure_ascii=False)\""
)


def test_the_allauth_schema_kept_beside_the_mini_program_is_the_one_the_server_serves(client):
    """HEADLESS_SERVE_SPECIFICATION serves allauth's headless spec for this configuration (sign-up fields,
    clients, enabled endpoints); the mini program's jest tests validate its sign-in calls against the copy."""
    served = client.get("/_allauth/openapi.json")
    assert served.status_code == 200
    assert served.json() == json.loads(ALLAUTH_SPEC.read_text()), REGENERATE_ALLAUTH


def test_the_sign_in_and_sign_up_calls_are_in_the_kept_allauth_schema():
    spec = json.loads(ALLAUTH_SPEC.read_text())
    missing = []
    for name, method, path in client_routes():
        if path.startswith("/_allauth/"):
            documented = [p for p in spec["paths"] if p.replace("{client}", "app") == path]
            if not any(method.lower() in spec["paths"][p] for p in documented):
                missing.append(f"{name}: {method} {path}")
    assert missing == []
    assert {"signUp", "verifyPhone"} <= {name for name, _, _ in client_routes()}


# --- lists the mini program keeps in step with the server's choices -----------------------------------

FORMAT_JS = MINIPROGRAM / "utils" / "format.js"


def test_the_complaint_categories_are_the_servers():
    """The complaint API documents its categories only in words; the mini program's picker must offer
    exactly the server's (ratings.models.ComplaintCategory)."""
    from ratings.models import ComplaintCategory

    text = FORMAT_JS.read_text()
    block = text[text.index("const COMPLAINT_CATEGORIES"):]
    block = block[: block.index("];")]
    assert re.findall(r"value: '(\w+)'", block) == list(ComplaintCategory.values)


def test_every_request_status_has_a_label_in_the_mini_program():
    from marketplace.models import RequestStatus

    text = FORMAT_JS.read_text()
    block = text[text.index("const STATUS_LABELS"):]
    block = block[: block.index("};")]
    assert set(re.findall(r"(\w+): '", block)) == set(RequestStatus.values)

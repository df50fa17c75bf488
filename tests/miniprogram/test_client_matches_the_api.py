"""The mini program's API client cannot drift from the server: every route it calls is in the OpenAPI schemas."""
import json
import re
from pathlib import Path

import pytest
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

"""The OpenAPI document describes every route the app serves (a meta-test, as STYLE.md asks)."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

DOCUMENTED_PREFIXES = ("/api/v1", "/t/", "/healthz")
IGNORED_METHODS = {"HEAD", "OPTIONS"}


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule)


def test_every_route_and_method_is_in_the_document(app: Flask, client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.1")  # type: ignore[index]
    paths = document["paths"]  # type: ignore[index]
    served = [
        (_openapi_path(rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(DOCUMENTED_PREFIXES)
        for method in sorted((rule.methods or set()) - IGNORED_METHODS)
    ]
    assert len(served) >= 10
    missing = [(p, m) for p, m in served if m not in paths.get(p, {})]
    assert missing == []


def test_every_documented_operation_is_served(app: Flask, client: FlaskClient) -> None:
    paths = client.get("/api/v1/openapi.json").json["paths"]  # type: ignore[index]
    served = {_openapi_path(rule.rule) for rule in app.url_map.iter_rules()}
    assert set(paths) - served == set()


def test_public_routes_are_marked_as_needing_no_token(client: FlaskClient) -> None:
    paths = client.get("/api/v1/openapi.json").json["paths"]  # type: ignore[index]
    for path, method in [("/healthz", "get"), ("/api/v1/pair", "post"), ("/t/{token}.gif", "get")]:
        assert paths[path][method]["security"] == []
    assert "security" not in paths["/api/v1/threads/analyze"]["post"]  # the global bearer applies

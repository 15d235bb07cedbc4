"""The OpenAPI document describes every route the app serves (a meta-test, as STYLE.md asks)."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

DOCUMENTED_PREFIXES = ("/api/v1", "/t/", "/healthz", "/pair")
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
    for path, method in [
        ("/healthz", "get"),
        ("/api/v1/pair", "post"),
        ("/pair", "get"),
        ("/api/v1/pair/local", "post"),
        ("/t/{token}.gif", "get"),
    ]:
        assert paths[path][method]["security"] == []
    assert "security" not in paths["/api/v1/threads/analyze"]["post"]  # the global bearer applies


def _refs(node: object) -> list[str]:
    if isinstance(node, dict):
        return [v for k, v in node.items() if k == "$ref"] + [
            r for v in node.values() for r in _refs(v)
        ]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def test_every_body_is_a_described_schema_a_client_generator_can_use(client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").json
    schemas = document["components"]["schemas"]  # type: ignore[index]
    assert {f"#/components/schemas/{name}" for name in schemas} >= set(_refs(document))
    loose = []
    for path, item in document["paths"].items():  # type: ignore[index]
        for method, op in item.items():
            bodies = [op.get("requestBody", {}), *op["responses"].values()]
            for body in bodies:
                for media, content in body.get("content", {}).items():
                    if media == "application/json" and "$ref" not in content["schema"]:
                        loose.append((path, method))
    assert loose == [("/api/v1/openapi.json", "get")]  # the document describes itself


def test_the_analyze_operation_is_the_contracts(client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").json
    op = document["paths"]["/api/v1/threads/analyze"]["post"]  # type: ignore[index]
    assert op["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/AnalyzeRequest"
    )
    assert op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/Analysis"
    )
    report = document["components"]["schemas"]["ThreadReport"]  # type: ignore[index]
    assert {"display", "recommendation", "level", "complete"} <= set(report["properties"])

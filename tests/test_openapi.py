"""The OpenAPI document: valid OpenAPI 3.1, and in step with the routes the server has."""

from __future__ import annotations

from openapi_spec_validator import validate

from emulator.admin.openapi import document
from emulator.app import create_app, routes
from emulator.scenario import load_text
from tests.helpers import BASE

METHODS = {"get", "post", "put", "delete", "patch"}


def served_routes() -> set[tuple[str, str]]:
    """(method, path) of every route the app answers, provider routes by their documented method."""
    app = create_app(load_text(BASE))
    served = {("post" if r.source == "form" else "get", r.path) for r in routes()}
    for subapp in app._subapps:  # the admin app, mounted at /_emulator/
        for route in subapp.router.routes():
            if route.method != "HEAD":
                served.add((route.method.lower(), route.resource.canonical))
    return served


def documented_routes(doc) -> set[tuple[str, str]]:
    return {
        (method, path)
        for path, item in doc["paths"].items()
        for method in item
        if method in METHODS
    }


def test_the_document_is_valid_openapi_3_1():
    doc = document()
    assert doc["openapi"].startswith("3.1")
    validate(doc)


def test_every_route_is_documented_and_every_documented_route_is_served():
    assert documented_routes(document()) == served_routes()


ERRORS = {
    "/api/account/": "Errors: -1000.",
    "/api/getrate/": "Errors: -1000, -1001, -1002.",
    "/api/callback/": "Errors: -1000..-1005.",
    "/api/callhistory/": "Errors: -1000, -1001.",
    "/api/getdidminutes/": "Errors: -1000, -1001.",
}


def test_each_callwithus_summary_names_the_documents_error_codes():
    paths = document()["paths"]
    for path, errors in ERRORS.items():
        assert paths[path]["post"]["summary"].endswith(errors), path
    assert "a code 0..10" in paths["/api/playback/"]["get"]["summary"]


async def test_it_is_served_as_json(client):
    response = await client.get("/_emulator/openapi.json")
    assert response.content_type == "application/json"
    assert await response.json() == document()

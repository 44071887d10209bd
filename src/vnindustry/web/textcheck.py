"""Control characters refused at the door: 422 problem+json for every route, on every backend (issue 12).

A NUL typed into a login, a comment or a query parameter reached PostgreSQL, which cannot store it in text, and
the request failed with 500 (SQLite stored it). Checking field by field would miss the next route; this ASGI
middleware checks every piece of text a request carries before any route sees it:

- the path (path parameters are text) and every query parameter, name and value, percent-decoded;
- the fields of an ``application/x-www-form-urlencoded`` body (the portal's HTML forms);
- every string of a JSON body (``application/json`` or ``…+json``, or no content type at all, which FastAPI also
  reads as JSON), keys included, after JSON unescaping — so ``"\\u0000"`` is caught as well as a raw byte.

Refused: the C0 controls U+0000–U+001F, DEL U+007F and the C1 controls U+0080–U+009F, and (in JSON) lone UTF-16
surrogates U+D800–U+DFFF, which no UTF-8 database can store either. The one decision: TAB, LF and CR are accepted
in bodies (form fields and JSON strings), because comments and reasons are typed in text areas that send line
breaks (CRLF) and people paste tabs from spreadsheets; they are refused in the URL, where no parameter needs them.
Multipart bodies (the Excel upload) are exempt: the file is binary, and its cells are checked by the workbook
reader (:mod:`vnindustry.portal.excel`); their small text fields are a CSRF token and product codes, compared
with known values.

The body is buffered to be checked and replayed to the app unchanged; it is already bounded by
:class:`~vnindustry.web.limits.BodyLimitMiddleware`, which must wrap this middleware (be added after it).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from typing import Any
from urllib.parse import parse_qsl

from vnindustry.web.problems import PROBLEM_JSON, problem_body

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Any]]
Send = Callable[[Any], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

BODY_WHITESPACE = frozenset("\t\n\r")  # accepted in bodies (text areas), refused in the URL
TITLE = "Control character in the request"


def bad_character(text: str, *, allow: frozenset[str] = frozenset()) -> tuple[int, str] | None:
    """``(position, character)`` of the first control character (or lone surrogate) of ``text`` not in
    ``allow``, or None."""
    for i, ch in enumerate(text):
        o = ord(ch)
        if (o < 0x20 or 0x7F <= o <= 0x9F or 0xD800 <= o <= 0xDFFF) and ch not in allow:
            return i, ch
    return None


def _name(ch: str) -> str:
    o = ord(ch)
    names = {0: "NUL", 9: "TAB", 10: "LF, a line break", 13: "CR, a line break", 0x1B: "ESC", 0x7F: "DEL"}
    if o in names:
        return f"U+{o:04X} ({names[o]})"
    if 0xD800 <= o <= 0xDFFF:
        return f"U+{o:04X} (a lone surrogate, not a character)"
    return f"U+{o:04X} ({unicodedata.name(ch, 'a control character')})"


def _json_strings(value: Any, where: str) -> Iterator[tuple[str, str]]:
    """``(where, text)`` for every key and string of a JSON document (``where``: a JSON-pointer-like path)."""
    stack = [(value, where)]
    while stack:
        item, at = stack.pop()
        if isinstance(item, str):
            yield at, item
        elif isinstance(item, dict):
            for k, v in item.items():
                yield f"{at}/{k}", k
                stack.append((v, f"{at}/{k}"))
        elif isinstance(item, list):
            stack.extend((v, f"{at}/{i}") for i, v in enumerate(item))


def _media_type(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"content-type":
            return value.decode("latin-1").split(";", 1)[0].strip().lower()
    return ""


class ControlCharacterMiddleware:
    """422 problem+json (or the portal's error page, for a browser) for a control character in any text."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    def _check_url(self, scope: Scope) -> str | None:
        path = scope.get("path", "")
        if found := bad_character(path):
            return f"the path contains the control character {_name(found[1])} at position {found[0] + 1}"
        query = scope.get("query_string", b"").decode("latin-1")
        # Percent-decoded as UTF-8 (invalid bytes become U+FFFD, harmless), as Starlette reads them.
        for key, value in parse_qsl(query, keep_blank_values=True, encoding="utf-8", errors="replace"):
            for part, text in (("name", key), ("value", value)):
                if found := bad_character(text):
                    what = f"the query parameter {key!r}" if part == "value" else "a query parameter name"
                    return f"{what} contains the control character {_name(found[1])} at position {found[0] + 1}"
        return None

    @staticmethod
    def _check_body(media: str, body: bytes) -> str | None:
        if media == "application/x-www-form-urlencoded":
            text = body.decode("latin-1")
            for key, value in parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="replace"):
                for shown, part in ((f"the form field {key!r}", value), ("a form field name", key)):
                    if found := bad_character(part, allow=BODY_WHITESPACE):
                        return f"{shown} contains the control character {_name(found[1])} at position {found[0] + 1}"
            return None
        if media in ("application/json", "") or media.endswith("+json"):
            try:
                document = json.loads(body)
            except (ValueError, UnicodeDecodeError):
                return None  # not JSON: the route answers that itself (422)
            for where, text in _json_strings(document, ""):
                if found := bad_character(text, allow=BODY_WHITESPACE):
                    field = where or "/"
                    return (f"the JSON string at {field} contains the control character {_name(found[1])} at "
                            f"position {found[0] + 1}")
        return None

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, detail: str) -> None:
        detail += ("; remove it and send again (tabs and line breaks are accepted only inside form fields and JSON "
                   "text, such as comments)")
        from starlette.requests import Request

        request = Request(scope, receive)
        app = scope.get("app")
        hook = getattr(getattr(app, "state", None), "html_errors", None)
        page = hook(request, 422, detail, TITLE) if hook is not None else None
        if page is not None:  # a browser on a portal page gets the portal's error page
            await page(scope, receive, send)
            return
        query = scope.get("query_string", b"").decode("latin-1")
        body = problem_body(422, detail, scope.get("path", "") + (f"?{query}" if query else ""), title=TITLE,
                            slug="control-character")
        await send({"type": "http.response.start", "status": 422, "headers": [
            (b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if (problem := self._check_url(scope)) is not None:
            await self._refuse(scope, receive, send, problem)
            return
        media = _media_type(scope)
        if media not in ("application/x-www-form-urlencoded", "application/json", "") and not media.endswith("+json"):
            await self.app(scope, receive, send)  # no body, or a multipart/binary one: exempt
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                await self.app(scope, _replay([message], receive), send)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if (problem := self._check_body(media, body)) is not None:
            await self._refuse(scope, receive, send, problem)
            return
        await self.app(scope, _replay([{"type": "http.request", "body": body, "more_body": False}], receive), send)


def _replay(messages: list[dict[str, Any]], receive: Receive) -> Receive:
    """A ``receive`` that hands out ``messages`` first, then waits on the real one (for the disconnect)."""
    pending = list(messages)

    async def replayed() -> Any:
        if pending:
            return pending.pop(0)
        return await receive()

    return replayed


_METHODS = frozenset({"get", "put", "post", "delete", "patch", "head", "options", "trace"})


def document(app: Any) -> None:
    """Say in ``app``'s OpenAPI document that every operation may answer 422 problem+json (this middleware runs
    before every route, so any of them can; FastAPI's own 422 entry says application/json, but the app answers
    every error as problem+json — web/problems.py)."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if getattr(app, "_textcheck_documented", False):
            return app.openapi_schema  # type: ignore[no-any-return]
        schema = original()
        components = schema.get("components", {}).get("schemas", {})
        problem = ({"$ref": "#/components/schemas/ProblemModel"} if "ProblemModel" in components
                   else {"type": "object", "properties": {"type": {"type": "string"}, "title": {"type": "string"},
                                                          "status": {"type": "integer"},
                                                          "detail": {"type": "string"}}})
        for item in schema.get("paths", {}).values():
            for method, operation in item.items():
                if method not in _METHODS:
                    continue
                entry = operation.setdefault("responses", {}).setdefault(
                    "422", {"description": "problem details: a control character in the request, or an invalid "
                                           "parameter"})
                content = entry.setdefault("content", {})
                default = content.get("application/json", {}).get("schema", {}).get("$ref", "")
                if default.endswith("/HTTPValidationError"):
                    del content["application/json"]  # answered as problem+json, like every error
                content.setdefault(PROBLEM_JSON, {"schema": problem})
        app.openapi_schema = schema
        app._textcheck_documented = True
        return schema

    app.openapi = openapi

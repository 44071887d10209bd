"""What the public may see of where a figure came from: a document by its name, never the server's path
(``/srv/data/2025-02.xlsx!IIP!C12`` → ``2025-02.xlsx!IIP!C12``) — the store's public view applies it to every
observation's provenance and release file it answers with."""

from __future__ import annotations

import math
import re
from collections.abc import Callable

__all__ = ["document_name", "each_once", "public_provenance", "public_provenances"]

_SEPARATORS = re.compile(r"[\\/]+")
# A path: absolute (/…, \\…, C:…, ~…), relative (./, ../), or any text with a separator and no space (a sheet
# may be called "XK 1/2025", a folder "data/city").
_PATH = re.compile(r"^(?:[\\/~]|[A-Za-z]:|\.{1,2}[\\/])|^[^\s]*[\\/][^\s]*$")


def each_once(values: list[object], function: Callable[[object], str]) -> list[str]:
    """``[function(v) for v in values]``, calling ``function`` once per distinct value (a release's rows
    mostly share one file and a few provenances)."""
    done: dict[object, str] = {}
    out = []
    for v in values:
        try:
            found = done[v]
        except KeyError:
            found = done[v] = function(v)
        except TypeError:  # not hashable
            found = function(v)
        out.append(found)
    return out


def document_name(path: object) -> str:
    """The name of the document a path points at (its last part), for the public: ``/tmp/x/compile-2026-01``
    → ``compile-2026-01``; a name without a directory is kept as it is. Both / and \\ separate."""
    text = "" if path is None or (isinstance(path, float) and math.isnan(path)) else str(path)
    parts = [p for p in _SEPARATORS.split(text) if p]
    return parts[-1] if parts else ""


def _public_document(text: str) -> str:
    """A document as the public may see it: by name when ``text`` is a path, else as it is."""
    return document_name(text) if _PATH.search(text) else text


def public_provenance(provenance: object) -> str:
    """Provenance as the public may see it: ``document!cell`` with the document by name only."""
    text = "" if provenance is None or (isinstance(provenance, float) and math.isnan(provenance)) else str(provenance)
    document, bang, cell = text.rpartition("!")
    return f"{_public_document(document)}!{cell}" if bang else _public_document(text)


def public_provenances(values: list[object]) -> list[str]:
    """``[public_provenance(v) for v in values]``, each distinct value once (:func:`each_once`) and each document
    named once: a release's cells are all different (``file.xlsx!Sheet!C12``), their documents a few (57,000 rows,
    16,000 distinct cells and a few files in adjust --all's read)."""
    shown_as: dict[str, str] = {}

    def shown(v: object) -> str:
        if type(v) is str and "!" in v:
            document, _, cell = v.rpartition("!")
            name = shown_as.get(document)
            if name is None:
                name = shown_as[document] = _public_document(document)
            return v if name is document else f"{name}!{cell}"
        return public_provenance(v)

    return each_once(values, shown)

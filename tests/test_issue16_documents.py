"""Issue 16: the public view's provenance, each document named once (store/documents.public_provenances), is what
public_provenance gives value by value — paths of both kinds of separator, sheet names with a slash, cells
without a document, missing values."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from vnindustry.store.documents import public_provenance, public_provenances

PARTS = st.sampled_from(["/srv/data/", "C:\\Users\\a\\", "./", "../x/", "~/", "data/city/", "", "XK 1/2025",
                         "2025-02.xlsx", "IIP", "C12", "!", "!!", " ", "a b/c", "\\\\server\\share\\"])
VALUES = st.one_of(st.lists(PARTS, max_size=6).map("".join), st.none(), st.just(math.nan), st.integers(),
                   st.text(max_size=12))


@given(st.lists(VALUES, max_size=40))
def test_issue16_public_provenances_is_public_provenance_of_each(values: list[object]) -> None:
    assert public_provenances(values) == [public_provenance(v) for v in values]


def test_issue16_public_provenances_names_each_document() -> None:
    values = ["/srv/data/2025-02.xlsx!IIP!C12", "/srv/data/2025-02.xlsx!IIP!C13", "XK 1/2025!B4", "city.csv:12",
              None, "/tmp/compile-2026-01/iip.csv"]
    assert public_provenances(values) == ["2025-02.xlsx!IIP!C12", "2025-02.xlsx!IIP!C13", "XK 1/2025!B4",
                                          "city.csv:12", "", "iip.csv"]

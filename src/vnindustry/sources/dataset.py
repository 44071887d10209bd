"""The dataset folder: industry tree, products, groups and enterprises (see docs/dataset-format.md).

:func:`load_dataset` reads and checks the small tables; the production table is left on disk for the
compile engine to stream (:mod:`vnindustry.sources.production`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from vnindustry.errors import InputError
from vnindustry.sources.csvfile import iter_nonempty, positive_number, read_table

INDUSTRY_COLUMNS = ("code", "parent", "name_vi", "name_en", "weight")
PRODUCT_COLUMNS = ("code", "industry", "name_vi", "unit", "weight", "base_quantity")
GROUP_COLUMNS = ("group", "name_vi", "name_en", "industry")
ENTERPRISE_COLUMNS = ("enterprise", "name", "industry", "district", "ownership")
PRODUCTION_COLUMNS = ("enterprise", "product", "period", "quantity")
# A file of this name in the folder declares the dataset synthetic (made by a generator, not reported by
# enterprises): its compile is stored as a synthetic release, and every figure from it is marked
# "dữ liệu giả lập / synthetic data" (issue 13). Its text says what made it.
SYNTHETIC_MARKER = "SYNTHETIC"

# A parent weight written in the file may carry rounding; it must agree with the sum of its leaves
# to this relative tolerance.
WEIGHT_REL_TOL = 1e-6


@dataclass(frozen=True)
class Industry:
    """A node of the industry tree; ``weight`` is base-year value added (given on leaves)."""

    code: str
    parent: str | None
    name_vi: str
    name_en: str
    weight: float | None
    line: int


@dataclass(frozen=True)
class Product:
    """A product of a leaf industry: base-year production value (weight) and monthly mean quantity."""

    code: str
    industry: str
    name_vi: str
    unit: str
    weight: float
    base_quantity: float
    line: int


@dataclass(frozen=True)
class Group:
    """A special aggregate: the union of the leaves under its member nodes."""

    code: str
    name_vi: str
    name_en: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class Enterprise:
    """A reporting enterprise (optional register)."""

    code: str
    name: str
    industry: str
    district: str
    ownership: str


@dataclass(frozen=True)
class DatasetWarning:
    """A finding that does not stop the compile; written to validation.csv."""

    check: str
    message: str
    file: str = ""
    line: int | None = None
    code: str = ""


@dataclass
class Dataset:
    """The checked metadata of a dataset folder."""

    path: Path
    industries: dict[str, Industry]
    root: str
    children: dict[str, list[str]]
    products: list[Product]
    groups: list[Group]
    enterprises: dict[str, Enterprise] | None
    production_path: Path
    warnings: list[DatasetWarning] = field(default_factory=list)
    synthetic: bool = False  # the folder holds a SYNTHETIC marker (docs/dataset-format.md)

    @cached_property
    def leaves(self) -> list[str]:
        """Leaf industries that have products, in file order."""
        with_products = {p.industry for p in self.products}
        return [code for code in self.industries if code in with_products]

    @cached_property
    def nodes(self) -> list[str]:
        """Industries with at least one product below them (root first, then depth-first file order)."""
        active = set(self._leaves_below)
        out: list[str] = []

        def visit(code: str) -> None:
            if self._leaves_below.get(code):
                out.append(code)
                for child in self.children.get(code, []):
                    visit(child)

        visit(self.root)
        return [c for c in out if c in active]

    @cached_property
    def _leaves_below(self) -> dict[str, list[str]]:
        leaf_set = set(self.leaves)
        below: dict[str, list[str]] = {}

        def collect(code: str) -> list[str]:
            if code in below:
                return below[code]
            if code in leaf_set:
                result = [code]
            else:
                result = [leaf for child in self.children.get(code, []) for leaf in collect(child)]
            below[code] = result
            return result

        collect(self.root)
        return below

    def leaves_under(self, code: str) -> list[str]:
        """The leaves (with products) under an industry node or a group, in tree order, each once."""
        if code in self.industries:
            return list(self._leaves_below.get(code, []))
        group = next((g for g in self.groups if g.code == code), None)
        if group is None:
            raise KeyError(code)
        seen: dict[str, None] = {}
        for member in group.members:
            for leaf in self._leaves_below.get(member, []):
                seen[leaf] = None
        order = {leaf: i for i, leaf in enumerate(self.leaves)}
        return sorted(seen, key=order.__getitem__)

    def depth(self, code: str) -> int:
        """0 for the root, 1 for its children, …"""
        d = 0
        while (parent := self.industries[code].parent) is not None:
            code, d = parent, d + 1
        return d


def _production_file(folder: Path) -> Path:
    parquet, csv_ = folder / "production.parquet", folder / "production.csv"
    if parquet.is_file() and csv_.is_file():
        raise InputError("both production.csv and production.parquet are present", file=folder,
                         fix="keep only one of them")
    if parquet.is_file():
        return parquet
    if csv_.is_file():
        return csv_
    raise InputError("file not found", file=csv_, fix="the dataset needs production.csv or production.parquet")


def _read_industries(path: Path) -> tuple[dict[str, Industry], str, dict[str, list[str]]]:
    rows = read_table(path, INDUSTRY_COLUMNS)
    industries: dict[str, Industry] = {}
    for row, code in iter_nonempty(rows, "code", path):
        if code in industries:
            raise InputError(f"industry code '{code}' appears twice (first on line {industries[code].line})",
                             file=path, line=row.line, column="code", fix="each code must appear once")
        industries[code] = Industry(code, row["parent"] or None, row["name_vi"], row["name_en"],
                                    positive_number(row, "weight", path, required=False), row.line)
    if not industries:
        raise InputError("no industries", file=path, fix="list the industry tree, one row per node")
    roots = [i for i in industries.values() if i.parent is None]
    if len(roots) > 1:
        raise InputError(
            f"two or more roots (rows with an empty parent): {', '.join(f'{r.code} (line {r.line})' for r in roots)}",
            file=path, line=roots[1].line, column="parent",
            fix="the tree has a single root, the total; give every other row its parent",
        )
    children: dict[str, list[str]] = {code: [] for code in industries}
    for ind in industries.values():
        if ind.parent is None:
            continue
        if ind.parent not in industries:
            raise InputError(f"parent '{ind.parent}' of '{ind.code}' is not an industry code in this file",
                             file=path, line=ind.line, column="parent",
                             fix="add the parent as a row, or correct the code")
        if ind.parent == ind.code:
            raise InputError(f"'{ind.code}' is its own parent", file=path, line=ind.line, column="parent",
                             fix="give the code of the node above it, or leave parent empty for the root")
        children[ind.parent].append(ind.code)
    # Every node must reach the root without revisiting a node.
    for ind in industries.values():
        path_codes = [ind.code]
        code = ind.code
        while (parent := industries[code].parent) is not None:
            if parent in path_codes:
                cycle = " → ".join([*path_codes[path_codes.index(parent):], parent])
                raise InputError(f"the tree has a cycle: {cycle}", file=path, line=industries[parent].line,
                                 column="parent", fix="each chain of parents must end at the root")
            path_codes.append(parent)
            code = parent
    if not roots:
        raise InputError("no root (a row with an empty parent)", file=path, column="parent",
                         fix="give the total an empty parent")
    return industries, roots[0].code, children


def _read_products(path: Path, industries: dict[str, Industry], children: dict[str, list[str]]) -> list[Product]:
    rows = read_table(path, PRODUCT_COLUMNS)
    products: list[Product] = []
    seen: dict[str, int] = {}
    for row, code in iter_nonempty(rows, "code", path):
        if code in seen:
            raise InputError(f"product code '{code}' appears twice (first on line {seen[code]})",
                             file=path, line=row.line, column="code", fix="each product code must appear once")
        seen[code] = row.line
        industry = row["industry"]
        if industry == "":
            raise InputError("value is missing", file=path, line=row.line, column="industry",
                             fix="give the code of the product's leaf industry")
        if industry not in industries:
            raise InputError(f"unknown industry code '{industry}'", file=path, line=row.line, column="industry",
                             fix="use a code listed in industries.csv")
        if children[industry]:
            raise InputError(
                f"industry '{industry}' is not a leaf (it has sub-industries {', '.join(children[industry][:5])})",
                file=path, line=row.line, column="industry",
                fix="attach products to the most detailed industries only",
            )
        weight = positive_number(row, "weight", path)
        base = positive_number(row, "base_quantity", path)
        assert weight is not None and base is not None
        products.append(Product(code, industry, row["name_vi"], row["unit"], weight, base, row.line))
    if not products:
        raise InputError("no products", file=path, fix="list at least one product")
    return products


def _read_groups(path: Path, industries: dict[str, Industry]) -> list[Group]:
    rows = read_table(path, GROUP_COLUMNS)
    members: dict[str, list[str]] = {}
    names: dict[str, tuple[str, str]] = {}
    for row, code in iter_nonempty(rows, "group", path):
        if code in industries:
            raise InputError(f"group code '{code}' is also an industry code", file=path, line=row.line,
                             column="group", fix="give groups codes of their own, e.g. KEY4")
        member = row["industry"]
        if member not in industries:
            raise InputError(f"unknown industry code '{member}'", file=path, line=row.line, column="industry",
                             fix="members must be codes listed in industries.csv")
        members.setdefault(code, []).append(member)
        if code not in names or not names[code][0]:
            names[code] = (row["name_vi"], row["name_en"])
    return [Group(code, names[code][0], names[code][1], tuple(dict.fromkeys(m))) for code, m in members.items()]


def _read_enterprises(path: Path, industries: dict[str, Industry]) -> dict[str, Enterprise]:
    rows = read_table(path, ENTERPRISE_COLUMNS)
    out: dict[str, Enterprise] = {}
    lines: dict[str, int] = {}
    for row, code in iter_nonempty(rows, "enterprise", path):
        if code in out:
            raise InputError(f"enterprise '{code}' appears twice (first on line {lines[code]})", file=path,
                             line=row.line, column="enterprise")
        industry = row["industry"]
        if industry and industry not in industries:
            raise InputError(f"unknown industry code '{industry}'", file=path, line=row.line, column="industry",
                             fix="use a code listed in industries.csv, or leave it empty")
        out[code] = Enterprise(code, row["name"], industry, row["district"], row["ownership"])
        lines[code] = row.line
    return out


def load_dataset(folder: str | Path) -> Dataset:
    """Read and check a dataset folder's metadata; raises :class:`InputError` on bad input."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError("dataset folder not found", file=folder,
                         fix="give the folder holding industries.csv, products.csv and production.csv")
    industries_path = folder / "industries.csv"
    industries, root, children = _read_industries(industries_path)
    products = _read_products(folder / "products.csv", industries, children)
    groups = _read_groups(folder / "groups.csv", industries) if (folder / "groups.csv").is_file() else []
    enterprises = (
        _read_enterprises(folder / "enterprises.csv", industries)
        if (folder / "enterprises.csv").is_file()
        else None
    )
    ds = Dataset(folder, industries, root, children, products, groups, enterprises, _production_file(folder),
                 synthetic=(folder / SYNTHETIC_MARKER).is_file())

    for leaf in ds.leaves:
        ind = industries[leaf]
        if ind.weight is None:
            raise InputError(f"leaf industry '{leaf}' has products but no weight", file=industries_path,
                             line=ind.line, column="weight", fix="give its base-year value added")
    active = set(ds.nodes)
    for code, ind in industries.items():
        if code not in active:
            ds.warnings.append(DatasetWarning(
                "empty_industry", f"industry '{code}' has no products under it; it is left out of the output",
                industries_path.name, ind.line, code))
            continue
        if ind.weight is not None and code not in set(ds.leaves):
            total = math.fsum(industries[leaf].weight or 0.0 for leaf in ds.leaves_under(code))
            if not math.isclose(ind.weight, total, rel_tol=WEIGHT_REL_TOL):
                raise InputError(
                    f"weight {ind.weight:g} of '{code}' disagrees with the sum of its leaves' weights {total:.6g}",
                    file=industries_path, line=ind.line, column="weight",
                    fix="leave parent weights empty (they are computed) or correct them",
                )
    for group in groups:
        if not ds.leaves_under(group.code):
            raise InputError(f"group '{group.code}' has no industries with products", file=folder / "groups.csv",
                             column="industry", fix="list industries that have products under them")
    return ds

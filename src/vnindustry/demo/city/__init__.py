"""A synthetic "demo city": an HCMC-like industrial survey panel in the dataset-folder format.

:func:`generate_city` writes ``industries.csv``, ``products.csv``, ``production.csv``, ``groups.csv`` and
``enterprises.csv`` (see docs/dataset-format.md). Everything is drawn from one
``numpy.random.default_rng(seed)`` in a fixed order, so the same arguments give byte-identical files.

The model, per (enterprise, product, month)::

    quantity = level · trend · season · Tết · COVID · ramp-up · noise

* ``level``: a lognormal enterprise size (median by industry, ``data/leaves.csv``) split over the
  enterprise's 1–6 products (Dirichlet shares) and turned into a quantity with the product's base-year
  price (``data/products.csv``, million VND per unit).
* ``trend``: a few %/year by industry (some products override it, e.g. LED lamps up, fluorescent down),
  plus a small enterprise-specific deviation.
* ``season``: calendar-month profile (higher in Q4; school, Mid-Autumn, hot-season and salt-harvest
  patterns for some products).
* ``Tết``: a pre-Tết rush, the holiday and a slow restart, each a span of days around the Lunar New Year
  (:data:`TET_WINDOWS`); a month's factor depends on how many of those days fall in it, so a Tết on 29
  January splits the holiday between January and February as it does in the factories
  (:func:`tet_factors`). ``generate_city(tet="none")`` writes the same city without the effect and
  ``tet="typical"`` with the average effect of each calendar month in place of each year's own — what a
  Tết-adjusted series should come back to (see :mod:`vnindustry.demo.tet_effect`).
* ``COVID``: April 2020 social distancing and the July–September 2021 HCMC lockdown (August worst),
  scaled by the industry's sensitivity and varied by enterprise; medical masks go the other way.
* enterprises opening (with a three-month ramp-up) and closing during the span.

Then, as in a real survey: ~``nonresponse`` of the rows are dropped at random, a few enterprises go
silent for one or two months, and a handful of unit slips (a quantity ×1000, kg typed where tonnes
were due) are planted for the validation to find.

Weights: a product's ``weight`` is its base-year production value (price × base-year annual quantity,
billion VND) and ``base_quantity`` its base-year monthly mean over all enterprises, computed from the
generated data before non-response is removed (so the base year's mean index is ~100). A leaf's
``weight`` is its base-year value added: production value × an industry value-added ratio.

The catalogue is data, in ``demo/data/``:

* ``leaves.csv`` — one row per leaf industry (a VSIC division, group or class):
  ``enterprises`` (relative number of enterprises), ``size`` (median production value of an
  enterprise, billion VND a month), ``va_ratio`` (value added ÷ production value), ``trend`` (%/year),
  ``profile`` (seasonal pattern, see ``_PROFILES``) and ``covid`` (sensitivity to the COVID shocks;
  1 = manufacturing at large, 0 = untouched).
* ``products.csv`` — ``code,industry,name_vi,unit,price`` (price in million VND per unit) and optional
  per-product ``profile``, ``trend`` and ``covid`` overriding the leaf's (a negative ``covid``
  means output rose in the shocks, as for medical masks).

The industry mix (many garment, footwear, plastics, food, printing and metal-working firms; few but
large beverage, tobacco, electronics and utility firms; a little mining) and its value-added shares
are an assumption modelled loosely on Ho Chi Minh City, not official figures.

Modules: ``generate`` (:func:`generate_city` and the model's settings), ``seasonality`` (Tết dates, profiles,
:func:`tet_factors`), ``catalogue`` (the data files and the industry tree), ``enterprises`` (districts,
ownership, names), ``writing`` (the files, written atomically).
"""

from vnindustry.demo.city.catalogue import TOTAL_CODE
from vnindustry.demo.city.catalogue import TOTAL_NAME_EN as TOTAL_NAME_EN
from vnindustry.demo.city.catalogue import TOTAL_NAME_VI as TOTAL_NAME_VI
from vnindustry.demo.city.enterprises import DISTRICTS
from vnindustry.demo.city.generate import generate_city
from vnindustry.demo.city.seasonality import PROFILES, TET_DATES, TET_EFFECTS, TET_WINDOWS, tet_factors
from vnindustry.demo.city.seasonality import TetEffect as TetEffect

__all__ = ["DISTRICTS", "PROFILES", "TET_DATES", "TET_EFFECTS", "TET_WINDOWS", "TOTAL_CODE", "generate_city",
           "tet_factors"]

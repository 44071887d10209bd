"""Synthetic supplier–buyer linkage for the demo (issue 14). SYNTHETIC: invented enterprises, not real profiles.

:func:`generate_linkage` writes, into one folder:

* ``suppliers.csv`` and ``needs.csv`` in the formats of docs/linkage.md (read by
  :func:`vnindustry.linkage.read_suppliers` / :func:`~vnindustry.linkage.read_needs`);
* ``buyers.csv`` — ``buyer,name,district,ownership,sector,localisation_target_pct``: the buyers the needs
  name, with the share of input value they aim to buy in Viet Nam;
* ``purchases.csv`` — ``buyer,period,supplier,hs,value_vnd,supplier_located_in_vn,supplier_vn_owned``: each
  buyer's declared input purchases, monthly 2024-01..2025-12, from suppliers of ``suppliers.csv`` and from
  abroad (``IMP-xx``, located outside Viet Nam); the two flags are ``1``/``0``, so the localisation rates
  (value from suppliers located in VN, and from Vietnamese-owned ones, over all input value) are sums;
* ``SYNTHETIC`` — the marker the demo city also writes (:data:`vnindustry.sources.dataset.SYNTHETIC_MARKER`).

Everything is drawn from one ``numpy.random.default_rng(seed)`` in a fixed order (suppliers, then buyers'
needs, then purchases), so the same arguments give byte-identical files.

**Suppliers** come in speciality clusters (:data:`_CLUSTERS`) covering Ho Chi Minh City's four key industries
— mechanical engineering and metal products, electronics, chemicals–rubber–plastics, food processing (its
packaging and machinery) — and their supporting industries: die casting, precision machining, stamping,
fasteners, plastic injection, moulds, PCB assembly, wire harnesses, motors, rubber, packaging, surface
finishing, stainless fabrication for food machinery, forging, electrical parts, aluminium extrusion and
plastic compounding. A cluster gives its suppliers their trade word in the name, HS codes (one from the
cluster's main codes always, so a need of the cluster shares at least the HS heading with most of them),
processes (the cluster's core process and some optional ones, written in Vietnamese, in English or without
diacritics), how often each certification is held, materials, products and tolerances for the description,
capacity and how often the firm is foreign-invested. Certificates expire 2025-06..2028-12, about one in eight
before :data:`REFERENCE_DAY` (the day the demo is matched on), so some suppliers are filtered out for an
expired ISO 9001. About one description in ten is typed without diacritics, and a few mould makers list a
process that is not in the declared list (EDM), which the reader keeps with a warning.

**Buyers** (:data:`_BUYERS`) are mostly FDI manufacturers of electronics, power tools, motorcycles and auto
parts, household appliances, food machinery and processed food. ``B01`` is a power-tool maker in the Saigon
Hi-Tech Park (an invented name) localising motors, PCB assemblies, die-cast aluminium and plastic parts
towards a 70 % target (seven needs); the others draw 2–4 from the templates of their sector (:data:`_NEEDS`),
three a buyer in all (60 for the default 20 buyers), a part already asked for being less likely again. A need
asks for the processes and certifications of its template; when fewer than :data:`MIN_PLAUSIBLE` suppliers
would pass the matching's hard filters and share the need's HS heading, its last required certifications are
dropped until enough do. With the default sizes and seed every need keeps at least three such suppliers (the
tests check it); other seeds almost always do too (two needs short in 6,000 over seeds 0–99).

**Purchases**: a buyer's monthly input value (its size, a small trend, a dip in the month of Tết and a rise
in the month before) is split between imports, suppliers located in VN but foreign-owned and Vietnamese-owned
suppliers; the located-in-VN share moves linearly from a start to an end value below the buyer's target
(``B01``: 35 % → 50 %), and some domestic suppliers only start delivering during the span. Districts are
the pre-July-2025 ones (before the provinces merged), as in the demo city.

**Modules.** ``clusters`` (the speciality clusters), ``suppliers`` (the reference day, the names, places and
certification bodies, the draw of the suppliers), ``buyers`` (the buyers' catalogue), ``need_templates`` and
``needs`` (the templates and the draw of the needs), ``purchases`` (the declared purchases), ``draws`` (the random
draws and how drawn values are written), ``generate`` (:func:`generate_linkage`, writing the folder).
"""

from vnindustry.demo.linkage.buyers import BUYER_COLUMNS
from vnindustry.demo.linkage.generate import LinkageDemo, generate_linkage
from vnindustry.demo.linkage.needs import MIN_PLAUSIBLE
from vnindustry.demo.linkage.purchases import PERIODS, PURCHASE_COLUMNS
from vnindustry.demo.linkage.suppliers import REFERENCE_DAY

__all__ = ["BUYER_COLUMNS", "MIN_PLAUSIBLE", "PERIODS", "PURCHASE_COLUMNS", "REFERENCE_DAY", "LinkageDemo",
           "generate_linkage"]

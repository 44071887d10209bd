"""Classifications shared by every stage: VSIC 2018 (industry sections B–E) and key-industry groups."""

from vnindustry.classification.vsic import (
    GSO_NAME_ALIASES,
    IndustryGroup,
    Level,
    VsicEntry,
    code_for_name,
    load_key_industries,
    load_vsic,
    vsic_ancestors,
    vsic_children,
    vsic_entry,
    vsic_index,
    vsic_name,
)

__all__ = [
    "GSO_NAME_ALIASES",
    "IndustryGroup",
    "Level",
    "VsicEntry",
    "code_for_name",
    "load_key_industries",
    "load_vsic",
    "vsic_ancestors",
    "vsic_children",
    "vsic_entry",
    "vsic_index",
    "vsic_name",
]

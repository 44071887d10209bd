"""The synthetic demo city: an HCMC-like monthly industrial survey in the dataset-folder format."""

from vnindustry.demo.city import DISTRICTS, TET_DATES, TOTAL_CODE, generate_city

__all__ = ["DISTRICTS", "TET_DATES", "TOTAL_CODE", "generate_city"]

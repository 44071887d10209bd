"""Presentation: number and date formatting (vi, en) and generated text. Rounding happens only here."""

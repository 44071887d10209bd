"""Readers: turn user files into validated records with provenance (file and line)."""

"""Helpers shared by the tests (no fixtures: those live in each folder's conftest.py)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"

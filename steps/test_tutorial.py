"""Binds every feature file (one per tutorial step) as pytest tests."""

from pytest_bdd import scenarios

scenarios(".")

"""Tests that need something from outside the project."""

from __future__ import annotations

import os

import pytest


def prerequisite(present: bool, how: str) -> pytest.MarkDecorator:
    """Mark tests that need something from outside the project (../shared, a system
    package). Missing on a developer's machine: skipped, with `how` saying how to enable
    them. Missing under CI=true: the tests fail, so a proof cannot silently stop running."""
    if present:
        return pytest.mark.prerequisite(None)
    if os.environ.get("CI") == "true":
        return pytest.mark.prerequisite(f"missing on CI: {how}")
    return pytest.mark.skip(reason=how)


def missing(how: str) -> None:
    """Inside a test: what it needs is not here. Skipped on a developer's machine, with
    `how` saying how to enable it; a failure under CI=true."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"missing on CI: {how}", pytrace=False)
    pytest.skip(how)

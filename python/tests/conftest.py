"""Shared settings of the Python API tests."""

import os
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def srnn_binary() -> pathlib.Path:
    """The `srnn` command line to compare against (SRNN_BIN, else target/debug/srnn as
    scripts/test.sh builds it)."""
    path = pathlib.Path(os.environ.get("SRNN_BIN", ROOT / "target" / "debug" / "srnn"))
    assert path.exists(), f"{path} missing: cargo build --profile test --bin srnn (or set SRNN_BIN)"
    return path


def pytest_terminal_summary(terminalreporter):
    """The plain closing line scripts/test.sh counts."""
    stats = terminalreporter.stats
    passed = len(stats.get("passed", []))
    failed = len(stats.get("failed", [])) + len(stats.get("error", []))
    terminalreporter.write_line(f"python-api: {passed} passed, {failed} failed")

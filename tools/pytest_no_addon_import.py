"""pytest plugin: collect the repository root as a plain directory, never import the addon."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.hookimpl(tryfirst=True)
def pytest_collect_directory(path, parent):
    if path == ROOT or ROOT in path.parents:
        return pytest.Dir.from_parent(parent, path=path)
    return None

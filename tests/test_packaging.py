"""pip install . must carry every file the package reads: the code, the templates, the catalogs."""

from __future__ import annotations

import tomllib

from .conftest import ROOT


def test_every_data_file_is_packaged_and_dependencies_come_from_requirements():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = project["tool"]["setuptools"]
    folders = {package: ROOT / setuptools.get("package-dir", {}).get(package, package.replace(".", "/"))
               for package in setuptools["packages"]}
    code_packages = {path.parent for path in (ROOT / "studyguide").rglob("__init__.py")}
    assert code_packages <= set(folders.values())
    assert (ROOT / "templates") in folders.values()
    packaged = {path for package, patterns in setuptools["package-data"].items()
                for pattern in patterns for path in folders[package].glob(pattern)}
    data = {path for folder in folders.values() for path in folder.rglob("*")
            if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts}
    assert data - packaged == set()
    assert project["project"]["dynamic"] == ["dependencies"]
    assert setuptools["dynamic"]["dependencies"] == {"file": ["requirements.txt"]}
    assert project["project"]["scripts"] == {"studyguide": "studyguide.cli.main:main"}

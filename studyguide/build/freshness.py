"""Which outputs are already up to date, so that a build does only the work that changed.

An output's fingerprint covers everything it is made from: the content folder, the
templates it uses (followed through includes), the options that shape it, the chosen
cards, and the code and libraries that make it. A build records the fingerprint of each
file it writes; the next build skips a file whose fingerprint and bytes are unchanged.
Nothing here imports the renderer, so a build with nothing to do returns at once.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from collections.abc import Iterable
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import jinja2
from jinja2 import meta

from ..guard.files import write_atomic
from ..html.fonts import fallbacks

CACHE_DIR = Path(".cache")  # inside the output folder
MANIFEST = CACHE_DIR / "manifest.json"
_CODE_DIR = Path(__file__).resolve().parent.parent  # the studyguide package
# The runtime requirements: pinned here in a checkout, and in the package's metadata once installed.
_REQUIREMENTS = _CODE_DIR.parent / "requirements.txt"
_REQUIREMENT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
HASHED_BYTES = 64 * 2**20  # larger content files count by size and time instead


def fingerprints(content_dir: Path, templates_dir: Path, out_dir: Path,
                 outputs: dict[str, tuple[Iterable[str], object]]) -> dict[str, str]:
    """A digest of everything each output is made from.

    outputs maps a name to the templates the output starts from and the settings that
    shape it (the cards chosen among them). The output folder is left out of the content
    when it lies inside it.
    """
    common = [_folder_digest(content_dir, out_dir.resolve()), code_digest()]
    return {name: _digest(*common, _templates_digest(templates_dir, templates), repr(settings))
            for name, (templates, settings) in outputs.items()}


def _digest(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()


def up_to_date(out_dir: Path, filename: str, expected: str) -> bool:
    """Whether the file was written from the same inputs and has not changed since."""
    entry = _manifest(out_dir).get(filename)
    path = out_dir / filename
    return (entry is not None and entry["fingerprint"] == expected and path.is_file()
            and file_digest(path) == entry["digest"])


def record(out_dir: Path, written: dict[str, tuple[str, str]]) -> None:
    """Remember each file just written: filename: (its fingerprint, the digest of the bytes written)."""
    manifest = _manifest(out_dir)
    for filename, (fingerprint, digest) in written.items():
        manifest[filename] = {"fingerprint": fingerprint, "digest": digest}
    write_atomic(out_dir / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode())


def _manifest(out_dir: Path) -> dict[str, dict[str, str]]:
    try:
        manifest = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


def content_files_digest(content_dir: Path, out_dir: Path) -> str:
    """The files of the content folder that a render may read, like images: all but the YAML,
    whose text reaches the renders as their HTML."""
    return _folder_digest(content_dir, out_dir.resolve(), skip=(".yaml", ".yml"))


def _folder_digest(folder: Path, leave_out: Path, skip: tuple[str, ...] = ()) -> str:
    """The names and bytes of the files in a folder, leaving out hidden and backup files and
    those whose names end in one of skip.

    Links are taken as the names they point to, not followed, and special files only by
    name; a very large file counts by its size and time, so nothing here reads without end.
    """
    digest = hashlib.sha256()
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and Path(root, d).resolve() != leave_out)
        for name in sorted(files):
            if name.startswith(".") or name.endswith(("~", *skip)):
                continue
            path = Path(root) / name
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + _entry_digest(path).encode())
    return digest.hexdigest()


def _entry_digest(path: Path) -> str:
    try:
        status = path.lstat()
        if stat.S_ISLNK(status.st_mode):
            return "link to " + os.readlink(path)
        if not stat.S_ISREG(status.st_mode):
            return "special file"
        if status.st_size > HASHED_BYTES:
            return f"{status.st_size} bytes at {status.st_mtime_ns}"
        return file_digest(path)
    except OSError as error:  # unreadable: the build itself reports it if it matters
        return f"unreadable: {error.errno}"


def _templates_digest(templates_dir: Path, roots: Iterable[str]) -> str:
    """The templates an output uses, following every include, extends and import."""
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(templates_dir))
    seen: set[str] = set()
    pending = list(roots)
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            pending.extend(_referenced(environment.loader.get_source(environment, name)[0]))
        except jinja2.TemplateError:
            continue  # a missing or broken template is reported by the build itself
    digest = hashlib.sha256()
    for name in sorted(seen):
        path = templates_dir / name
        digest.update(name.encode() + b"\0" + (file_digest(path) if path.is_file() else "").encode())
    return digest.hexdigest()


@lru_cache(maxsize=256)
def _referenced(source: str) -> tuple[str, ...]:
    """The templates a template's text includes, extends or imports, parsed once for each text."""
    environment = jinja2.Environment()
    return tuple(ref for ref in meta.find_referenced_templates(environment.parse(source)) if ref)


def code_digest() -> str:
    """This package's every file (modules, subpackages, catalogs), the versions of the libraries
    it requires, and which fallback faces are installed."""
    digest = hashlib.sha256()
    for path in package_files():
        digest.update(path.relative_to(_CODE_DIR).as_posix().encode() + b"\0" + path.read_bytes())
    for library in requirements():
        try:
            digest.update(f"{library}=={metadata.version(library)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library} missing\0".encode())
    for face in fallbacks():  # a face from the system, like Noto Sans CJK, may come or go
        digest.update(f"{face.family}: {face.installed}".encode())
    return digest.hexdigest()


def package_files() -> list[Path]:
    """Every file of the package, in its subpackages too, but for compiled bytecode."""
    return sorted(path for path in _CODE_DIR.rglob("*")
                  if path.is_file() and "__pycache__" not in path.relative_to(_CODE_DIR).parts
                  and path.suffix != ".pyc")


def requirements() -> tuple[str, ...]:
    """The names of the distributions the package requires to run, as requirements.txt lists them."""
    if _REQUIREMENTS.is_file():
        lines = _REQUIREMENTS.read_text(encoding="utf-8").splitlines()
    else:
        lines = [line for line in metadata.requires("studyguide") or () if "extra ==" not in line]
    names = (_REQUIREMENT_NAME.match(line.split("#", 1)[0].strip()) for line in lines)
    return tuple(sorted({name.group().lower() for name in names if name}))


def file_digest(path: Path) -> str:
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()

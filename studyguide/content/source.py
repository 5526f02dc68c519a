"""YAML files read into node trees that remember where every value came from.

Nothing here constructs Python objects from YAML: documents are composed into
nodes only, so no tag can run code, and every value keeps its position for the
error messages. Anchors and aliases are refused, which also rules out alias
bombs; duplicate keys are reported with both lines. Files larger than
MAX_YAML_BYTES and lists or mappings nested deeper than MAX_YAML_DEPTH are
refused too, so composing ends quickly and never recurses deeply.

A file is parsed by libyaml (C) under those checks; one with any problem is composed again
over PyYAML's own parser, whose messages and positions are the ones reported.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode

try:
    from yaml.cyaml import CParser as LibyamlParser  # which PyYAML's wheels bring
except ImportError:  # a PyYAML built without libyaml: its own parser reads every file
    LibyamlParser = None

from ..diagnostics import Collector, Position
from ..guard.files import FileRefusedError, read_limited, size_text
from ..guard.limits import MAX_YAML_BYTES, MAX_YAML_DEPTH

_ALLOWED_EXPLICIT_TAGS = {"tag:yaml.org,2002:str", "!"}
REFUSED_TAG = "!refused"  # stands in for a value already reported as refused
_MAX_EXCERPT = 200  # a longer source line is not shown under a message
_UNPRINTABLE = yaml.reader.Reader.NON_PRINTABLE  # what PyYAML's reader refuses, with no position


@dataclass(frozen=True, eq=False)
class SourceFile:
    path: Path
    text: str

    def position(self, index: int) -> Position:
        """The 1-based line and column of a character index in the text."""
        line = bisect.bisect_right(self._line_starts, index)
        line_start = self._line_starts[line - 1]
        line_end = self._line_starts[line] - 1 if line < len(self._line_starts) else len(self.text)
        excerpt = self.text[line_start:line_end].rstrip("\r")
        if len(excerpt) > _MAX_EXCERPT:
            excerpt = None
        return Position(self.path, line, index - line_start + 1, excerpt)

    @cached_property
    def _line_starts(self) -> list[int]:
        return [0, *(match.end() for match in re.finditer("\n", self.text))]

    def mark_position(self, mark: yaml.Mark) -> Position:
        return self.position(min(mark.index, len(self.text)))


@dataclass(frozen=True)
class Text:
    """A string from the content and the stretch of its file it was written in."""

    value: str
    source: SourceFile
    start: int
    end: int

    @classmethod
    def of(cls, node: ScalarNode, source: SourceFile) -> Text:
        return cls(node.value, source, node.start_mark.index, node.end_mark.index)

    def position(self, offset: int = 0, length: int = 0) -> Position:
        """Where the part value[offset:offset + length] stands in the file.

        YAML folds and indents block scalars, so the part is looked up in the
        raw text of the scalar; the start of the scalar is the fallback.
        """
        if length:
            needle = self.value[offset : offset + length].split("\n", 1)[0]
            occurrence = self.value.count(needle, 0, offset)
            index = self.start - 1
            for _ in range(occurrence + 1):
                index = self.source.text.find(needle, index + 1, self.end)
                if index == -1:
                    break
            else:
                return self.source.position(index)
        return self.source.position(self.start)

    def where(self, part: str) -> Position:
        """Where part is written in the text, or the text's start when it is not written as it reads."""
        offset = self.value.find(part) if part else -1
        return self.position(max(offset, 0), len(part) if offset >= 0 else 0)


def read_source(path: Path, problems: Collector, where: Position | None = None) -> SourceFile | None:
    """The file's text, or None with a problem (at where, if given) when it cannot be used."""
    try:
        data = read_limited(path, MAX_YAML_BYTES)
    except FileRefusedError as refused:
        problems.error(where or Position(path),
                       f"{path.name} {refused}; YAML files must be regular files of at most "
                       f"{size_text(MAX_YAML_BYTES)} (split a long guide into section files)")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        problems.error(
            Position(path, line, column),
            f"byte 0x{data[error.start]:02X} is not valid UTF-8; "
            "save the file with UTF-8 encoding",
        )
        return None
    return SourceFile(path, text.removeprefix("\ufeff"))


Composed = dict[Path, tuple[str, Node]]  # files composed without a problem: path, its text, its root


def compose(source: SourceFile, problems: Collector, composed: Composed | None = None) -> Node | None:
    """The document's root node, or None when the file is not usable YAML. composed, if given,
    keeps each file composed without a problem from one call to the next (a watcher's
    rebuilds), so that a file whose text is the same is not composed again."""
    if composed is not None and composed.get(source.path, ("",))[0] == source.text:
        return composed[source.path][1]
    found = len(problems.problems)
    root = _composed(source, problems)
    if composed is not None and root is not None and len(problems.problems) == found:
        composed[source.path] = (source.text, root)
    return root


def _composed(source: SourceFile, problems: Collector) -> Node | None:
    unprintable = _UNPRINTABLE.search(source.text)
    if unprintable:
        problems.error(source.position(unprintable.start()),
                       f"character U+{ord(unprintable.group()):04X} is not allowed in YAML; remove it")
        return None
    root = _composed_quickly(source)
    if root is None:
        loader = _Composer(source, problems)
        try:
            root = loader.get_single_node()
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            problems.error(source.mark_position(mark), _syntax_message(error))
            return None
        finally:
            loader.dispose()
    if root is None or (isinstance(root, ScalarNode) and root.value == ""):
        problems.error(
            Position(source.path),
            "the file is empty; expected a mapping with at least 'title' and 'sections'",
        )
        return None
    return root


def _syntax_message(error: yaml.MarkedYAMLError) -> str:
    if isinstance(error, _TooDeepError):
        return error.problem
    problem = error.problem or "invalid YAML"
    if "'\\t'" in problem:
        return "a tab character in indentation; YAML indents with spaces only"
    context = f" {error.context}" if error.context else ""
    return f"YAML syntax error: {problem}{context}"


def _too_deep() -> str:
    return (f"lists and mappings are nested more than {MAX_YAML_DEPTH} deep here; "
            "a guide needs 6 levels (sections, cards, tags)")


class _TooDeepError(yaml.MarkedYAMLError):
    """Brackets nested too deep: PyYAML's scanner slows down with the square of their depth."""


def _composed_quickly(source: SourceFile) -> Node | None:
    """The root node of a file with no problem, its events read by libyaml (ten times quicker
    than PyYAML's scanner); None for any problem, which _Composer then reports as PyYAML
    words and places it. The nodes and their marks are the same either way."""
    if LibyamlParser is None or "\t" in source.text or "\ufeff" in source.text:
        return None  # libyaml takes some tabs PyYAML refuses, and drops a byte order mark it keeps
    problems = Collector()
    loader = _QuickComposer(source, problems)
    try:
        root = loader.get_single_node()
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    return None if problems.problems else root


class _Checks(yaml.composer.Composer):
    """PyYAML's composer, with aliases, anchors, foreign tags and repeated keys refused."""

    def __init__(self, source: SourceFile, problems: Collector):
        self._source = source
        self._problems = problems
        self._depth = 0  # lists and mappings open around the node being composed

    def compose_node(self, parent: Node | None, index: object) -> Node:
        event = self.peek_event()
        nests = isinstance(event, yaml.CollectionStartEvent)
        if nests and self._depth == MAX_YAML_DEPTH:
            self._problems.error(self._source.mark_position(event.start_mark), _too_deep())
            self._skip_collection()
            return ScalarNode(REFUSED_TAG, "", event.start_mark, event.end_mark)
        self._depth += nests
        try:
            return self._compose_checked(parent, index, event)
        finally:
            self._depth -= nests

    def _skip_collection(self) -> None:
        """Reads past a list or mapping and everything in it, without composing (or recursing)."""
        depth = 0
        while True:
            event = self.get_event()
            depth += isinstance(event, yaml.CollectionStartEvent) - isinstance(event, yaml.CollectionEndEvent)
            if depth == 0:
                return

    def _compose_checked(self, parent: Node | None, index: object, event: yaml.Event) -> Node:
        def where() -> Position:  # computed only for a problem: it counts lines from the start
            return self._source.mark_position(event.start_mark)

        if isinstance(event, yaml.AliasEvent):
            self.get_event()
            self._problems.error(
                where(), f"YAML alias '*{event.anchor}' is not supported; write the value out"
            )
            return ScalarNode(REFUSED_TAG, "", event.start_mark, event.end_mark)
        if event.anchor is not None:
            self._problems.error(
                where(), f"YAML anchor '&{event.anchor}' is not supported; write the value out"
            )
            event.anchor = None
        tag = getattr(event, "tag", None)
        if tag is not None and tag not in _ALLOWED_EXPLICIT_TAGS:
            self._problems.error(
                where(), f"YAML tag '{tag}' is not allowed; content is plain text, lists and mappings"
            )
            event.tag = None
            refused = super().compose_node(parent, index)  # read past it, keep nothing
            return ScalarNode(REFUSED_TAG, "", refused.start_mark, refused.end_mark)
        return super().compose_node(parent, index)

    def compose_mapping_node(self, anchor: str | None) -> MappingNode:
        node = super().compose_mapping_node(anchor)
        first_seen: dict[str, ScalarNode] = {}
        for key, _ in node.value:
            if not isinstance(key, ScalarNode):
                continue
            if key.value in first_seen:
                first_line = first_seen[key.value].start_mark.line + 1
                self._problems.error(
                    self._source.mark_position(key.start_mark),
                    f"duplicate key '{key.value}' (first defined at line {first_line}); "
                    "a key may appear only once in a mapping",
                )
            else:
                first_seen[key.value] = key
        return node


class _Composer(_Checks, yaml.SafeLoader):
    """The checked composer over PyYAML's own scanner and parser, whose messages we give."""

    def __init__(self, source: SourceFile, problems: Collector):
        yaml.SafeLoader.__init__(self, source.text)
        _Checks.__init__(self, source, problems)

    def fetch_flow_collection_start(self, token_class: type) -> None:  # PyYAML's scanner
        if self.flow_level >= MAX_YAML_DEPTH:
            raise _TooDeepError(problem=_too_deep(), problem_mark=self.get_mark())
        super().fetch_flow_collection_start(token_class)


if LibyamlParser is not None:
    class _QuickComposer(_Checks, yaml.resolver.Resolver, LibyamlParser):
        """The checked composer over libyaml's scanner and parser."""

        def __init__(self, source: SourceFile, problems: Collector):
            LibyamlParser.__init__(self, source.text)
            yaml.composer.Composer.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            _Checks.__init__(self, source, problems)

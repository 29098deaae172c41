"""YAML → plain Python values plus the line of every key, read with a safe loader only."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from generator.core.errors import ContentError
from generator.core.files import FORBIDDEN, character_problem

# libyaml's C parser is several times faster; the pure-Python one gives the same values.
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: What a value of each tag must look like, for the message when it does not.
_EXPECTED = {
    "tag:yaml.org,2002:timestamp": "a real date or time (2025-08-25, 2025-08-25T09:30:00+09:00)",
    "tag:yaml.org,2002:int": "a whole number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:bool": "true or false",
}


class SafeLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """The safe loader, whose failures to construct a value are YAML errors at the value.

    PyYAML resolves ``2025-02-30`` to a timestamp, ``!!bool "maybe"`` to a bool and a
    5,000-digit number to an int, then fails to build them with ValueError, KeyError or
    OverflowError, which carry no position. Each is turned into a MarkedYAMLError at its node,
    reported like any other YAML mistake.
    """

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError, LookupError, TypeError) as exc:
            expected = _EXPECTED.get(node.tag, "a value of its type")
            shown = node.value if isinstance(node, yaml.ScalarNode) else node.tag
            if isinstance(shown, str) and len(shown) > 40:
                shown = shown[:37] + "..."
            problem = f"{shown!r} is not {expected}"
            why = " ".join(str(exc).split())
            if why and not isinstance(exc, LookupError):
                problem += f" ({why})"
            raise yaml.constructor.ConstructorError(None, None, problem, node.start_mark) from None


# Aliases let a tiny file expand into billions of nodes; no honest front matter comes near this.
MAX_NODES = 100_000

#: Front matter and registries are two or three levels deep; a thousand levels is an attack
#: on the recursion limit, not data.
MAX_DEPTH = 32

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class YamlDocument:
    """A parsed YAML document and, for each key or list item, the 1-based line it starts on."""

    data: Any
    lines: Mapping[KeyPath, int]

    def line_of(self, *path: str | int) -> int:
        """Return the line of the deepest known prefix of ``path`` (the document start if none)."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


def load_yaml(text: str, path: str, first_line: int = 1) -> YamlDocument | list[ContentError]:
    """Parse ``text`` (which starts at ``first_line`` of ``path``); errors carry file lines."""
    offset = first_line  # YAML marks count from 0
    loader = SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDocument(None, {(): first_line})
        lines: dict[KeyPath, int] = {}
        errors: list[ContentError] = []
        _collect_lines(node, (), lines, errors, path, offset, [0])
        if errors:
            return errors
        data = loader.construct_document(node)
    except RecursionError:
        return [ContentError(path, first_line, "YAML nested too deeply")]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + offset if mark is not None else first_line
        return [ContentError(path, line, f"invalid YAML: {_describe(exc)}")]
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, max(exc.position, 0)) + first_line
        return [
            ContentError(
                path,
                line,
                f"invalid YAML: character {exc.character!r} is not allowed ({exc.reason})",
            )
        ]
    except yaml.YAMLError as exc:
        return [ContentError(path, first_line, f"invalid YAML: {' '.join(str(exc).split())}")]
    finally:
        loader.dispose()
    return YamlDocument(data, lines)


def _describe(exc: yaml.MarkedYAMLError) -> str:
    parts = [p for p in (exc.context, exc.problem) if p]
    text = "; ".join(parts) or "could not parse"
    if "could not determine a constructor" in text:
        text = "tags such as '!!python/object' are not allowed"
    return text


def _collect_lines(
    node: yaml.Node,
    path: KeyPath,
    lines: dict[KeyPath, int],
    errors: list[ContentError],
    file: str,
    offset: int,
    budget: list[int],
) -> None:
    """Record the line of every key and item; refuse duplicate keys and alias bombs."""
    budget[0] += 1
    if budget[0] > MAX_NODES:
        if budget[0] == MAX_NODES + 1:
            errors.append(
                ContentError(
                    file,
                    node.start_mark.line + offset,
                    f"YAML too large: more than {MAX_NODES:,} values (aliases expanding?)",
                )
            )
        return
    if len(path) > MAX_DEPTH:
        if not errors or "nested" not in errors[-1].message:
            errors.append(
                ContentError(
                    file,
                    node.start_mark.line + offset,
                    f"YAML nested more than {MAX_DEPTH} levels deep",
                )
            )
        return
    lines.setdefault(path, node.start_mark.line + offset)
    if isinstance(node, yaml.ScalarNode):
        # Escapes ("\v", "\x1b", "\uFFFE") make characters the file itself does not hold.
        bad = FORBIDDEN.search(node.value)
        if bad is not None:
            where = ".".join(str(p) for p in path)
            message = f"'{where}': {character_problem(bad.group())}"
            errors.append(ContentError(file, node.start_mark.line + offset, message))
    elif isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + offset
            if key in seen:
                errors.append(
                    ContentError(file, line, f"duplicate key '{key}' (first at line {seen[key]})")
                )
                continue
            seen[key] = line
            lines[(*path, key)] = line
            _collect_lines(value_node, (*path, key), lines, errors, file, offset, budget)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _collect_lines(item, (*path, index), lines, errors, file, offset, budget)

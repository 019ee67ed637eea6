"""The check of a user's [keys] table against the reader's bindings (keys.py): unknown
binding ids, names no key press has, reserved keys, and two bindings given one key where
both are live. Imports no Textual, so a config is checked before the UI starts."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from pathlib import Path

from ..config import line_of_key
from .key_names import SAME_AS, key_problem, normalize_key, types_a_character
from .keys import (
    CHAINS,
    KEYS,
    RESERVED,
    SCOPE_NAMES,
    TYPING_SCOPES,
    KeySpec,
    binding_ids,
    specs,
    split_keys,
)

__all__ = ["keymap_problems"]


def keymap_problems(
    keys: Mapping[str, str], *, path: Path | None = None, text: str | None = None
) -> list[str]:
    """What is wrong with a [keys] table: unknown binding ids, entries that name no key,
    names no key press has (`ctlr+x`, `Space bar`: see key_names), reserved keys, and
    two of the user's bindings given the same key where both are live. (A user's binding
    that takes a default's key is fine: the default moves aside.) With the config's
    `path` and `text`, each problem starts with the file and line. Empty when all is
    well."""

    def where(binding_id: str) -> str:
        line = line_of_key(text, f"keys.{binding_id}") if text is not None else None
        if path is None:
            return ""
        return f"{path}, line {line}: " if line else f"{path}: "

    known = binding_ids()
    problems: list[str] = []
    for binding_id, value in keys.items():
        if binding_id not in known:
            close = difflib.get_close_matches(binding_id, sorted(known), n=1)
            guess = f"; did you mean {close[0]}?" if close else ""
            problems.append(
                f"{where(binding_id)}[keys] {binding_id}: no action has this binding id"
                f"{guess} (press ? in the reader for the list of ids)"
            )
        elif not split_keys(value):
            problems.append(f"{where(binding_id)}[keys] {binding_id} = {value!r} names no key")
        else:
            typing_scope = next(
                (s.scope for s in KEYS if s.id == binding_id and s.scope in TYPING_SCOPES), None
            )
            for written in filter(str.strip, value.split(",")):
                # (as written for a misspelt name, as Textual names it for a reserved key)
                problem = key_problem(written)
                key = normalize_key(written)
                if problem is None and key in RESERVED:
                    problem = f"{key} is kept for {RESERVED[key]}"
                if problem is None and key in SAME_AS:
                    problem = f"a terminal sends {key} as {SAME_AS[key]}: it would never arrive"
                if problem is None and typing_scope and types_a_character(key):
                    problem = (
                        f"{written.strip()} types itself in the {SCOPE_NAMES[typing_scope]}: "
                        "give it a key that types nothing (ctrl+..., alt+..., f1 ...)"
                    )
                if problem is not None:
                    problems.append(
                        f"{where(binding_id)}[keys] {binding_id} = {value!r}: {problem}"
                    )
    for first, second, key, scope in _clashes(keys):
        line = line_of_key(text, f"keys.{second}") if text is not None else None
        at = f" (line {line})" if line else ""
        problems.append(
            f"{where(first)}[keys] {first} = {keys[first]!r} and {second} = {keys[second]!r}"
            f"{at} both use {key} ({SCOPE_NAMES.get(scope, scope)}): "
            f"{_action_name(first)} and {_action_name(second)} cannot share it; "
            "give one of them another key"
        )
    return problems


def _action_name(binding_id: str) -> str:
    spec = next(spec for spec in KEYS if spec.id == binding_id)
    return f"'{spec.description}'"


def _clashes(keys: Mapping[str, str]) -> Iterable[tuple[str, str, str, str]]:
    """(first id, second id, key, scope) for two of the user's bindings that share a key
    where both are live, in the order the file lists them."""
    order = {binding_id: index for index, binding_id in enumerate(keys)}
    seen: set[tuple[str, frozenset[str]]] = set()
    for chain in CHAINS:
        owners: dict[str, list[KeySpec]] = {}
        for scope in chain:
            for spec in specs(scope):
                if spec.id not in keys:
                    continue
                for key in split_keys(keys[spec.id]):
                    if all(other.id != spec.id for other in owners.get(key, [])):
                        owners.setdefault(key, []).append(spec)
        for key, clashing in owners.items():
            ids = frozenset(spec.id for spec in clashing)
            if len(ids) < 2 or (key, ids) in seen:
                continue
            seen.add((key, ids))
            first, second = sorted(ids, key=order.__getitem__)[:2]
            yield first, second, key, clashing[-1].scope

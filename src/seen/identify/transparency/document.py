"""A transparency document: sections of paragraphs, bullet lists, tables and (for the ATRS
record) numbered fields, and its two renderings, JSON and Markdown; the web app renders the
same object as pages."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

ATRS_VERSION = "3.0"


@dataclass(frozen=True)
class Table:
    caption: str
    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Block:
    """A paragraph (`text`), a bullet list (`items`) or a table (`table`): exactly one."""

    text: str | None = None
    items: tuple[str, ...] | None = None
    table: Table | None = None


@dataclass(frozen=True)
class Field:
    """One ATRS field: its reference number, attribute name and title, and its answer."""

    ref: str
    attribute: str
    name: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Section:
    id: str
    heading: str
    blocks: tuple[Block, ...] = ()
    fields: tuple[Field, ...] = ()


@dataclass(frozen=True)
class Document:
    kind: str  # "model_card" or "atrs_record"
    title: str
    summary: str
    source: Mapping[str, Any]  # which stored evaluation it was made from
    provenance: str  # the same, in a sentence
    sections: tuple[Section, ...] = field(default=())


def p(text: str) -> Block:
    return Block(text=text)


def bullets(*items: str) -> Block:
    return Block(items=tuple(items))


def table(caption: str, head: Sequence[str], rows: Sequence[Sequence[str]]) -> Block:
    return Block(table=Table(caption, tuple(head), tuple(tuple(r) for r in rows)))


# Renderings ---------------------------------------------------------------------------------


def to_json(document: Document) -> str:
    """The document as JSON: its sections, fields and blocks, with their source."""
    data = asdict(document)

    def clean(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items() if v is not None}
        if isinstance(value, list | tuple):
            return [clean(v) for v in value]
        return value

    body = clean(data)
    if document.kind == "atrs_record":
        body = {
            "standard": "Algorithmic Transparency Recording Standard",
            "standard_version": ATRS_VERSION,
            **body,
        }
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _markdown_blocks(blocks: Sequence[Block]) -> list[str]:
    out: list[str] = []
    for b in blocks:
        if b.text is not None:
            out += [b.text, ""]
        elif b.items is not None:
            out += [f"- {item}" for item in b.items] + [""]
        elif b.table is not None:
            t = b.table
            out.append(f"*{t.caption}*")
            out.append("")
            out.append("| " + " | ".join(_cell(h) for h in t.head) + " |")
            out.append("|" + "---|" * len(t.head))
            out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in t.rows]
            out.append("")
    return out


def to_markdown(document: Document) -> str:
    lines = [f"# {document.title}", "", document.summary, ""]
    lines += [
        f"> {document.provenance} Written by `seen identify transparency`; do not edit by "
        "hand: store a new evaluation and write it again.",
        "",
    ]
    for section in document.sections:
        lines += [f"## {section.heading}", ""]
        lines += _markdown_blocks(section.blocks)
        for f in section.fields:
            lines += [f"### {f.ref} {f.name}", ""]
            lines += _markdown_blocks(f.blocks)
    return "\n".join(lines).rstrip() + "\n"

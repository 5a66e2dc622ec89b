"""SSDA903 in its XML form (root `EXPSSDA903`): one `CHILD` holds its header, episodes and
missing episodes, checked with the same field rules as the CSV tables."""

from __future__ import annotations

from xml.etree.ElementTree import Element

from seen.domain.agencies import AgencyKind
from seen.formats.dates import DateFormat
from seen.formats.spec import RowOutput, XmlFormat
from seen.formats.ssda903 import episode_event, header_fields, missing_event
from seen.formats.validate import RowCheck
from seen.formats.xmlfile import blocks

REPEATABLE = frozenset({"CHILD", "EPISODE", "AMISSING", "AREVIEW"})


def read_child(child: Element, path: str, ck: RowCheck) -> RowOutput | None:
    header = child.find("HEADER")
    if header is None:
        ck.fail("HEADER", "the child has no <HEADER> element, so it cannot be identified")
        return None
    ck.location = f"{path}/HEADER"
    output = header_fields(header.findtext, ck, id_field="CHILDID")
    for episode, where in blocks(child, "EPISODE", path, REPEATABLE):
        ck.location = where
        event = episode_event(episode.findtext, ck)
        if output is not None and event is not None:
            output.events.append(event)
    for missing, where in blocks(header, "AMISSING", f"{path}/HEADER", REPEATABLE):
        ck.location = where
        event = missing_event(missing.findtext, ck)
        if output is not None and event is not None:
            output.events.append(event)
    return None if ck.problems else output


SSDA903_XML = XmlFormat(
    name="ssda903-xml",
    id_field="CHILDID",
    dates=DateFormat.DMY,
    label="SSDA903 return (XML)",
    agency_kind=AgencyKind.CHILDRENS_SERVICES,
    identity_index=True,
    root="EXPSSDA903",
    container=("EXPSSDA903",),
    unit="CHILD",
    repeatable=REPEATABLE,
    read_unit=read_child,
)

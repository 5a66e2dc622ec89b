"""Hypothesis strategies for small worlds and requests, drawn from small pools of ids so that
references meet (and sometimes dangle), times fall on both sides of every boundary, and
every vocabulary term and a few unknown ones appear."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from seen.domain.agencies import AgencyKind
from seen.domain.sharing import (
    ANY,
    BREAK_GLASS_ROLES,
    AgreementStatus,
    Choice,
    LawfulBasis,
    Purpose,
    Release,
    Role,
    Sensitivity,
)
from seen.policy.world import (
    AccessRequest,
    Agreement,
    Child,
    Flow,
    Practitioner,
    Preference,
    Principal,
    Record,
    World,
)

BASE = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
AGENCIES = ["a1", "a2", "a3", "a4"]
PRACTITIONERS = ["p1", "p2", "p3", "p4"]
CHILDREN = ["c1", "c2", "c3"]
RECORDS = ["r1", "r2", "r3", "r4", "r5"]
CATEGORIES = ["health", "education", "police_contact", "sexual_health"]
PURPOSES = [*map(str, Purpose), "marketing"]
BASES = [*map(str, LawfulBasis), "consent"]
LONG = "The child disclosed harm this morning and may be at immediate risk tonight."


def _moments() -> st.SearchStrategy[dt.datetime]:
    """Times a few days either side of BASE, to the second, often on a whole day."""
    days = st.integers(-3, 3).map(lambda d: BASE + dt.timedelta(days=d))
    seconds = st.integers(-3 * 86_400, 3 * 86_400).map(lambda s: BASE + dt.timedelta(seconds=s))
    return st.one_of(days, seconds)


def _some(pool: list[str], most: int | None = None) -> st.SearchStrategy[frozenset[str]]:
    return st.frozensets(st.sampled_from(pool), max_size=most or len(pool))


# Strategies are built once: building one inside a draw costs more than drawing from it.
MOMENT = _moments()
MAYBE_END = st.one_of(st.none(), MOMENT)
KIND = st.sampled_from(list(AgencyKind))
AGENCY_NAMES = st.lists(st.sampled_from(AGENCIES), min_size=2, max_size=4, unique=True)
KNOWN_AGENCY = st.sampled_from(AGENCIES)
# Half the time a role that may use break-glass.
ROLES = st.one_of(
    st.frozensets(st.sampled_from(list(Role)), max_size=2),
    st.sampled_from(sorted(BREAK_GLASS_ROLES)).map(lambda role: frozenset({role})),
)
PRACTITIONER_NAMES = st.lists(st.sampled_from(PRACTITIONERS[:3]), min_size=1, unique=True)
CHILD_NAMES = st.lists(st.sampled_from(CHILDREN[:2]), min_size=1, unique=True)
RECORD_NAMES = st.lists(st.sampled_from(RECORDS[:3]), min_size=1, unique=True)
RELATIONSHIPS = _some(PRACTITIONERS)
ANY_CHILD = st.sampled_from(CHILDREN)
CATEGORY = st.sampled_from(CATEGORIES)
SENSITIVITY = st.sampled_from(list(Sensitivity))
STATUS = st.sampled_from(list(AgreementStatus))
COVERING_STATUS = st.sampled_from([*[AgreementStatus.ACTIVE] * 5, *AgreementStatus])
COVER = st.sampled_from([True, True, True, False])
AGREED_PURPOSES = _some(PURPOSES, 2)
AGREED_BASES = _some(BASES, 3)
RELEASE = st.sampled_from(list(Release))
FLOW_CATEGORIES = _some([*CATEGORIES, ANY], 3)
FEW = st.integers(1, 3)
UP_TO_THREE = st.integers(0, 3)
UP_TO_FOUR = st.integers(0, 4)
WISH_CATEGORY = st.sampled_from([*CATEGORIES, ANY])
WISH_KIND = st.sampled_from([*map(str, AgencyKind), ANY])
CHOICE = st.sampled_from(list(Choice))
PRINCIPAL_KIND = st.sampled_from(["practitioner", "practitioner", "practitioner", "child"])
PURPOSE = st.sampled_from(PURPOSES)
BASIS = st.sampled_from(BASES)
JUSTIFICATION = st.sampled_from([None, None, None, LONG, LONG, "urgent"])


@st.composite
def worlds(draw: st.DrawFn) -> World:
    agencies = {name: draw(KIND) for name in draw(AGENCY_NAMES)}
    # References that dangle, now and then: one draw in seventeen.
    agency = mostly(sorted(agencies), "a9")
    practitioners = {
        name: Practitioner(name, draw(agency), draw(ROLES)) for name in draw(PRACTITIONER_NAMES)
    }
    children = {name: Child(name, draw(RELATIONSHIPS)) for name in draw(CHILD_NAMES)}
    child = mostly(sorted(children), "c9")
    records = {
        name: Record(
            name,
            draw(child),
            draw(agency),
            draw(CATEGORY),
            draw(SENSITIVITY),
            draw(st.booleans()),
        )
        for name in draw(RECORD_NAMES)
    }
    agreements = [
        Agreement(
            f"ISA-{i}",
            draw(STATUS),
            draw(MOMENT),
            draw(MAYBE_END),
            draw(AGREED_PURPOSES),
            draw(AGREED_BASES),
            draw(RELEASE),
            tuple(
                Flow(draw(KNOWN_AGENCY), draw(KNOWN_AGENCY), draw(FLOW_CATEGORIES))
                for _ in range(draw(FEW))
            ),
        )
        for i in range(draw(UP_TO_THREE))
    ]
    wished = None
    if draw(COVER):
        # Most random agreements cover nothing anyone asks for: add one that covers a record
        # for a practitioner who usually works with the child, so that the later rules
        # (wishes, release, break-glass) are reached.
        record = records[draw(st.sampled_from(sorted(records)))]
        elsewhere = [p for p in sorted(practitioners) if practitioners[p].agency != record.agency]
        practitioner = practitioners[draw(st.sampled_from(elsewhere or sorted(practitioners)))]
        child = children.get(record.child)
        if child is not None and draw(COVER):
            children[child.id] = Child(child.id, child.relationships | {practitioner.id})
        categories = draw(st.sampled_from([{record.category}, {ANY}, {record.category, ANY}]))
        agreements.append(
            Agreement(
                "ISA-covering",
                draw(COVERING_STATUS),
                BASE - dt.timedelta(days=draw(st.integers(-1, 10))),
                draw(MAYBE_END),
                frozenset({"safeguarding"}) | draw(AGREED_PURPOSES),
                frozenset({"dpa-2018-sch1-para18"}) | draw(AGREED_BASES),
                draw(RELEASE),
                (Flow(record.agency, practitioner.agency, frozenset(categories)),),
            )
        )
        wished = (record, str(agencies.get(practitioner.agency, ANY)))
    preferences = [
        Preference(
            draw(ANY_CHILD),
            draw(WISH_CATEGORY),
            draw(WISH_KIND),
            draw(CHOICE),
            draw(MOMENT),
            "young person",
        )
        for _ in range(draw(UP_TO_FOUR))
    ]
    if wished is not None and draw(COVER):
        # A wish about the covered record and recipient, so that wishes meet agreements.
        record, kind = wished
        preferences.append(
            Preference(
                record.child,
                draw(st.sampled_from([record.category, ANY])),
                draw(st.sampled_from([kind, ANY])),
                draw(CHOICE),
                BASE - dt.timedelta(days=draw(st.integers(-1, 5))),
                "young person",
            )
        )
    return World(agencies, practitioners, children, records, tuple(agreements), tuple(preferences))


def mostly(known: list[str], unknown: str) -> st.SearchStrategy[str]:
    """One of `known`, or one time in seventeen `unknown`."""
    return st.sampled_from([*(known * 16)[:16], unknown])


def requests_in(world: World) -> st.SearchStrategy[AccessRequest]:
    """Requests mostly about what the world holds, sometimes about what it does not."""
    practitioners = mostly(sorted(world.practitioners), "p9")
    children = mostly(sorted(world.children), "c9")
    records = mostly(sorted(world.records), "r9")
    # Pairs some agreement's flow runs between: asked about half the time.
    flowing = sorted(
        (practitioner.id, record.id)
        for practitioner in world.practitioners.values()
        for record in world.records.values()
        if any(
            flow.source == record.agency and flow.recipient == practitioner.agency
            for agreement in world.agreements
            for flow in agreement.flows
        )
    )
    pairs = st.tuples(practitioners, records)
    if flowing:
        pairs = st.one_of(pairs, st.sampled_from(flowing))

    @st.composite
    def request(draw: st.DrawFn) -> AccessRequest:
        kind = draw(PRINCIPAL_KIND)
        if kind == "practitioner":
            who, record = draw(pairs)
        else:
            who, record = draw(children), draw(records)
        return AccessRequest(
            Principal(kind, who),
            record,
            draw(st.one_of(st.just("safeguarding"), PURPOSE)),
            draw(st.one_of(st.just("dpa-2018-sch1-para18"), BASIS)),
            draw(MOMENT),
            draw(JUSTIFICATION),
        )

    return request()

"""From scored pairs to people: reviewers' decisions, connected components, and the split
rule that keeps duplicate-free sources and "not the same person" decisions honest.

1. **Edges** are the pairs at or above the threshold, minus pairs a reviewer decided are
   not a match, plus pairs a reviewer decided are a match (whatever their score).
2. **Connected components** of those edges (Splink's algorithm, in the database) give
   candidate people.
3. **Split rule.** A component is re-clustered when it holds two records of one
   duplicate-free source, or two records a reviewer said are different people. Within it,
   edges are added one at a time, reviewers' matches first and then by decreasing match
   weight (ties by record order), and an edge is skipped when joining its two groups would
   put two records of one duplicate-free source, or a "non-match" pair, in one person: the
   weakest links are the ones dropped. A reviewer's match is never skipped: a person's
   explicit decision outranks an agency's promise.
"""

# ruff: noqa: S608 - SQL here is assembled from the code's own table and column names;
# data reaches the database as Arrow tables or quoted literals, never as raw text.

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from seen.link.backend import Backend


@dataclass
class _Group:
    members: list[int]
    free_sources: set[str]
    forbidden: set[int] = field(default_factory=set)


class ConstrainedUnion:
    """Union-find over records whose unions may be refused by the split rule."""

    def __init__(
        self,
        nodes: Iterable[int],
        free_of: Mapping[int, set[str]],
        cannot_link: Iterable[tuple[int, int]] = (),
    ) -> None:
        """`free_of[node]`: the duplicate-free sources a node already holds records of (a
        node is a record, or in an incremental run a whole existing person)."""
        self.parent: dict[int, int] = {}
        self.groups: dict[int, _Group] = {}
        for node in nodes:
            self.parent[node] = node
            self.groups[node] = _Group([node], set(free_of.get(node, ())))
        for a, b in cannot_link:
            if a in self.groups and b in self.groups:
                self.groups[a].forbidden.add(b)
                self.groups[b].forbidden.add(a)

    def find(self, rid: int) -> int:
        root = rid
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[rid] != root:
            self.parent[rid], rid = root, self.parent[rid]
        return root

    def allowed(self, a: int, b: int) -> bool:
        ga, gb = self.groups[self.find(a)], self.groups[self.find(b)]
        if ga.free_sources & gb.free_sources:
            return False
        small, large = (ga, gb) if len(ga.members) <= len(gb.members) else (gb, ga)
        return not any(m in large.forbidden for m in small.members)

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        ga, gb = self.groups[ra], self.groups[rb]
        if len(ga.members) < len(gb.members):
            ra, rb, ga, gb = rb, ra, gb, ga
        self.parent[rb] = ra
        ga.members.extend(gb.members)
        ga.free_sources |= gb.free_sources
        ga.forbidden |= gb.forbidden
        del self.groups[rb]

    def add_edges(self, edges: Iterable[tuple[float, int, int, bool]]) -> None:
        """Edges (weight, a, b, forced): forced first, then by decreasing weight."""
        ordered = sorted(edges, key=lambda e: (not e[3], -e[0], min(e[1], e[2]), max(e[1], e[2])))
        for _, a, b, forced in ordered:
            if self.find(a) == self.find(b):
                continue
            if forced or self.allowed(a, b):
                self.union(a, b)

    def components(self) -> list[list[int]]:
        return [sorted(g.members) for g in self.groups.values()]


def split_component(
    records: Sequence[int],
    edges: Sequence[tuple[float, int, int, bool]],
    source_of: Mapping[int, str],
    free_sources: set[str],
    cannot_link: Iterable[tuple[int, int]],
) -> list[list[int]]:
    """Apply the split rule to one component. Edges are (weight, a, b, forced)."""
    free_of = {r: {source_of[r]} for r in records if source_of[r] in free_sources}
    union = ConstrainedUnion(records, free_of, cannot_link)
    union.add_edges(edges)
    return union.components()


def connected_components(backend: Backend, nodes: str, edges: str) -> pa.Table:
    """Splink's connected components: (rid, cluster) for every rid in `nodes`.
    `edges` has columns rid_l, rid_r (every edge is a link)."""
    from splink.clustering import cluster_pairwise_predictions_at_threshold

    api = backend.splink_api()
    tag = f"{abs(hash((nodes, edges))):x}"
    result = cluster_pairwise_predictions_at_threshold(
        api.register(nodes, table_name=f"__seen_cc_nodes_{tag}"),
        api.register(edges, table_name=f"__seen_cc_edges_{tag}"),
        api,
        node_id_column_name="rid",
        edge_id_column_name_left="rid_l",
        edge_id_column_name_right="rid_r",
    )
    table = backend.query(f"SELECT rid, cluster_id FROM {result.physical_name}")
    result.drop_table_from_database_and_remove_from_cache()
    return table


def enforce_constraints(
    rids: np.ndarray,
    clusters: np.ndarray,
    sources: np.ndarray,
    free_sources: set[str],
    edges: Sequence[tuple[float, int, int, bool]],
    cannot_link: Sequence[tuple[int, int]],
) -> np.ndarray:
    """Clusters (one label per rid, in `rids` order) after the split rule; labels of
    untouched clusters are kept, split parts get fresh labels.

    Finding the clusters that break the rule is columnar; only those clusters (usually
    none, or a few small ones) are walked record by record."""
    rids = np.asarray(rids)
    labels = np.asarray(clusters)
    offending = _offending(rids, labels, sources, free_sources, cannot_link)
    if not offending:
        return clusters
    inside = np.isin(labels, np.fromiter(offending, dtype=labels.dtype, count=len(offending)))
    at = np.flatnonzero(inside)
    label_of = dict(zip(rids[at].tolist(), labels[at].tolist(), strict=True))
    source_of = {rid: str(sources[i]) for rid, i in zip(rids[at].tolist(), at, strict=True)}
    members: dict[int, list[int]] = {}
    for rid, cluster in label_of.items():
        members.setdefault(cluster, []).append(rid)
    by_cluster: dict[int, list[tuple[float, int, int, bool]]] = {}
    for edge in edges:
        label = label_of.get(edge[1])
        if label is not None and label_of.get(edge[2]) == label:
            by_cluster.setdefault(label, []).append(edge)
    next_label = int(labels.max()) + 1
    out = labels.astype(np.int64, copy=True)
    position = {rid: i for rid, i in zip(rids[at].tolist(), at.tolist(), strict=True)}
    for cluster in sorted(offending):
        parts = split_component(
            members[cluster], by_cluster.get(cluster, []), source_of, free_sources, cannot_link
        )
        parts.sort(key=lambda p: (-len(p), p[0]))
        for part in parts[1:]:
            for rid in part:
                out[position[rid]] = next_label
            next_label += 1
    return out


def _offending(
    rids: np.ndarray,
    labels: np.ndarray,
    sources: np.ndarray,
    free_sources: set[str],
    cannot_link: Sequence[tuple[int, int]],
) -> set[int]:
    """The clusters holding two records of one duplicate-free source, or both records of
    a "not the same person" decision."""
    offending: set[int] = set()
    for source in sorted(free_sources):
        held = labels[sources == source]
        values, counts = np.unique(held, return_counts=True)
        offending.update(int(label) for label in values[counts > 1])
    if cannot_link and len(rids):
        order = np.argsort(rids, kind="stable")
        ordered = rids[order]
        for a, b in cannot_link:
            i, j = np.searchsorted(ordered, [a, b])
            if i >= len(ordered) or j >= len(ordered) or ordered[i] != a or ordered[j] != b:
                continue  # a record not in this run
            if labels[order[i]] == labels[order[j]]:
                offending.add(int(labels[order[i]]))
    return offending

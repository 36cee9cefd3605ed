"""A synthetic national corpus of 政务公开 plans with known lineage, for the benchmark and tests.

One national plan (国务院办公厅), then provinces, cities and counties in the proportions of
China's divisions (at 3,000 documents about 1/31/330/2,640), each plan derived from its parent's
the way real ones are:

* most duties are **carried**: re-worded (synonym swaps, 全省 → 全市 → 全区), a clause dropped
  or a local clause added, units renamed with the child's prefix (省财政厅 → 市财政局 → 区财政局);
* a few are **dropped** — the true gaps;
* a few are **merged** with the next duty or **split** in two;
* a few are **inserted**, local duties with no parent (never a topic an ancestor carries);
* neighbours are occasionally **reordered**.

Regions are real (:mod:`policy_lineage.ingest.regions`' division data), so each plan's issuer
resolves to its region path and the parser reads region, level and year from the text.  The
only fact the texts cannot state is that 国务院办公厅's plan is national: ``manifest.toml``
beside the corpus says so.  Everything is decided by one :class:`random.Random` seeded by the
caller, so the same seed writes byte-identical files.

The truth goes beside the corpus as CSV (``truth/documents.csv``, ``truth/implements.csv``,
``truth/gaps.csv``); items are named by file and printed sequence number, documents also by
their contract ref (文号, else title).
"""

from __future__ import annotations

import csv
import random
import re
from dataclasses import astuple, dataclass, field, fields, replace
from functools import lru_cache
from pathlib import Path

from policy_lineage.errors import LineageError
from policy_lineage.synthetic_render import RenderDoc, RenderItem, render
from policy_lineage.synthetic_vocab import (
    LOCAL_CLAUSES,
    SECTION_TITLES,
    SPECIALTIES,
    SYNONYMS,
    UNIT_KINDS,
    Topic,
    composed_topics,
    bigrams,
    domain_kind,
    fill_slots,
    jaccard,
    seed_topics,
    swap_synonym,
)

__all__ = [
    "Rates",
    "TruthDoc",
    "TruthLink",
    "TruthGap",
    "Truth",
    "allocate",
    "plan_regions",
    "generate_corpus",
    "CORPUS_DIR",
    "TRUTH_DIR",
    "NATIONAL_ITEMS",
]

CORPUS_DIR = "corpus"
#: Names of generated documents (``county-00012.txt``); only these are replaced on a rerun.
_GENERATED = re.compile(r"(?:national|province|city|county)-\d{5}\.(?:txt|md)\Z")
TRUTH_DIR = "truth"
#: Real proportions of China's divisions (provinces, prefecture-level cities, county-level units).
PROPORTIONS = (31, 330, 2840)
#: Duties in the national plan (a county plan ends up with about as many).
NATIONAL_ITEMS = 56
#: 文号 abbreviations of the provincial governments (川办发, 粤办函 …).
PROVINCE_ABBR = {
    "北京市": "京", "天津市": "津", "河北省": "冀", "山西省": "晋", "内蒙古自治区": "内", "辽宁省": "辽",
    "吉林省": "吉", "黑龙江省": "黑", "上海市": "沪", "江苏省": "苏", "浙江省": "浙", "安徽省": "皖",
    "福建省": "闽", "江西省": "赣", "山东省": "鲁", "河南省": "豫", "湖北省": "鄂", "湖南省": "湘",
    "广东省": "粤", "广西壮族自治区": "桂", "海南省": "琼", "重庆市": "渝", "四川省": "川", "贵州省": "黔",
    "云南省": "云", "西藏自治区": "藏", "陕西省": "陕", "甘肃省": "甘", "青海省": "青",
    "宁夏回族自治区": "宁", "新疆维吾尔自治区": "新",
}


@dataclass(frozen=True)
class Rates:
    """How often each derivation happens, per parent item (or per carried item for wording)."""

    drop: float = 0.06
    rewrite: float = 0.08
    merge: float = 0.04
    split: float = 0.04
    insert: float = 0.05
    swap: float = 0.05
    synonym: float = 0.3
    delete_sentence: float = 0.15
    add_clause: float = 0.15
    change_lead: float = 0.1
    full_unit_names: float = 0.3
    cite_parent: float = 0.7
    no_doc_no: float = 0.1
    #: Share of city and county plans written as flattened PDF tables (a table's text layer, every
    #: cell wrapped at its column's width): governments publish many plans as PDFs, and the parser
    #: rebuilds every row of these (tests/test_synthetic.py), so the benchmark includes them.
    flat: float = 0.15


# --------------------------------------------------------------------------- truth records


@dataclass(frozen=True)
class TruthDoc:
    """One generated document as the parser should read it."""

    file: str
    ref: str
    doc_no: str
    title: str
    issuer: str
    region: str
    region_path: str
    level: str
    year: int
    date: str
    shape: str
    items: int
    parent_file: str


@dataclass(frozen=True)
class TruthLink:
    """A true IMPLEMENTS: child item (file, printed seq) carries parent item (file, seq).

    ``kind`` is carry | rewrite | merge | split; ``missing`` the parent's sentences the child
    dropped.
    """

    child_file: str
    child_doc: str
    child_seq: int
    parent_file: str
    parent_doc: str
    parent_seq: int
    kind: str
    missing: str = ""


@dataclass(frozen=True)
class TruthGap:
    """A true gap: a parent item no item of the child document carries."""

    parent_file: str
    parent_doc: str
    parent_seq: int
    child_file: str
    child_doc: str
    child_region: str
    status: str = "gap"


_TRUTH_FILES = {"documents": TruthDoc, "links": TruthLink, "gaps": TruthGap}
_TRUTH_NAMES = {"documents": "documents.csv", "links": "implements.csv", "gaps": "gaps.csv"}


@dataclass
class Truth:
    """The generated corpus's known answer: documents, IMPLEMENTS pairs and gaps."""

    corpus: Path
    documents: list[TruthDoc] = field(default_factory=list)
    links: list[TruthLink] = field(default_factory=list)
    gaps: list[TruthGap] = field(default_factory=list)

    @property
    def items(self) -> int:
        return sum(d.items for d in self.documents)

    def write(self, folder: str | Path) -> None:
        """Write the three CSV files into ``folder``."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        for attr, cls in _TRUTH_FILES.items():
            with open(folder / _TRUTH_NAMES[attr], "w", encoding="utf-8", newline="") as f:
                w = csv.writer(f)
                w.writerow([fl.name for fl in fields(cls)])
                w.writerows(astuple(r) for r in getattr(self, attr))

    @classmethod
    def read(cls, root: str | Path) -> "Truth":
        """Read the truth written by :func:`generate_corpus` under ``root``."""
        root = Path(root)
        truth = cls(root / CORPUS_DIR)
        for attr, rec in _TRUTH_FILES.items():
            types = {fl.name: fl.type for fl in fields(rec)}
            with open(root / TRUTH_DIR / _TRUTH_NAMES[attr], encoding="utf-8", newline="") as f:
                rows = list(csv.DictReader(f))
            setattr(
                truth,
                attr,
                [rec(**{k: int(v) if types[k] in ("int", int) else v for k, v in row.items()}) for row in rows],
            )
        return truth


# --------------------------------------------------------------------------- regions


@dataclass(frozen=True)
class Node:
    """A government that issues one plan: region path, level, index of the parent node."""

    path: tuple[str, ...]
    parent: int | None

    @property
    def level(self) -> str:
        """The level the parser reads for this region: a municipality's districts are county-level."""
        from policy_lineage.ingest.regions import level_of

        return level_of(self.path) if self.path else "national"

    @property
    def region(self) -> str | None:
        return self.path[-1] if self.path else None


def issuer_of(path: tuple[str, ...]) -> str:
    """The issuing office of a plan: 国务院办公厅, 四川省人民政府办公厅, 遂宁市安居区人民政府办公室.

    >>> issuer_of(("四川省", "遂宁市", "安居区")), issuer_of(("四川省", "遂宁市"))
    ('遂宁市安居区人民政府办公室', '遂宁市人民政府办公室')
    >>> issuer_of(("北京市", "朝阳区"))
    '北京市朝阳区人民政府办公室'
    """
    if not path:
        return "国务院办公厅"
    if len(path) == 1:
        return path[0] + "人民政府办公厅"
    if len(path) == 2 and not path[0].endswith("市"):
        return path[1] + "人民政府办公室"
    return "".join(path[-2:]) + "人民政府办公室"


@lru_cache(maxsize=1)
def _tree() -> dict[tuple[str, ...], list[tuple[str, ...]]]:
    """Region path → child paths, real divisions only, each resolving from its issuer's name."""
    from policy_lineage.ingest.regions import _paths_by_name, region_of_issuer

    paths = sorted({p for ps in _paths_by_name().values() for p in ps})
    keep = []
    for p in paths:
        if p[0] not in PROVINCE_ABBR or any("直辖" in n or n.endswith("行政区划") for n in p):
            continue
        region = region_of_issuer(issuer_of(p))
        if region is not None and tuple(region.path) == p:
            keep.append(p)
    kept = set(keep)
    tree: dict[tuple[str, ...], list[tuple[str, ...]]] = {(): []}
    for p in keep:
        if p[:-1] in kept or len(p) == 1:
            tree.setdefault(p[:-1], []).append(p)
            tree.setdefault(p, [])
    return tree


def allocate(n_docs: int) -> tuple[int, int, int]:
    """How many province, city and county plans a corpus of ``n_docs`` holds (plus one national).

    >>> allocate(3000)
    (29, 309, 2661)
    >>> allocate(12), allocate(2), allocate(1)
    ((1, 1, 9), (1, 0, 0), (0, 0, 0))
    """
    if n_docs < 1:
        raise LineageError(f"a corpus needs at least 1 document, not {n_docs}")
    rest = n_docs - 1
    total = sum(PROPORTIONS)
    provinces = min(rest, max(1, round(rest * PROPORTIONS[0] / total)), len(PROVINCE_ABBR))
    cities = min(rest - provinces, max(1, round(rest * PROPORTIONS[1] / total)))
    return provinces, max(0, cities), rest - provinces - max(0, cities)


def plan_regions(n_docs: int, rng: random.Random) -> list[Node]:
    """The governments of a corpus: national first, then provinces, cities, counties.

    Provinces come in a seeded order with 四川省 first (the seeds are Sichuan's); cities are
    taken round-robin across the chosen provinces and counties round-robin across the chosen
    cities, so every level is spread evenly.  When the chosen provinces run out of cities (a
    municipality's districts have no counties below them), another province takes a city's
    place; when the chosen cities run out of counties, another city takes a county's place.

    Raises
    ------
    LineageError
        When ``n_docs`` exceeds one plan per government of one cycle.
    """
    tree = _tree()
    capacity = 1 + sum(1 + len(tree[p]) + sum(len(tree[c]) for c in tree[p]) for p in tree[()])
    if n_docs > capacity:
        raise LineageError(f"{n_docs} documents is more than one plan per government of one cycle ({capacity})")
    queue = sorted(tree[()])
    rng.shuffle(queue)
    queue.sort(key=lambda p: p != ("四川省",))
    n_prov, n_city, _ = allocate(n_docs)
    provinces: list[tuple[str, ...]] = []
    cities: list[tuple[str, ...]] = []
    counties: list[tuple[str, ...]] = []
    city_pools: dict[tuple[str, ...], list] = {}
    county_pools: dict[tuple[str, ...], list] = {}

    def add_province() -> bool:
        if not queue:
            return False
        p = queue.pop(0)
        provinces.append(p)
        city_pools[p] = rng.sample(tree[p], len(tree[p]))
        return True

    def add_city() -> bool:
        took = _round_robin(city_pools, 1)
        for c in took:
            cities.append(c)
            county_pools[c] = rng.sample(tree[c], len(tree[c]))
        return bool(took)

    for _ in range(n_prov):
        add_province()
    while len(cities) < n_city and len(provinces) + len(cities) < n_docs - 1:
        if not add_city():
            if not add_province():
                break
            n_city -= 1
    while len(provinces) + len(cities) + len(counties) < n_docs - 1:
        need = n_docs - 1 - len(provinces) - len(cities) - len(counties)
        took = _round_robin(county_pools, need)
        counties.extend(took)
        if not took and not add_city() and not add_province():
            break
    nodes = [Node((), None)]
    index: dict[tuple[str, ...], int] = {(): 0}
    for path in provinces + cities + sorted(counties, key=lambda k: index.get(k[:-1], 0)):
        # counties sort by their city's position, which is known once the cities are placed
        index[path] = len(nodes)
        nodes.append(Node(path, index[path[:-1]]))
    return nodes


def _round_robin(pools: dict, n: int) -> list:
    """Take up to ``n`` entries, one from each pool in turn (pools are consumed)."""
    out: list = []
    while len(out) < n and any(pools.values()):
        for key in list(pools):
            if pools[key] and len(out) < n:
                out.append(pools[key].pop(0))
    return out


# --------------------------------------------------------------------------- derivation


@dataclass(frozen=True)
class SynItem:
    """An item of a generated plan: placeholders unrendered, provenance kept for the truth."""

    title: str
    sentences: tuple[str, ...]
    lead: tuple[str, ...]
    deadline: str
    section: int
    topics: frozenset[str]
    parents: tuple[int, ...] = ()
    kind: str = "root"
    missing: tuple[str, ...] = ()

    def render_item(self) -> RenderItem:
        return RenderItem(self.title, self.sentences, self.lead, self.deadline, self.section)


_DEADLINES = ("{Y}年底前", "{Y}年6月底前", "{Y}年9月底前", "长期坚持", "及时公开", "每季度")
_KINDS = sorted(UNIT_KINDS)


@lru_cache(maxsize=1)
def _topic_pool() -> tuple[Topic, ...]:
    return seed_topics() + composed_topics()


@lru_cache(maxsize=None)
def _family(t: int) -> str:
    """What an inserted duty must not share with its ancestors' duties.

    A seed topic is its own family; composed topics of one template read alike whatever their
    domain (做好财政预决算政策解读, 做好社会救助政策解读), so a template is one family, and so are the
    local specialities.
    """
    n_seed = len(seed_topics())
    if t < n_seed:
        return f"s{t}"
    return f"c{(t - n_seed) // (len(composed_topics()) // 2)}"


#: Two topics whose texts share this much (character-bigram Jaccard), or one sentence pair this
#: much, read as the same duty; a local plan never adds a duty that reads like an ancestor's.
NEIGHBOUR_TEXT, NEIGHBOUR_SENTENCE = 0.2, 0.3


@lru_cache(maxsize=1)
def _neighbours() -> tuple[frozenset[str], ...]:
    """For each topic, the families of the topics that read like it (itself included)."""
    pool = _topic_pool()
    whole = [bigrams("".join(t.sentences)) for t in pool]
    parts = [[bigrams(s) for s in t.sentences] for t in pool]
    out = []
    for i in range(len(pool)):
        near = {_family(i)}
        for j in range(len(pool)):
            if i != j and (
                jaccard(whole[i], whole[j]) >= NEIGHBOUR_TEXT
                or any(jaccard(a, b) >= NEIGHBOUR_SENTENCE for a in parts[i] for b in parts[j])
            ):
                near.add(_family(j))
        out.append(frozenset(near))
    return tuple(out)


def national_items(rng: random.Random, n_items: int = NATIONAL_ITEMS) -> tuple[list[SynItem], set[int]]:
    """The national plan's items drawn from the seed topics; returns the topic ids left over.

    Only seed topics make national duties: composed ones read too much alike to stand side by
    side in one plan, and are kept for the duties local plans add.
    """
    pool = _topic_pool()
    n_seed = len(seed_topics())
    order = rng.sample(range(n_seed), n_seed)
    chosen, rest = sorted(order[:n_items]), set(order[n_items:]) | set(range(n_seed, len(pool)))
    n_sections = min(len(SECTION_TITLES), max(1, n_items // 7))
    items = []
    for k, t in enumerate(chosen):
        topic = pool[t]
        kind = domain_kind(topic)
        lead = (kind,) if kind else tuple(rng.sample(_KINDS, rng.choice((1, 1, 2))))
        items.append(
            SynItem(
                title=topic.title,
                sentences=topic.sentences,
                lead=lead,
                deadline=rng.choice(_DEADLINES),
                section=k * n_sections // len(chosen),
                topics=frozenset({_family(t)}),
            )
        )
    return items, rest


def _reword(text: str, rng: random.Random, rate: float) -> str:
    """Swap synonyms (either direction) at their first occurrence, each with probability ``rate``."""
    for k in range(len(SYNONYMS)):
        if rng.random() < rate:
            text = swap_synonym(text, k)
    return text


def _carry(item: SynItem, pos: int, rng: random.Random, rates: Rates) -> SynItem:
    """A child's version of one duty: re-worded, a clause dropped or added, leads renamed.

    A ``rewrite`` keeps one sentence of the duty and adds the child's own: the local plan
    restates the duty in its terms, as 眉山's grassroots annex restates the province's.
    """
    sentences = [_reword(s, rng, rates.synonym) for s in item.sentences]
    missing: tuple[str, ...] = ()
    kind = "carry"
    if len(sentences) >= 2 and rng.random() < rates.rewrite:
        k = rng.randrange(len(sentences))
        missing = tuple(s for j, s in enumerate(item.sentences) if j != k)
        sentences = [sentences[k]] + [fill_slots(c, rng) for c in rng.sample(LOCAL_CLAUSES, 2)]
        kind = "rewrite"
    elif len(sentences) >= 3 and rng.random() < rates.delete_sentence:
        k = rng.randrange(1, len(sentences))
        missing = (item.sentences[k],)
        del sentences[k]
    if rng.random() < rates.add_clause:
        sentences.append(fill_slots(rng.choice(LOCAL_CLAUSES), rng))
    lead = item.lead
    if rng.random() < rates.change_lead:
        lead = tuple(dict.fromkeys(lead[:1] + (rng.choice(_KINDS),)))
    return replace(
        item,
        title=_reword(item.title, rng, rates.synonym / 2),
        sentences=tuple(sentences),
        lead=lead,
        parents=(pos,),
        kind=kind,
        missing=missing,
    )


def _local_item(rng: random.Random, section: int, banned: set[str], local: list[int]) -> SynItem:
    """A duty the child adds on its own: a topic no ancestor's duty reads like, or a speciality."""
    pool = _topic_pool()
    near = _neighbours()
    free = [t for t in local if not near[t] & banned]
    if free and (rng.random() < 0.6 or "sp" in banned):
        t = rng.choice(free)
        topic = pool[t]
        return SynItem(
            topic.title, topic.sentences, (rng.choice(_KINDS),), rng.choice(_DEADLINES), section, frozenset({_family(t)}), (), "local"
        )
    k = rng.randrange(len(SPECIALTIES))
    spec = SPECIALTIES[k]
    return SynItem(
        f"推进{spec}信息公开",
        (f"及时公开{spec}相关扶持政策、项目进展和资金安排情况。", f"定期发布{spec}工作动态，接受社会监督。"),
        (rng.choice(_KINDS),),
        rng.choice(_DEADLINES),
        section,
        frozenset({"sp"}),
        (),
        "local",
    )


def derive_items(
    parent: list[SynItem], rng: random.Random, rates: Rates, banned: set[str], local: list[int]
) -> list[SynItem]:
    """A child plan's items from its parent's (see the module docstring for the operations).

    ``banned`` holds the topic ids of every ancestor, so an inserted duty never resembles one.
    Each returned item's ``parents`` are positions in ``parent``; at least one duty is kept.
    """
    from policy_lineage.synthetic_vocab import _title_from

    out: list[SynItem] = []
    i = 0
    used = set(banned)
    while i < len(parent):
        item = parent[i]
        r = rng.random()
        if r < rates.drop and len(parent) - i > 1:
            i += 1
            continue
        r -= rates.drop
        nxt = parent[i + 1] if i + 1 < len(parent) else None
        if r < rates.merge and nxt is not None and nxt.section == item.section:
            merged = _carry(item, i, rng, rates)
            other = _carry(nxt, i + 1, rng, rates)
            out.append(
                replace(
                    merged,
                    sentences=merged.sentences + other.sentences,
                    lead=tuple(dict.fromkeys(merged.lead + other.lead)),
                    topics=item.topics | nxt.topics,
                    parents=(i, i + 1),
                    kind="merge",
                    missing=merged.missing + other.missing,
                )
            )
            i += 2
            continue
        r -= rates.merge
        if r < rates.split and len(item.sentences) >= 2:
            # both halves keep sentences of the duty: no rewrite, no clause added or dropped
            carried = _carry(item, i, rng, replace(rates, rewrite=0.0, add_clause=0.0, delete_sentence=0.0))
            cut = max(1, len(item.sentences) // 2)
            first, second = carried.sentences[:cut], carried.sentences[cut:]
            out.append(replace(carried, sentences=first, kind="split"))
            out.append(replace(carried, title=_title_from(second[0]), sentences=second, kind="split"))
            i += 1
            continue
        out.append(_carry(item, i, rng, rates))
        i += 1
        if rng.random() < rates.insert:
            new = _local_item(rng, out[-1].section, used, local)
            used |= new.topics
            out.append(new)
    for k in range(len(out) - 1):
        if out[k].section == out[k + 1].section and rng.random() < rates.swap:
            out[k], out[k + 1] = out[k + 1], out[k]
    return out


# --------------------------------------------------------------------------- documents


@dataclass
class _Plan:
    node: Node
    items: list[SynItem]
    render: RenderDoc
    file: str
    topics: set[str]

    @property
    def ref(self) -> str:
        return self.render.doc_no or self.render.title


_TITLES = {
    "national": ("{Y}年政务公开工作要点",),
    "province": ("{Y}年全省政务公开重点工作安排", "{Y}年{R}政务公开工作要点"),
    "city": ("{Y}年{R}政务公开重点任务分解表", "{R}{Y}年政务公开工作要点"),
    "county": ("{Y}年全区政务公开重点任务分工方案", "{Y}年全县政务公开工作要点分工表"),
}
_MONTH = {"national": 3, "province": 4, "city": 5, "county": 6}


def _title(node: Node, year: int, rng: random.Random, named: bool) -> str:
    """A plan title with the cycle year; titles of plans without 文号 name the region in full."""
    from policy_lineage.synthetic_vocab import level_char

    if node.level == "national":
        return f"{year}年政务公开工作要点"
    if named or node.level == "county":
        chain = "".join(node.path[1:]) if node.level == "county" else node.region
        if not named:
            c = level_char(node.level, node.region)
            return rng.choice((f"{year}年全{c}政务公开重点任务分工方案", f"{year}年全{c}政务公开工作要点分工表"))
        return f"{chain}{year}年政务公开重点任务分工方案"
    pattern = rng.choice(_TITLES[node.level])
    c = level_char(node.level, node.region)
    return pattern.replace("{Y}", str(year)).replace("{R}", node.region or "").replace("全省", "全" + c)


def _doc_no(node: Node, year: int, rng: random.Random, taken: set[str]) -> str:
    """A 文号 unique in the corpus: 国办发, 川办发, 遂府办发, 安居府办发 with a free serial."""
    from policy_lineage.ingest.docno import find_doc_nos

    if node.level == "national":
        prefix = "国办发"
    elif node.level == "province":
        prefix = PROVINCE_ABBR[node.path[0]] + "办发"
    else:
        name = node.region or ""
        kind = "府办" + rng.choice("发函")
        heads = (name[:1], name[:2]) if node.level == "city" else (name[:2], name[:1], name[1:3])
        # a head the 文号 reader would cut (仁和 reads as "…和") is skipped
        prefix = next((h + kind for h in heads if find_doc_nos(f"{h}{kind}〔{year}〕1号") == [f"{h}{kind}〔{year}〕1号"]), "府" + kind)
    serial = rng.randint(1, 60)
    while f"{prefix}〔{year}〕{serial}号" in taken:
        serial += 1
    no = f"{prefix}〔{year}〕{serial}号"
    taken.add(no)
    return no


def _shape(level: str, rng: random.Random, flat: float = 0.0) -> str:
    if level in ("national", "province"):
        return "prose" if level == "national" or rng.random() < 0.7 else "rows"
    if flat and rng.random() < flat:
        return "flat"
    return rng.choices(("prose", "cells", "rows"), (0.4, 0.3, 0.3))[0]


def generate_corpus(
    n_docs: int,
    seed: int = 0,
    out_dir: str | Path = ".",
    *,
    year: int = 2022,
    rates: Rates | None = None,
    n_items: int = NATIONAL_ITEMS,
) -> Truth:
    """Write a synthetic corpus of ``n_docs`` plans under ``out_dir/corpus`` and its truth.

    Parameters
    ----------
    n_docs : int
        Documents in total (1 national plan + provinces + cities + counties).
    seed : int
        Seeds every random choice; the same seed writes the same files.
    out_dir : path
        Root folder; ``corpus/`` (the documents and ``manifest.toml``) and ``truth/`` (CSV) are
        written inside it.
    year : int
        The work cycle every plan is for.
    rates : Rates, optional
        Derivation frequencies.
    n_items : int
        Duties in the national plan (a plan below carries about as many); at most the number
        of seed topics.

    Returns
    -------
    Truth
        Documents, IMPLEMENTS pairs and gaps, as written to ``truth/``.
    """
    rates = rates or Rates()
    rng = random.Random(seed)
    root = Path(out_dir)
    corpus = root / CORPUS_DIR
    corpus.mkdir(parents=True, exist_ok=True)
    for stale in corpus.iterdir():  # a previous corpus's files would join this one's
        if stale.is_file() and (_GENERATED.match(stale.name) or stale.name == "manifest.toml"):
            stale.unlink()
    nodes = plan_regions(n_docs, rng)
    taken: set[str] = set()
    plans: list[_Plan] = []
    truth = Truth(corpus)
    local: list[int] = []
    for k, node in enumerate(nodes):
        parent = plans[node.parent] if node.parent is not None else None
        if parent is None:
            items, rest = national_items(rng, n_items)
            local = sorted(rest)
        else:
            items = derive_items(parent.items, rng, rates, parent.topics, local)
        has_no = node.level != "county" or rng.random() >= rates.no_doc_no
        title = _title(node, year, rng, named=not has_no)
        doc_no = _doc_no(node, year, rng, taken) if has_no else None
        month = _MONTH[node.level] + rng.randint(0, 1)
        shape = _shape(node.level, rng, rates.flat)
        markdown = shape == "prose" and node.level == "county" and rng.random() < 0.3
        rdoc = RenderDoc(
            level=node.level,
            region=node.region,
            year=year,
            issuer=issuer_of(node.path),
            title=title,
            date=(year, month, rng.randint(1, 28)),
            doc_no=doc_no,
            shape=shape,
            sections=list(SECTION_TITLES),
            items=[it.render_item() for it in items],
            parent_title=parent.render.title if parent else None,
            # a plan without its own 文号 cites its parent by title only: a 文号 in the preamble
            # would be read as the plan's own
            parent_doc_no=parent.render.doc_no if parent and has_no else None,
            cite_parent=parent is not None and rng.random() < rates.cite_parent,
            full_unit_names=rng.random() < rates.full_unit_names,
            markdown=markdown,
        )
        file = f"{node.level}-{k:05d}.{'md' if markdown else 'txt'}"
        (corpus / file).write_text(render(rdoc), encoding="utf-8")
        topics = set(parent.topics if parent else ()) | {t for it in items for t in it.topics}
        plan = _Plan(node, items, rdoc, file, topics)
        plans.append(plan)
        truth.documents.append(
            TruthDoc(
                file=file,
                ref=plan.ref,
                doc_no=doc_no or "",
                title=title,
                issuer=rdoc.issuer,
                region=node.region or "",
                region_path=">".join(node.path),
                level=node.level,
                year=year,
                date="%04d-%02d-%02d" % rdoc.date,
                shape=shape,
                items=len(items),
                parent_file=parent.file if parent else "",
            )
        )
        if parent is not None:
            _record(truth, plan, parent)
    (corpus / "manifest.toml").write_text(
        f'# The national plan: its issuer, 国务院办公厅, names no region.\n["{plans[0].file}"]\nlevel = "national"\n',
        encoding="utf-8",
    )
    truth.write(root / TRUTH_DIR)
    return truth


def _record(truth: Truth, child: _Plan, parent: _Plan) -> None:
    """Append the child's true IMPLEMENTS pairs and the parent duties it left uncarried."""
    from policy_lineage.synthetic_vocab import render_scope

    carried: set[int] = set()
    level, region, year = parent.node.level, parent.node.region, parent.render.year
    for seq, item in enumerate(child.items, start=1):
        for p in item.parents:
            carried.add(p)
            missing = "".join(render_scope(s, level, region, year) for s in item.missing) if item.kind in ("carry", "rewrite") else ""
            truth.links.append(TruthLink(child.file, child.ref, seq, parent.file, parent.ref, p + 1, item.kind, missing))
    for p in range(len(parent.items)):
        if p not in carried:
            truth.gaps.append(TruthGap(parent.file, parent.ref, p + 1, child.file, child.ref, child.node.region or ""))

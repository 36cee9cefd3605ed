"""Administrative regions: names found in text, resolved against China's division data.

The division data is jionlp's bundled table of provinces, cities and counties (with their
2020s renamings), read from the installed package: nothing is fetched at run time.  A region
is resolved only from a full name printed in the text (安居区, 万源市), never from a fuzzy
alias, and a name that is ambiguous on its own (朝阳区 is in 北京市 and 长春市) resolves only
when its parent is printed before it (北京市朝阳区).

Levels follow the path depth: province (省级, including municipalities), city (地级), county
(县级: counties, districts and county-level cities such as 万源市) — except that a municipality's
districts and counties (重庆市 > 渝中区) are county-level though they sit at depth two.
"""

from __future__ import annotations

import contextlib
import io
import re
from functools import lru_cache

from policy_lineage.graph.model import Region

__all__ = ["resolve_region", "find_regions", "region_of_issuer", "region_names", "level_of", "LEVEL_BY_DEPTH", "NATIONAL"]

LEVEL_BY_DEPTH = {1: "province", 2: "city", 3: "county"}
#: The central government's "region": 国务院 and its offices name no division, yet issue for all.
#: Its path is empty: no province is under a "全国" node, and region paths start at the province.
NATIONAL = Region(name="全国", level="national", path=())
#: Names shorter than this are not searched for in running text (和县 would match 和县级…).
MIN_NAME_LEN = 3


def _jionlp():
    """Import jionlp quietly: it prints a banner on stdout, which would corrupt JSON output."""
    with contextlib.redirect_stdout(io.StringIO()):
        import jionlp

    return jionlp


@lru_cache(maxsize=1)
def _paths_by_name() -> dict[str, list[tuple[str, ...]]]:
    """Every full region name → the paths (province, city, county) that carry it."""
    table = _jionlp().china_location_loader()
    index: dict[str, list[tuple[str, ...]]] = {}
    short: list[tuple[dict, tuple[str, ...]]] = []

    def add(name: str, path: tuple[str, ...]) -> None:
        index.setdefault(name, [])
        if path not in index[name]:
            index[name].append(path)

    for province, cities in table.items():
        p = cities["_full_name"]
        add(p, (p,))
        for city, counties in cities.items():
            if city.startswith("_"):
                continue
            c = counties["_full_name"]
            city_path = (p,) if c == p else (p, c)  # municipalities list themselves as their city
            add(c, city_path)
            for county, info in counties.items():
                if county.startswith("_"):
                    continue
                add(info["_full_name"], city_path + (info["_full_name"],))
                short.append((info, city_path + (info["_full_name"],)))
            short.append((counties, city_path))
    for info, path in short:  # 凉山州, 峨边县: how documents name autonomous divisions
        for alias in _short_forms(info):
            if alias not in index:
                index[alias] = [path]
    return index


def _short_forms(info: dict) -> list[str]:
    """凉山彝族自治州 → 凉山州; 北川羌族自治县 → 北川县 (the data's alias and the rank)."""
    m = re.search(r"自治(州|县|旗)$", info["_full_name"])
    aliases = info.get("_alias") or []
    aliases = [aliases] if isinstance(aliases, str) else list(aliases)
    return [a + m.group(1) for a in aliases if m and len(a) >= 2]


@lru_cache(maxsize=1)
def _name_pattern() -> re.Pattern:
    names = sorted((n for n in _paths_by_name() if len(n) >= MIN_NAME_LEN), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)))


def region_names() -> frozenset[str]:
    """All full region names known to the division data."""
    return frozenset(_paths_by_name())


def find_regions(text: str) -> list[str]:
    """Full region names in ``text``, longest match first, in order of appearance.

    >>> find_regions("遂宁市安居区2021年全区政务公开重点任务分工方案")
    ['遂宁市', '安居区']
    >>> find_regions("市场监管局")
    []
    """
    return list(_find_regions(text))


@lru_cache(maxsize=1 << 16)
def _find_regions(text: str) -> tuple[str, ...]:
    # the pattern alternates every region name, so a scan is slow; unit names and cells repeat
    # across a corpus's documents (区财政局 in every district), so their answers are kept
    return tuple(m.group(0) for m in _name_pattern().finditer(text))


def _region(path: tuple[str, ...]) -> Region:
    return Region(name=path[-1], level=level_of(path), path=path)


@lru_cache(maxsize=1)
def _municipalities() -> frozenset[str]:
    """Provinces that are cities (北京市, 天津市, 上海市, 重庆市): the data lists each as its own city."""
    table = _jionlp().china_location_loader()
    return frozenset(
        cities["_full_name"]
        for cities in table.values()
        if any(not k.startswith("_") and v["_full_name"] == cities["_full_name"] for k, v in cities.items())
    )


def level_of(path: tuple[str, ...]) -> str:
    """The level of the region at the end of ``path`` (province, city, county).

    A municipality is province-level and its districts and counties are county-level: they sit
    right under it, with no prefecture-level city between, as 县级 units.

    >>> level_of(("四川省", "遂宁市", "安居区")), level_of(("四川省", "遂宁市")), level_of(("重庆市",))
    ('county', 'city', 'province')
    >>> level_of(("重庆市", "渝中区")), level_of(("北京市", "密云区")), level_of(("重庆市", "城口县"))
    ('county', 'county', 'county')
    """
    if len(path) == 2 and path[0] in _municipalities():
        return "county"
    return LEVEL_BY_DEPTH[len(path)]


def resolve_region(text: str) -> Region | None:
    """The region a text names: its last region name, disambiguated by the names before it.

    >>> resolve_region("安居区").path
    ('四川省', '遂宁市', '安居区')
    >>> resolve_region("万源市").level
    'county'
    >>> resolve_region("朝阳区") is None
    True
    >>> resolve_region("北京市朝阳区")
    Region(name='朝阳区', level='county', path=('北京市', '朝阳区'))
    >>> resolve_region("凉山州").path
    ('四川省', '凉山彝族自治州')
    """
    names = find_regions(text) or ([text.strip()] if text.strip() in _paths_by_name() else [])
    if not names:
        return None
    candidates = _paths_by_name().get(names[-1], [])
    context = set(names[:-1])
    if len(candidates) > 1 and context:
        candidates = [p for p in candidates if context & set(p[:-1])]
    if len(candidates) != 1:
        return None
    return _region(candidates[0])


_GOVERNMENT_SUFFIX = re.compile(r"(?:人民政府|政府|党委|委员会|人大|政协).*$")
#: Central issuers: they print no region name (国务院办公厅, 中共中央办公厅, 国家发展改革委).
_CENTRAL = re.compile(r"^(?:国务院|中共中央|党中央|中央|全国人大|国家)")


def region_of_issuer(issuer: str) -> Region | None:
    """The region an issuing office belongs to (四川省人民政府办公厅 → 四川省).

    Only region names printed before the office's own name count.

    >>> region_of_issuer("遂宁市安居区人民政府办公室").path
    ('四川省', '遂宁市', '安居区')
    >>> region_of_issuer("人民政府办公室") is None
    True

    Central offices print no region; they issue for the whole country:

    >>> region_of_issuer("国务院办公厅").level, region_of_issuer("国家税务总局四川省税务局").level
    ('national', 'province')
    """
    issuer = issuer.strip()
    if _CENTRAL.match(issuer) and not find_regions(issuer):
        return NATIONAL
    head = _GOVERNMENT_SUFFIX.sub("", issuer)
    if not head or not find_regions(head) and head not in _paths_by_name():
        return None
    return resolve_region(head)

"""README.md's "Cypher for Neo4j Browser": five blocks that Neo4j 5 accepts and that answer on the seeds.

Each ```cypher block of that section may open with Browser-style ``:param name => 'value';`` lines;
the test strips them, passes the values as parameters, lints the rest with Neo4j's own grammar and
function table (:mod:`policy_lineage.cypherlint`, skipped with the reason when Node or the lint
package is missing) and runs it on an embedded store built from seeds/, checking what it finds.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from policy_lineage.cypherlint import CypherText, lint, lint_available

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## Cypher for Neo4j Browser"
PARAM = re.compile(r":param\s+([A-Za-z_]\w*)\s*=>\s*(.+?)\s*;?\s*$")
PROVINCE = "川办发〔2021〕16号"


def readme_blocks(text: str) -> list[tuple[str, dict, int]]:
    """(cypher, params, first README line of the cypher) for each ```cypher block of the section.

    >>> readme_blocks("## Cypher for Neo4j Browser\\n```cypher\\n:param a => 'x';\\nRETURN $a AS a\\n```\\n## Next\\n```cypher\\nRETURN 1\\n```\\n")
    [('RETURN $a AS a\\n', {'a': 'x'}, 4)]
    """
    lines = text.splitlines(keepends=True)
    start = next(k for k, line in enumerate(lines) if line.rstrip() == SECTION)
    end = next((k for k in range(start + 1, len(lines)) if lines[k].startswith("## ")), len(lines))
    blocks, k = [], start
    while k < end:
        if lines[k].rstrip() == "```cypher":
            params, body, k = {}, [], k + 1
            first = k + 1  # 1-based line of the block's first line
            while lines[k].rstrip() != "```":
                m = PARAM.match(lines[k])
                if m:
                    params[m.group(1)] = ast.literal_eval(m.group(2))  # a Cypher string or number literal
                    first = k + 2
                else:
                    body.append(lines[k])
                k += 1
            blocks.append(("".join(body), params, first))
        k += 1
    return blocks


BLOCKS = readme_blocks((ROOT / "README.md").read_text(encoding="utf-8"))


def test_five_queries_each_complete():
    assert len(BLOCKS) == 5
    for cypher, params, _ in BLOCKS:
        used = set(re.findall(r"\$([A-Za-z_]\w*)", cypher))
        assert used == set(params), "every parameter a block uses is set by its :param line, and no other"
        assert "RETURN" in cypher


@pytest.mark.skipif(lint_available() is not None, reason=str(lint_available()))
def test_lint_clean_for_neo4j_5():
    texts = [CypherText("README.md", cypher, line) for cypher, _, line in BLOCKS]
    findings = lint(texts)  # errors and warnings alike: labels, types and functions must all exist
    assert findings == [], "\n" + "\n".join(map(str, findings))


@pytest.fixture(scope="module")
def answers(tmp_path_factory):
    from policy_lineage.graph.store import open_store
    from policy_lineage.pipeline import build

    db = tmp_path_factory.mktemp("readme-cypher") / "graph.lbdb"
    build([ROOT / "seeds"], db)
    with open_store("ladybug", db, read_only=True) as store:
        yield [store.query(cypher, params) for cypher, params, _ in BLOCKS]


def test_gaps_of_one_document(answers):
    rows = answers[0]
    assert ("安居区", 3, "推进办事服务公开标准化") in [(r["government"], r["seq"], r["duty"]) for r in rows]
    assert {r["government"] for r in rows} <= {"安居区", "眉山市"}  # the two plans answering to the province


def test_partial_duties_with_missing_clauses(answers):
    rows = answers[1]
    assert rows and all(r["missing"] and r["carried_by"] for r in rows)
    anju = {r["seq"]: r["missing"] for r in rows if r["government"] == "安居区"}
    # 安居区's task for (十八) leaves out the IPv6 deadline for government portals
    assert any("IPv6" in clause for clause in anju[18])
    # a duty both partial and a gap in one government is impossible
    assert not {(r["government"], r["seq"]) for r in rows} & {(r["government"], r["seq"]) for r in answers[0]}


def test_trace_a_duty_down(answers):
    rows = answers[2]
    ends = set()
    for row in rows:
        path = row["path"]
        nodes = path["_NODES"] if isinstance(path, dict) else list(path.nodes)
        assert nodes[-1]["ref"] == f"{PROVINCE}#4"
        ends.add(nodes[0]["region"])
    assert ends == {"安居区", "眉山市"}


def test_orphans(answers):
    rows = answers[3]
    assert rows
    keys = [(r["government"], r["doc"], r["seq"]) for r in rows]
    assert len(keys) == len(set(keys))


def test_responsible_units_for_gaps(answers):
    rows = answers[4]
    owed = {(r["government"], r["unit"]): sorted(r["duties"]) for r in rows}
    # the district office, printed 安居区政府办公室 in its table and in full as the issuer, is one unit
    assert 3 in owed[("安居区", "遂宁市安居区人民政府办公室")]
    assert ("安居区", "安居区政府办公室") not in owed
    assert all(r["gaps"] == len(r["duties"]) for r in rows)
    counts = [r["gaps"] for r in rows]
    assert counts == sorted(counts, reverse=True)

"""The notebooks in notebooks/ run top to bottom in a real Jupyter kernel, and are stored clean.

Each notebook is executed with nbclient in a kernel started from this interpreter (a kernelspec
written into a temporary folder, so a user-level ``python3`` kernel pointing at another Python
cannot run them against another install).  01 runs from the repository root and the others from
notebooks/, as a reader would open them, so both ways of finding the seeds are exercised.

A run passing without an error is not enough: after the notebook's own cells, one more cell is run
in the same kernel to print, as JSON, facts about the variables the notebook built (安居区's dropped
duty among the gaps, the traced levels, the coverage grid), and the cells that draw must have
produced PNG images.  The repository must be left as it was: the notebooks write into temporary
folders only.

Skipped, with the reason, only when nbclient or ipykernel is missing or no kernel can start.
"""

from __future__ import annotations

import base64
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
EXPECTED = ("01-quickstart.ipynb", "02-lineage-explorer.ipynb", "03-coverage.ipynb")
CELL_TIMEOUT_S = 300  # a bound on one cell so a hung kernel fails the test instead of blocking CI
KERNEL = "policy-lineage-test"

nbformat = pytest.importorskip("nbformat", reason="nbformat is not installed (pip install -e '.[test]')")


def _stored() -> list[Path]:
    return sorted(NOTEBOOKS.glob("*.ipynb"))


# ----------------------------------------------------------------------------- stored clean


def test_the_three_notebooks_are_there():
    assert [p.name for p in _stored()] == list(EXPECTED)


@pytest.mark.parametrize("path", _stored(), ids=lambda p: p.stem)
def test_stored_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    dirty = [
        (k, cell.get("execution_count"), len(cell.get("outputs", [])))
        for k, cell in enumerate(nb.cells)
        if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count") is not None)
    ]
    assert dirty == [], "clear the outputs before committing (Jupyter: Edit > Clear Outputs of All Cells)"
    timed = [k for k, cell in enumerate(nb.cells) if "execution" in cell.get("metadata", {})]
    assert timed == [], "cells carry execution timings; clear them"
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"


# ----------------------------------------------------------------------------- executed

#: Python run in the notebook's kernel after its last cell; prints one JSON line of facts.
PROBES = {
    "01-quickstart": """
import json
print(json.dumps({
    "documents": len(documents), "items_parsed": int(documents["items"].sum()),
    "items_in_graph": sum(1 for _, a in G.nodes(data=True) if a["label"] == "Item" and not a["inferred"]),
    "regions": sorted(gaps.child_region.unique()),
    "anju_gaps": sorted(int(s) for s in gaps[(gaps.child_region == "安居区") & (gaps.status == "gap")].parent_seq),
    "local_task_regions": sorted(local_tasks.region.unique()),
    "implementing_edges": sum(implementing.values()),
    "root": str(ROOT), "db": str(DB),
}, ensure_ascii=False))
""",
    "02-lineage-explorer": """
import json
print(json.dumps({
    "trace": sorted({(int(d), r, l) for d, r, l in zip(trace.depth, trace.region, trace.level)}),
    "tree_regions": sorted({a["region"] for _, a in tree.nodes(data=True)}),
    "trace_rows": len(trace),
    "tree_tasks": sum(1 for _, a in tree.nodes(data=True) if a["label"] == "Item"),
    "dropped_gap_regions": sorted(a["region"] for _, a in dropped.nodes(data=True) if a["label"] == "Gap"),
    "root": str(ROOT), "db": str(DB),
}, ensure_ascii=False))
""",
    "03-coverage": """
import json
print(json.dumps({
    "governments": sorted(status_grid.columns),
    "duties": len(status_grid),
    "anju": status_grid["安居区"].value_counts().to_dict(),
    "anju_units_with_gaps": sorted(u for (r, u), n in by_unit["gap"].items() if r == "安居区" and n > 0),
    "carried_cells": int(carried_grid.notna().sum().sum()),
    "root": str(ROOT), "db": str(DB),
}, ensure_ascii=False))
""",
}


def _snapshot() -> dict[str, tuple[int, int] | bool]:
    """What the notebooks could touch in the checkout: every file under notebooks/ and seeds/, and
    whether the default database folder exists (only whether: another build may be using it)."""
    files = [p for folder in (NOTEBOOKS, ROOT / "seeds") for p in folder.rglob("*") if p.is_file()]
    found: dict[str, tuple[int, int] | bool] = {
        p.relative_to(ROOT).as_posix(): (p.stat().st_mtime_ns, p.stat().st_size) for p in files
    }
    found[".lineage"] = (ROOT / ".lineage").exists()
    return found


@pytest.fixture(scope="module")
def kernel_specs(tmp_path_factory):
    """A kernelspec manager that knows one kernel: ipykernel on this very interpreter."""
    pytest.importorskip("nbclient", reason="nbclient is not installed (pip install -e '.[test]')")
    pytest.importorskip("ipykernel", reason="ipykernel is not installed (pip install -e '.[test]'); no kernel to run the notebooks")
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    kernels = tmp_path_factory.mktemp("kernels")
    (kernels / KERNEL).mkdir()
    spec = {"argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"], "display_name": "policy-lineage tests", "language": "python"}
    (kernels / KERNEL / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    specs = KernelSpecManager(kernel_dirs=[str(kernels)])
    km = KernelManager(kernel_name=KERNEL, kernel_spec_manager=specs)
    try:
        km.start_kernel()
        kc = km.client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=120)
        finally:
            kc.stop_channels()
    except (RuntimeError, OSError) as e:  # the kernel process died or never answered
        pytest.skip(f"a Jupyter kernel cannot start from {sys.executable}: {type(e).__name__}: {e}")
    finally:
        if km.has_kernel:
            km.shutdown_kernel(now=True)
    return specs


def _execute(path: Path, cwd: Path, specs) -> tuple[object, dict]:
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PROBES[path.stem].strip(), id="probe"))
    km = KernelManager(kernel_name=KERNEL, kernel_spec_manager=specs)
    NotebookClient(nb, km=km, timeout=CELL_TIMEOUT_S, resources={"metadata": {"path": str(cwd)}}).execute()
    (probe,) = [o for o in nb.cells[-1].outputs if o.output_type == "stream" and o.name == "stdout"]
    return nb, json.loads(probe.text)


def _tagged(nb, tag: str):
    (cell,) = [c for c in nb.cells if tag in c.get("metadata", {}).get("tags", [])]
    return cell


def _pngs(cell) -> list[bytes]:
    return [base64.b64decode(o.data["image/png"]) for o in cell.outputs if "image/png" in o.get("data", {})]


def _text(cell) -> str:
    return "\n".join(o.get("text", "") or o.get("data", {}).get("text/plain", "") for o in cell.outputs)


def _png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


@pytest.fixture
def untouched_checkout():
    before = _snapshot()
    yield
    assert _snapshot() == before, "a notebook wrote into the repository; it must use temporary folders"


def _check_ran(nb, facts):
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []
    assert Path(facts["root"]) == ROOT
    assert not Path(facts["db"]).resolve().is_relative_to(ROOT), "the database must live outside the checkout"


def test_01_quickstart(kernel_specs, untouched_checkout):
    nb, facts = _execute(NOTEBOOKS / "01-quickstart.ipynb", ROOT, kernel_specs)  # from the repository root
    _check_ran(nb, facts)
    assert facts["documents"] == 5
    assert facts["items_in_graph"] == facts["items_parsed"] > 100
    assert {"安居区", "眉山市"} <= set(facts["regions"])
    # 安居区 dropped (三) 推进办事服务公开标准化 entirely
    assert 3 in facts["anju_gaps"]
    assert "推进办事服务公开标准化" in _text(_tagged(nb, "anju-gaps"))
    # the parameterised Cypher found local tasks of (四) in both subordinate governments
    assert facts["local_task_regions"] == ["安居区", "眉山市"]
    assert facts["implementing_edges"] > 0


def test_02_lineage_explorer(kernel_specs, untouched_checkout):
    nb, facts = _execute(NOTEBOOKS / "02-lineage-explorer.ipynb", NOTEBOOKS, kernel_specs)  # as Jupyter opens it
    _check_ran(nb, facts)
    trace = {tuple(t) for t in facts["trace"]}
    assert (0, "四川省", "province") in trace
    assert {(1, "眉山市", "city"), (1, "安居区", "county")} <= trace
    # the networkx walk and the trace_down query agree on the tasks below the duty
    assert facts["tree_tasks"] == facts["trace_rows"] >= 3
    assert sorted(facts["tree_regions"]) == sorted(["四川省", "安居区", "眉山市"])
    assert facts["dropped_gap_regions"] == ["安居区"]
    for tag in ("drawing", "dropped"):
        (png,) = _pngs(_tagged(nb, tag))
        width, height = _png_size(png)
        assert width > 400 and height > 250


def test_03_coverage(kernel_specs, untouched_checkout):
    nb, facts = _execute(NOTEBOOKS / "03-coverage.ipynb", NOTEBOOKS, kernel_specs)
    _check_ran(nb, facts)
    assert facts["governments"] == ["安居区", "眉山市"]
    assert facts["duties"] == 22  # (一)…(二十二) of 川办发〔2021〕16号
    assert facts["anju"].get("gap", 0) >= 1 and facts["anju"].get("partial", 0) >= 1 and facts["anju"].get("covered", 0) >= 1
    assert facts["carried_cells"] == 2 * facts["duties"]
    # the district office, printed 安居区政府办公室 in its table and in full as its issuer: one unit
    assert "遂宁市安居区人民政府办公室" in facts["anju_units_with_gaps"]
    assert "安居区政府办公室" not in facts["anju_units_with_gaps"]
    for tag in ("heatmap", "units-chart"):
        (png,) = _pngs(_tagged(nb, tag))
        width, height = _png_size(png)
        assert width > 400 and height > 250

"""Rule engine speed: a full check of a 2021-format report and a single-edit re-check.

Targets on the 2-core reference machine: full check under 5 ms, single-edit re-check under
0.5 ms. Prints the figures with their ratio to the target and writes benchmarks/results/rules.json.
"""

from __future__ import annotations

import random
from decimal import Decimal

# isort: off
from _common import save, timeit  # first: puts the repository root on sys.path for tests.fixtures
from tabledesk.core.edits import CellChange, Edit
from tabledesk.checks.engine import Checker
from tabledesk.templates.registry import builtin_template
from tests.fixtures.documents import document_from_spec
from tests.fixtures.report_spec import random_spec

# isort: on

FULL_TARGET_MS = 5.0
EDIT_TARGET_MS = 0.5


def main() -> None:
    template = builtin_template()
    doc = document_from_spec(random_spec(random.Random(1), "2021", other_split=True))
    # A realistic state: a few rows missing, so bounds propagate through the rules.
    t3 = doc.table("t3")
    for row in ("results.unable.unclear", "carried_forward"):
        for col in t3.columns:
            t3.cell(row, col.id).value = None
    checker = Checker(doc, template)
    full = timeit(lambda: Checker(doc, template).run(), repeat=200)
    run_only = timeit(checker.run, repeat=200)
    checker.run()
    keys = [("t3", "new", "natural"), ("t3", "results.public", "total"), ("t4", "all", "review.total")]
    rng = random.Random(2)

    def one_edit() -> None:
        key = rng.choice(keys)
        cell = doc.cell(*key)
        edit = Edit((CellChange(*key, cell.value, Decimal(rng.randint(0, 50))),))
        doc.apply(edit)
        checker.recheck(edit.cells())

    edit = timeit(one_edit, repeat=1000)
    out = {
        "instances": len(checker.instances),
        "full_check_with_compile": full,
        "full_check": run_only,
        "single_edit_recheck": edit,
        "targets_ms": {"full": FULL_TARGET_MS, "edit": EDIT_TARGET_MS},
    }
    print(f"rule instances: {len(checker.instances)}")
    print(
        f"full check (compile + evaluate): {full['median_ms']:.3f} ms median "
        f"= {full['median_ms'] / FULL_TARGET_MS:.2f} × target {FULL_TARGET_MS} ms"
    )
    print(f"full check (evaluate only):      {run_only['median_ms']:.3f} ms median")
    print(
        f"single-edit re-check:            {edit['median_ms']:.4f} ms median "
        f"= {edit['median_ms'] / EDIT_TARGET_MS:.2f} × target {EDIT_TARGET_MS} ms"
    )
    print(f"written: {save('rules', out)}")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Summarize a meson testlog.json: one line per test program with the
cases it reports, then "N passed, M failed" over all cases.

A program's cases are read from its output: a line "N passed, M failed"
(rmx suite, shell tests) or cmocka's "[  PASSED  ] N test(s)." and
"[  FAILED  ] M test(s)." lines.  A program that reports nothing counts as
one case.  A program that exits non-zero counts at least one failure, so a
crash after a clean-looking count is never hidden."""
import json
import re
import sys

passed = failed = 0
rows = []
try:
    lines = open(sys.argv[1]).read().splitlines()
except OSError as e:
    print("tests/run: no test log: %s" % e)
    print("0 passed, 1 failed")
    sys.exit(1)
for line in lines:
    t = json.loads(line)
    out = (t.get("stdout") or "") + "\n" + (t.get("stderr") or "")
    ok = t.get("result") in ("OK", "EXPECTEDFAIL")
    if t.get("result") == "SKIP":
        rows.append("%-28s skip  %s" % (t["name"], out.strip().splitlines()[-1] if out.strip() else ""))
        continue
    p = f = None
    m = re.findall(r"^(\d+) passed, (\d+) failed", out, re.M)
    if m:
        p, f = int(m[-1][0]), int(m[-1][1])
    else:
        mp = re.search(r"\[  PASSED  \] (\d+) test", out)
        mf = re.search(r"\[  FAILED  \] (\d+) test", out)
        if mp or mf:
            p = int(mp.group(1)) if mp else 0
            f = int(mf.group(1)) if mf else 0
    if p is None:
        p, f = (1, 0) if ok else (0, 1)
    if not ok and f == 0:
        f = 1
    passed += p
    failed += f
    rows.append("%-28s %-5s %4d passed, %d failed  (%.1fs)" % (
        t["name"], "ok" if ok else "FAIL", p, f, t.get("duration", 0)))
for r in rows:
    print(r)
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)

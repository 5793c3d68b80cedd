#!/usr/bin/python3
"""pyspf_bench.py - the pyspf side of the benchmark (bench/run drives it).

    /usr/bin/python3 bench/pyspf_bench.py --zone FILE --ip IP --sender ADDR
        --helo NAME --expect RESULT [--count N] [--mem]

Loads the master file FILE (bench/workload.zone) into a dictionary and
replaces pyspf's DNS function (spf.DNSLookup) with a lookup in it, so every
answer comes from memory.  Runs one check, compares its result with RESULT
(exit 1 on a mismatch, before anything is timed), then runs N checks and
prints
    pyspf checks=N seconds=S per_check_us=U result=R
With --mem it also prints the peak of Python's traced allocations
(tracemalloc) during one check, above what was live before it:
    pyspf peak_heap_bytes=B
(pymalloc serves small objects from its own arenas, so a malloc counter
would not see them; tracemalloc counts every Python allocation.)
Each check is a new spf.query (pyspf's per-check DNS cache starts empty),
as with spf.check2().

The zone reader understands the subset bench/workload.zone is written in:
one RR per line, absolute owner names, "IN TYPE RDATA", comments, $-lines
skipped.  Types pyspf does not ask for are ignored.  A benchmark tool: it
trusts its input and is not installed.  Use Debian's /usr/bin/python3 (the
python3 first on PATH may lack Debian's modules).
"""
import argparse
import re
import sys
import time
import tracemalloc

import spf

QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')


def strip_comment(line):
    """The line up to a ';' that is not inside a quoted string."""
    quoted = False
    for i, c in enumerate(line):
        if c == '"':
            quoted = not quoted
        elif c == ';' and not quoted:
            return line[:i]
    return line


def load_zone(path):
    """{(name, TYPE): [value, ...]} and the set of names that exist."""
    rrs = {}
    names = set()
    with open(path, encoding='ascii') as f:
        for lineno, line in enumerate(f, 1):
            text = strip_comment(line).strip()
            if not text or text.startswith('$'):
                continue
            fields = text.split(None, 3)
            if len(fields) < 4 or fields[1] != 'IN':
                sys.exit('pyspf_bench: %s:%d: unexpected line' % (path, lineno))
            owner, _, rrtype, rdata = fields
            name = owner.rstrip('.').lower()
            names.add(name)
            if rrtype == 'TXT':
                value = [s.encode('ascii') for s in QUOTED.findall(rdata)]
            elif rrtype == 'MX':
                pref, host = rdata.split()
                value = (int(pref), host.rstrip('.').lower())
            elif rrtype in ('A', 'AAAA'):
                value = rdata.strip()
            else:
                continue
            rrs.setdefault((name, rrtype), []).append(value)
    return rrs, names


def fake_lookup(rrs):
    """A stand-in for spf.DNSLookup answering from rrs, as pydns would:
    a list of ((name, type), data); empty for NODATA and NXDOMAIN."""
    def lookup(name, qtype, strict=True, timeout=20):
        key = (name.rstrip('.').lower(), qtype)
        return [(key, v) for v in rrs.get(key, ())]
    return lookup


def check_once(args):
    q = spf.query(i=args.ip, s=args.sender, h=args.helo)
    return q.check()[0]


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--zone', required=True)
    p.add_argument('--ip', required=True)
    p.add_argument('--sender', required=True)
    p.add_argument('--helo', required=True)
    p.add_argument('--expect', required=True)
    p.add_argument('--count', type=int, default=1000)
    p.add_argument('--mem', action='store_true')
    args = p.parse_args()

    rrs, _ = load_zone(args.zone)
    spf.DNSLookup = fake_lookup(rrs)

    result = check_once(args)
    if result != args.expect:
        print('pyspf_bench: %s from %s: got %s, expected %s'
              % (args.sender, args.ip, result, args.expect), file=sys.stderr)
        return 1
    if args.mem:
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        check_once(args)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print('pyspf peak_heap_bytes=%d' % (peak - before))
    t0 = time.monotonic()
    for _ in range(args.count):
        if check_once(args) != result:
            print('pyspf_bench: result changed between checks',
                  file=sys.stderr)
            return 1
    t1 = time.monotonic()
    per = (t1 - t0) * 1e6 / args.count if args.count else 0.0
    print('pyspf checks=%d seconds=%.6f per_check_us=%.2f result=%s'
          % (args.count, t1 - t0, per, result))
    return 0


if __name__ == '__main__':
    sys.exit(main())

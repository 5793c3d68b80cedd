#!/usr/bin/python3
"""fuzz/gen_seeds.py - (re)write the seed corpora fuzz/seeds/<target>/ and
the dictionaries fuzz/dict/<target>.dict.

The seeds are committed; run this only to change them:
    /usr/bin/python3 fuzz/gen_seeds.py
Suite seeds are cut from tests/conformance/rmx-tests.yml when it exists
(small documents only); zone seeds include examples/example.com.zone when it exists."""
import ipaddress
import os
import struct
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEEDS = os.path.join(TOP, "fuzz", "seeds")
DICTS = os.path.join(TOP, "fuzz", "dict")
RMX_TYPE = 65280


def put(target, name, data):
    d = os.path.join(SEEDS, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("latin-1")
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def name_wire(text):
    out = b""
    for label in text.rstrip(".").split("."):
        if label:
            b = label.replace("\\.", ".").encode()
            out += bytes([len(b)]) + b
    return out + b"\0"


def entry(t, data=b"", neg=False):
    return bytes([(0x80 if neg else 0) | t, len(data)]) + data


def ip4(net, neg=False):
    n = ipaddress.ip_network(net)
    p = n.prefixlen
    return entry(1, bytes([p]) + n.network_address.packed[:(p + 7) // 8], neg)


def ip6(net, neg=False):
    n = ipaddress.ip_network(net)
    p = n.prefixlen
    return entry(2, bytes([p]) + n.network_address.packed[:(p + 7) // 8], neg)


def apl_item(net, neg=False, trailing_zero=False):
    n = ipaddress.ip_network(net)
    fam = 1 if n.version == 4 else 2
    afd = n.network_address.packed
    if not trailing_zero:
        afd = afd.rstrip(b"\0")
    return struct.pack("!HBB", fam, n.prefixlen,
                       (0x80 if neg else 0) | len(afd)) + afd


def txt(s):
    b = s.encode()
    out = b""
    while True:
        out += bytes([min(len(b), 255)]) + b[:255]
        b = b[255:]
        if not b:
            return out


# ---- RMX RDATA ----
RDATA = {
    "ip4-24": ip4("192.0.2.0/24"),
    "rmx-md-example": ip4("192.0.2.66/32", True) + ip4("192.0.2.0/24")
    + ip6("2001:db8::/32") + entry(3, name_wire("relay.example.net."))
    + entry(4, name_wire("_senders.example.net.")) + entry(7) + entry(5),
    "none": entry(0),
    "fulladdr-ip4": entry(6) + ip4("198.51.100.0/24"),
    "mx-name": entry(7, name_wire("other.example.")),
    "tls-sasl": entry(64, b"\x02" + bytes(range(32))) + entry(66)
    + entry(64, b"\x01" + bytes(20)),
    "tlsldap-pgp": entry(65, b'ldap://ldap.example.com/"x"\\')
    + entry(67, bytes.fromhex("0123456789abcdef")),
    "unknown-types": entry(100, b"\x01\x02\x03") + entry(127) + entry(8, b"", True),
    "ip6-full": ip6("2001:db8::1/128") + ip6("::/0"),
    "empty": b"",
}
for k, v in RDATA.items():
    put("rmx_rdata", k, b"\0" + v)
put("rmx_rdata", "mailbox-flag", b"\x01" + ip4("203.0.113.7/32"))
put("rmx_rdata", "bad-prefix", b"\0" + entry(1, b"\x21\xc0\0\x02\0\0"))
put("rmx_rdata", "bad-overrun", b"\0\x03\x20\x03abc")

TEXTS = [
    "!ip4:192.0.2.66 ip4:192.0.2.0/24 ip6:2001:db8::/32 host:relay.example.net. apl:_senders.example.net. mx member",
    "none",
    "fulladdr ip4:198.51.100.0/24",
    "mx:other.example. sasl",
    "tlsfp:sha256:" + "00" * 32 + " tlsfp:sha1:" + "ab" * 20,
    'tlsldap:"ldap://ldap.example.com/o=Example\\"x\\\\\\255"',
    "pgp:0123456789ABCDEF type100:010203 type7: type127:",
    "ip4:0.0.0.0/0 ip6:::/0 ip6:2001:db8::1 ip4:192.0.2.1/32",
    "host:Relay.Example.NET host:a\\.b.example. host:\\000\\255.x.",
    "",
    "ip4:192.0.2.1/24",
]
for i, t in enumerate(TEXTS):
    put("rmx_text", "text-%02d" % i, t)

# ---- APL ----
APL_WIRE = {
    "v4-v6": apl_item("192.0.2.0/24") + apl_item("2001:db8::/32", True),
    "example-zone": apl_item("198.51.100.99/32", True)
    + apl_item("198.51.100.0/24") + apl_item("2001:db8:100::/48"),
    "trailing-zero": apl_item("10.0.0.0/16", trailing_zero=True),
    "unknown-family": struct.pack("!HBB", 3, 16, 2) + b"\x0a\x01",
    "zero": apl_item("0.0.0.0/0"),
    "empty": b"",
}
for k, v in APL_WIRE.items():
    put("apl", "wire-" + k, v)
for i, t in enumerate(["1:192.0.2.0/24 !2:2001:db8::/32",
                       "!1:198.51.100.99/32 1:198.51.100.0/24 2:2001:db8:100::/48",
                       "3:0a01/16 !3:/0", "1:0.0.0.0/0", "2:::/0"]):
    put("apl", "text-%d" % i, t)

# ---- names ----
for i, n in enumerate(["example.com.", "Relay.Example.NET.", "john\\.doe.example.com.",
                       "_senders.example.net.", "."]):
    put("name", "wire-%d" % i, name_wire(n))
put("name", "wire-63", b"\x3f" + b"a" * 63 + b"\0")
put("name", "wire-pointer", b"\x03abc\xc0\x0c")
for i, t in enumerate(["example.com.", "relay", "@", "a\\.b\\\\c.\\065\\255.example.",
                       "*.example.com", "x/y.example.", "a..b", "\\"]):
    put("name", "text-%d" % i, bytes([i]) + t.encode())

# ---- hex ----
for i, t in enumerate(["\\# 6 010418c00002", "01 04 18 c0 00 02", "0700",
                       "\\# 0", "\\# 3 0102", "ABCDEF\n12\t34", "0x12", "1"]):
    put("hex", "hex-%d" % i, t)

# ---- check: options octet, then answers (see fuzz_check.c) ----


def ans_ok(*rdatas):
    out = bytes([0, len(rdatas) - 1])
    for r in rdatas:
        out += (bytes([len(r)]) if len(r) < 255 else b"\xff" + struct.pack("!H", len(r))) + r
    return out


NODATA, NXDOMAIN, TIMEOUT, FAIL = b"\x01", b"\x02", b"\x03", b"\x04"
SECURE_OK = 0x10
CHECK = {
    "rmx-ip4-pass": b"\0" + ans_ok(ip4("192.0.2.0/24")),
    "rmx-ip4-fail": b"\0" + ans_ok(ip4("198.51.100.0/24")),
    "rmx-host": b"\0" + ans_ok(entry(3, name_wire("relay.example.net."))) + ans_ok(bytes([192, 0, 2, 1])),
    "rmx-mx": b"\0" + ans_ok(entry(7)) + ans_ok(b"\0\x0a" + name_wire("mail.example.com.")) + ans_ok(bytes([192, 0, 2, 1])),
    "rmx-member": b"\0" + ans_ok(entry(5)) + ans_ok(name_wire("host.example.com.")) + ans_ok(bytes([192, 0, 2, 1])),
    "rmx-apl": b"\0" + ans_ok(entry(4, name_wire("_s.example.com."))) + ans_ok(apl_item("192.0.2.0/24", True)),
    "rmx-fulladdr": b"\0" + ans_ok(entry(6) + ip4("198.51.100.0/24")) + ans_ok(ip4("192.0.2.1/32")),
    "rmx-tls-sasl": b"\x06" + ans_ok(entry(64, b"\x02" + bytes(range(32))) + entry(66)),
    "rmx-ip6": b"\x01" + ipaddress.ip_address("2001:db8::1").packed + ans_ok(ip6("2001:db8::/32")),
    "rmx-servfail": b"\0" + FAIL,
    "rmx-two-rrs": b"\0" + bytes([SECURE_OK, 1]) + bytes([2]) + entry(8) + bytes([2]) + entry(0),
    "spf-ip4": b"\0" + NODATA + ans_ok(txt("v=spf1 ip4:192.0.2.0/24 -all")),
    "spf-include": b"\0" + NXDOMAIN + ans_ok(txt("v=spf1 include:_spf.example.net -all"))
    + ans_ok(txt("v=spf1 a mx ~all")) + ans_ok(bytes([192, 0, 2, 1])),
    "spf-macros": b"\0" + NODATA + ans_ok(txt("v=spf1 exists:%{ir}.%{v}._spf.%{d2} ptr mx:%{d} -all exp=exp.%{d}"))
    + ans_ok(bytes([127, 0, 0, 2])),
    "spf-fail-exp": b"\0" + NODATA + ans_ok(txt("v=spf1 -all exp=e.example.com"))
    + ans_ok(txt("See http://%{d}/why.html?s=%{S}&i=%{I}")),
    "spf-redirect": b"\0" + NODATA + ans_ok(txt("v=spf1 redirect=_spf.example.com"))
    + ans_ok(txt("v=spf1 ip6:2001:db8::/32 a:mail.example.com/24//64 ?all")),
    "spf-two-records": b"\0" + NODATA + ans_ok(txt("v=spf1 +all"), txt("v=spf1 -all")),
    "spf-long-txt": b"\0" + NODATA + ans_ok(txt("v=spf1 " + " ".join("ip4:10.0.%d.0/24" % i for i in range(40)) + " -all")),
    "spf-rmx-order": b"\x08" + ans_ok(txt("v=spf1 ?all")),
    "all-timeout": b"\0",
    "order-parallel": b"\x20" + b"\x00" + ans_ok(entry(3, name_wire("a.example.")) + entry(3, name_wire("b.example.")) + entry(7))
    + b"\x02" + ans_ok(b"\0\x0a" + name_wire("mx.example.")) + b"\x01" + NXDOMAIN + b"\x00" + TIMEOUT
    + b"\x00" + ans_ok(bytes([192, 0, 2, 1])),
    "order-spf": b"\x20" + b"\x00" + NODATA + b"\x00" + ans_ok(txt("v=spf1 a:a.example mx:b.example include:c.example -all"))
    + b"\x01" + ans_ok(bytes([10, 0, 0, 1])) + b"\x00" + FAIL,
    "local-fulladdr": b"\x10\x08john.doe" + ans_ok(entry(6)) + ans_ok(ip4("192.0.2.1/32")),
    "local-macro": b"\x10\x0bA.B\\c d\x7f%%x" + NODATA + ans_ok(txt("v=spf1 exists:%{l}.%{lr-}.%{l1}.x.%{d} -all")),
}
for k, v in CHECK.items():
    put("check", k, v)

# ---- request ----
for i, r in enumerate(["192.0.2.1\nuser@example.com\nmail.example.com\n\0",
                       "2001:db8::1\n\nhelo.example.org\n\x01",
                       "::ffff:192.0.2.1\nexample.com\n\n\x06",
                       "not-an-ip\nx@y\n",
                       "192.0.2.1\n\"quoted local\"@example.com\n[192.0.2.1]\n",
                       "192.0.2.1\n@example.com\nhelo\n",
                       "192.0.2.1\nuser@A123456789012345678901234567890123456789012345678901234567890123.example.com\nx\n",
                       "192.0.2.1\nuser@example.com.\n\n",
                       "192.0.2.1\nu@\\000.example.com\n\n",
                       "10.0.0.1\nuser@123.456\n\n"]):
    put("request", "req-%d" % i, r)

# ---- zone files ----
ZONES = {
    "small": """$ORIGIN example.com.
$TTL 3600
@ IN SOA ns1 hostmaster ( 1 7200 3600 1209600 3600 )
@ IN NS ns1
@ IN RMX ( fulladdr !ip4:192.0.2.66 ip4:192.0.2.0/24
           host:relay.example.net. mx apl:_senders )
@ IN TXT "v=spf1 ip4:192.0.2.0/24 -all" ; comment
_senders IN APL !1:198.51.100.99/32 1:198.51.100.0/24
john\\.doe IN RMX ip4:203.0.113.7
mail IN A 192.0.2.25
mail IN AAAA 2001:db8::25
@ IN MX 10 mail
""",
    "rfc3597": """example.com. 3600 IN TYPE65280 \\# 6 010418c00002
bad.example.com. IN TYPE65280 \\# 3 012000
www 300 CNAME example.com.
""",
    "quoted": '$ORIGIN example.org.\nt IN TXT "a\\"b" "\\065\\\\" ( "c"\n "d" )\nx IN RMX tlsldap:"ldap://x/\\"q\\""\n',
    "errors": "$ORIGIN .\n@ IN RMX ip4:192.0.2.1/33\n",
    "ttl-class": "$TTL 1h\nexample.net. 60 IN A 192.0.2.1\nexample.net. CH TXT \"x\"\n",
}
for k, v in ZONES.items():
    put("zonefile", k, v)
ex = os.path.join(TOP, "examples", "example.com.zone")
if os.path.exists(ex):
    put("zonefile", "example.com.zone", open(ex, "rb").read())

# ---- suites ----
put("suite", "small", """---
description: small
tests:
  t1:
    spec: RMX 2.3
    helo: mail.example.org
    host: 192.0.2.5
    mailfrom: user@example.org
    result: pass
  t2:
    host: 2001:db8::1
    mailfrom: ""
    helo: example.org
    result: [fail, permerror]
    explanation: no
zonedata:
  example.org:
    - RMX: "ip4:192.0.2.0/24 ip6:2001:db8::/32"
    - RMX_WIRE: "0100"
    - TXT: "v=spf1 -all"
    - APL: "1:192.0.2.0/24"
    - MX: [10, mail.example.org]
    - A: 192.0.2.5
    - AAAA: "2001:db8::1"
  x.example.org: TIMEOUT
  y.example.org: SERVFAIL
  c.example.org:
    - CNAME: example.org
""")
n = 0
# Only the project's own suite: the OpenSPF suites are not copied into this
# repository (tests/conformance/spf_suite.sh says why).
for src in [os.path.join(TOP, "tests", "conformance", "rmx-tests.yml")]:
    if not os.path.exists(src):
        continue
    docs = open(src).read().split("\n---\n")[1:]
    picked = 0
    for d in docs:
        if len(d) < 8000 and picked < 6:
            put("suite", "doc-%02d" % n, "---\n" + d + "\n")
            n += 1
            picked += 1

# ---- SPF records ----
SPF = [
    "v=spf1 ip4:192.0.2.0/24 -ip4:192.0.2.66 mx -all",
    "v=spf1 include:_spf.example.net a:mail.example.com/24//64 ptr:example.com ~all",
    "v=spf1 exists:%{ir}.%{v}._spf.%{d2} redirect=_spf.%{d}",
    "v=spf1 ip6:2001:db8::/32 ?all exp=explain._spf.%{d}",
    "v=spf1 mx/26 a//64 -all",
    "v=spf1 -all moo.cow-far_out=man:dog/cat",
    "V=SPF1 +ALL",
    "v=spf1 a:foo-bar -all",
    "v=spf1 include:%{l1r-}.lp._spf.%{d} -all",
    "v=spf1 redirect=a.example redirect=b.example",
    "v=spf1 ip4:1.2.3.4/33 -all",
    "v=spf1 a:%{x}",
    "v=spf1",
    "v=spf10",
]
for i, s in enumerate(SPF):
    put("spf_record", "rec-%02d" % i, s)

# ---- SPF macros: options octet, then MACRO\nLOCAL\nO\nD\nHELO\nIP\nPTR\nR ----
CTX4 = "\nstrong-bad\nemail.example.com\nemail.example.com\nmx.example.org\n192.0.2.3\nmx.example.org\nreceiver.example.net"
CTX6 = "\nstrong-bad\nemail.example.com\nemail.example.com\nmx.example.org\n2001:db8::cb01\nmx.example.org\nreceiver.example.net"
MACROS = ["%{s}", "%{o}", "%{d}", "%{d4}", "%{d3}", "%{d2}", "%{d1}", "%{dr}",
          "%{d2r}", "%{l}", "%{l-}", "%{lr}", "%{lr-}", "%{l1r-}",
          "%{ir}.%{v}._spf.%{d2}", "%{lr-}.lp._spf.%{d2}",
          "%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", "%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}",
          "%{d2}.trusted-domains.example.net", "%{p}.x.%{h}", "%%%_%-%{i}",
          "%{d9999999999999999999r+-.,/_=}", "%{Z}"]
for i, m in enumerate(MACROS):
    put("spf_macro", "m-%02d" % i, bytes([0x32]) + (m + CTX4).encode())
put("spf_macro", "m-ip6", bytes([0x32]) + ("%{ir}.%{v}._spf.%{d2}" + CTX6).encode())
put("spf_macro", "m-exp", bytes([0x61]) + ("See http://%{d}/why.html?s=%{S}&i=%{I} %{c} %{r} %{t}" + CTX6).encode())
put("spf_macro", "m-ptr-known", bytes([0x36]) + ("%{p}.%{pr}" + CTX4).encode())
put("spf_macro", "m-long", bytes([0x02]) + ("%{l}." * 60 + CTX4).encode())

# ---- dictionaries ----
RMX_WORDS = ["ip4:", "ip6:", "host:", "apl:", "member", "fulladdr", "mx",
             "mx:", "none", "tlsfp:sha256:", "tlsfp:sha1:", "tlsldap:\"",
             "sasl", "pgp:", "type", "!", "/24", "/32", "/128", "/0", "::",
             ".", "\\.", "\\\\", "\\255", "\\000", "\"", "192.0.2.1",
             "2001:db8::", "::ffff:", "example.com.", " "]
SPF_WORDS = ["v=spf1", " ", "all", "include:", "a", "a:", "mx", "mx:", "ptr",
             "ptr:", "ip4:", "ip6:", "exists:", "redirect=", "exp=", "+", "-",
             "~", "?", "/", "//", "%{", "}", "%%", "%_", "%-", "s", "l", "o",
             "d", "i", "p", "v", "h", "c", "r", "t", "S", "L", "I", "r}",
             "1r}", "-}", ".", "_spf.", "ip6", "in-addr", "\n"]
ZONE_WORDS = ["$ORIGIN", "$TTL", "$INCLUDE", "$GENERATE", "IN", "CH", "RMX",
              "TXT", "APL", "MX", "A", "AAAA", "CNAME", "PTR", "SOA", "NS",
              "SPF", "TYPE65280", "TYPE42", "\\#", "(", ")", ";", "\"", "@",
              "\\", "\n", " ", "\t", "3600", "1h"] + RMX_WORDS
SUITE_WORDS = ["---", "description:", "comment:", "tests:", "zonedata:",
               "spec:", "helo:", "host:", "mailfrom:", "result:",
               "explanation:", "receiver:", "TXT:", "SPF:", "A:", "AAAA:",
               "MX:", "PTR:", "CNAME:", "RMX:", "RMX_WIRE:", "APL:",
               "TIMEOUT", "SERVFAIL", "pass", "fail", "none", "neutral",
               "softfail", "temperror", "permerror", "- ", "[", "]", "{",
               "}", "&a", "*a", "!!str", ">-", "|", "\n  ", "\n    "]


def write_dict(target, words):
    os.makedirs(DICTS, exist_ok=True)
    with open(os.path.join(DICTS, target + ".dict"), "w") as f:
        f.write("# fuzz/dict/%s.dict - written by fuzz/gen_seeds.py\n" % target)
        for w in words:
            f.write('"%s"\n' % "".join(
                c if 32 <= ord(c) < 127 and c not in '"\\' else "\\x%02x" % ord(c)
                for c in w))


write_dict("rmx_text", RMX_WORDS)
write_dict("zonefile", ZONE_WORDS)
write_dict("suite", SUITE_WORDS + RMX_WORDS + SPF_WORDS)
write_dict("spf_record", SPF_WORDS)
write_dict("spf_macro", SPF_WORDS)
write_dict("name", [".", "\\.", "\\\\", "\\0", "\\255", "@", "*", "\\"])
write_dict("request", ["@", "\n", "::ffff:", "192.0.2.1", "2001:db8::1",
                       "example.com", "[", "]", "\"", ".", "postmaster"])
write_dict("hex", ["\\#", " ", "\t", "\n", "00", "ff", "FF", "0x"])
write_dict("apl", ["1:", "2:", "!", "/", "::", ".", " ", "3:"])
print("seeds in %s, dictionaries in %s" % (SEEDS, DICTS))

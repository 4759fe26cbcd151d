#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Expert parity: every restriction of Debian's own (hand-hardened) unit,
and whether sdharden's drop-in has it; when it has not, the observation its
drop-in gives for leaving it out ("Not set" section), or "no reason given"
(a bug to look at).

usage: parity.py DEBIAN_UNIT STRIPPED_UNIT DROPIN [DEBIAN_DROPIN_OUT]  -> JSON on stdout
DEBIAN_DROPIN_OUT: also write what the stripping removed as a drop-in, so
that Debian's own sandbox can be verified (and its battery run) on the
stripped unit.
"""
import json
import re
import sys

# What a directive of the drop-in implies (systemd's documented implications).
IMPLIED = {
    "DynamicUser": {"PrivateTmp", "RemoveIPC", "ProtectSystem", "ProtectHome", "NoNewPrivileges",
                    "RestrictSUIDSGID", "User", "Group"},
    "User": {"Group"},
    "PrivateDevices": {"DevicePolicy"},
}

# Keys that only widen what a restriction allows: not restrictions themselves.
GRANTS = {"ReadWritePaths", "ReadWriteDirectories", "BindPaths", "BindReadOnlyPaths", "DeviceAllow",
          "AmbientCapabilities", "IPAddressAllow", "SocketBindAllow", "ExecPaths", "SupplementaryGroups",
          "StateDirectory", "RuntimeDirectory", "LogsDirectory", "CacheDirectory", "ConfigurationDirectory"}
# Keys whose empty assignment is a value (drop every capability), not a reset.
EMPTY_IS_VALUE = {"CapabilityBoundingSet", "AmbientCapabilities"}
# Where the reason for leaving out one key is given under another.
REASON_FROM = {"Group": "User", "DevicePolicy": "PrivateDevices"}


def turned_off(value):
    return value.lower() in ("no", "false", "0", "off")


def assignments(text):
    """(key, value) of every assignment, continuations joined, comments out."""
    out, cont = [], ""
    for raw in text.splitlines():
        line = cont + raw.strip()
        cont = ""
        if line.endswith("\\"):
            cont = line[:-1] + " "
            continue
        if not line or line[0] in "#;[":
            continue
        key, eq, value = line.partition("=")
        if eq:
            out.append((key.strip(), value.strip()))
    return out


def not_set_reasons(dropin):
    """Key -> reason, from the drop-in's "Not set" (and relaxed) comment lines."""
    reasons = {}
    for line in dropin.splitlines():
        m = re.match(r"#   (?:\[[^\]]*\] )?([A-Za-z]+)=([^:]*): (.*)", line)
        if m:
            reasons.setdefault(m.group(1), f"{m.group(1)}={m.group(2)}: {m.group(3)}")
    return reasons


def main():
    debian, stripped, dropin = (open(p).read() for p in sys.argv[1:4])
    kept = {(k, v) for k, v in assignments(stripped)}
    debian_restrictions = [(k, v) for k, v in assignments(debian) if (k, v) not in kept]
    ours = {}
    for k, v in assignments(dropin):
        if v == "" and k not in EMPTY_IS_VALUE:
            ours.pop(k, None)
        else:
            ours.setdefault(k, []).append(v)
    implied = set()
    for k in ours:
        implied |= IMPLIED.get(k, set())
    reasons = not_set_reasons(dropin)
    rows = []
    for key, value in debian_restrictions:
        if key in GRANTS or turned_off(value):
            continue  # widens, or turns a restriction off: nothing an expert added
        if key == "UMask" and key in ours and (int(ours[key][-1], 8) & int(value, 8)) == int(value, 8):
            rows.append({"directive": f"{key}={value}", "ours": ours[key][-1], "status": "has"})
            continue
        if key in ours:
            rows.append({"directive": f"{key}={value}", "ours": " ".join(ours[key]), "status": "has"})
        elif key in implied:
            rows.append({"directive": f"{key}={value}", "ours": "implied", "status": "has"})
        else:
            rows.append({"directive": f"{key}={value}", "status": "lacks",
                         "evidence": reasons.get(key) or reasons.get(REASON_FROM.get(key, ""))
                                     or "no reason given in the drop-in"})
    if len(sys.argv) > 4:
        with open(sys.argv[4], "w") as out:
            out.write("[Service]\n" + "".join(f"{k}={v}\n" for k, v in debian_restrictions))
    json.dump({"debian_restrictions": rows,
               "lacks": [r for r in rows if r["status"] == "lacks"]}, sys.stdout, indent=1)


if __name__ == "__main__":
    main()

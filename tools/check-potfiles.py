#!/usr/bin/env python3
"""check-potfiles.py: data/po/POTFILES.in lists exactly the source files with translatable strings.

A file that moved or gained its first _() would otherwise drop out of the catalogue silently,
and its messages stay English on a Korean screen. Usage: check-potfiles.py SOURCE_ROOT
"""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1])
marks = re.compile(r'\b(_|N_|C_|NC_|dngettext|ngettext)\s*\(|translatable="yes"')
listed = set()
for line in (root / "data/po/POTFILES.in").read_text().splitlines():
    line = line.strip()
    if line and not line.startswith("#"):
        listed.add(line)

found = set()
for folder in ("app", "ui", "sync"):
    for path in sorted((root / folder).rglob("*")):
        if path.suffix in (".c", ".ui") and marks.search(path.read_text(errors="replace")):
            found.add(str(path.relative_to(root)))
for extra in ("data/io.github.touchpoint.Kiosk.desktop.in", "data/io.github.touchpoint.Kiosk.metainfo.xml.in"):
    found.add(extra)

missing = sorted(found - listed)
stale = sorted(listed - found)
for name in missing:
    print(f"POTFILES.in lacks {name}, which has translatable strings")
for name in stale:
    print(f"POTFILES.in lists {name}, which " + ("does not exist" if not (root / name).exists() else "has no translatable string"))
sys.exit(1 if missing or stale else 0)

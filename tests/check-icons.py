#!/usr/bin/env python3
"""check-icons.py: the app icons are well-formed SVG of the sizes their folders promise."""
import sys
import xml.etree.ElementTree as ET

SVG = '{http://www.w3.org/2000/svg}svg'
failed = False
for path, size in zip(sys.argv[1::2], sys.argv[2::2]):
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        print(f'{path}: not a readable SVG: {e}')
        failed = True
        continue
    view = root.get('viewBox', '').split()
    if root.tag != SVG:
        print(f'{path}: the root element is {root.tag}, not an SVG')
        failed = True
    elif len(view) != 4 or view[2] != size or view[3] != size:
        print(f'{path}: viewBox is "{root.get("viewBox")}", expected a {size}x{size} canvas')
        failed = True
    elif len(list(root.iter())) < 2:
        print(f'{path}: draws nothing')
        failed = True
    else:
        print(f'{path}: ok ({size}x{size})')
sys.exit(1 if failed else 0)

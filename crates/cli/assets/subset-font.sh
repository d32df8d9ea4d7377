#!/bin/sh
# Rebuilds DejaVuSans-subset.ttf, the font of the PNG figures, from DejaVu Sans 2.37
# (Debian's fonts-dejavu-core) with fontTools' pyftsubset (`pip install fonttools`):
# ASCII, Latin-1, Greek, super- and subscripts, dashes, arrows and a few mathematical signs;
# no hinting, no kerning (the SVG figures are laid out with the same advance widths).
set -e
pyftsubset "${1:-/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf}" \
  --unicodes="U+0020-007E,U+00A0-00FF,U+0391-03A9,U+03B1-03C9,U+2010-2015,U+2018-201D,U+2026,U+2032,U+1D57,U+2070-208E,U+2190-2193,U+2211,U+2212,U+221A,U+221D,U+221E,U+2248,U+2260,U+2264,U+2265,U+22C5" \
  --no-hinting --layout-features='' --drop-tables+=kern,GPOS,GSUB,GDEF,MATH \
  --output-file="$(dirname "$0")/DejaVuSans-subset.ttf"

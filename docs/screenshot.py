"""Draw the README's picture of the seed's report (or of any input the report reads).

    python docs/screenshot.py seeds/000_cc4bd68febfd186d.txt -o docs/report.png

Needs the ``report`` extra, Playwright for Python and a Chromium binary (Debian's ``chromium``).
"""

from __future__ import annotations

import argparse
import sys

from tradeschema.htmlreport.screenshot import screenshot


def main() -> int:
    parser = argparse.ArgumentParser(prog="python docs/screenshot.py", description=__doc__)
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="articles (.txt) or datasets")
    parser.add_argument("-o", "--output", required=True, metavar="PNG")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=1400)
    parser.add_argument("--section", default="", help="anchor to scroll to, such as evidence")
    args = parser.parse_args()
    screenshot(args.inputs, args.output, width=args.width, height=args.height, section=args.section)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""SitMap launcher: `python main.py [FILE] [--export OUT.png|OUT.geojson] [--size WxH]`."""

import sys

from viewer.app import main

if __name__ == "__main__":
    sys.exit(main())

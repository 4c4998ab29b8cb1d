"""``python -m viewer``: the same command line as the ``sitmap`` launcher."""

import sys

from viewer.app import main

sys.exit(main())

"""``python -m sim.cli``: the ``aisim`` command line."""

import sys

from sim.cli import main

sys.exit(main())

"""``python -m httpdiff``: the same as the ``httpdiff`` command."""

import sys

from httpdiff.cli import main

sys.exit(main())

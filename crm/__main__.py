"""Run the command line: `python -m crm --help`."""

import sys

from crm.cli import main

sys.exit(main())

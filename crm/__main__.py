"""Run the command line: `python -m crm --help`."""

import sys

from crm.commands.cli import main

sys.exit(main())

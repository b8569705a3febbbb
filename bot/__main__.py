"""`python -m bot` is the `motbot` command."""

import sys

from bot.cli import main

sys.exit(main())

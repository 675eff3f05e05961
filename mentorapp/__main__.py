"""``python -m mentorapp``: the command line."""

import sys

from mentorapp.cli.main import main

if __name__ == "__main__":
    sys.exit(main())

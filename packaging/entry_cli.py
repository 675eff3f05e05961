"""The bundle's ``mentorapp-cli`` program: the commands of ``python -m mentorapp``."""

import sys

from mentorapp.cli.main import main

sys.exit(main())

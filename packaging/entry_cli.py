"""The bundle's ``mentorapp-cli`` program: the commands of ``python -m mentorapp``."""

import gc
import sys

gc.disable()  # start-up as python -m mentorapp (mentorapp/__main__.py): main() resumes collection once started

from mentorapp.cli.main import main  # noqa: E402

sys.exit(main())

"""``python -m mentorapp``: the command line."""

import gc
import sys

# Start-up makes about 100,000 objects that live as long as the process (SQLAlchemy, the models, the
# parser); the cyclic collector would scan them over and over while they are made. It is paused from
# here, before the first import, and main() resumes it once the command's module is loaded.
gc.disable()

from mentorapp.cli.main import main  # noqa: E402  (after the pause: these imports are most of start-up)

if __name__ == "__main__":
    sys.exit(main())

"""Start the mentorapp window from a clone: ``python main.py [--db PATH_OR_URL] [--page NAME]``.

The installed application starts the same function as the ``mentorapp`` command.
"""

import sys

from mentorapp_ui.app.launch import main

if __name__ == "__main__":
    sys.exit(main())

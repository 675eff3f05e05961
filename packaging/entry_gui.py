"""The bundle's ``mentorapp`` program: the window, as the installed ``mentorapp`` gui-script starts it."""

import sys

from mentorapp_ui.app.launch import main

sys.exit(main())

"""`python -m kwamdee …` runs a management command, like manage.py."""

import os
import sys

from django.core.management import execute_from_command_line

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kwamdee.settings.base")
execute_from_command_line(sys.argv)

# pagoda-gdb.py: `source` this file in gdb (make gdb does) to get the `pagoda` commands (tools/gdb/pagoda/).
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pagoda  # noqa: E402,F401  (registers the commands)

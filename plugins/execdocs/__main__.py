import sys

from execdocs.cli import main

sys.exit(main())

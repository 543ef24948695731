"""`python -m adjoint ...`: the same program as the `adjoint` command."""

import sys

from adjoint.cli import main

sys.exit(main())

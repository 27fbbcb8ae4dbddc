"""The frozen binary's entry point: the same `main()` as `python -m faststore_desktop`."""

import sys

from faststore_desktop.__main__ import main

if __name__ == "__main__":
    sys.exit(main())

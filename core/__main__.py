import sys

from core.cli import main

if __name__ == "__main__":  # worker processes started by multiprocessing import this module too
    sys.exit(main())

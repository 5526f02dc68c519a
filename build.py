"""Build the study guide PDFs: python build.py --help"""

import sys

from studyguide.cli.main import main

if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python
"""Django's manage.py, for those who expect it; `meesaq` is the same command."""

from meesaq.cli import main

if __name__ == "__main__":
    main()

"""``python -m service.cli``: the ``copydesk`` command without installing the console script."""

from __future__ import annotations

from . import main

if __name__ == "__main__":
    main(prog_name="copydesk")

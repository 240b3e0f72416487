"""The ``copydesk`` command line: ``copydesk check`` gates copy in CI, pre-commit hooks and terminals;
``copydesk rules test|list`` tests and lists rule packs.

``check`` scores files through the same scorer as the service (in this process, or over HTTP
with ``--url``), applies a policy from flags or ``.copydesk.toml``, and reports in the
formats CI systems read. See ``docs/cli.md``.
"""

from __future__ import annotations

from .commands import main
from .rules import rules

main.add_command(rules)

__all__ = ["main"]

"""What a selector names: the one meaning of "disable style" wherever copydesk takes a selector.

Requests (``rules.enable``/``rules.disable``), ``COPYDESK_DISABLED_RULES``, the CLI's
``--enable``/``--disable`` and markup's ``copydesk-disable`` comments all take the same
selectors: a check name ("grammar"), a pack ("style"), a rule id
("translationese.till-place") or a dotted prefix of one ("translationese.till"). A
LanguageTool id also names its sub-rules: ``UPPERCASE_SENTENCE_START`` covers
``UPPERCASE_SENTENCE_START[2]``.
"""

from __future__ import annotations


def selects(selector: str, rule_id: str, check: str) -> bool:
    """Whether ``selector`` names this check, this rule, or a dotted prefix (pack) of it."""
    return (
        selector == check
        or selector == rule_id
        or rule_id.startswith(selector + ".")
        or rule_id.startswith(selector + "[")
    )

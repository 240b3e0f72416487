"""Parts of the rule engine (``service.checks.patterns``) that stand on their own: the
regex safety check and literal prefilter (``regexes``) and the allow-listed structure
checks (``structure``)."""

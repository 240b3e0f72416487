"""The rule engine: rule packs as data, selected by dotted ids, each rule tested by its own examples.

Along the data flow: ``loading`` reads a pack file, checks it against ``pack.schema.json``
and builds its rules; ``kinds`` has one class per rule kind (its fields, compile step and
matching, with ``regexes`` for regex safety and the literal prefilter and ``structure`` for
the allow-listed Python checks); ``book`` holds the loaded packs, selects rules (with
``selectors``, the one meaning of a selector) and turns their spans into findings;
``examples`` is the harness that runs every rule's examples, behind the tests and
``copydesk rules test``.
"""

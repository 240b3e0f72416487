"""The rule engine: rule packs as data, selected by dotted ids, each rule tested by its own examples."""

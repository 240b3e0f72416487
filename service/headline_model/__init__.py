"""Clickbait headline classifier: features, runtime model and (dev-only) training script.

``model`` and ``features`` are what the service imports; they need only the standard library.
``train`` needs scikit-learn and is run by hand to rebuild the packaged ``model.json.gz``.
"""

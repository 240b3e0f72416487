"""The clickbait headline model at run time: features, word lists and scoring of the shipped model.

Standard library only (no scikit-learn, SciPy or NumPy: an import-linter contract keeps it so).
The model file is built by the dev-only ``training.clickbait.fit``, which runs this package's own
feature code, so training and the service cannot extract different features.
"""

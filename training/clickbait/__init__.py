"""Training and evaluation of the headline model (dev-only: needs scikit-learn, SciPy, NumPy).

The stages follow the data: ``corpus`` (read, digest, split) -> ``words`` (the word list) ->
``fit`` (features, NB-LR, calibration, the model file; also the retrain command) ->
``evaluate`` (metrics of any scorer on labelled headlines). ``params`` holds what decides the
model besides the corpus. The runtime side (features, scoring) is ``service.headline_model``,
whose code both training and the service run, so they cannot drift apart.
"""

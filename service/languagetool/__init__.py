"""How copydesk gets its LanguageTool server: provisioned from Maven Central, one per host.

``pom.xml`` pins the official artifacts (``scripts/fetch-languagetool`` copies them into a
git-ignored folder), ``server.properties`` is the server's configuration and
``supervisor`` starts it on 127.0.0.1 and restarts it if it dies. ``client`` is how copydesk
talks to it (the grammar check, ``/readyz`` and ``/v2`` alike), ``pieces`` what it sends.
"""

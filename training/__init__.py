"""Dev-only tooling that builds what ``service/`` ships; never imported by the service."""

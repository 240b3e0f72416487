"""Exploratory runs whose figures the clickbait report quotes (not part of the shipped model's build)."""

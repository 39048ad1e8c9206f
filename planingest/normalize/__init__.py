"""Normalisation: raw rows mapped onto the catalogue and vocabularies, with a rung and score per match."""

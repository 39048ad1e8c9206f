"""Positioned text (PDF text layers, OCR boxes): lines from words, table grids from rulings and cells."""

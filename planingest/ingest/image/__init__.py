"""Scans and phone photos of pages: JPEG, PNG, BMP, multi-page TIFF, read by OCR."""

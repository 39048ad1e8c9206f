"""PDF: text layer with pypdfium2, tables with pdfplumber, scanned pages through OCR."""

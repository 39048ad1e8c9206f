"""Office formats: OOXML packages (DOCX, XLSX) read with lxml, legacy binaries through LibreOffice."""

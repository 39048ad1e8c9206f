"""Plain text and text dumps: encoding detection, tab-indented cell dumps, pipe tables, prose."""

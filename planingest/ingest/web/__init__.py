"""Web pages saved from government sites: HTML and MHTML."""

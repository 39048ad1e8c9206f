"""Format-free reading: an extracted document's blocks become raw rows and document facts.

``tables`` holds the table logic every extractor shares (header words, row
alignment, layouts, indicator/project/task rows); ``metadata`` and ``prose``
read the paragraphs; ``document.interpret`` puts them together.  Nothing here
knows which file format a block came from.
"""

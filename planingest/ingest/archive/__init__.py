"""Archives as containers of documents: reading their members safely (the batch decides what they become)."""

"""Format-free table logic: header recognition and grid → raw rows, shared by every extractor."""

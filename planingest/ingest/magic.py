"""Magic bytes that several input families check (kept apart from detection so that a
family can recognise its own containers without importing every other family)."""

#: every OLE2 compound file (legacy Office binaries, encrypted OOXML packages) starts with these
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

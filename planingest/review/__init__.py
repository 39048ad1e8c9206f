"""The human in the loop: the review workbook (``queue``, ``sheets``) and accepting its decisions (``accept``, ``rules``)."""

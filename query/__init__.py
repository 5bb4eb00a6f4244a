"""The query layer: SQL lives here and answers with DataFrames. Pages and reports call it."""

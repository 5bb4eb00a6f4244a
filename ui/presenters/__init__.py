"""What each view draws, assembled from the query layer: one module per page, no SQL, no scoring."""

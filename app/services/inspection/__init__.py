"""检查实施与结果 (PRODUCT.md §2 G): inspections from a draw, results entry, review, the 检查表 and the field sheet."""

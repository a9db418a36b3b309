"""检查结果告知书, 送达, the 发文登记簿 and 一次一档 (PRODUCT.md §2 G)."""

"""检查与结果: the results page, its entry panel and the review actions."""

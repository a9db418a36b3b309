"""年度抽查计划 and 抽查任务: plans, tasks, coverage."""

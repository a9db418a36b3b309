"""年度抽查计划 and 抽查任务: plans and their status flow, tasks, who a task can draw, coverage."""

"""一单两库: the 随机抽查事项清单, 检查对象名录库 and 执法检查人员名录库 — import, edit, export, query."""

"""抽取: the witnessed draw of a task (ceremony), what it draws from (inputs), its record and package."""

"""抽取: the witnessed draw of a task (ceremony), what it draws from (inputs), where the program's secret waits for the reveal, its record and package, recovery from the command line."""

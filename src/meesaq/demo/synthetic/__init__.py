"""The synthetic province of the benchmark suite: a realistic caseload written in bulk."""

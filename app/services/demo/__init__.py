"""The sample county (青禾县): realistic, repeatable data for trying the program and for tests."""

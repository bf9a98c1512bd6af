"""Rules: loading rule files, rule types and the evaluation of new observations."""

"""Stage 2, method: frameworks, scores, value for money, risk and the rules that make findings."""

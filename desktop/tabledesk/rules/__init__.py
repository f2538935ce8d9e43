"""Templates, the rule language and the balance-rule engine (no Qt)."""

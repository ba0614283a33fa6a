"""Plans: what each of the brief's three modes includes and holds, and the checks enforcing it."""

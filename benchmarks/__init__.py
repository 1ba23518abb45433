"""Speed and memory benchmarks of tradeschema against the obvious alternatives (not part of the tests)."""

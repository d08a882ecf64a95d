"""Speed and ranking-quality benchmarks of onu-search against other engines (see README.md)."""

"""Benchmarks: quality (ROUGE against human references) and speed."""

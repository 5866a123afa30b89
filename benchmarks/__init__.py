"""Benchmarks on synthetic corpora (build and search); run them with ./tasks bench."""

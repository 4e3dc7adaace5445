"""Benchmark and maintenance scripts; a package so that the benchmark's own server can import
scripts.bench_settings and scripts.bench_urls."""

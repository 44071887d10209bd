"""The IIP engine: product indices → leaf industries → tree and groups; comparisons; contributions."""

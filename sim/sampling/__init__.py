"""Stage 2, sampling: Latin hypercube, Sobol and plain Monte Carlo uniforms, copula correlation,
inverse CDFs, and reproducible streams from one seed (docs/sampling.md)."""

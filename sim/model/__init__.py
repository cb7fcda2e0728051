"""Stage 3, the model: numba kernels, one module per block of MODEL.md (docs/model.md).

Kernels see plain float64 arrays and scalars only: no Python objects, no I/O, no random numbers.
Importing this package configures nothing; entry points choose the numba cache location
(:mod:`sim.model.cache`).
"""

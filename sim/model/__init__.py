"""Numba kernels, one module per block of ../shared/MODEL.md.

Kernels see plain float64 arrays and scalars only: no Python objects, no I/O, no random numbers.
"""

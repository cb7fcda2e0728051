"""Stage 4, running: a plan (a run, a sweep point, a design) is cut into chunks of draws, an
executor computes them (in-process numba threads or dask.distributed), and a sink keeps what is
wanted (an in-memory Dataset, netCDF, zarr, streamed summaries). docs/architecture.md."""

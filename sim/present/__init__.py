"""Stage 6, presentation: plots, the ``ds.aisim`` accessor and exports (IAMC, tidy CSV)."""

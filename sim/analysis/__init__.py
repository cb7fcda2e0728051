"""Stage 5, analysis: comparison with published studies, sweeps and sensitivity. They build
plans for :mod:`sim.run` and read its results; they never run chunks themselves."""

"""Calibration of the simulator to Belgium and the Flemish Region (issue 6).

``run_calibration()`` reads the raw files in ``calibration/data/`` (provenance in its
README.md), computes sector structure (MODEL.md 2.1, 3.1, 3.2), exposure E0 (1.1), diffusion
curves (1.3) and the no-AI baseline (3.4, 5), and writes the YAML fragments that scenarios
``extends:``, their uncertainty siblings, ``adoption_fit.yaml``, ``REPORT.md`` and figures.
The method is documented in ``docs/calibration.md``.
"""

from __future__ import annotations

from sim.calibrate.paths import default_data_dir, default_out_dir, project_root
from sim.calibrate.pipeline import compute, run_calibration

__all__ = ["compute", "default_data_dir", "default_out_dir", "project_root", "run_calibration"]

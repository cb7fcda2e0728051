"""sim.portable: the sampling stage's elementary functions give the C library's value for
every element (so a sample's bits do not depend on numpy's CPU-specific SIMD kernels), with
numpy's results at the edges, and its Cholesky factor is a Cholesky factor."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim import portable


@pytest.mark.parametrize(("name", "values"), [
    ("exp", np.linspace(-745.0, 709.0, 2001)),
    ("log", np.geomspace(1e-300, 1e300, 2001)),
    ("sin", np.linspace(-10.0, 10.0, 2001)),
])
def test_each_value_is_the_c_library_value(name: str, values: np.ndarray) -> None:
    got = getattr(portable, name)(values.reshape(3, -1)[:, :667])
    want = np.array([getattr(math, name)(v) for v in values.reshape(3, -1)[:, :667].ravel()])
    assert got.shape == (3, 667)
    assert np.array_equal(got.ravel(), want)


def test_edges_are_numpys() -> None:
    with np.errstate(all="ignore"):
        x = np.array([800.0, -800.0, math.inf, -math.inf, math.nan])
        assert np.array_equal(portable.exp(x), np.exp(x), equal_nan=True)
        y = np.array([0.0, -1.0, math.inf, math.nan])
        assert np.array_equal(portable.log(y), np.log(y), equal_nan=True)
    assert portable.exp(0.0).shape == ()


def test_cholesky_factor() -> None:
    rng = np.random.default_rng(3)
    a = rng.normal(size=(7, 7))
    r = a @ a.T + 7 * np.eye(7)
    low = portable.cholesky(r)
    assert np.array_equal(low, np.tril(low))
    assert np.allclose(low @ low.T, r, rtol=0, atol=1e-12)
    assert np.allclose(low, np.linalg.cholesky(r), rtol=0, atol=1e-12)
    with pytest.raises(np.linalg.LinAlgError):
        portable.cholesky(np.array([[1.0, 2.0], [2.0, 1.0]]))


def test_inverse_solve_matmul_corrcoef() -> None:
    rng = np.random.default_rng(5)
    omega = rng.uniform(0, 0.08, size=(9, 9))
    a = np.eye(9) - omega
    inv = portable.inverse(a)
    assert np.allclose(inv @ a, np.eye(9), rtol=0, atol=1e-13)
    assert np.allclose(inv, np.linalg.inv(a), rtol=0, atol=1e-13)
    perm = np.array([[0.0, 2.0], [1.0, 0.0]])  # needs a row swap
    assert np.array_equal(portable.inverse(perm), np.array([[0.0, 1.0], [0.5, 0.0]]))
    with pytest.raises(np.linalg.LinAlgError):
        portable.inverse(np.ones((3, 3)))
    low = np.tril(rng.normal(size=(6, 6))) + 6 * np.eye(6)
    b = rng.normal(size=(6, 4))
    assert np.allclose(low @ portable.solve_lower(low, b), b, rtol=0, atol=1e-12)
    x, y = rng.normal(size=(50, 6)), rng.normal(size=(6, 3))
    assert np.allclose(portable.matmul(x, y), x @ y, rtol=0, atol=1e-12)
    assert np.allclose(portable.corrcoef(x), np.corrcoef(x, rowvar=False), rtol=0, atol=1e-12)

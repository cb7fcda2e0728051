"""Each MODEL.md equation against a hand-computed value."""

from __future__ import annotations

import math

import pytest

from sim.model.adoption import intensity, s_curve, sigmoid, size_class_diffusion
from sim.model.capital import capital_share, log_output, next_capital
from sim.model.productivity import first_order_gain, measured_gain, realised_gain
from sim.model.tasks import (
    affected_share,
    effective_saving,
    exposure,
    profitable_share,
    sector_profitability,
)


def test_sigmoid_values_and_symmetry():
    assert sigmoid(0.0) == 0.5
    assert sigmoid(2.0) == pytest.approx(1 / (1 + math.exp(-2)), rel=1e-15)
    assert sigmoid(-800.0) == 0.0 and sigmoid(800.0) == 1.0  # no overflow
    assert sigmoid(1.3) + sigmoid(-1.3) == pytest.approx(1.0, abs=1e-15)


def test_s_curve_is_zero_at_t0_and_tends_to_one():
    assert s_curve(2025.0, 2025.0, 2032.0, 0.4) == 0.0
    assert s_curve(2200.0, 2025.0, 2032.0, 0.4) == pytest.approx(1.0, abs=1e-12)
    # hand value: (sigma(0.4*(2030-2032)) - sigma(0.4*(2025-2032))) / (1 - sigma(-2.8))
    sig = lambda x: 1 / (1 + math.exp(-x))  # noqa: E731
    expected = (sig(-0.8) - sig(-2.8)) / (1 - sig(-2.8))
    assert s_curve(2030.0, 2025.0, 2032.0, 0.4) == pytest.approx(expected, rel=1e-14)


def test_exposure_moves_from_e0_to_ceiling():  # MODEL.md 1.1
    assert exposure(0.2, 0.7, s_curve(2025.0, 2025.0, 2032.0, 0.3)) == 0.2
    half = s_curve(2032.0, 2025.0, 2032.0, 0.3)
    assert exposure(0.2, 0.7, half) == pytest.approx(0.2 + 0.5 * half)
    assert exposure(0.2, 0.7, 1.0) == pytest.approx(0.7)


def test_profitability_grows_then_caps():  # MODEL.md 1.2
    assert profitable_share(2030.0, 2025.0, 0.23, 0.05, 0.6) == pytest.approx(0.23 * 1.05**5)
    assert profitable_share(2060.0, 2025.0, 0.23, 0.05, 0.6) == 0.6
    assert sector_profitability(0.6, 2.0) == 1.0  # multiplier capped at 1
    assert sector_profitability(0.3, 1.5) == pytest.approx(0.45)


def test_diffusion_and_intensity():  # MODEL.md 1.3
    assert size_class_diffusion(2025.0, 0.8, 2025.0, 1.0) == pytest.approx(0.4)
    assert intensity(2025.0, 2025.0, 0.07, 0.6, 2032.0, 0.5) == pytest.approx(0.07)
    assert intensity(2300.0, 2025.0, 0.07, 0.6, 2032.0, 0.5) == pytest.approx(0.6)


def test_affected_share_and_saving():  # MODEL.md 1.4, 1.5
    assert affected_share(0.20, 0.23, 1.0) == pytest.approx(0.046)
    assert effective_saving(2030.0, 2025.0, 0.27, 0.01, 0.30, 0.0) == pytest.approx(0.30)
    assert effective_saving(2027.0, 2025.0, 0.27, 0.01, 0.40, 0.25) == pytest.approx(0.75 * 0.29)


def test_first_order_gain_is_acemoglu():  # MODEL.md 2.1: 0.535 * 0.27 * 0.046 = 0.66 %
    assert first_order_gain(0.535, 0.27, 0.046) == pytest.approx(0.0066447, rel=1e-4)


def test_j_curve_recursion():  # MODEL.md 2.2
    assert realised_gain(0.0, 0.01, 1.0) == 0.01  # tau_J = 1: no lag
    assert realised_gain(0.0, 0.01, 4.0) == pytest.approx(0.0025)
    assert measured_gain(0.01, 2.0, 0.05, 0.03) == pytest.approx(0.01 - 2.0 * 0.02)
    assert measured_gain(0.01, 2.0, 0.03, 0.05) == 0.01  # no drag when adoption falls


def test_cobb_douglas_and_capital():  # MODEL.md 3.4 (revision 2: normalised at t0)
    # ln Y = ln Y0 + ln TFP + alpha ln(K / K0) + (1 - alpha) ln(H / H0)
    y = math.exp(log_output(math.log(10.0), math.log(2.0), math.log(8.0), math.log(27.0),
                            1 / 3))
    assert y == pytest.approx(10.0 * 2.0 * 2.0 * 9.0)
    # K(t+1) = K + lambda (alpha Y / R - K), R = r + delta the user cost
    assert next_capital(100.0, 50.0, 0.4, 0.08, 0.5) == pytest.approx(
        100 + 0.5 * (0.4 * 50 / 0.08 - 100))
    assert next_capital(100.0, 50.0, 0.4, 0.08, 0.0) == 100.0
    # alpha(t) = alpha + sL(t0) - sL(t): every point of labour share lost goes to capital
    assert capital_share(0.38, 0.62, 0.62) == 0.38
    assert capital_share(0.38, 0.62, 0.57) == pytest.approx(0.43)

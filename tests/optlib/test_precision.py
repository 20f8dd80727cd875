"""optlib.precision: float16 storage, the float16 trip of a gradient, loss scaling, memory."""

import numpy as np
import pytest

import optlib
from optlib.precision import DynamicLossScale, StoredIn, bytes_per_parameter, to_half


def test_an_update_below_half_the_spacing_is_lost_in_float16_weights():
    f = optlib.quadratic(np.eye(2))                     # gradient x: at x = 1 a step of 1e-4
    x0 = np.array([1.0, 1.0], dtype=np.float32)
    half = optlib.run(StoredIn(optlib.SGD(lr=1e-4)), f, x0, 50)
    full = optlib.run(optlib.SGD(lr=1e-4), f, x0, 50)
    np.testing.assert_array_equal(half.x, x0)           # 1e-4 < spacing(1)/2 = 4.9e-4
    assert np.all(full.x < 0.996)
    big = optlib.run(StoredIn(optlib.SGD(lr=1e-2)), f, x0, 5)
    assert np.all(big.x < 1.0)                          # a step above the spacing survives
    assert np.all(big.x.astype(np.float16).astype(np.float32) == big.x)


def test_stored_in_validates():
    with pytest.raises(TypeError, match="opt"):
        StoredIn("sgd")
    with pytest.raises(TypeError, match="dtype"):
        StoredIn(optlib.SGD(lr=0.1), dtype=np.int32)


def test_to_half_underflows_and_overflows_and_scaling_recovers():
    g = np.array([1e-9, 1e-3, 1e5], dtype=np.float32)
    out = to_half(g)
    assert out[0] == 0.0 and np.isinf(out[2])
    np.testing.assert_allclose(out[1], 1e-3, rtol=1e-3)
    scaled = to_half(g[:2], scale=2.0**20)
    np.testing.assert_allclose(scaled, g[:2], rtol=1e-3)  # 1e-9·2^20 ≈ 1e-3: representable
    with pytest.raises(ValueError, match="scale"):
        to_half(g, scale=0.0)


def test_dynamic_loss_scale_backs_off_on_overflow_and_grows_after_interval():
    rule = DynamicLossScale(init_scale=1024.0, interval=3)
    state = rule.init()
    apply, state = rule.update(state, finite=False)
    assert not apply and state.scale == 512.0
    for _ in range(2):
        apply, state = rule.update(state, finite=True)
        assert apply and state.scale == 512.0
    apply, state = rule.update(state, finite=True)
    assert apply and state.scale == 1024.0 and state.good_steps == 0
    with pytest.raises(ValueError, match="backoff"):
        DynamicLossScale(backoff=1.5)


def test_bytes_per_parameter_counts():
    # counted by hand from the rule: weights, gradients, master copy, state arrays
    assert bytes_per_parameter("SGD")["total"] == 8
    assert bytes_per_parameter("Momentum")["total"] == 12
    assert bytes_per_parameter("Adam")["total"] == 16
    assert bytes_per_parameter("Adam", mixed=True)["total"] == 2 + 2 + 4 + 8
    assert bytes_per_parameter("SGD", mixed=True)["total"] == 2 + 2 + 4
    # ZeRO over 8 devices: stage 1 divides the 12 bytes of master copy and moments
    assert bytes_per_parameter("Adam", mixed=True, devices=8, zero_stage=1)["total"] == 4 + 12 / 8
    assert bytes_per_parameter("Adam", mixed=True, devices=8, zero_stage=2)["total"] == 2 + 14 / 8
    assert bytes_per_parameter("Adam", mixed=True, devices=8, zero_stage=3)["total"] == 16 / 8
    with pytest.raises(ValueError, match="optimizer"):
        bytes_per_parameter("Lion")
    with pytest.raises(ValueError, match="zero_stage"):
        bytes_per_parameter("Adam", zero_stage=4)

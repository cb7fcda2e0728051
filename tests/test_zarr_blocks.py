"""sim.runner.zarr_blocks: many zarr writes in one IO call give exactly the store that one
``array[selection] = values`` per write gives (the same chunk files, byte for byte), whole
chunks are encoded here, anything else is left to zarr, and a failing write is raised after
all the others have finished."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

zarr = pytest.importorskip("zarr")

from sim.analysis.sweep import store_compressors  # noqa: E402
from sim.runner.zarr_blocks import chunk_of, encode_chunk, write_blocks  # noqa: E402

SHAPE, CHUNKS = (10, 26, 3), (4, 26, 3)   # 3 chunks along the first dimension, the last short


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != "zarr.json"}


def _arrays(root: Path) -> dict[str, object]:
    group = zarr.open_group(root, mode="w")
    return {"blosc": group.create_array("blosc", shape=SHAPE, chunks=CHUNKS, dtype="f8",
                                        fill_value=np.nan, compressors=store_compressors()),
            "zstd": group.create_array("zstd", shape=SHAPE, chunks=CHUNKS, dtype="f8",
                                       fill_value=np.nan),
            "raw": group.create_array("raw", shape=SHAPE, chunks=CHUNKS, dtype="f8",
                                      fill_value=np.nan, compressors=None)}


def _writes(arrays: dict[str, object]) -> list[tuple[object, tuple[slice, ...], np.ndarray]]:
    rng = np.random.default_rng(7)
    out = []
    for array in arrays.values():
        full = rng.standard_normal((4, 26, 3))
        edge = rng.standard_normal((2, 26, 3))
        edge[0, 3] = np.nan  # some NaN in a chunk: still written
        partial = rng.standard_normal((2, 26, 3))
        out += [(array, (slice(0, 4),), full),                       # a whole chunk
                (array, (slice(8, 10),), edge),                      # the short edge chunk
                (array, (slice(4, 6),), partial)]                    # half a chunk: zarr
    return out


def test_same_files_as_one_zarr_write_each(tmp_path: Path) -> None:
    mine, ref = tmp_path / "mine.zarr", tmp_path / "ref.zarr"
    write_blocks(_writes(_arrays(mine)))
    for array, selection, values in _writes(_arrays(ref)):
        array[selection] = values
    assert _files(mine) == _files(ref)
    assert len(_files(mine)) == 9
    for name, array in zarr.open_group(mine, mode="r").arrays():
        np.testing.assert_array_equal(array[...], zarr.open_group(ref, mode="r")[name][...])


def test_whole_chunks_are_encoded_here_the_rest_by_zarr(tmp_path: Path) -> None:
    array = _arrays(tmp_path / "s.zarr")["blosc"]
    values = np.ones((4, 26, 3))
    assert chunk_of(array, (slice(4, 8),), values) == (1, 0, 0)
    assert chunk_of(array, (slice(8, 10), slice(0, 26), slice(0, 3)), values[:2]) == (2, 0, 0)
    assert chunk_of(array, (slice(2, 6),), values) is None           # two chunks, partly
    assert chunk_of(array, (slice(4, 6),), values[:2]) is None       # part of a chunk
    assert chunk_of(array, (slice(4, 8),), values.astype("f4")) is None  # another dtype
    assert encode_chunk(array, (1, 0, 0), values) is not None
    assert encode_chunk(array, (1, 0, 0), np.full((4, 26, 3), np.nan)) is None  # zarr deletes


def test_an_all_fill_chunk_is_deleted_as_zarr_does(tmp_path: Path) -> None:
    array = _arrays(tmp_path / "s.zarr")["blosc"]
    write_blocks([(array, (slice(0, 4),), np.ones((4, 26, 3)))])
    assert (tmp_path / "s.zarr" / "blosc" / "c" / "0" / "0" / "0").exists()
    write_blocks([(array, (slice(0, 4),), np.full((4, 26, 3), np.nan))])
    assert not (tmp_path / "s.zarr" / "blosc" / "c" / "0" / "0" / "0").exists()
    assert np.isnan(array[...]).all()


def test_a_failing_write_is_raised_after_the_others_finished(tmp_path: Path) -> None:
    arrays = _arrays(tmp_path / "s.zarr")
    (tmp_path / "s.zarr" / "zstd" / "c").write_text("not a folder")  # its chunks cannot go
    writes = [(a, (slice(0, 4),), np.ones((4, 26, 3))) for a in arrays.values()]
    with pytest.raises(OSError):
        write_blocks(writes)
    for name in ("blosc", "raw"):
        np.testing.assert_array_equal(arrays[name][0:4], 1.0)


def test_sweep_store_arrays_take_the_fast_path(tmp_path: Path) -> None:
    """Every summary array of a sweep store is written by encoding its block here (else the
    write costs ~1.5 ms more per array, docs/scaling.md)."""
    from sim.analysis import sweep

    root = Path(__file__).resolve().parents[1]
    spec = sweep.parse_spec(design="lhs", points=5, ranges=["ai.cost_saving=0.14:0.40"],
                            draws=4, seed=1, batch=2)
    plan = sweep.plan_sweep(root / "scenarios" / "flanders" / "central.yaml", spec)
    sweep._skeleton(plan, tmp_path / "s.zarr")
    group = zarr.open_group(tmp_path / "s.zarr", mode="r+")
    for var in plan.variables:
        for stat in sweep.STATS:
            array = group[f"{var}_{stat}"]
            values = np.zeros((1, *array.shape[1:]))  # the last block: one point of 2
            coords = chunk_of(array, (slice(4, 5),), values)
            assert coords == (2, *(0,) * (array.ndim - 1)), var
            assert encode_chunk(array, coords, values) is not None, var

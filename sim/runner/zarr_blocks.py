"""Many zarr writes in one call to zarr's IO loop; whole chunks encoded here.

A sweep batch ends with one block per stored array (174 of them for all variables' summaries),
each block exactly one zarr chunk. ``array[block] = values`` costs ~1.5 ms apiece in zarr 3,
nearly all of it the IO loop's per-call machinery (a round trip from this thread, and a dozen
tasks and thread hand-offs per write), not the bytes. :func:`write_blocks` instead

* encodes a write that is exactly one chunk here, with the array's own codecs (zarr's
  synchronous codec interface, :class:`zarr.abc.codec.SupportsSyncCodec`; the same bytes
  zarr would write), and hands the store only the ``set`` of the encoded chunk;
* leaves every other write (a partial chunk, a chunk that is all fill value, which zarr
  deletes rather than writes, codecs without a synchronous interface, sharding) to zarr's
  own ``setitem``;
* runs them all as one gathered coroutine through zarr's loop, and returns only when every
  one has finished (an error is raised after all have stopped, so none is left writing).

A signal that interrupts the wait leaves writes running on zarr's loop, as any zarr write
does; :func:`sim.runner.results.settle_zarr_io` waits for them before a store is removed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Sequence
from typing import Any

import numpy as np

#: (array, selection, values): ``array[selection] = values``
Write = tuple[Any, tuple[slice, ...], np.ndarray]


def write_blocks(writes: Sequence[Write]) -> None:
    """Do ``array[selection] = values`` for every write, all in one call to zarr's IO loop.

    Raises the first write's error once every write has finished (a disk error stops the
    caller: nothing is half-done behind its back)."""
    try:
        from zarr.core.sync import sync
    except ImportError:  # no shared IO loop (zarr 2): one write at a time
        for array, selection, values in writes:
            array[selection] = values
        return
    jobs = [_prepare(array, selection, values) for array, selection, values in writes]
    results = sync(_run(jobs))
    for result in results:
        if isinstance(result, BaseException):
            raise result


#: a prepared write: (array, selection, values, chunk key, encoded chunk or None)
Job = tuple[Any, tuple[slice, ...], np.ndarray, str, Any]


def _prepare(array: Any, selection: tuple[slice, ...], values: np.ndarray) -> Job:
    """One write, encoded here where it is exactly one chunk this module can encode (else
    the encoded chunk is None: zarr's ``setitem`` does it). No coroutine is made here: one
    made and never awaited (a signal while the writes are prepared) would be reported."""
    coords = chunk_of(array, selection, values)
    encoded = encode_chunk(array, coords, values) if coords is not None else None
    key = array.metadata.encode_chunk_key(coords) if encoded is not None else ""
    return array, selection, values, key, encoded


async def _run(jobs: list[Job]) -> list[Any]:
    """Every prepared write at once on zarr's loop; each one's result or exception."""
    return await asyncio.gather(*(_start(job) for job in jobs), return_exceptions=True)


def _start(job: Job) -> Coroutine[Any, Any, None]:
    """The coroutine of one prepared write: the store's ``set`` of the encoded chunk, or
    zarr's ``setitem``."""
    array, selection, values, key, encoded = job
    if encoded is not None:
        return (array.store_path / key).set(encoded)
    return array.async_array.setitem(selection, values)


def chunk_of(array: Any, selection: tuple[slice, ...], values: np.ndarray
             ) -> tuple[int, ...] | None:
    """The grid coordinates of the one chunk that ``selection`` covers exactly, or None.

    ``selection``: slices of the leading dimensions (the others whole); an edge chunk is
    covered up to the array's end. None for a partial or multi-chunk selection, or ``values``
    not of the selection's shape and the array's dtype."""
    shape, chunks = array.shape, array.chunks
    if not isinstance(selection, tuple) or len(selection) > len(shape) or \
            values.dtype != array.dtype:
        return None
    selection = (*selection, *(slice(0, n) for n in shape[len(selection):]))  # as zarr reads it
    coords = []
    for sel, size, chunk in zip(selection, shape, chunks, strict=True):
        if not (isinstance(sel, slice) and sel.step in (None, 1)
                and isinstance(sel.start, int | np.integer)
                and isinstance(sel.stop, int | np.integer)):
            return None
        if sel.start % chunk or sel.stop != min(sel.start + chunk, size):
            return None
        coords.append(int(sel.start) // chunk)
    if values.shape != tuple(s.stop - s.start for s in selection):
        return None
    return tuple(coords)


def _sync_codecs(array: Any) -> tuple[Any, ...] | None:
    """The array's codecs if this module can encode a chunk with them: a zarr v3 array without
    sharding, whose codecs are one array-to-bytes codec then bytes-to-bytes codecs, all with
    zarr's synchronous interface; else None."""
    try:
        from zarr.abc.codec import ArrayBytesCodec, BytesBytesCodec, SupportsSyncCodec
    except ImportError:  # a zarr without the synchronous codec interface
        return None
    metadata = array.metadata
    if getattr(metadata, "zarr_format", None) != 3 or array.shards is not None:
        return None
    codecs = tuple(metadata.codecs)
    if not codecs or not isinstance(codecs[0], ArrayBytesCodec) or \
            not all(isinstance(c, BytesBytesCodec) for c in codecs[1:]) or \
            not all(isinstance(c, SupportsSyncCodec) for c in codecs):
        return None
    return codecs


def encode_chunk(array: Any, coords: tuple[int, ...], values: np.ndarray) -> Any:
    """The encoded bytes (a zarr ``Buffer``) of chunk ``coords`` holding ``values`` (an edge
    chunk's values are padded with the fill value to the chunk shape, as zarr does), or None
    where zarr must write it: codecs this module cannot run, or a chunk that is all fill value
    (zarr then deletes the chunk instead, unless the array writes empty chunks)."""
    codecs = _sync_codecs(array)
    if codecs is None:
        return None
    from zarr.buffer import default_buffer_prototype

    spec = array.metadata.get_chunk_spec(coords, array.config, default_buffer_prototype())
    if spec.fill_value is None:
        return None
    if values.shape != tuple(spec.shape):
        padded = np.full(spec.shape, spec.fill_value, dtype=values.dtype)
        padded[tuple(slice(0, n) for n in values.shape)] = values
        values = padded
    data: Any = spec.prototype.nd_buffer.from_numpy_array(np.ascontiguousarray(values))
    if not spec.config.write_empty_chunks and data.all_equal(spec.fill_value):
        return None
    for codec in codecs:
        data = codec._encode_sync(data, spec)
        if data is None:
            return None
        spec = codec.resolve_metadata(spec)
    return data

"""LangGraph's PostgreSQL checkpointer as the engine uses it, two costs of a reply's turn lower.

- No thread hops: the stock saver (de)serialises every checkpoint and write in a worker thread
  (`asyncio.to_thread`, four a reply). Our state is a few ids and the last event, so the hop
  (and the GIL hand-over it costs) is dearer than the work: done inline here.
- One read a turn: a turn reads the thread's checkpoint to see where it waits
  (`Engine.waiting_on`), then the run reads it again. Inside `Engine.turn()` (the caller holds
  the thread's lock, so nothing else writes it) the run is given the checkpoint read just
  before; any write of the thread forgets it.

The three methods below follow langgraph-checkpoint-postgres 3.2.0 line for line but for the
thread hop (`tests/conversations/test_checkpointer.py` fails when upstream changes them).
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import (
    WRITES_IDX_MAP,
    ChannelVersions,
    Checkpoint,
    CheckpointMetadata,
    CheckpointTuple,
    get_checkpoint_id,
    get_serializable_checkpoint_metadata,
)
from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from langgraph.checkpoint.serde.types import _DeltaSnapshot
from psycopg.rows import DictRow
from psycopg.types.json import Jsonb

# Checkpoints read in the current turn, by thread id (None outside a turn).
_READ: ContextVar[dict[str, CheckpointTuple | None] | None] = ContextVar(
    "turn_checkpoints", default=None
)


@contextlib.contextmanager
def one_read_per_turn() -> Iterator[None]:
    """Within the block, a thread's latest checkpoint is read from the database once and given
    to the next reader; the caller holds the thread's lock."""
    token = _READ.set({})
    try:
        yield
    finally:
        _READ.reset(token)


def _forget(thread_id: str) -> None:
    read = _READ.get()
    if read is not None:
        read.pop(thread_id, None)


class TurnPostgresSaver(AsyncPostgresSaver):
    async def aget_tuple(self, config: RunnableConfig) -> CheckpointTuple | None:
        read = _READ.get()
        configurable = config["configurable"]
        if read is None or get_checkpoint_id(config) or configurable.get("checkpoint_ns", ""):
            return await super().aget_tuple(config)
        thread_id = str(configurable["thread_id"])
        if thread_id in read:
            return read.pop(thread_id)
        found = await super().aget_tuple(config)
        # The next reader gets its own copy (a run changes the checkpoint it is given).
        read[thread_id] = copy.deepcopy(found)
        return found

    async def adelete_thread(self, thread_id: str) -> None:
        _forget(str(thread_id))
        await super().adelete_thread(thread_id)

    # --- upstream's, without `asyncio.to_thread` -----------------------------------------------

    async def aput(
        self,
        config: RunnableConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> RunnableConfig:
        configurable = config["configurable"].copy()
        thread_id = configurable.pop("thread_id")
        checkpoint_ns = configurable.pop("checkpoint_ns")
        checkpoint_id = configurable.pop("checkpoint_id", None)
        _forget(str(thread_id))

        copied = checkpoint.copy()
        copied["channel_values"] = copied["channel_values"].copy()
        next_config: RunnableConfig = {
            "configurable": {
                "thread_id": thread_id,
                "checkpoint_ns": checkpoint_ns,
                "checkpoint_id": checkpoint["id"],
            }
        }

        # inline primitive values in checkpoint table; others are stored in blobs table
        blob_values = {}
        for k, v in checkpoint["channel_values"].items():
            if isinstance(v, _DeltaSnapshot):
                blob_values[k] = copied["channel_values"].pop(k)
                copied["channel_values"][k] = True
            elif v is None or isinstance(v, (str, int, float, bool)):
                pass
            else:
                blob_values[k] = copied["channel_values"].pop(k)

        async with self._cursor(pipeline=True) as cur:
            if blob_versions := {k: v for k, v in new_versions.items() if k in blob_values}:
                await cur.executemany(
                    self.UPSERT_CHECKPOINT_BLOBS_SQL,
                    self._dump_blobs(thread_id, checkpoint_ns, blob_values, blob_versions),
                )
            await cur.execute(
                self.UPSERT_CHECKPOINTS_SQL,
                (
                    thread_id,
                    checkpoint_ns,
                    checkpoint["id"],
                    checkpoint_id,
                    Jsonb(copied),
                    Jsonb(get_serializable_checkpoint_metadata(config, metadata)),
                ),
            )
        return next_config

    async def aput_writes(
        self,
        config: RunnableConfig,
        writes: Sequence[tuple[str, Any]],
        task_id: str,
        task_path: str = "",
    ) -> None:
        _forget(str(config["configurable"]["thread_id"]))
        query = (
            self.UPSERT_CHECKPOINT_WRITES_SQL
            if all(w[0] in WRITES_IDX_MAP for w in writes)
            else self.INSERT_CHECKPOINT_WRITES_SQL
        )
        params = self._dump_writes(
            config["configurable"]["thread_id"],
            config["configurable"]["checkpoint_ns"],
            config["configurable"]["checkpoint_id"],
            task_id,
            task_path,
            writes,
        )
        async with self._cursor(pipeline=True) as cur:
            await cur.executemany(query, params)

    async def _load_checkpoint_tuple(self, value: DictRow) -> CheckpointTuple:
        return CheckpointTuple(
            {
                "configurable": {
                    "thread_id": value["thread_id"],
                    "checkpoint_ns": value["checkpoint_ns"],
                    "checkpoint_id": value["checkpoint_id"],
                }
            },
            {  # type: ignore[typeddict-item]  # the stored checkpoint's keys
                **value["checkpoint"],
                "channel_values": {
                    **(value["checkpoint"].get("channel_values") or {}),
                    **self._load_blobs(value["channel_values"]),
                },
            },
            value["metadata"],
            (
                {
                    "configurable": {
                        "thread_id": value["thread_id"],
                        "checkpoint_ns": value["checkpoint_ns"],
                        "checkpoint_id": value["parent_checkpoint_id"],
                    }
                }
                if value["parent_checkpoint_id"]
                else None
            ),
            self._load_writes(value["pending_writes"]),
        )

"""What a worker is: the batch consumer of a site's review stream
(:mod:`moderation.worker.consumer`) and a whole worker process built from the
settings (:mod:`moderation.worker.process`)."""

from moderation.worker.consumer import OUTAGE, Worker, WorkerStats, run_sites, wait_for_redis

__all__ = ["OUTAGE", "Worker", "WorkerStats", "run_sites", "wait_for_redis"]

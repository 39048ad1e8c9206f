"""A simulated Ray cluster on this machine, for the Ray executor's tests and benchmark.

``ray.cluster_utils.Cluster`` starts real raylets (one per simulated node) as
child processes.  Every node here is small (1 CPU, an 80 MB object store, no
dashboard) because the machine is shared, and listens on the loopback address
only: Ray would otherwise advertise the machine's network address, and nothing
outside this machine has any business reaching a test cluster.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# read by Ray when it is imported: resolve "this machine" to 127.0.0.1, in this process and in the
# processes it starts (a CLI run joining the cluster included)
os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")

MB = 1024 * 1024
NODE: dict[str, Any] = {"num_cpus": 1, "object_store_memory": 80 * MB, "node_ip_address": "127.0.0.1"}
SKIP_REASON = "Ray is not installed: pip install -e '.[ray]' to run the Ray executor tests"


@contextmanager
def simulated_cluster(nodes: int = 2, cpus: int = 1, connect: bool = True) -> Iterator[Any]:
    """A cluster of ``nodes`` nodes with ``cpus`` CPUs each; the caller is its driver when ``connect``.

    Yields the ``Cluster`` (``.address`` for ``--ray-address``); everything is
    shut down on the way out, the driver's connection first.
    """
    import ray
    from ray.cluster_utils import Cluster

    node = {**NODE, "num_cpus": cpus}
    cluster = Cluster(initialize_head=True, connect=False, head_node_args={**node, "include_dashboard": False})
    try:
        for _ in range(nodes - 1):
            cluster.add_node(**node)
        cluster.wait_for_nodes()
        if connect:
            ray.init(address=cluster.address, log_to_driver=False, configure_logging=False)
        yield cluster
    finally:
        if ray.is_initialized():
            ray.shutdown()
        cluster.shutdown()

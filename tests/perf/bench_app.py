"""The HTTP servers the benchmark loads, each run as its own process with the gateway's
server settings (uvicorn, uvloop, httptools, one worker, no uvicorn access log):

``python -m tests.perf.bench_app --mode bare|gateway|proxy --port P``

- ``bare``: a FastAPI app with one async endpoint that answers a small JSON body.
- ``gateway``: the real gateway (``gateway.main.create_app``) with its middleware, error
  handlers, metrics and JSON access lines, plus a bench router whose routes call services
  through the gateway's asyncio RPC client (``RpcDep``, ``CallContextDep``).
- ``proxy``: the same gateway app, but the bench route is a sync endpoint (FastAPI runs
  it in its thread pool) calling through a pool of started nameko ``ClusterRpcProxy``
  instances, one taken per request: the usual way to call nameko from a web app.

Service names come from ``BENCH_SERVICE`` (our chassis) and ``BENCH_STOCK_SERVICE``
(stock ``nameko.rpc.rpc`` entrypoint, tests/perf/stock_service.py).
"""

# No ``from __future__ import annotations``: FastAPI reads these routes' annotations.
import argparse
import logging
import os
import queue

import uvicorn
from fastapi import APIRouter, FastAPI

from gateway.__main__ import SERVER_OPTIONS
from gateway.access import public
from gateway.deps import CallContextDep, RpcDep

ECHO_PAYLOAD = {"hello": "bench", "n": 1}


def bare_app() -> FastAPI:
    app = FastAPI()

    @app.get("/bare")
    async def bare():
        return ECHO_PAYLOAD

    return app


# The bench routes are public: they measure the transport, not access control.
BENCH_ACCESS = {name: public() for name in ("bench.echo", "bench.get_note",
                                            "bench.get_note_stock", "bench.get_note_proxy")}


def bench_gateway(create_app) -> FastAPI:
    """The real gateway, with its own throwaway identity database and the bench rules."""
    from gateway.settings import get_settings
    from tests.support.probe_gateway import with_own_database

    return create_app(with_own_database(get_settings()), extra_access=BENCH_ACCESS)


def gateway_app() -> FastAPI:
    from gateway.main import create_app

    service = os.environ["BENCH_SERVICE"]
    stock_service = os.environ.get("BENCH_STOCK_SERVICE", "")
    router = APIRouter(prefix="/bench")

    @router.get("/echo", name="bench.echo")
    async def echo(rpc: RpcDep, context: CallContextDep):
        return await rpc.call(service, "echo", ECHO_PAYLOAD, context=context)

    @router.get("/notes/{note_id}", name="bench.get_note")
    async def get_note(note_id: int, rpc: RpcDep, context: CallContextDep):
        return await rpc.call(service, "get_note", {"id": note_id}, context=context)

    @router.get("/stock-notes/{note_id}", name="bench.get_note_stock")
    async def get_note_stock(note_id: int, rpc: RpcDep, context: CallContextDep):
        return await rpc.call(stock_service, "get_note", {"id": note_id}, context=context)

    app = bench_gateway(create_app)
    app.include_router(router)
    return app


class ProxyPool:
    """Started ``ClusterRpcProxy`` instances, each used by one thread at a time."""

    def __init__(self, amqp_uri: str, size: int, timeout: float):
        self._config = {"AMQP_URI": amqp_uri, "serializer": "json"}
        self._timeout = timeout
        self._idle: queue.Queue = queue.Queue()
        self._all: list = []
        for _ in range(size):
            self._idle.put(self._open())

    def _open(self):
        from nameko.standalone.rpc import ClusterRpcProxy

        runner = ClusterRpcProxy(self._config, timeout=self._timeout)
        proxy = runner.start()
        self._all.append(runner)
        return runner, proxy

    def call(self, service: str, method: str, **kwargs):
        runner, proxy = self._idle.get()
        try:
            result = getattr(proxy[service], method)(**kwargs)
        except Exception:
            # After a timeout its reply queue may still receive the late answer: replace it.
            self._all.remove(runner)
            try:
                runner.stop()
            finally:
                self._idle.put(self._open())
            raise
        self._idle.put((runner, proxy))
        return result

    def close(self) -> None:
        for runner in self._all:
            try:
                runner.stop()
            except Exception:  # noqa: S110 - best effort at shutdown
                pass


def proxy_app(pool: ProxyPool) -> FastAPI:
    from gateway.main import create_app

    service = os.environ["BENCH_SERVICE"]
    router = APIRouter(prefix="/bench")

    @router.get("/proxy-notes/{note_id}", name="bench.get_note_proxy")
    def get_note_proxy(note_id: int):
        return pool.call(service, "get_note", payload={"id": note_id})

    app = bench_gateway(create_app)
    app.include_router(router)
    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=("bare", "gateway", "proxy"), required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--proxies", type=int, default=32)
    args = parser.parse_args()

    pool = None
    if args.mode == "bare":
        app = bare_app()
    else:
        from gateway.logging import configure_logging
        from gateway.settings import get_settings

        settings = get_settings()
        configure_logging(settings.log_level)  # as ``python -m gateway`` does
        if args.mode == "gateway":
            app = gateway_app()
        else:
            import warnings

            warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
            pool = ProxyPool(settings.amqp_uri, args.proxies, settings.rpc_timeout)
            app = proxy_app(pool)
    try:
        uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning",
                    **SERVER_OPTIONS)
    finally:
        if pool is not None:
            pool.close()
        logging.shutdown()


if __name__ == "__main__":
    main()

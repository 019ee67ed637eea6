"""PerHostTransport against real servers on 127.0.0.1: a pool per host, idle ones capped."""

from __future__ import annotations

import httpx

from readerterm.hostpools import PerHostTransport
from testserver import LocalServer


async def test_each_host_has_its_own_pool_and_only_the_recent_ones_stay_open() -> None:
    with LocalServer() as first, LocalServer() as second, LocalServer() as third:
        transport = PerHostTransport(per_host=2, idle_pools=2)
        async with httpx.AsyncClient(transport=transport) as client:
            for server in (first, second, first, third):
                server.route("/feed", body=b"news")
                response = await client.get(server.url("/feed"))
                assert response.content == b"news"
            # first and third were used last; second's idle connection was closed.
            assert transport.pool_count == 2
            assert (await client.get(second.url("/feed"))).content == b"news"
            assert transport.pool_count == 2
        assert transport.pool_count == 0  # the client closed every pool


async def test_a_pool_whose_response_is_still_open_is_never_closed() -> None:
    with LocalServer() as slow, LocalServer() as quick:
        slow.route("/big", body=b"x" * 200_000)
        quick.route("/small", body=b"y")
        transport = PerHostTransport(per_host=1, idle_pools=0)
        async with httpx.AsyncClient(transport=transport) as client:
            async with client.stream("GET", slow.url("/big")) as streaming:
                assert (await client.get(quick.url("/small"))).content == b"y"
                # quick's pool, idle, was closed; slow's still serves its response.
                assert transport.pool_count == 1
                body = b"".join([chunk async for chunk in streaming.aiter_bytes()])
            assert body == b"x" * 200_000
            assert transport.pool_count == 0

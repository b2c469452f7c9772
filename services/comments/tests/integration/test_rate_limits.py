"""Rate limits answer 429 problem+json with Retry-After, per reader and per address."""

from __future__ import annotations

import asyncio

from .conftest import MakeHarness


async def test_per_reader_limit(make_harness: MakeHarness) -> None:
    h = await make_harness(rate_comment_reader="2/minute")
    article = await h.open_article()
    for i in range(2):
        assert (await h.post(article, f"Comment number {i}", author="Fast")).status_code == 201
    r = await h.post(article, "One too many", author="Fast")
    assert r.status_code == 429
    assert r.headers["content-type"] == "application/problem+json"
    assert 1 <= int(r.headers["retry-after"]) <= 60
    assert r.json()["type"].endswith("/rate-limited") and r.json()["retry_after"] >= 1
    # Another reader at the same address still has its own allowance.
    assert (await h.post(article, "Someone else", author="Slow")).status_code == 201


async def test_per_address_limit(make_harness: MakeHarness) -> None:
    h = await make_harness(rate_comment_ip="3/minute", forwarded_hops=1)
    article = await h.open_article()
    here = {"X-Forwarded-For": "203.0.113.7"}
    for name in ("A", "B", "C"):
        assert (await h.post(article, f"Hello from {name}", author=name,
                             headers=here)).status_code == 201
    assert (await h.post(article, "From D", author="D", headers=here)).status_code == 429
    there = {"X-Forwarded-For": "198.51.100.1"}
    assert (await h.post(article, "From E", author="E", headers=there)).status_code == 201


async def test_new_reader_tokens_are_limited(make_harness: MakeHarness) -> None:
    h = await make_harness(rate_new_reader_ip="1/hour")
    assert (await h.client.post("/v1/readers", json={"display_name": "A"})).status_code == 201
    r = await h.client.post("/v1/readers", json={"display_name": "B"})
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 60


async def test_a_refused_request_counts_against_no_limit(make_harness: MakeHarness) -> None:
    h = await make_harness(rate_comment_reader="2/minute", rate_comment_ip="3/minute")
    article = await h.open_article()
    for i in range(2):
        assert (await h.post(article, f"Fast comment {i}", author="Fast")).status_code == 201
    for _ in range(3):  # refused by the reader's limit: the address's is not used up
        assert (await h.post(article, "Too fast", author="Fast")).status_code == 429
    assert (await h.post(article, "My turn", author="Slow")).status_code == 201
    r = await h.post(article, "And again", author="Slow")
    assert r.status_code == 429 and r.json()["limit"] == "3 per 1 minute"


async def test_concurrent_requests_are_counted_one_by_one(make_harness: MakeHarness) -> None:
    """Requests arriving together share one pipeline to Redis, yet each is its own script
    run: of 8 at once against a limit of 5, exactly 5 pass, and the 3 refused are
    not counted (another reader at the address still passes)."""
    h = await make_harness(rate_comment_reader="5/minute", rate_comment_ip="6/minute")
    article = await h.open_article()
    answers = await asyncio.gather(*(h.post(article, f"At once {i}", author="Burst")
                                     for i in range(8)))
    assert sorted(r.status_code for r in answers) == [201] * 5 + [429] * 3
    assert (await h.post(article, "Still room", author="Calm")).status_code == 201
    assert (await h.post(article, "Now full", author="Calm")).status_code == 429


async def test_the_limit_holds_after_redis_forgets_its_scripts(
    make_harness: MakeHarness,
) -> None:
    """SCRIPT FLUSH (or a restarted Redis) between requests: a pipelined EVALSHA gets
    NOSCRIPT, loads the script again and still counts."""
    h = await make_harness(rate_comment_reader="3/minute")
    article = await h.open_article()
    assert (await h.post(article, "Before the flush", author="Kept")).status_code == 201
    await h.runtime.bus.redis.script_flush()
    answers = await asyncio.gather(*(h.post(article, f"After the flush {i}", author="Kept")
                                     for i in range(4)))
    assert sorted(r.status_code for r in answers) == [201, 201, 429, 429]

"""Full text from article pages for feeds that carry only summaries."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import datetime

from ..errors import FetchError, ParseError
from ..store import Store
from ..workers.preload import HTTP_MODULES, PARSER_MODULES, READING_MODULES, preload
from .network import Network
from .reading import Reading
from .results import PageResult
from .tasks import as_they_finish
from .writer import StoreWriter

log = logging.getLogger(__name__)

EXTRACTIONS_AT_ONCE = 1
"""Pages extracted at a time, however many are fetched at once. Extraction holds the GIL
(trafilatura, BeautifulSoup), so two at a time finish no sooner; one at a time holds a
refresh's memory to one page's extraction (bounded: text/bounds.py) beside the pages
being downloaded (10 MiB each at most)."""


class Pages:
    """Fetching article pages for their full text and the publisher's key points."""

    def __init__(
        self,
        store: Store,
        writer: StoreWriter,
        network: Network,
        reading: Reading,
        clock: Callable[[], datetime],
    ) -> None:
        self._store = store
        self._writer = writer
        self._network = network
        self._reading = reading
        self._clock = clock
        self._extracting: tuple[asyncio.AbstractEventLoop, asyncio.Semaphore] | None = None

    def pages_to_fetch(
        self, feed_ids: Sequence[int] | None = None, *, limit: int = 500
    ) -> list[int]:
        """Unread articles whose full text should come from their page (newest first)."""
        return [
            i
            for i, _ in self._store.articles.articles_needing_pages(limit=limit, feed_ids=feed_ids)
        ]

    async def pages_to_fetch_off_loop(
        self, feed_ids: Sequence[int] | None = None, *, limit: int = 500
    ) -> list[int]:
        """`pages_to_fetch`, read on the writer's thread."""
        found = await self._writer.run(
            lambda store: store.articles.articles_needing_pages(limit=limit, feed_ids=feed_ids)
        )
        return [article_id for article_id, _ in found]

    async def fetch_pages(
        self, article_ids: Sequence[int], *, concurrency: int = 8
    ) -> AsyncIterator[PageResult]:
        """Fetch and extract the pages of these articles, yielding results as they finish.
        Cancelling the consumer cancels the fetches; what finished is already stored."""
        if self._network.offline:
            for article_id in article_ids:
                yield PageResult(article_id, "offline")
            return
        async for result in as_they_finish(article_ids, self.extract_page, at_once=concurrency):
            yield result

    def _extraction_turn(self) -> asyncio.Semaphore:
        """The semaphore that lets EXTRACTIONS_AT_ONCE pages be extracted at a time (one
        for each event loop: a test or a command may run several in turn)."""
        loop = asyncio.get_running_loop()
        if self._extracting is None or self._extracting[0] is not loop:
            self._extracting = (loop, asyncio.Semaphore(EXTRACTIONS_AT_ONCE))
        return self._extracting[1]

    async def extract_page(self, article_id: int) -> PageResult:
        """Fetch one article's page and store its text and key points (also re-extracts)."""
        article = await self._reading.open_article(article_id)

        def result(error: str | None = None) -> PageResult:
            return PageResult(
                article_id, error, url=article.url, title=article.title, feed_id=article.feed_id
            )

        if self._network.offline:
            return result("offline: the page cannot be fetched")
        if not article.url:
            return result("this article has no link to fetch")
        await preload(*READING_MODULES, *HTTP_MODULES, *PARSER_MODULES)
        from ..feeds.update import choose_text
        from ..net.fetch import PAGE_ACCEPT, NotModified
        from ..text import extract

        try:
            response = await self._network.fetcher.fetch(article.url, accept=PAGE_ACCEPT)
            assert not isinstance(response, NotModified)
            async with self._extraction_turn():
                page = await asyncio.to_thread(
                    extract.from_page_html, response.text(), url=response.url, title=article.title
                )
        except (FetchError, ParseError) as error:
            reason = str(error)
        except Exception as error:  # a hostile page must not stop the other pages
            log.exception("extracting %s failed", article.url)
            reason = f"could not extract the page: {type(error).__name__}"
        else:
            chosen = choose_text(article.body, article.key_points, article.key_points_origin, page)
            now = self._clock()
            # On the writer's thread: a refresh may be writing, and the loop must not wait.
            await self._writer.run(
                lambda store: store.articles.save_extraction(
                    article_id,
                    body=chosen.body,
                    key_points=chosen.key_points,
                    key_points_origin=chosen.key_points_origin,
                    words=chosen.words,
                    author=page.author,
                    image_url=page.image_url,
                    published=page.published,
                    now=now,
                )
            )
            return result()
        await self._writer.run(
            lambda store: store.articles.mark_extraction_failed(article_id, reason)
        )
        return result(reason)

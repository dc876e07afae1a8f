"""A reference wiki as an evidence provider: the MediaWiki search and extracts API, asked in one
request (a search generator feeding the intro extracts), on Wikipedia in the claim's language by
default or on any MediaWiki by its api.php URL."""

from __future__ import annotations

import re
from typing import Any, ClassVar
from urllib.parse import urlsplit

from claims.errors import FetchError
from claims.evidence.base import ClaimQuery, Found
from claims.evidence.http import ProviderHttp

_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
MAX_EXTRACT = 4000


def wikipedia_api(language: str) -> str:
    """The API address of Wikipedia in `language` (English when the code is unusable)."""
    code = language.split("-", maxsplit=1)[0].lower()
    return f"https://{code if _LANGUAGE.match(code) else 'en'}.wikipedia.org/w/api.php"


def wiki_query(query: ClaimQuery, limit: int = 5) -> str:
    """A short search: a wiki's search wants every word, so names first, then a few key terms."""
    names = [e for e in query.entities if len(e) >= 3][:2]
    terms = [t for t in query.key_terms() if not t.isdigit()][: max(1, limit - len(names))]
    return " ".join([*names, *terms][:limit])


class MediaWikiProvider:
    """Intro extracts of the wiki pages that match the claim."""

    name: ClassVar[str] = "mediawiki"
    version: ClassVar[str] = "1"

    def __init__(self, api_url: str | None = None, *, pages: int = 3) -> None:
        self.api_url, self.pages = api_url, pages

    def endpoint(self, query: ClaimQuery) -> str:
        return self.api_url or wikipedia_api(query.language)

    def cache_key(self, query: ClaimQuery) -> str:
        return f"{self.endpoint(query)}|{wiki_query(query)}"

    async def search(self, query: ClaimQuery, http: ProviderHttp) -> list[Found]:
        search = wiki_query(query)
        if not search:
            return []
        endpoint = self.endpoint(query)
        answer = await http.get_json(
            endpoint,
            {
                "action": "query",
                "format": "json",
                "formatversion": "2",
                "generator": "search",
                "gsrsearch": search,
                "gsrlimit": self.pages,
                "prop": "extracts|info",
                "exintro": "1",
                "explaintext": "1",
                "exlimit": self.pages,
                "inprop": "url",
                "redirects": "1",
            },
        )
        return self._pages(answer, endpoint, query)

    def _pages(self, answer: Any, endpoint: str, query: ClaimQuery) -> list[Found]:
        if not isinstance(answer, dict):
            raise FetchError(f"{endpoint} answered JSON that is not a MediaWiki response")
        if isinstance(answer.get("error"), dict):
            error = answer["error"]
            raise FetchError(f"{endpoint} refused the search: {error.get('info') or error}")
        pages = (answer.get("query") or {}).get("pages") or []
        if isinstance(pages, dict):  # formatversion=1 keys pages by id
            pages = list(pages.values())
        if not isinstance(pages, list):
            raise FetchError(f"{endpoint} answered JSON that is not a MediaWiki response")
        wiki = urlsplit(endpoint).netloc
        found: list[Found] = []
        for page in sorted(
            (p for p in pages if isinstance(p, dict)), key=lambda p: p.get("index", 0)
        ):
            extract = str(page.get("extract") or "").strip()
            title = str(page.get("title") or "").strip()
            if not extract or not title:
                continue
            url = page.get("fullurl") or f"{endpoint}?curid={page.get('pageid')}"
            found.append(
                Found(
                    provider=self.name,
                    key=str(url),
                    title=f"{title} ({wiki})",
                    text=extract[:MAX_EXTRACT],
                    url=str(url),
                    language=query.language if self.api_url is None else None,
                    details={"kind": "wiki", "wiki": wiki, "page": title},
                )
            )
        return found

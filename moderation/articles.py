"""Articles are Markdown files with a small front matter; an operator adds
one by dropping a file in the articles folder.

```
---
slug: ministre-nord-coreen-moscou
title: …
date: 2024-11-04T09:30:00+01:00
lang: fr
byline: …            (optional)
standfirst: …        (optional)
photo_caption: …     (optional)
---
Body in Markdown (raw HTML is not rendered).
```
"""

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from markdown_it import MarkdownIt
from markupsafe import Markup

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_MAX = 100
REQUIRED = ("slug", "title", "date", "lang")
OPTIONAL = ("byline", "standfirst", "photo_caption")

# "commonmark" with html=False: an article cannot smuggle raw HTML or scripts.
_markdown = MarkdownIt("commonmark", {"html": False})


class ArticleError(ValueError):
    """A content file cannot be read as an article."""


@dataclass(frozen=True, slots=True)
class Article:
    slug: str
    title: str
    date: datetime
    lang: str
    body_html: Markup
    byline: str = ""
    standfirst: str = ""
    photo_caption: str = ""


def is_slug(value: str) -> bool:
    return len(value) <= SLUG_MAX and SLUG.fullmatch(value) is not None


def parse_article(text: str, source: str = "<string>") -> Article:
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != "---":
        raise ArticleError(f"{source}: must start with a '---' front matter line")
    meta: dict[str, str] = {}
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == "---":
            body = "\n".join(lines[number:])
            break
        if not line.strip():
            continue
        key, sep, value = line.partition(":")
        key = key.strip()
        if not sep or key not in REQUIRED + OPTIONAL:
            raise ArticleError(f"{source}:{number}: expected 'key: value' with a known key")
        meta[key] = value.strip()
    else:
        raise ArticleError(f"{source}: front matter is not closed by '---'")
    missing = [key for key in REQUIRED if not meta.get(key)]
    if missing:
        raise ArticleError(f"{source}: missing {', '.join(missing)}")
    if not is_slug(meta["slug"]):
        raise ArticleError(f"{source}: slug must be lower-case words joined by '-'")
    try:
        date = datetime.fromisoformat(meta["date"])
    except ValueError as error:
        raise ArticleError(f"{source}: date is not ISO 8601") from error
    return Article(
        slug=meta["slug"],
        title=meta["title"],
        date=date,
        lang=meta["lang"],
        body_html=Markup(_markdown.render(body)),  # noqa: S704 - html disabled above
        byline=meta.get("byline", ""),
        standfirst=meta.get("standfirst", ""),
        photo_caption=meta.get("photo_caption", ""),
    )


class ArticleLibrary:
    """Every article of the given folders, read once at start-up."""

    def __init__(self, folders: list[Path]) -> None:
        self._articles: dict[str, Article] = {}
        for folder in folders:
            if not folder.is_dir():
                continue
            for path in sorted(folder.glob("*.md")):
                article = parse_article(path.read_text(encoding="utf-8"), str(path))
                if article.slug in self._articles:
                    raise ArticleError(f"{path}: slug {article.slug!r} is used twice")
                self._articles[article.slug] = article
        if not self._articles:
            raise ArticleError("no article found")
        self._newest = max(self._articles.values(), key=lambda article: article.date)

    def get(self, slug: str) -> Article | None:
        return self._articles.get(slug)

    def __contains__(self, slug: object) -> bool:
        return slug in self._articles

    def newest(self) -> Article:
        return self._newest

    def all(self) -> list[Article]:
        """Newest first."""
        return sorted(self._articles.values(), key=lambda article: article.date, reverse=True)

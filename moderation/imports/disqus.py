"""Disqus exports: ``<thread>`` elements are the pages, ``<post>`` elements
the comments, tied together by ``dsq:id``. A post without a ``dsq:id`` is
imported but answers nobody and can be no one's parent; a post that cannot
be read is skipped and reported."""

from typing import IO, Any

from moderation.imports import times, xml_tree
from moderation.imports.html_text import html_to_text
from moderation.imports.records import Reading, Record, Skip, ThreadSource, hide


def read(source: IO[bytes]) -> Reading:
    root = xml_tree.parse(source, "disqus")
    if xml_tree.local(root.tag) != "disqus":
        raise xml_tree.UnreadableExport("not a disqus export (no <disqus> root)")
    reading = Reading()
    for number, element in enumerate(xml_tree.children(root, "thread"), 1):
        page = _page(element, number)
        reading.threads[page.key] = page
    for number, post in enumerate(xml_tree.children(root, "post"), 1):
        identifier = xml_tree.attribute_id(post)
        where = f"post {identifier!r}" if identifier else f"post {number} (no dsq:id)"
        page = reading.threads.get("dsq " + xml_tree.attribute_id(xml_tree.child(post, "thread")))
        if page is None:
            reading.skips.append(Skip(where, "no_thread", "its <thread> is not in the file"))
            continue
        try:
            created = times.iso(xml_tree.text(post, "createdAt"))
        except ValueError as error:
            reading.skips.append(Skip(where, "bad_date", str(error)))
            continue
        reading.records.append(_record(post, identifier, page, created))
        reading.records[-1].place = where
    return reading


def _true(element: Any, name: str) -> bool:
    return xml_tree.text(element, name).lower() == "true"


def _page(element: Any, number: int) -> ThreadSource:
    dsq_id = xml_tree.attribute_id(element)
    identifier = xml_tree.text(element, "id")
    link = xml_tree.text(element, "link")
    hidden = "thread_deleted" if _true(element, "isDeleted") else ""
    hidden = hidden or ("thread_spam" if _true(element, "isSpam") else "")
    return ThreadSource(
        key=f"dsq {dsq_id}" if dsq_id else f"thread {number}",
        names=tuple(n for n in (dsq_id, identifier, link) if n),
        candidates=(identifier, link), hidden=hidden,
        url=link if link.startswith(("http://", "https://")) else "",
    )  # fmt: skip


def _record(post: Any, identifier: str, page: ThreadSource, created: float) -> Record:
    if _true(post, "isSpam"):
        status, hidden = "spam", "spam"
    elif _true(post, "isDeleted"):
        status, hidden = "rejected", "deleted"
    elif xml_tree.text(post, "isApproved").lower() == "false":
        status, hidden = "review", "pending"
    else:
        status, hidden = "approved", ""
    author = xml_tree.child(post, "author")
    record = Record(
        source_id=identifier, thread="", author=xml_tree.text(author, "name"),
        email=xml_tree.text(author, "email"), url="",
        body=html_to_text(xml_tree.markup(post, "message")), status=status, hidden=hidden,
        created_at=created, parent=xml_tree.attribute_id(xml_tree.child(post, "parent")),
        source_thread=page.key,
    )  # fmt: skip
    hide(record, page.hidden)
    return record

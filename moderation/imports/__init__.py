"""Reading other systems' exports (and ours) into records, one module per
source: ``wordpress``, ``disqus``, ``isso``, ``remark42``, ``commento``,
``jsonl``; ``records`` (what they give), ``threads`` (a page's thread id),
``html_text`` (their HTML as our text), ``summary`` (what an import did) and
``importer`` (one import from start to end).

Kept free of imports so that :mod:`moderation.transfer` can use ``records``
without a circle through ``importer``."""

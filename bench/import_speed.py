"""Import speed: a generated WordPress export (WXR 1.2) of N comments over
N/50 posts (a reply for every third comment, HTML with links and paragraphs,
every tenth comment awaiting moderation), imported into a throw-away
redis-server on a free port: first run, second run (everything already
there) and a dry run. `python -m bench.import_speed [--n N] [--json]`."""

import argparse
import tempfile
import time
from pathlib import Path

from bench.report import emit
from moderation.imports import importer
from moderation.redis_server import RedisServer
from moderation.services import connect


def write_export(path: Path, n: int) -> None:
    posts = max(1, n // 50)
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
                  'xmlns:wp="http://wordpress.org/export/1.2/"><channel>')  # fmt: skip
        for post in range(posts):
            out.write(f"<item><link>https://blog.example/{post}/</link><wp:post_id>{post}"
                      f"</wp:post_id><wp:post_name>article-{post}</wp:post_name>"
                      "<wp:status>publish</wp:status>")  # fmt: skip
            for number in range(post, n, posts):
                parent = number - posts if number % 3 == 0 and number >= posts else 0
                out.write(
                    f"<wp:comment><wp:comment_id>{number + 1}</wp:comment_id>"
                    f"<wp:comment_author>Reader {number % 97}</wp:comment_author>"
                    f"<wp:comment_author_email>r{number % 97}@example.org"
                    "</wp:comment_author_email>"
                    f"<wp:comment_date_gmt>2024-01-01 {number % 24:02d}:{number % 60:02d}:"
                    f"{number % 59:02d}</wp:comment_date_gmt><wp:comment_content><![CDATA[<p>"
                    f"Comment {number} on article {post}, see <a href=\"https://news.example/"
                    f"{number}\">the source</a>.</p>\n\n<p>Second\tparagraph.</p>]]>"
                    "</wp:comment_content><wp:comment_approved>"
                    f"{0 if number % 10 == 0 else 1}</wp:comment_approved>"
                    f"<wp:comment_parent>{parent + 1 if parent else 0}</wp:comment_parent>"
                    "</wp:comment>"
                )  # fmt: skip
            out.write("</item>")
        out.write("</channel></rss>\n")


def run(n: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder, RedisServer(folder, persistent=False) as server:
        export = Path(folder) / "export.xml"
        write_export(export, n)
        client = connect(server.url, 5.0)
        figures: dict[str, float] = {"n": n}
        for name, dry in (("first", False), ("again", False), ("dry_run", True)):
            started = time.perf_counter()
            outcome = importer.run(client, "wordpress", str(export), dry_run=dry)
            elapsed = time.perf_counter() - started
            done = outcome.total.created + outcome.total.existing
            assert done == n, outcome.total
            figures[f"{name}_s"] = round(elapsed, 2)
            figures[f"{name}_per_s"] = round(n / elapsed)
        client.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    emit(run(args.n), args.json)


if __name__ == "__main__":
    main()

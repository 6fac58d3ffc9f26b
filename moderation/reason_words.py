"""The reasons of a score in a moderator's words.

``classifiers`` names its features in English for developers ("text
length"); a moderator reads what it means for this comment ("shorter than
most comments"), in their language. Rule chips are short ("rafale").
"""

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from classifiers.model import Contribution
from classifiers.normalise import find_urls

# Each signal: (said when this comment has more of it than an average comment, … less).
SIGNALS = {
    "link_count": (_l("many links"), _l("few or no links")),
    "has_link": (_l("has a link"), _l("no link")),
    "link_domains": (_l("links to several sites"), _l("links to few sites")),
    "reference_links": (_l("links to reference sources"), _l("no link to a reference source")),
    "shortener": (_l("shortened link"), _l("no shortened link")),
    "commercial_link": (_l("link to a commercial site"), _l("no commercial link")),
    "home_page_link": (_l("link to a site's home page"), _l("no link to a home page")),
    "link_only": (_l("nothing but links"), _l("more than links")),
    "link_density": (_l("many links for its length"), _l("few links for its length")),
    "anchor_mismatch": (_l("link text hides its target"), _l("links show where they go")),
    "obfuscated": (_l("disguised spelling"), _l("plain spelling")),
    "email_in_text": (_l("an e-mail address in the text"), _l("no e-mail address in the text")),
    "author_has_url": (_l("a web address as the name"), _l("an ordinary name")),
    "author_digits": (_l("many digits in the name"), _l("few digits in the name")),
    "website_filled": (_l("website field filled in"), _l("website field left empty")),
    "length": (_l("longer than most comments"), _l("shorter than most comments")),
    "upper_ratio": (_l("many capital letters"), _l("few capital letters")),
    "digit_ratio": (_l("many digits"), _l("few digits")),
    "repeated_chars": (_l("repeated characters"), _l("no repeated characters")),
    "phone_number": (_l("a phone number"), _l("no phone number")),
    "link_history": (_l("links moderators filed as spam before"),
                     _l("links moderators published before")),  # fmt: skip
}

# Short chips for the rules that sent a comment to a person.
RULE_CHIPS = {
    "likely_good": _l("likely good"),
    "blocklist": _l("blocked word"),
    "unscored": _l("not scored"),
    "dead_letter": _l("classifier failure"),
    "burst": _l("burst"),
    "links_not_decisive": _l("only its links looked like spam"),
    "author_blocked": _l("blocked author"),
    "author_trusted": _l("trusted author"),
    "new_author": _l("new author"),
}


def rule_chip(rule: str, body: str) -> str:
    """A rule's chip; too many links says how many (« 3 liens »)."""
    if rule == "too_many_links":
        count = len(find_urls(body))
        return ngettext("%(num)d link", "%(num)d links", count)
    return str(RULE_CHIPS.get(rule, rule))


def words_for(reason: Contribution) -> str:
    """What a moderator reads for one reason: the word itself, quoted, or
    what the signal means for this comment."""
    if reason.kind == "signal":
        more, less = SIGNALS.get(reason.signal, (reason.feature, reason.feature))
        return str(more if reason.above else less)
    return f"« {reason.feature} »"

"""monitor.reasons: a sentence for every outcome, and technical detail without Python reprs."""

from __future__ import annotations

import pytest

from clusterwatch.monitor.reasons import (
    SENTENCES,
    evidence_reason,
    outcome_sentence,
    site_reason,
    status_reason,
    technical_detail,
)
from clusterwatch.vocabulary import Outcome

PROXY = "127.0.0.1:39127"
TLS_REPR = (
    "[<twisted.python.failure.Failure OpenSSL.SSL.Error: "
    "[('SSL routines', '', 'certificate verify failed')]>]"
)
TUNNEL = (
    f"Could not open CONNECT tunnel with proxy {PROXY} [{{'status': 503, "
    "'reason': b'ERR_DNS_FAIL'}]"
)
LEAKS = ("Failure", "b'", "<twisted", PROXY, "[(", "{'")


def no_leak(text: str) -> None:
    for leak in LEAKS:
        assert leak not in text, (leak, text)


@pytest.mark.parametrize("outcome", list(Outcome))
def test_every_outcome_has_a_sentence(outcome: Outcome) -> None:
    assert outcome in SENTENCES  # a new Outcome without a sentence fails here
    sentence = outcome_sentence(outcome, http_status=503, seconds=30)
    assert " " in sentence and "{" not in sentence and "_" not in sentence  # words, not a code


def test_the_vocabulary_has_no_sentence_for_a_word_that_is_not_an_outcome() -> None:
    assert set(SENTENCES) == set(Outcome)


def test_sentences_fill_in_the_seconds_and_the_status() -> None:
    assert outcome_sentence("timeout", seconds=12.5) == "timed out after 12.5 s"
    assert outcome_sentence("http_5xx", http_status=503) == "the server answered 503"
    assert outcome_sentence("http_4xx") == "the server answered with a 4xx error"
    assert outcome_sentence("gremlins") == "the fetch failed (gremlins)"


def test_technical_detail_unwraps_twisted_failures_and_bytes() -> None:
    cleaned = technical_detail(f"home page https://a.jp/: tls ({TLS_REPR})")
    assert cleaned == (
        "home page https://a.jp/: tls (OpenSSL.SSL.Error: SSL routines: certificate verify failed)"
    )
    assert technical_detail("dns (b'ERR_DNS_FAIL')") == "dns (ERR_DNS_FAIL)"
    assert technical_detail("the web's own b'x'") == "the web's own x"


def test_technical_detail_never_names_the_proxy() -> None:
    assert technical_detail(TUNNEL) == "the proxy could not open a tunnel: 503 ERR_DNS_FAIL"
    assert technical_detail(f"via http://{PROXY}/ failed") == "via the proxy failed"
    configured = ("http://squid.internal:3128", "squid.internal:3128")
    assert technical_detail("squid.internal:3128 said no", configured) == "the proxy said no"


def test_technical_detail_keeps_the_address_a_site_tried_to_send_us_to() -> None:
    text = "home page http://a.jp/: blocked_address (refused http://127.0.0.1:8080/x: loopback)"
    assert technical_detail(text) == text


def test_a_site_result_names_the_real_timeout_and_the_time_budget() -> None:
    took = "home page https://a.jp/: timeout (Getting https://a.jp/ took longer than 12.0 seconds.)"
    assert site_reason("timeout", None, took).sentence == "timed out after 12 s"
    assert site_reason("timeout", None, "squid", timeout=45).sentence == "timed out after 45 s"
    budget = "home page https://a.jp/: timeout (site time budget of 600 s spent before x)"
    assert site_reason("timeout", None, budget).sentence == "the site's time budget ran out"
    slow = site_reason("slow", 200, "site time budget of 600 s ran out after 3 pages")
    assert slow.sentence == "the site's time budget ran out"


def test_an_ok_site_whose_home_page_failed_says_so() -> None:
    why = site_reason("ok", 200, f"home page https://a.jp/: dns ({TUNNEL})")
    assert why.sentence == (
        "the home page failed (the domain does not resolve); another of its addresses answered"
    )
    assert why.detail is not None
    no_leak(why.detail)


def test_a_status_reason_keeps_its_words_around_the_sentence() -> None:
    stored = f"unreachable: failed 3 runs in a row, last: tls (home page https://a.jp/: tls ({TLS_REPR}))"
    why = status_reason(stored)
    assert why.sentence == "unreachable: failed 3 runs in a row, last: TLS handshake failed"
    assert why.detail is not None and "certificate verify failed" in why.detail
    no_leak(why.detail)
    assert status_reason("fresh: updated 2026-01-01").sentence == "fresh: updated 2026-01-01"
    assert status_reason(None).sentence == ""


def test_only_failure_evidence_is_rewritten() -> None:
    quoted = "Seminar in Munich b'2026' at 127.0.0.1:39127"  # a page's text is as it was
    assert evidence_reason("new_eu_signal", quoted).sentence == quoted
    refused = "home page http://a.jp/: blocked_address (refused http://10.0.0.5/: private)"
    why = evidence_reason("blocked_redirect", refused)
    assert why.sentence == "the address is not public: refused" and why.detail == refused

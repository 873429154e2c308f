"""What a getMe answer or a transport error at start-up means, in one line."""

from __future__ import annotations

import httpx

from bot.startup import Problem, backoff, diagnose_answer, diagnose_error

TG = "https://api.telegram.org/bot"
LOCAL = "http://127.0.0.1:8081/bot"


def test_a_bots_description_is_no_problem() -> None:
    assert diagnose_answer(TG, 200, b'{"ok":true,"result":{"id":1,"is_bot":true}}') is None


def test_401_is_a_wrong_token_and_not_retried() -> None:
    found = diagnose_answer(TG, 401, b'{"ok":false,"error_code":401,"description":"Unauthorized"}')
    assert found is not None and found.problem is Problem.TOKEN and not found.retry
    assert "TELEGRAM_BOT_TOKEN" in found.line


def test_404_at_telegram_is_a_malformed_token_elsewhere_token_or_base_url() -> None:
    body = b'{"ok":false,"error_code":404,"description":"Not Found"}'
    at_telegram = diagnose_answer(TG, 404, body)
    assert at_telegram is not None and at_telegram.problem is Problem.TOKEN
    local = diagnose_answer(LOCAL, 404, body)
    assert local is not None and local.problem is Problem.BASE_URL
    assert "TELEGRAM_API_BASE_URL" in local.line and not local.retry


def test_a_page_that_is_not_json_means_a_wrong_base_url() -> None:
    found = diagnose_answer(LOCAL, 200, b"<html>welcome to nginx</html>")
    assert found is not None and found.problem is Problem.BASE_URL and "127.0.0.1:8081" in found.line


def test_server_errors_and_network_faults_are_retried() -> None:
    server = diagnose_answer(TG, 502, b"Bad Gateway")
    assert server is not None and server.retry
    network = diagnose_error(TG, httpx.ConnectError("[Errno -3] Temporary failure in name resolution"))
    assert network.problem is Problem.NETWORK and network.retry
    assert "api.telegram.org" in network.line and "name resolution" in network.line
    assert "no answer in time" in diagnose_error(TG, httpx.ReadTimeout("")).line


def test_backoff_doubles_up_to_a_minute() -> None:
    assert [backoff(n) for n in (1, 2, 3, 4, 5, 6, 7)] == [2, 4, 8, 16, 32, 60, 60]

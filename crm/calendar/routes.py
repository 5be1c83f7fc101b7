"""The calendar feed's HTTP route (mounted beside Streamlit by crm/ui/server.py, under the app's base path).

GET /calendar/feed/<token>.ics → the feed as text/calendar (built fresh; clients may keep it 5 minutes);
404 for an unknown token, 410 for a revoked feed or a disabled account.
"""

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from crm.calendar import feeds

MAX_AGE_SECONDS = 300


async def serve_feed(request: Request) -> Response:
    token = str(request.path_params.get("token", ""))
    token = token[:-4] if token.endswith(".ics") else token
    state, feed = await run_in_threadpool(feeds.lookup, token)
    if feed is None:
        code = 410 if state == "gone" else 404
        return PlainTextResponse("gone" if code == 410 else "not found", status_code=code,
                                 headers={"Cache-Control": "no-store"})
    body = await run_in_threadpool(feeds.feed_ics, feed)
    return Response(body, media_type="text/calendar; charset=utf-8",
                    headers={"Cache-Control": f"private, max-age={MAX_AGE_SECONDS}",
                             "Content-Disposition": 'inline; filename="liaison.ics"',
                             "Referrer-Policy": "no-referrer"})


def routes(prefix: str = "") -> list[Route]:
    """The feed route under `prefix` (the app's base path, crm.accounts.routes.base_path)."""
    return [Route(prefix + feeds.FEED_PATH + "/{token}", serve_feed, methods=["GET"])]

"""How the bot's requests reach the Bot API: python-telegram-bot's `BaseRequest` on aiohttp.

PTB's own transport (httpx) spends about 2 ms of CPU on each request on a 2-core machine;
aiohttp about 0.8 ms. Every answer costs at least one request, so this is the largest share of
the bot's CPU it can save (docs/benchmarks.md). PTB still builds each request and reads each
reply (`BaseRequest.post` and `_request_wrapper`): this class only moves bytes, and maps
aiohttp's failures to PTB's `TimedOut` and `NetworkError`, which the courier retries.
"""

from __future__ import annotations

import urllib.parse
import urllib.request

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

# The same defaults as PTB's HTTPXRequest, so a slow Bot API is treated the same way.
DEFAULT_CONNECT_TIMEOUT = 5.0
DEFAULT_READ_TIMEOUT = 5.0
DEFAULT_WRITE_TIMEOUT = 5.0
DEFAULT_POOL_TIMEOUT = 1.0


_HEADERS = {"User-Agent": BaseRequest.USER_AGENT, "Content-Type": "application/json"}
# A file upload is multipart: aiohttp writes its Content-Type with the boundary.
_UPLOAD_HEADERS = {"User-Agent": BaseRequest.USER_AGENT}


class AiohttpRequest(BaseRequest):
    """One aiohttp session with a pool of `connection_pool_size` keep-alive connections."""

    __slots__ = ("_defaults", "_pool_size", "_proxies", "_session")

    def __init__(
        self,
        *,
        connection_pool_size: int = 1,
        read_timeout: float | None = DEFAULT_READ_TIMEOUT,
        write_timeout: float | None = DEFAULT_WRITE_TIMEOUT,
        connect_timeout: float | None = DEFAULT_CONNECT_TIMEOUT,
        pool_timeout: float | None = DEFAULT_POOL_TIMEOUT,
    ) -> None:
        self._pool_size = connection_pool_size
        self._defaults = {
            "read": read_timeout,
            "write": write_timeout,
            "connect": connect_timeout,
            "pool": pool_timeout,
        }
        # Made in initialize(): aiohttp binds a session to the running event loop.
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[tuple[str, str], str | None] = {}

    @property
    def read_timeout(self) -> float | None:
        return self._defaults["read"]

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            # Not trust_env: that also looks for ~/.netrc on a thread for every request.
            # Proxies from the environment are honoured by proxy_for() instead.
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size)
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("AiohttpRequest used before initialize() or after shutdown()")
        read = self._default(read_timeout, "read")
        write = self._default(write_timeout, "write")
        connect = self._default(connect_timeout, "connect")
        pool = self._default(pool_timeout, "pool")
        timeout = aiohttp.ClientTimeout(
            # aiohttp has no write timeout; the total bounds a request that stalls while sent.
            total=_sum_or_none(read, write, connect, pool),
            # aiohttp's `connect` includes waiting for a free connection in the pool.
            connect=_sum_or_none(pool, connect),
            sock_connect=connect,
            sock_read=read,
        )
        try:
            async with session.request(
                method,
                url,
                data=_body(request_data),
                headers=_UPLOAD_HEADERS
                if request_data is not None and request_data.contains_files
                else _HEADERS,
                proxy=self.proxy_for(url),
                timeout=timeout,
            ) as response:
                return response.status, await response.read()
        except TimeoutError as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            # The class name says what failed when aiohttp's message is empty.
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error

    def proxy_for(self, url: str) -> str | None:
        """The proxy from the environment (HTTPS_PROXY, HTTP_PROXY, NO_PROXY) for `url`, as
        httpx would pick it, for clinics whose network reaches the internet only through one.
        Read once per scheme and host."""
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname or ""
        key = (parts.scheme, host)
        if key not in self._proxies:
            proxy = urllib.request.getproxies().get(parts.scheme)
            self._proxies[key] = None if proxy and urllib.request.proxy_bypass(host) else proxy
        return self._proxies[key]

    def _default(self, value: ODVInput[float], name: str) -> float | None:
        # PTB passes DEFAULT_NONE for "whatever this request object was made with".
        return self._defaults[name] if isinstance(value, DefaultValue) else value


def _sum_or_none(*timeouts: float | None) -> float | None:
    """None (no limit) when any part has no limit, else the parts added up."""
    return None if any(t is None for t in timeouts) else sum(t for t in timeouts if t is not None)


def _body(request_data: RequestData | None) -> bytes | aiohttp.FormData | None:
    """The parameters as one JSON object, each value encoded as PTB encodes a form field (the
    Bot API reads strings for any type). Not form-encoded: urlencode quotes a long answer byte
    by byte in Python, about 0.4 ms a message. A file (a patient's data export) goes as
    multipart form data, its parameters as form fields, as PTB's own transport sends it."""
    if request_data is None:
        return None
    if not request_data.contains_files:
        return request_data.json_payload
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (file_name, content, mime_type) in request_data.multipart_data.items():
        form.add_field(name, content, filename=file_name, content_type=mime_type)
    return form

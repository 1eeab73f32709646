"""FakeBindingAPI: a threaded local server of the Binding API, seeded from the Faker factories."""

from __future__ import annotations

import os
import secrets
import socket
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any

from faker import Faker
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from .._extras import needs
from ..errors import PortUnavailable
from ..generation.provider import BindingProvider
from ..spec import facts
from ..spec.kinds import KIND_TABLE
from ..spec.schemas import check_profile
from ..traffic import origins
from .app import Breaker, FakeApp
from .bodies import STRICT_BODIES, Lax, render
from .faults import Fault, Faults
from .paging import Paging
from .state import Store
from .worlds import Exchange, Served, snapshot_of

if TYPE_CHECKING:
    from twilio.rest import Client

    from ..generation.worlds import World
    from .recorded import Rejected

_EARLIEST = datetime(2019, 1, 1, tzinfo=UTC)
_LATEST = datetime(2025, 12, 31, tzinfo=UTC)


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


@contextmanager
def _listening(host: str, port: int) -> Iterator[socket.socket]:
    """A socket listening on ``host:port`` (werkzeug serves a duplicate of it), or PortUnavailable."""
    sock = None
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        sock = socket.socket(family, kind, proto)
        # As http.server does: a port left in TIME_WAIT by a server just stopped is free again.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:  # socket.gaierror too: a host that names no address
        if sock is not None:
            sock.close()
        raise PortUnavailable(host, port, exc) from None
    with sock:
        yield sock


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class FakeBindingAPI:
    """The Binding API on 127.0.0.1 (a free port by default), stateful and in memory.

    Credentials are generated when not given and always enforced unless ``auth=False``:
    HTTP Basic with the account SID and auth token, or an API key made by
    :meth:`add_api_key`. ``public_url`` (e.g. ``https://chat.twilio.com``) is written into
    every ``url``, ``links`` and page url instead of the server's own base URL.
    ``absolute_paging`` and ``page_size_over_max`` are the paging rules of :class:`.paging.Paging`.
    ``profile="published"`` answers with bodies as Twilio's published spec allows them: a binding's
    members null or left out, undocumented members added, the rest consistent (as
    ``payloads(kind, profile="published")`` draws them), drawn per binding from ``seed`` so that
    a binding reads the same in every answer and every run with the same seed.
    """

    def __init__(
        self,
        seed: int | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        account_sid: str | None = None,
        auth_token: str | None = None,
        auth: bool = True,
        public_url: str | None = None,
        services: int = 0,
        bindings: int = 0,
        breaker: Breaker | None = None,
        absolute_paging: bool = False,
        page_size_over_max: str = "cap",
        profile: str | os.PathLike[str] = "strict",
    ) -> None:
        profile = check_profile(profile)  # a profile file is read here, once
        self.faker = Faker()
        self.faker.add_provider(BindingProvider)
        self.faker.seed_instance(seed)
        self.account_sid = account_sid or self.faker.account_sid()
        self.auth_token = auth_token or self.faker.hexify("^" * 32)
        self.credentials: dict[str, str] | None = {self.account_sid: self.auth_token} if auth else None
        self.store = Store()
        self.faults = Faults()
        self.host, self.port = host, port
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self.app = FakeApp(
            self.store,
            credentials=self.credentials,
            public_url=public_url,
            faults=self.faults,
            breaker=breaker,
            paging=Paging(absolute_paging, page_size_over_max),
            lax=Lax(profile, 0 if seed is None else seed),
        )
        self.public_url = public_url
        self._lax = self.app.lax
        for _ in range(services):
            service = self.add_service()
            for _ in range(bindings):
                self.add_binding(service)
        self._seeded = (self.store.snapshot(), self.faker.random.getstate(), dict(self.credentials or {}))

    rejected: tuple[Rejected, ...] = ()
    """The bindings :meth:`from_cassettes` left out, their bodies having broken the contract."""

    @classmethod
    def from_cassettes(
        cls,
        *paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
        seed: int | None = None,
        **options: Any,
    ) -> FakeBindingAPI:
        """A fake holding the services, users and bindings that vcrpy cassettes show (files, or
        directories searched as ``binding-contracts check`` searches them, given one by one or in
        any iterable: ``from_cassettes(a, b)``, ``from_cassettes([a, b])``,
        ``from_cassettes(Path("c").glob("*.yaml"))``; :class:`~binding_contracts.errors.UsageError`
        naming anything else): each binding as last
        seen, deletes applied, identities and endpoints as recorded. Every exchange is judged as
        ``check`` judges it, and a binding whose body broke the contract is left out and listed on
        :attr:`rejected`. ``options`` are the constructor's; ``account_sid`` defaults to the one the
        bindings name, the auth token is the fake's own. :class:`~binding_contracts.errors.InputError`
        for a cassette ``check`` refuses."""
        from .recorded import read

        recorded = read(paths)
        options["account_sid"] = options.get("account_sid") or recorded.account_sid
        api = cls(seed, **options)
        with api.store.lock:
            recorded.seed(api.store)
            api.rejected = tuple(recorded.rejected)
            api._seeded = (api.store.snapshot(), api.faker.random.getstate(), dict(api.credentials or {}))
        return api

    # -- lifecycle ---------------------------------------------------------------------
    def start(self) -> FakeBindingAPI:
        """Listen and serve in a thread; :class:`PortUnavailable` when the port cannot be had."""
        if self._server is None:
            # Bound here, not by werkzeug, which prints to stderr and exits the process on failure.
            with _listening(self.host, self.port) as sock:
                self._server = make_server(
                    self.host,
                    self.port,
                    self.app,
                    threaded=True,
                    request_handler=_QuietHandler,
                    fd=sock.fileno(),
                )
            self.port = self._server.port
            origins.serving(self.host, self.port, self.public_url)
            # A short poll interval makes stop() quick; serving itself is event-driven.
            self._thread = threading.Thread(
                target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            origins.stopped(self.port)
            self._server.shutdown()
            self._server.server_close()
            if self._thread is not None:
                self._thread.join()
            self._server = self._thread = None

    def __enter__(self) -> FakeBindingAPI:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``, the server's own base URL."""
        return f"http://{self.host}:{self.port}"

    @property
    def _url_base(self) -> str:
        return (self.public_url or self.base_url).rstrip("/")

    # -- state -------------------------------------------------------------------------
    # Every change takes the store's lock (reentrant) around its Faker draws too, so that reset()
    # never lands between a draw and its write.
    def reset(self) -> None:
        """Back to the state this fake had when constructed: the seeded services, users and
        bindings, the Faker where the seed left it (what is added next is what was added first
        after construction), the constructor's credentials only, no faults. The server keeps
        running on the same port; requests in flight see the state before or after, never between."""
        store, random_state, credentials = self._seeded
        with self.store.lock:
            self.store.restore(store)
            self.faker.random.setstate(random_state)
            if self.credentials is not None:
                self.credentials.clear()
                self.credentials.update(credentials)
            self.faults.clear()
            self.app.around = None
            self.app.lax = self._lax

    def load(self, world: World) -> None:
        """Serve ``world`` (drawn by :func:`~binding_contracts.strategies.api_worlds`): its services,
        users and bindings replace the store's, and its variations vary the answers, until the next
        ``load`` or :meth:`reset`. Bodies are the strict ones but for the world's variations; the
        server keeps running (same port, credentials; faults cleared); requests in flight see the
        world before or after, never between. :attr:`exchanges` lists what the world answered."""
        snapshot = snapshot_of(world, self.account_sid)
        with self.store.lock:
            self.store.restore(snapshot)
            self.faults.clear()
            self.app.lax = STRICT_BODIES
            self.app.around = Served(world, self.app)

    @property
    def world(self) -> World | None:
        """The world :meth:`load` loaded, or None."""
        served = self.app.around
        return served.world if isinstance(served, Served) else None

    @property
    def exchanges(self) -> list[Exchange]:
        """The requests the loaded world answered (the last 200), oldest first."""
        served = self.app.around
        return list(served.log) if isinstance(served, Served) else []

    def add_service(self, sid: str | None = None) -> str:
        with self.store.lock:
            return self.store.add_service(sid or self.faker.service_sid())

    def add_user(self, service: str, identity: str | None = None, sid: str | None = None) -> str:
        """The user sid of ``identity`` in ``service``, created when new."""
        with self.store.lock:
            identity = identity if identity is not None else self.faker.user_name()
            return self.store.add_user(service, identity, sid or self.faker.user_sid())

    def add_api_key(self) -> tuple[str, str]:
        """A new API key ``(SK…, secret)`` the server accepts as credentials."""
        with self.store.lock:
            sid, secret = "SK" + self.faker.hexify("^" * 32), secrets.token_hex(16)
            if self.credentials is not None:
                self.credentials[sid] = secret
        return sid, secret

    def add_binding(
        self,
        service: str,
        identity: str | None = None,
        binding_type: str | None = None,
        *,
        kind: str = "binding",
        **fields: Any,
    ) -> dict[str, Any]:
        """A new binding (its user is created when new), as the API of ``kind`` returns it
        (``kind="conversations-binding"``: a Conversations binding, its types and message types
        drawn from Conversations'). Both APIs serve the same bindings."""
        with self.store.lock:
            return self._add_binding(service, identity, binding_type, kind, fields)

    def _add_binding(
        self, service: str, identity: str | None, binding_type: str | None, kind: str, fields: dict[str, Any]
    ) -> dict[str, Any]:
        f = self.faker
        api = KIND_TABLE[kind].api
        identity = identity if identity is not None else f.user_name()
        binding_type = binding_type or f.random_element(facts.enum(api.binding_types))
        created = f.date_time_between_dates(_EARLIEST, _LATEST, tzinfo=UTC)
        updated = f.date_time_between_dates(created, _LATEST, tzinfo=UTC)
        known = facts.enum(api.message_types)
        values: dict[str, Any] = {
            "sid": f.binding_sid(),
            "account_sid": self.account_sid,
            "service_sid": service,
            "user_sid": self.add_user(service, identity),
            "identity": identity,
            "endpoint": f.push_endpoint(binding_type),
            "credential_sid": f.credential_sid(),
            "binding_type": binding_type,
            "message_types": tuple(f.random_sample(known, length=f.random_int(1, len(known)))),
            "date_created": _rfc3339(created),
            "date_updated": _rfc3339(updated),
        }
        values.update(fields)
        values["message_types"] = tuple(values["message_types"])
        record = self.store.add_binding(**values)
        return render(self._url_base, record, kind, self.app.lax)

    # -- faults ------------------------------------------------------------------------
    def inject(self, fault: Fault | str) -> Fault:
        """Turn a fault on: a :class:`Fault` or its text form (``"read-bindings=429:2"``)."""
        parsed = Fault.parse(fault) if isinstance(fault, str) else fault
        self.faults.add(parsed)
        return parsed

    def clear_faults(self) -> None:
        self.faults.clear()

    # -- clients -----------------------------------------------------------------------
    def vcr_config(self, redact_pii: bool = False, **options: Any) -> dict[str, Any]:
        """Keyword arguments for ``vcr.VCR(...)`` that record through this fake reproducibly:
        :func:`~binding_contracts.recording.vcr_config` (same options; like it, it writes a running
        fake's URLs on its public origin, never its port), and no ``Date`` header. With a pinned
        seed, the same calls give byte-identical cassettes."""
        from .vcr_settings import reproducible_vcr_config

        return reproducible_vcr_config(redact_pii=redact_pii, **options)

    def twilio_client(self, check: str = "raise", **options: Any) -> Client:
        """A ``twilio.rest.Client`` aimed at this server that checks every response.

        ``check`` is ``"raise"``, ``"collect"`` (reports on ``client.http_client.reports``)
        or ``"off"``; answers are judged under the fake's profile unless ``profile`` is given.
        Edge and region are cleared (TWILIO_EDGE/TWILIO_REGION would rewrite
        hosts), and any ``*.twilio.com`` URL is sent here.
        """
        with needs("live", "FakeBindingAPI.twilio_client()"):
            from twilio.rest import Client

            from ..traffic.live import CheckingHttpClient

        options.setdefault("profile", self.app.lax.profile)  # a published fake is judged as published
        http = CheckingHttpClient(check, redirect_to=self.base_url, **options)  # type: ignore[arg-type]
        client = Client(self.account_sid, self.auth_token, http_client=http)
        client.edge = client.region = None
        return client

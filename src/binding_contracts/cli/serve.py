"""``binding-contracts serve``: run the fake Binding API until interrupted."""

from __future__ import annotations

import argparse
import threading
from typing import IO, Any

from .._printable import printable
from ..errors import UsageError
from .common import add_profile


def add_parser(commands: Any) -> None:
    s = commands.add_parser("serve", help="serve the fake Binding API until interrupted")
    s.add_argument("--host", default="127.0.0.1", help="default: 127.0.0.1")
    s.add_argument("--port", type=int, default=0, help="default: 0, a free port")
    s.add_argument("--seed", type=int, default=None, help="seed of the generated state")
    s.add_argument(
        "--services",
        type=int,
        default=None,
        metavar="N",
        help="services to create (default 1; 0 with --from-cassettes)",
    )
    s.add_argument("--bindings", type=int, default=10, metavar="N", help="bindings per service (default 10)")
    s.add_argument(
        "--from-cassettes",
        action="append",
        default=[],
        metavar="PATH",
        help="serve the services, users and bindings these cassettes (files or directories) show",
    )
    s.add_argument("--account-sid", help="credentials to enforce (generated when not given)")
    s.add_argument("--auth-token", help="the account's auth token (generated when not given)")
    s.add_argument("--no-auth", action="store_true", help="accept requests without credentials")
    s.add_argument("--public-url", help="base URL written into bodies, e.g. https://chat.twilio.com")
    add_profile(s, ": bodies with the nulls and left-out members it allows")
    s.add_argument(
        "--absolute-paging",
        action="store_true",
        help="serve Page>0 without PageToken as an offset (default: 400, as Twilio answers)",
    )
    s.add_argument(
        "--page-size-over-max",
        default="cap",
        metavar="cap|refuse",
        # the values are checked by the fake (fake/paging.py), which this module imports only to serve
        help="a PageSize above the maximum: a page of the maximum size (cap, default) or 400 (refuse)",
    )
    s.add_argument(
        "--inject",
        action="append",
        default=[],
        metavar="FAULT",
        # the forms of fake/faults.py's FORMS (tests/fake/test_fault_forms.py): the fake is imported to serve
        help="[OPERATION=]FAULT: 429[:RETRY_AFTER], 500, 503, delay:SECONDS, truncate, break:RULE, nulls",
    )


def serve(
    args: argparse.Namespace, out: IO[str], stop: threading.Event | None = None, err: IO[str] | None = None
) -> int:
    """Start the fake, print how to reach it, and serve until ``stop`` is set or Ctrl-C. With
    ``--from-cassettes``, each binding left out is a warning line on ``err``."""
    from ..fake import FakeBindingAPI, Fault

    services = args.services if args.services is not None else (0 if args.from_cassettes else 1)
    if min(services, args.bindings) < 0:
        raise UsageError("Got a negative --services or --bindings, but expected 0 or more")
    faults = [Fault.parse(text) for text in args.inject]
    # A cassette check refuses is an InputError: one line and exit 2, before anything is served.
    options: dict[str, Any] = {
        "seed": args.seed,
        "host": args.host,
        "port": args.port,
        "account_sid": args.account_sid,
        "auth_token": args.auth_token,
        "auth": not args.no_auth,
        "public_url": args.public_url,
        "services": services,
        "bindings": args.bindings,
        "absolute_paging": args.absolute_paging,
        "page_size_over_max": args.page_size_over_max,
        "profile": args.profile,
    }
    if args.from_cassettes:
        api = FakeBindingAPI.from_cassettes(*args.from_cassettes, **options)
    else:
        api = FakeBindingAPI(**options)
    for fault in faults:
        api.inject(fault)
    for rejected in api.rejected:
        print(printable(f"warning: {rejected}"), file=err or out)
    api.start()  # PortUnavailable, a BindingContractsError: one line and exit 2
    stop = stop or threading.Event()
    # From here on Ctrl-C is the way to stop, whenever it comes (even while printing).
    try:
        print(f"serving the Binding API on {api.base_url}", file=out)
        print(f"account_sid={api.account_sid} auth_token={api.auth_token}", file=out)
        for service, bindings in api.store.services.items():
            print(f"service {service}: {len(bindings)} binding(s)", file=out)
        out.flush()
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        api.stop()
    return 0

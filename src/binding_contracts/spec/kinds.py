"""The kind table: every Binding kind and the API that serves it. Adding a kind is an entry of
:data:`KIND_TABLE` (and of :data:`APIS` for a new API) plus its schemas and URL templates
(:mod:`.urls`); every other module reads a kind's facts from here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class Api:
    """One Binding API: where it is served, and what its bindings and parameters are called."""

    name: str
    host: str
    version: str
    service_member: str
    """The member naming a binding's service: ``service_sid`` (Chat), ``chat_service_sid``."""
    service_param: str
    """The path placeholder of the service: ``ServiceSid``, ``ChatServiceSid``."""
    binding_types: str
    """The ``$defs`` entry of schemas/defs.schema.json listing its binding types."""
    message_types: str
    """The ``$defs`` entry of its documented message types (the unknown-message-type warning)."""
    page_size: str
    """The ``$defs`` entry of its PageSize parameter (bounds and default)."""
    deprecated_hosts: frozenset[str] = frozenset()
    user_template: str | None = None
    """The template of a User URL (``links.user``), when the API's bindings link to their user."""

    @property
    def origin(self) -> str:
        return f"https://{self.host}"

    @property
    def title(self) -> str:
        """``Chat v2``, ``Conversations v1``: the API as Twilio's docs name it."""
        return f"{self.name.title()} {self.version}"

    @property
    def hosts(self) -> tuple[str, ...]:
        """Every host the API is served from, its own first."""
        return (self.host, *sorted(self.deprecated_hosts))


CHAT: Final = Api(
    "chat",
    "chat.twilio.com",
    "v2",
    "service_sid",
    "ServiceSid",
    "binding_type",
    "known_message_type",
    "page_size_param",
    # IP Messaging v2 is the older alias of Chat v2: same paths, same bodies
    frozenset({"ip-messaging.twilio.com"}),
    "user",
)
CONVERSATIONS: Final = Api(
    "conversations",
    "conversations.twilio.com",
    "v1",
    "chat_service_sid",
    "ChatServiceSid",
    "conversations_binding_type",
    "conversations_message_type",
    "conversations_page_size_param",
)
APIS: Final = (CHAT, CONVERSATIONS)


@dataclass(frozen=True)
class Kind:
    """A kind of Binding document: its API, the template of its own url (an item) or of its list url
    (a page), the kind of a page's items, and whether it has ``links`` or belongs to one user."""

    name: str
    api: Api
    template: str
    item_kind: str | None = None
    links: bool = False
    user: bool = False


KIND_TABLE: Final = {
    k.name: k
    for k in (
        Kind("binding", CHAT, "binding", links=True),
        Kind("user-binding", CHAT, "user-binding", user=True),
        Kind("binding-page", CHAT, "binding-list", item_kind="binding"),
        Kind("user-binding-page", CHAT, "user-binding-list", item_kind="user-binding", user=True),
        Kind("conversations-binding", CONVERSATIONS, "conversations-binding"),
        Kind(
            "conversations-binding-page",
            CONVERSATIONS,
            "conversations-binding-list",
            item_kind="conversations-binding",
        ),
    )
}
"""Every Binding kind (the error envelope is the one kind outside it)."""

KINDS: Final = (*KIND_TABLE, "error")
"""Every kind of document the contract knows, by the name used in the API, CLI and reports."""

ITEM_KINDS: Final = tuple(k.name for k in KIND_TABLE.values() if k.item_kind is None)
PAGE_KINDS: Final = tuple(k.name for k in KIND_TABLE.values() if k.item_kind is not None)
PAGE_ITEM_KIND: Final = {k.name: k.item_kind for k in KIND_TABLE.values() if k.item_kind is not None}
"""Each page kind and the kind of its items."""
LINKED_KINDS: Final = tuple(k.name for k in KIND_TABLE.values() if k.links)
"""The kinds whose documents have ``links.user``."""
USER_KINDS: Final = tuple(k.name for k in KIND_TABLE.values() if k.user)
"""The kinds of one user's bindings (``user_sid``, a User path)."""
USER_PAGE_KINDS: Final = tuple(k for k in USER_KINDS if k in PAGE_KINDS)
USER_ITEM_KINDS: Final = tuple(k for k in USER_KINDS if k in ITEM_KINDS)
URL_TEMPLATE_OF_KIND: Final = {k.name: k.template for k in KIND_TABLE.values()}
"""What a payload's own url is, by kind; a page's meta urls name the list path."""
ITEMS_KEY: Final = "bindings"
"""The member of a page that holds its items (``meta.key`` names it)."""


def service_member(kind: str) -> str:
    """The member naming the service of a document (of the items, for a page) of ``kind``."""
    return KIND_TABLE[kind].api.service_member


def article(kind: str) -> str:
    """``a binding``, ``an error``: a kind named in a sentence."""
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


MESSAGE_TYPE_PAIRS: Final = (
    ("new_message", "new_message"),
    ("added_to_channel", "added_to_conversation"),
    ("removed_from_channel", "removed_from_conversation"),
    ("invited_to_channel", None),
)
"""Chat's documented message types and their Conversations counterparts. Conversations has no
invitations (a participant is added), so ``invited_to_channel`` has none."""


def message_types_in(api: Api, types: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Message types written in ``api``'s vocabulary: the documented ones of the other API renamed
    (a type without a counterpart dropped), any other value kept as it is."""
    to_conversations = api == CONVERSATIONS
    renamed = {
        (chat if to_conversations else conv): (conv if to_conversations else chat) for chat, conv in _PAIRS
    }
    gone = {chat for chat, conv in MESSAGE_TYPE_PAIRS if conv is None} if to_conversations else set()
    return tuple(dict.fromkeys(renamed.get(t, t) for t in types if t not in gone))


_PAIRS: Final = tuple((chat, conv) for chat, conv in MESSAGE_TYPE_PAIRS if conv is not None)

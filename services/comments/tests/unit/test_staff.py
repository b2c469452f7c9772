"""Roles rank: an admin may do what a moderator may, not the other way round."""

from __future__ import annotations

import pytest

from wirestream.comments.errors import Forbidden
from wirestream.comments.staff import Staff, hash_key


def test_roles() -> None:
    Staff("a", "admin").require("moderator")
    Staff("m", "moderator").require("moderator")
    with pytest.raises(Forbidden):
        Staff("m", "moderator").require("admin")


def test_keys_are_stored_hashed() -> None:
    assert hash_key("wsk_x") != "wsk_x" and len(hash_key("wsk_x")) == 64

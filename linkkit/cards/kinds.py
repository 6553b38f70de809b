"""The attribute kinds of the card-type table (the values of :attr:`CardSpec.attributes`), for reuse.

Each kind has ``judge(value)`` (``None`` or ``(rule id, reason)``, the rule being a key of
:data:`linkkit.cards.rules.RULES`), ``check(value)`` (the reason alone) and ``describe()``.
"""

from linkkit.cards._json_kinds import JsonShape as JsonShape
from linkkit.cards._json_kinds import JsonString as JsonString
from linkkit.cards._kinds import AppLink as AppLink
from linkkit.cards._kinds import Color as Color
from linkkit.cards._kinds import DigitString as DigitString
from linkkit.cards._kinds import Enum as Enum
from linkkit.cards._kinds import EpochMillis as EpochMillis
from linkkit.cards._kinds import FontColor as FontColor
from linkkit.cards._kinds import Kind as Kind
from linkkit.cards._kinds import Language as Language
from linkkit.cards._kinds import Problem as Problem
from linkkit.cards._kinds import RefId as RefId
from linkkit.cards._kinds import Str as Str
from linkkit.cards._kinds import Url as Url
from linkkit.cards._kinds import UtcOffset as UtcOffset
from linkkit.cards._kinds import YesNo as YesNo

__all__ = [
    "AppLink",
    "Color",
    "DigitString",
    "Enum",
    "EpochMillis",
    "FontColor",
    "JsonShape",
    "JsonString",
    "Kind",
    "Language",
    "Problem",
    "RefId",
    "Str",
    "Url",
    "UtcOffset",
    "YesNo",
]

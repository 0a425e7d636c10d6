"""`repo/yamlappend`: a top-level list of a record file edited in place, every other byte kept.

Examples for each shape of list (block items as block or flow mappings at any indentation, a flow list,
``[]``, ``null``, a bare key, a missing key; comments, CRLF, a BOM), then Hypothesis properties over
generated meeting files: the original bytes stay around one contiguous change inside the list, and the
result reads back as exactly the intended data.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from laoxiao_cli.errors import LxError
from laoxiao_cli.repo import yamlio
from laoxiao_cli.repo.yamlappend import append_item, set_list

REL = "data/meetings/m1.yaml"
ITEM = {"text": "完成丙事", "lead": "alpha", "due": date(2022, 12, 31), "task": "t2022-009"}


def append(text: str, item: dict[str, Any] = ITEM) -> str:
    return append_item(text.encode("utf-8"), "decisions", item, REL).decode("utf-8")


def listed(text: str, items: list[str], key: str = "attendees", after: str | None = None) -> str:
    return set_list(text.encode("utf-8"), key, items, REL, after=after).decode("utf-8")


# --- appending a mapping ---------------------------------------------------------------------------


def test_append_to_block_items_written_as_block_mappings() -> None:
    before = "id: m1\ndecisions:\n- text: 甲\n  lead: alpha\n# 会后补充\nheard: [alpha]\n"
    assert append(before) == (
        "id: m1\ndecisions:\n- text: 甲\n  lead: alpha\n"
        "- text: 完成丙事\n  lead: alpha\n  due: 2022-12-31\n  task: t2022-009\n"
        "# 会后补充\nheard: [alpha]\n"
    )


def test_append_to_indented_flow_items_keeps_their_style() -> None:
    before = "id: m1\ndecisions:\n  - {text: 甲, lead: alpha}  # 第一项\n  - {text: 乙}\n"
    assert append(before) == before + "  - {text: 完成丙事, lead: alpha, due: 2022-12-31, task: t2022-009}\n"


def test_append_follows_a_wide_indentation_and_a_block_scalar() -> None:
    before = "decisions:\n    -   text: |\n            两行\n            文字\n        lead: alpha\n"
    after = append(before, {"text": "丙"})
    assert after == before + "    -   text: 丙\n"


def test_append_to_a_flow_list() -> None:
    assert append("decisions: [{text: 甲}]\n", {"text": "a, b"}) == 'decisions: [{text: 甲}, {text: "a, b"}]\n'


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("id: m1\ndecisions: []\nreviewed: []\n", "id: m1\ndecisions:\n- text: 丙\nreviewed: []\n"),
        ("id: m1\ndecisions: null\n", "id: m1\ndecisions:\n- text: 丙\n"),
        (
            "id: m1\ndecisions:   # 议定事项\nreviewed: []\n",
            "id: m1\ndecisions:   # 议定事项\n- text: 丙\nreviewed: []\n",
        ),
        ("id: m1\ndecisions:", "id: m1\ndecisions:\n- text: 丙\n"),
        ("id: m1\n", "id: m1\ndecisions:\n- text: 丙\n"),
        ("id: m1", "id: m1\ndecisions:\n- text: 丙\n"),
    ],
)
def test_an_empty_or_missing_list_becomes_a_block_list(before: str, after: str) -> None:
    assert append(before, {"text": "丙"}) == after


def test_crlf_and_bom_are_kept() -> None:
    raw = "\ufeffid: m1\r\ndecisions:\r\n- text: 甲\r\n".encode()
    out = append_item(raw, "decisions", {"text": "乙", "lead": "beta"}, REL)
    assert out == "\ufeffid: m1\r\ndecisions:\r\n- text: 甲\r\n- text: 乙\r\n  lead: beta\r\n".encode()


def test_values_that_need_quotes_are_quoted() -> None:
    after = append("decisions:\n- text: 甲\n", {"text": "关于: 丙事 # 不是注释", "lead": "alpha"})
    assert yamlio.parse(after.encode()).data["decisions"][1] == {"text": "关于: 丙事 # 不是注释", "lead": "alpha"}


@pytest.mark.parametrize(
    "before", ["decisions: {text: 甲}\n", "decisions: 甲\n", "decisions:\n- 甲\n", "{decisions: []}\n"]
)
def test_what_is_not_a_list_of_mappings_is_refused(before: str) -> None:
    with pytest.raises(LxError, match="无法自动修改"):
        append(before)


# --- setting a list of plain values ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "items", "after"),
    [
        ("attendees: []\nagenda: []\n", ["a", "b"], "attendees:\n- a\n- b\nagenda: []\n"),
        ("attendees: [a]  # 参会\n", ["b", "c"], "attendees: [b, c]  # 参会\n"),
        ("attendees:\n  - a\n  - b\nheard: []\n", ["c"], "attendees:\n  - c\nheard: []\n"),
        ("attendees:\n  - a\n  - b  # 注\nheard: []\n", [], "attendees: []  # 注\nheard: []\n"),
        ("attendees: null\n", ["a"], "attendees:\n- a\n"),
        ("attendees:\nheard: []\n", ["a"], "attendees:\n- a\nheard: []\n"),
        ("attendees:\nheard: []\n", [], "attendees: []\nheard: []\n"),
        ("attendees: [a, b]\n", ["a", "b"], "attendees: [a, b]\n"),
    ],
)
def test_set_list_in_place(before: str, items: list[str], after: str) -> None:
    assert listed(before, items) == after


def test_a_missing_list_goes_after_its_anchor_else_at_the_end() -> None:
    before = "id: m1\nchair: 甲\nagenda:\n- 议题\n"
    assert listed(before, ["a"], after="chair") == "id: m1\nchair: 甲\nattendees:\n- a\nagenda:\n- 议题\n"
    assert listed(before, ["a"], key="heard", after="agenda") == before + "heard:\n- a\n"
    assert listed(before, [], after="nothing") == before + "attendees: []\n"


def test_a_list_of_mappings_is_not_a_list_of_values() -> None:
    with pytest.raises(LxError, match="不是简单值的列表"):
        listed("attendees:\n- {id: a}\n", ["b"])


# --- properties over generated files ---------------------------------------------------------------

WORDS = st.text(alphabet=st.characters(whitelist_categories=("L", "N", "P", "S", "Zs")), min_size=1, max_size=12)
IDS = st.from_regex(r"[a-z][a-z0-9]{0,6}", fullmatch=True)
DATES = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))


@st.composite
def items(draw: st.DrawFn) -> dict[str, Any]:
    item: dict[str, Any] = {"text": draw(WORDS)}
    if draw(st.booleans()):
        item["lead"] = draw(IDS)
        item["due"] = draw(DATES)
    return item


@st.composite
def meeting_files(draw: st.DrawFn) -> tuple[str, str, str]:
    """(text, the list's text, the newline): a meeting with ``decisions`` in one of its shapes."""
    nl = draw(st.sampled_from(["\n", "\r\n"]))
    head = f"# 会议{nl}id: m1{nl}status: held{nl}"
    shape = draw(st.sampled_from(["block", "block", "flow", "empty", "null", "bare", "missing"]))
    indent = " " * draw(st.sampled_from([0, 2, 4]))
    body = ""
    if shape == "block":
        for existing in draw(st.lists(items(), min_size=1, max_size=3)):
            values = {k: yamlio.scalar_text(v) for k, v in existing.items()}
            if draw(st.booleans()):
                flow = ", ".join(f"{k}: {yamlio.scalar_text(v, flow=True)}" for k, v in existing.items())
                body += f"{indent}- {{{flow}}}"
            else:
                body += f"{indent}- " + f"{nl}{indent}  ".join(f"{k}: {v}" for k, v in values.items())
            body += draw(st.sampled_from(["", "  # 注释"])) + nl
        body = f"decisions:{nl}{body}"
    elif shape == "flow":
        body = f"decisions: [{{text: 甲}}]{nl}"
    elif shape != "missing":
        body = {"empty": "decisions: []", "null": "decisions: null", "bare": "decisions:"}[shape] + nl
    tail = draw(st.sampled_from(["", f"# 结尾{nl}", f"reviewed: [方案]{nl}", f"heard:{nl}- alpha{nl}"]))
    return head + body + tail, body, nl


@settings(max_examples=150, deadline=None)
@given(meeting_files(), items(), st.booleans())
def test_append_keeps_every_other_byte_and_reads_back(
    generated: tuple[str, str, str], item: dict[str, Any], bom: bool
) -> None:
    text, body, _nl = generated
    raw = ("\ufeff" if bom else "").encode() + text.encode("utf-8")
    out = append_item(raw, "decisions", item, REL)
    before, after = yamlio.parse(raw).data, yamlio.parse(out).data
    assert after == {**before, "decisions": [*(before.get("decisions") or []), item]}
    assert out.startswith(b"\xef\xbb\xbf") == bom
    # the bytes outside the list stay; a non-empty block list only gains the new item's lines
    old, new = raw.decode("utf-8"), out.decode("utf-8")
    start = old.index(body) if body else len(old)
    end = start + len(body)
    assert new.startswith(old[:start]) and new.endswith(old[end:]) and len(new) >= start + len(old) - end
    if body.startswith("decisions:") and "- " in body:
        kept = len(_common_prefix(old, new)) + len(_common_prefix(old[::-1], new[::-1]))
        assert kept >= len(old)  # the old text, with the new lines inserted at one place


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(["attendees: []", "attendees: [x, y]", "attendees:\n  - x\n  - y", "attendees: null", ""]),
    st.lists(IDS, max_size=4),
)
def test_set_list_reads_back_and_keeps_the_rest(shape: str, values: list[str]) -> None:
    text = f"id: m1\nchair: 甲\n{shape}\nagenda:\n- 议题  # 注\n".replace("\n\n", "\n")
    out = set_list(text.encode(), "attendees", values, REL, after="chair").decode()
    before = yamlio.parse(text.encode()).data
    assert yamlio.parse(out.encode()).data == {**before, "attendees": values}
    assert out.startswith("id: m1\nchair: 甲\n") and out.endswith("agenda:\n- 议题  # 注\n")

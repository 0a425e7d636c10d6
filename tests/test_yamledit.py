"""`repo/yamledit.set_mapping`: one top-level mapping of a record file set in place, every other byte kept.

Example tests for each kind of edit (replace a value keeping its quoting, delete a key, insert a key, in
block and flow mappings; a null or missing value; CRLF; a BOM; comments), then a Hypothesis property over
generated unit files: only the edited mapping's span changes, and the result reads back as exactly the
intended data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from laoxiao_cli.errors import LxError
from laoxiao_cli.repo import yamlappend, yamlio
from laoxiao_cli.repo.yamledit import (
    PERSON_KEYS,
    add_value,
    append_item,
    replace_scalars,
    set_item,
    set_mapping,
    set_values,
)


def edit(text: str, new: dict[str, Any], key: str = "liaison") -> str:
    return set_mapping(text.encode("utf-8"), key, new, "data/units/alpha.yaml").decode("utf-8")


# --- replacing a value ----------------------------------------------------------------------------


def test_replace_keeps_each_values_quoting() -> None:
    before = "member:\n  name: \"张一\"\n  title: '甲局局长'\n  section: 办公室\n"
    after = edit(before, {"name": "赵六", "title": "副局长", "section": "综合科"}, key="member")
    assert after == "member:\n  name: \"赵六\"\n  title: '副局长'\n  section: 综合科\n"


def test_replace_in_a_flow_mapping_keeps_quoting_and_spacing() -> None:
    before = "member: { name: \"张一\",  title: '甲局局长' }  # 成员\n"
    after = edit(before, {"name": "赵六", "title": "甲局局长"}, key="member")
    assert after == "member: { name: \"赵六\",  title: '甲局局长' }  # 成员\n"


def test_a_plain_value_that_would_read_back_differently_is_quoted() -> None:
    before = "liaison:\n  name: 李二\n  phone: 无\n"
    after = edit(before, {"name": "李二", "phone": "13800138000"})  # plain, it would be a number
    assert after == 'liaison:\n  name: 李二\n  phone: "13800138000"\n'
    flow = edit("liaison: {name: 李二, title: 科长}\n", {"name": "李二", "title": "科长, 副主任"})
    assert flow == 'liaison: {name: 李二, title: "科长, 副主任"}\n'  # a comma would end the flow value


def test_a_single_quoted_value_with_a_quote_stays_single_quoted() -> None:
    after = edit("liaison:\n  name: '李二'\n", {"name": "O'Neil"})
    assert after == "liaison:\n  name: 'O''Neil'\n"


def test_an_unchanged_mapping_is_left_byte_identical() -> None:
    before = "liaison:   # 联络员\n    name:   李二    # 现任\n    phone: '0577-1234567'\n"
    assert edit(before, {"name": "李二", "phone": "0577-1234567", "email": None}) == before


# --- deleting a key -------------------------------------------------------------------------------


def test_delete_in_a_block_mapping_removes_the_whole_line_and_keeps_comment_lines() -> None:
    before = (
        "liaison:\n"
        "  name: 李二      # 现任联络员\n"
        "  # 电话见通讯录\n"
        '  phone: "0577-1234567"   # 办公电话\n'
        "  title: 科长\n"
        "reports: true\n"
    )
    after = edit(before, {"name": "李二", "title": "科长"})
    assert after == "liaison:\n  name: 李二      # 现任联络员\n  # 电话见通讯录\n  title: 科长\nreports: true\n"


def test_delete_the_last_pair_of_a_block_mapping() -> None:
    before = "liaison:\n  name: 李二\n  phone: '1'\nreports: true\n"
    assert edit(before, {"name": "李二"}) == "liaison:\n  name: 李二\nreports: true\n"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("{phone: '1', name: 李二, title: 科长}", "{name: 李二, title: 科长}"),  # first: up to the next key
        ("{name: 李二, phone: '1', title: 科长}", "{name: 李二, title: 科长}"),  # middle
        ("{name: 李二, title: 科长, phone: '1'}", "{name: 李二, title: 科长}"),  # last: from the comma before
        ("{ name: 李二 ,  phone: '1' , title: 科长 }", "{ name: 李二 ,  title: 科长 }"),
        ("{name: 李二, phone: '1', email: a@b.c, title: 科长}", "{name: 李二, title: 科长}"),  # two at once
    ],
)
def test_delete_in_a_flow_mapping(before: str, after: str) -> None:
    assert edit(f"id: alpha\nliaison: {before}  # 联络员\n", {"name": "李二", "title": "科长"}) == (
        f"id: alpha\nliaison: {after}  # 联络员\n"
    )


# --- inserting a key ------------------------------------------------------------------------------


def test_insert_after_the_last_pair_of_a_block_mapping_at_its_indentation() -> None:
    before = "liaison:\n    name: 李二   # 现任\n    title: 科长  # 职务\n# 以下为职责\nduties: []\n"
    after = edit(before, {"name": "李二", "title": "科长", "phone": "0577-1234567"})
    assert after == (
        "liaison:\n    name: 李二   # 现任\n    title: 科长  # 职务\n    phone: 0577-1234567\n# 以下为职责\nduties: []\n"
    )


def test_insert_into_a_block_mapping_at_the_end_of_a_file_without_a_final_newline() -> None:
    assert (
        edit("liaison:\n  name: 李二", {"name": "李二", "title": "科长"}) == "liaison:\n  name: 李二\n  title: 科长\n"
    )


def test_insert_after_the_last_pair_of_a_flow_mapping() -> None:
    before = "liaison: {name: 李二, title: 科长}  # 联络员\nreports: true\n"
    after = edit(before, {"name": "李二", "title": "科长", "email": "li2@example.org"})
    assert after == "liaison: {name: 李二, title: 科长, email: li2@example.org}  # 联络员\nreports: true\n"


def test_replace_delete_and_insert_together() -> None:
    before = "liaison:\n  name: 李二  # 旧\n  section: 综合科\n  phone: '1'\n"
    after = edit(before, {"name": "王五", "title": "科长", "phone": "2"})
    assert after == "liaison:\n  name: 王五  # 旧\n  phone: '2'\n  title: 科长\n"


# --- a null or missing value ------------------------------------------------------------------------


@pytest.mark.parametrize("null", ["null", "~", "Null", ""])
def test_a_null_value_becomes_a_flow_mapping(null: str) -> None:
    spaced = f" {null}" if null else ""
    before = f"id: beta\nliaison:{spaced}  # 尚未指定\nreports: true\n"
    after = edit(before, {"name": "钱七", "phone": "13800138000", "title": None})
    assert after == 'id: beta\nliaison: {name: 钱七, phone: "13800138000"}  # 尚未指定\nreports: true\n'


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("id: beta\nreports: true\n", "id: beta\nreports: true\nliaison: {name: 钱七}\n"),
        ("id: beta\nreports: true", "id: beta\nreports: true\nliaison: {name: 钱七}\n"),
        ("id: beta\r\nreports: true", "id: beta\r\nreports: true\r\nliaison: {name: 钱七}\r\n"),
    ],
)
def test_a_missing_key_is_appended_at_the_end(before: str, after: str) -> None:
    assert edit(before, {"name": "钱七"}) == after


# --- line endings, BOM, comments ------------------------------------------------------------------


def test_crlf_file_keeps_crlf_everywhere() -> None:
    before = (
        "# 甲局\r\nliaison:\r\n  name: 李二  # 现任\r\n  phone: '1'\r\n  # 备注\r\n  title: 科长\r\nreports: true\r\n"
    )
    after = edit(before, {"name": "王五", "title": "科长", "email": "w5@example.org"})
    assert after == (
        "# 甲局\r\nliaison:\r\n  name: 王五  # 现任\r\n  # 备注\r\n  title: 科长\r\n  email: w5@example.org\r\nreports: true\r\n"
    )
    assert after.count("\n") == after.count("\r\n")


def test_crlf_flow_mapping() -> None:
    before = "id: alpha\r\nmember: {name: 张一, title: '甲局局长'}\r\nreports: true\r\n"
    after = edit(before, {"name": "赵六", "title": "甲局局长", "phone": "1"}, key="member")
    assert after == "id: alpha\r\nmember: {name: 赵六, title: '甲局局长', phone: \"1\"}\r\nreports: true\r\n"


def test_a_bom_is_kept() -> None:
    raw = "\ufeffliaison:\n  name: 李二\n".encode()
    assert set_mapping(raw, "liaison", {"name": "王五"}, "x.yaml") == "\ufeffliaison:\n  name: 王五\n".encode()


def test_comments_everywhere_are_kept() -> None:
    before = (
        "# 甲局：测试单位（注释必须保留）\n"
        "id: alpha   # 编号\n"
        "name: 甲局\n"
        "member: {name: \"张一\", title: '甲局局长'}  # 成员\n"
        "# 联络员：\n"
        "liaison:    # 见通知\n"
        "  # 第一行注释\n"
        "  name: 李二      # 现任联络员\n"
        "  title: 科长\n"
        "\n"
        "  # 第二行注释\n"
        '  phone: "0577-1234567"\n'
        "# 职责\n"
        "duties:\n"
        "  - {id: alpha.1, text: 负责甲事。}  # 一\n"
    )
    after = edit(before, {"name": "王五", "title": "科长"})
    assert after == before.replace("  name: 李二      #", "  name: 王五      #").replace(
        '  phone: "0577-1234567"\n', ""
    )


# --- refusals -------------------------------------------------------------------------------------


def test_refuses_a_file_that_is_not_a_mapping() -> None:
    with pytest.raises(LxError, match="文件顶层不是映射"):
        set_mapping(b"- a\n- b\n", "liaison", {"name": "王五"}, "data/units/x.yaml")


def test_refuses_a_value_that_is_a_list() -> None:
    with pytest.raises(LxError, match="`liaison` 不是映射"):
        edit("liaison: [李二]\n", {"name": "王五"})


# --- found by these tests: not yet right (strict: they fail loudly once fixed) ----------------------


def test_several_inserted_keys_keep_the_person_order() -> None:
    after = edit("liaison:\n  name: 李二\n", {"name": "李二", "phone": "1", "email": "a@b.c"})
    assert after == 'liaison:\n  name: 李二\n  phone: "1"\n  email: a@b.c\n'


def test_replacing_every_key_of_a_flow_mapping() -> None:
    assert edit("liaison: {title: 科长}\n", {"name": "王五"}) == "liaison: {name: 王五}\n"


def test_delete_and_insert_at_the_end_of_a_file_without_a_final_newline() -> None:
    after = edit("liaison:\n  name: 李二\n  title: 科长", {"name": "李二", "phone": "1"})
    assert after == 'liaison:\n  name: 李二\n  phone: "1"\n'


def test_delete_in_a_flow_mapping_over_several_lines() -> None:
    before = "liaison: {\n  name: 李二,\n  phone: '1',\n  title: 科长\n}\n"
    assert edit(before, {"name": "李二", "title": "科长"}) == "liaison: {\n  name: 李二,\n  title: 科长\n}\n"


def test_delete_the_last_two_pairs_of_a_flow_mapping() -> None:
    # e.g. a handover to a successor without --phone and --email, in a unit file written in flow style
    before = 'liaison: {name: 李二, title: 科长, phone: "1", email: a@b.c}\n'
    assert edit(before, {"name": "王五", "title": "科长"}) == "liaison: {name: 王五, title: 科长}\n"


@pytest.mark.parametrize("value", ["?待定", "?0", ":x", "0:?"])
def test_values_plain_in_block_context_but_not_in_a_flow_mapping(value: str) -> None:
    after = edit("liaison: {name: 李二}\n", {"name": "李二", "title": value})
    assert yamlio.parse(after.encode()).data == {"liaison": {"name": "李二", "title": value}}


# --- the property -----------------------------------------------------------------------------------

TEXT = st.characters(codec="utf-8", categories=["L", "N", "P", "S", "Zs"])
VALUES = st.one_of(
    st.text(TEXT, max_size=12),
    st.sampled_from(
        [
            "李二",
            "13800138000",
            "0577-1234567",
            "yes",
            "null",
            "~",
            "2022-11-01",
            "1e3",
            "a: b",
            "a #b",
            "#c",
            "'q'",
            '"dq"',
            "科长, 副主任",
            "[x]",
            "{y}",
            "@ouhai/office",
            "*a",
            "&b",
            "!t",
            "- a",
            " 前有空格",
            "后有空格 ",
            "",
        ]
    ),
)


def _reads_back_in_a_flow_mapping(value: str) -> bool:
    text = yamlio.scalar_text(value, flow=True)
    try:
        return yamlio.parse(f"k: {{f: {text}}}".encode()).data == {"k": {"f": value}}
    except yamlio.ParseError:
        return False


# yamlio.scalar_text(flow=True) checks a plain value in block context only, so some values (a leading
# `?` or `:`, `0:?`) are left plain in a flow mapping, where they do not read back: a known defect, see
# test_values_plain_in_block_context_but_not_in_a_flow_mapping. Once fixed, this filter keeps every value.
VALUES = VALUES.filter(_reads_back_in_a_flow_mapping)
COMMENTS = st.text(TEXT, max_size=10).map(lambda text: f"# {text}".rstrip())
NEWLINES = st.sampled_from(["\n", "\r\n"])


def plain_ok(value: str, flow: bool) -> bool:
    """Whether ``value`` written plain, in this context, reads back as itself."""
    if not value or value != value.strip() or (flow and any(c in value for c in ",[]{}#")) or " #" in value:
        return False
    if not flow:
        try:
            return yaml.safe_load(f"k:\n  f: {value}\n") == {"k": {"f": value}}
        except yaml.YAMLError:
            return False
    # in a flow mapping, followed by `}` or by a separator with a space before it (as the generator writes
    # them), read by libyaml as lx reads files: `-` reads back before `}`, but `- ,` is a sequence entry
    for document in (f"k: {{f: {value}}}", f"k: {{f: {value} , g: 1}}", f"k: {{f: {value}, g: 1}}"):
        try:
            if yamlio.parse(document.encode()).data.get("k", {}).get("f") != value:
                return False
        except yamlio.ParseError:
            return False
    return True


def quoted(value: str, style: str, flow: bool) -> str:
    if style == "plain" and plain_ok(value, flow):
        return value
    if style == "single":
        return "'" + value.replace("'", "''") + "'"
    return json.dumps(value, ensure_ascii=False)


@dataclass(frozen=True)
class Pair:
    field: str
    lead: str  # the text before the value: indentation, key, colon, spaces
    value: str  # the value as written
    tail: str  # after the value: spaces and an end-of-line comment


@dataclass(frozen=True)
class Unit:
    """A generated unit file: ``before`` + ``region`` (the edited key's text) + ``after``."""

    before: str
    region: str
    after: str
    form: str  # block | flow | null | absent
    key: str
    comment: str  # the end-of-line comment after `key:` (or after a flow mapping's `}`)
    data: dict[str, Any]  # what the file holds
    items: tuple[Pair | str, ...]  # block: the region's lines after the key's (pairs, comment or blank lines)
    newline: str
    bom: bool

    @property
    def raw(self) -> bytes:
        return ("\ufeff" if self.bom else "").encode() + (self.before + self.region + self.after).encode()


@st.composite
def person(draw: st.DrawFn) -> dict[str, str]:
    """An existing person: always a name, then some of the other fields, in any order."""
    others = draw(st.lists(st.sampled_from(PERSON_KEYS[1:]), unique=True))
    fields = draw(st.permutations(["name", *others]))
    return {field: draw(VALUES) for field in fields}


@st.composite
def units(draw: st.DrawFn) -> Unit:
    nl = draw(NEWLINES)
    key = draw(st.sampled_from(["member", "liaison"]))
    other = "liaison" if key == "member" else "member"
    form = draw(st.sampled_from(["block", "flow", "null", "absent"]))
    comment = draw(st.one_of(st.just(""), COMMENTS.map(lambda c: "  " + c)))
    current: Any = None
    items: list[Pair | str] = []
    if form == "block":
        current = draw(person())
        indent = draw(st.sampled_from(["  ", "    "]))
        for field, value in current.items():
            for _ in range(draw(st.integers(0, 1))):
                items.append(draw(st.one_of(st.just(""), COMMENTS, COMMENTS.map(lambda c, i=indent: i + c))))
            style = draw(st.sampled_from(["plain", "single", "double"]))
            lead = f"{indent}{field}:{draw(st.sampled_from([' ', '   ']))}"
            tail = draw(st.sampled_from(["", "  ", "   "])) + draw(st.one_of(st.just(""), COMMENTS))
            if tail and not tail.startswith(" "):
                tail = " " + tail
            items.append(Pair(field, lead, quoted(value, style, flow=False), tail))
        for _ in range(draw(st.integers(0, 1))):  # a comment after the last pair
            items.append(draw(st.one_of(COMMENTS, COMMENTS.map(lambda c, i=indent: i + c))))
        region = f"{key}:{comment}{nl}" + "".join(
            (f"{i.lead}{i.value}{i.tail}" if isinstance(i, Pair) else i) + nl for i in items
        )
    elif form == "flow":
        current = draw(person())
        inner = draw(st.sampled_from(["", " "]))
        separator = draw(st.sampled_from([", ", ",", " , ", ",  "]))
        pairs = [
            f"{f}:{draw(st.sampled_from([' ', '  ']))}"
            f"{quoted(v, draw(st.sampled_from(['plain', 'single', 'double'])), flow=True)}"
            for f, v in current.items()
        ]
        region = f"{key}: {{{inner}{separator.join(pairs)}{inner}}}{comment}{nl}"
        items = [Pair(f, p, "", "") for f, p in zip(current, pairs, strict=True)]  # lead: the whole pair
    elif form == "null":
        region = f"{key}:{draw(st.sampled_from([' null', ' ~', '', ' Null']))}{comment}{nl}"
    else:
        region = ""
    entries = [
        f"name: {quoted(draw(VALUES), 'double', False)}{nl}",
        f"aliases: [甲局全称]{draw(st.sampled_from(['', '   # 别名']))}{nl}",
        f"kind: department{nl}",
        f"{other}: {{name: 张一, title: '甲局局长'}}{nl}",
        f"reports: true{nl}",
        f"duties:{nl}  - {{id: alpha.1, text: 负责甲事。}}{nl}  # 职责{nl}  - id: alpha.2{nl}    text: 负责乙事。{nl}",
    ]
    at = draw(st.integers(0, len(entries))) if region else len(entries)
    before = "".join(c + nl for c in draw(st.lists(COMMENTS, max_size=2))) + f"id: alpha{nl}"
    after = ""
    for n, entry in enumerate(entries):
        text = "".join(c + nl for c in draw(st.lists(COMMENTS, max_size=1))) + entry
        if n < at:
            before += text
        else:
            after += text
    if (after or not region) and draw(st.booleans()):  # no final newline (unless the edited key is last)
        if after:
            after = after[: -len(nl)]
        else:
            before = before[: -len(nl)]
    data = yamlio.parse((before + region + after).encode()).data
    assert data.get(key) == current  # the generator wrote what it meant to
    return Unit(before, region, after, form, key, comment, data, tuple(items), nl, draw(st.booleans()))


@st.composite
def new_people(draw: st.DrawFn) -> dict[str, str | None]:
    """The mapping to set: a name, and some other fields, each a value or None (to remove it)."""
    others = draw(st.lists(st.sampled_from(PERSON_KEYS[1:]), unique=True))
    return {"name": draw(VALUES), **{f: draw(st.one_of(st.none(), VALUES)) for f in others}}


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


@settings(max_examples=400, deadline=None)
@given(unit=units(), new=new_people())
def test_set_mapping_changes_only_the_edited_mapping_and_reads_back_as_intended(
    unit: Unit, new: dict[str, str | None]
) -> None:
    wanted = {k: v for k, v in new.items() if v is not None}
    fields = [i.field for i in unit.items if isinstance(i, Pair)]
    # a known defect, see test_delete_the_last_two_pairs_of_a_flow_mapping
    assume(not (unit.form == "flow" and len(fields) > 1 and not {*fields[-2:]} & {*wanted}))
    if not _pure_parser_reads(unit.raw):  # valid data that cannot be edited in place (`{name: 0?}`)
        with pytest.raises(LxError, match=r"^data/units/alpha\.yaml:\d+:\d+: 此处的写法 lx 无法逐字修改"):
            set_mapping(unit.raw, unit.key, new, "data/units/alpha.yaml")
        return
    out = set_mapping(unit.raw, unit.key, new, "data/units/alpha.yaml")

    # 1. every byte before and after the edited key's text is unchanged
    bom = b"\xef\xbb\xbf" if unit.bom else b""
    before, after = bom + unit.before.encode(), unit.after.encode()
    assert out.startswith(before) and out.endswith(after) and len(out) >= len(before) + len(after)
    middle = out[len(before) : len(out) - len(after)].decode("utf-8")

    # 2. it reads back as exactly the intended data, top-level keys in the same order
    data = yamlio.parse(out).data
    intended = {**unit.data, unit.key: wanted}
    assert data == intended
    assert list(data) == list(intended)
    current = unit.data.get(unit.key) or {}
    kept = [f for f in current if f in wanted]
    assert list(data[unit.key]) == kept + [f for f in data[unit.key] if f not in current]

    # 3. inside the edited text, only the values that change, the deleted pairs and the new pairs differ
    nl = unit.newline
    if unit.form in ("null", "absent"):
        sep = "" if unit.form == "null" or not unit.before or unit.before.endswith("\n") else nl
        if unit.form == "null":  # the null replaced by a flow mapping, the comment kept
            assert middle.startswith(f"{unit.key}: {{") and middle.endswith(f"}}{unit.comment}{nl}")
        else:
            assert middle.startswith(f"{sep}{unit.key}: {{") and middle.endswith(f"}}{nl}")
        assert middle.count("\n") == (2 if sep else 1)
    elif unit.form == "flow":
        head = unit.region[: unit.region.index("{") + 1]
        assert middle.startswith(head)
        tail = unit.region[unit.region.rindex("}") :]
        assert middle.endswith(tail)
        position = 0
        for pair in unit.items:
            assert isinstance(pair, Pair)
            if pair.field not in wanted:
                continue
            text = pair.lead if current[pair.field] == wanted[pair.field] else pair.lead[: pair.lead.index(":") + 1]
            found = middle.find(text, position)
            assert found >= 0, (text, middle)
            position = found + len(text)
        assert middle.count("\n") == 1
    else:
        lines = _lines(middle)
        assert lines.pop(0) == _lines(unit.region)[0]  # `key:` and its comment
        kept_pairs = [n for n, item in enumerate(unit.items) if isinstance(item, Pair) and item.field in wanted]
        first_pair = min(n for n, item in enumerate(unit.items) if isinstance(item, Pair))
        # new pairs follow the last pair that stays (before the first pair when none stays)
        last_pair = kept_pairs[-1] if kept_pairs else None
        order = [*PERSON_KEYS, *(f for f in wanted if f not in PERSON_KEYS)]
        inserted = [f for f in order if f in wanted and f not in current]
        for n, item in enumerate(unit.items):
            if last_pair is None and n == first_pair and inserted:
                indent = item.lead[: len(item.lead) - len(item.lead.lstrip(" "))]  # type: ignore[union-attr]
                added = [lines.pop(0) for _ in inserted]
                assert [line.split(":")[0] for line in added] == [f"{indent}{f}" for f in inserted]
            if isinstance(item, str):
                assert lines.pop(0) == item + nl
            elif item.field in wanted:
                line = lines.pop(0)
                if current[item.field] == wanted[item.field]:
                    assert line == f"{item.lead}{item.value}{item.tail}{nl}"
                else:  # only the value differs
                    assert line.startswith(item.lead) and line.endswith(f"{item.tail}{nl}")
                    assert len(line) > len(item.lead) + len(item.tail) + len(nl)
            if n == last_pair:  # new pairs come right after the last pair, at its indentation
                indent = item.lead[: len(item.lead) - len(item.lead.lstrip(" "))]
                added = [lines.pop(0) for _ in inserted]
                assert [line.split(":")[0] for line in added] == [f"{indent}{f}" for f in inserted]  # in order
                assert all(line.endswith(nl) and line.count("\n") == 1 for line in added)
        assert lines == []


# --- add_value, append_item, set_item: keys added to a record, items of its top-level lists -----------

TASK = "id: t1\ndue: 2022-09-30\nmilestones:\n  - {name: 调研, due: 2022-08-15}\nstatus: open   # 在办\nweight: 2\n"
EXT = {"requested": date(2022, 9, 20), "new_due": date(2022, 10, 31), "reason": "接口未开放", "approved": None}
EXT_TEXT = "{requested: 2022-09-20, new_due: 2022-10-31, reason: 接口未开放, approved: null}"


def _s(raw: bytes) -> str:
    return raw.decode("utf-8")


def test_add_value_goes_after_the_first_anchor_the_file_has() -> None:
    out = add_value(
        TASK.encode(), "cancelled", {"date": date(2022, 11, 1), "reason": "并入 t2"}, "x", ("done", "status")
    )
    assert _s(out) == TASK.replace("# 在办\n", "# 在办\ncancelled: {date: 2022-11-01, reason: 并入 t2}\n")


def test_add_value_after_a_block_value_and_at_the_end() -> None:
    block = "id: t1\nmilestones:\n- name: 调研\n  due: 2022-08-15   # 节点\n# 以下为状态\nstatus: open"
    out = add_value(block.encode(), "key", True, "x", ("milestones",))
    assert _s(out) == block.replace("# 节点\n", "# 节点\nkey: true\n")
    assert _s(add_value(block.encode(), "weight", 2, "x", ("nothing",))) == block + "\nweight: 2\n"
    assert _s(add_value(b"id: t1\r\nstatus: open\r\n", "weight", 2, "x")) == "id: t1\r\nstatus: open\r\nweight: 2\r\n"


def test_add_value_after_a_block_scalar() -> None:
    text = "id: t1\ntarget: |\n  第一行\n  第二行\nstatus: open\n"
    out = add_value(text.encode(), "key", True, "x", ("target",))
    assert _s(out) == text.replace("第二行\n", "第二行\nkey: true\n")


def test_add_value_refuses_a_key_the_file_has() -> None:
    with pytest.raises(LxError, match="已有 `status`"):
        add_value(TASK.encode(), "status", "done", "x")


def test_append_item_creates_the_list_in_the_specs_style() -> None:
    out = append_item(TASK.encode(), "extensions", EXT, "x", ("done", "status"))
    assert _s(out) == TASK.replace("# 在办\n", f"# 在办\nextensions:\n  - {EXT_TEXT}\n")


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # one flow mapping a line, at the dash's column, before a following comment line
        (
            "extensions:\n  - {requested: 2022-09-01, new_due: 2022-09-30, reason: 甲}  # 一\n  # 注\nweight: 2\n",
            f"extensions:\n  - {{requested: 2022-09-01, new_due: 2022-09-30, reason: 甲}}  # 一\n  - {EXT_TEXT}\n"
            "  # 注\nweight: 2\n",
        ),
        # block mappings, as the bundled data writes lists (dash at column 0)
        (
            "extensions:\n- requested: 2022-09-01\n  reason: 甲\nweight: 2\n",
            "extensions:\n- requested: 2022-09-01\n  reason: 甲\n- requested: 2022-09-20\n  new_due: 2022-10-31\n"
            "  reason: 接口未开放\n  approved: null\nweight: 2\n",
        ),
        (
            "extensions:\n    -   requested: 2022-09-01\n        reason: 甲",
            "extensions:\n    -   requested: 2022-09-01\n        reason: 甲\n    -   requested: 2022-09-20\n"
            "        new_due: 2022-10-31\n        reason: 接口未开放\n        approved: null\n",
        ),
        ("extensions: []  # 无\n", f"extensions: [{EXT_TEXT}]  # 无\n"),
        ("extensions: [{reason: 甲}]\n", f"extensions: [{{reason: 甲}}, {EXT_TEXT}]\n"),
        ("extensions: null\n", f"extensions: [{EXT_TEXT}]\n"),
        ("extensions:   # 无\n", f"extensions: [{EXT_TEXT}]   # 无\n"),
        ("extensions:\r\n  - {reason: 甲}\r\n", f"extensions:\r\n  - {{reason: 甲}}\r\n  - {EXT_TEXT}\r\n"),
    ],
)
def test_append_item_writes_like_the_last_item(before: str, after: str) -> None:
    assert _s(append_item(before.encode(), "extensions", EXT, "x")) == after


def test_append_item_keeps_a_bom_and_quotes_what_needs_it() -> None:
    raw = "\ufeffid: t1\n".encode()
    out = append_item(raw, "extensions", {**EXT, "reason": "待定: 省级, 市级"}, "x")
    assert _s(out).startswith("\ufeffid: t1\nextensions:\n  - {requested: 2022-09-20")
    assert yamlio.parse(out).data["extensions"][0]["reason"] == "待定: 省级, 市级"


@pytest.mark.parametrize("text", ["extensions: 甲\n", "extensions: {a: 1}\n", "extensions:\n  a: 1\n"])
def test_append_item_refuses_what_is_not_a_list(text: str) -> None:
    with pytest.raises(LxError, match="不是列表"):
        append_item(text.encode(), "extensions", EXT, "x")


def test_set_item_in_a_flow_item_replaces_inserts_and_deletes() -> None:
    text = f"id: t1\nextensions:\n  - {{reason: 甲, approved: 2022-09-02}}\n  - {EXT_TEXT}   # 待定\nweight: 2\n"
    approved = set_item(text.encode(), "extensions", -1, {"approved": date(2022, 9, 25), "by": "组长甲"}, "x")
    assert _s(approved) == text.replace("approved: null}", "approved: 2022-09-25, by: 组长甲}")
    refused = set_item(text.encode(), "extensions", 1, {"approved": None, "refused": date(2022, 9, 25)}, "x")
    assert _s(refused) == text.replace("approved: null}", "refused: 2022-09-25}")


def test_set_item_in_a_block_item() -> None:
    text = "milestones:\n- name: 调研\n  due: 2022-08-15   # 节点一\n- name: 试点\n  due: 2022-09-15\nstatus: open\n"
    out = set_item(text.encode(), "milestones", 0, {"done": date(2022, 8, 10)}, "x")
    assert _s(out) == text.replace("# 节点一\n", "# 节点一\n  done: 2022-08-10\n")
    out = set_item(out, "milestones", 0, {"done": date(2022, 8, 11)}, "x")
    assert _s(out) == text.replace("# 节点一\n", "# 节点一\n  done: 2022-08-11\n")
    end = set_item(text.rstrip("\n").removesuffix("\nstatus: open").encode(), "milestones", 1, {"done": "x"}, "x")
    assert _s(end).endswith("  due: 2022-09-15\n  done: x\n")


def test_set_item_refusals() -> None:
    text = b"milestones:\n- name: a\n  due: 2022-08-15\nlist: [1]\n"
    with pytest.raises(LxError, match="没有第 3 项"):
        set_item(text, "milestones", 2, {"done": date(2022, 8, 1)}, "x")
    with pytest.raises(LxError, match="没有第 1 项"):
        set_item(text, "nothing", 0, {"done": date(2022, 8, 1)}, "x")
    with pytest.raises(LxError, match="不是映射"):
        set_item(text, "list", 0, {"done": date(2022, 8, 1)}, "x")
    with pytest.raises(LxError, match="第一个键"):  # the line that holds the dash
        set_item(text, "milestones", 0, {"name": None}, "x")


# --- the property for lists: only the list's text changes, by exactly the new item -------------------

ITEM_KEYS = ("requested", "new_due", "reason", "approved", "refused", "by")


@st.composite
def items(draw: st.DrawFn) -> dict[str, Any]:
    keys = draw(st.lists(st.sampled_from(ITEM_KEYS), min_size=1, max_size=4, unique=True))
    dates = st.dates(date(2000, 1, 1), date(2030, 12, 31))
    return {
        k: draw(st.one_of(dates, VALUES, st.none()) if k in ("approved", "by") else st.one_of(dates, VALUES))
        for k in keys
    }


@dataclass(frozen=True)
class ListFile:
    before: str
    region: str
    after: str
    form: str  # absent | null | empty | flow | block-flow | block-block
    newline: str
    comment: str  # after `extensions:` (or after a flow list's `]`)

    @property
    def raw(self) -> bytes:
        return (self.before + self.region + self.after).encode()


def _block_pair(key: str, value: Any) -> str:
    return f"{key}: {yamlio.scalar_text(value)}"


@st.composite
def list_files(draw: st.DrawFn) -> tuple[ListFile, list[dict[str, Any]]]:
    nl = draw(NEWLINES)
    form = draw(st.sampled_from(["absent", "null", "empty", "flow", "block-flow", "block-block"]))
    current = draw(st.lists(items(), min_size=1, max_size=3)) if form in ("flow", "block-flow", "block-block") else []
    comment = draw(st.one_of(st.just(""), COMMENTS.map(lambda c: "  " + c)))
    dash = draw(st.sampled_from(["", "  ", "    "]))
    if form == "absent":
        region = ""
    elif form == "null":
        region = f"extensions:{draw(st.sampled_from([' null', ' ~', '']))}{comment}{nl}"
    elif form == "empty":
        region = f"extensions: []{comment}{nl}"
    elif form == "flow":
        region = f"extensions: [{', '.join(_flow_item(i) for i in current)}]{comment}{nl}"
    elif form == "block-flow":
        region = f"extensions:{comment}{nl}" + "".join(
            f"{dash}- {_flow_item(i)}{draw(st.one_of(st.just(''), COMMENTS.map(lambda c: '  ' + c)))}{nl}"
            for i in current
        )
    else:
        gap = draw(st.sampled_from([" ", "   "]))
        inner = " " * (len(dash) + 1 + len(gap))
        region = f"extensions:{comment}{nl}" + "".join(
            f"{dash}-{gap}" + f"{nl}{inner}".join(_block_pair(k, v) for k, v in i.items()) + nl for i in current
        )
    before = "".join(c + nl for c in draw(st.lists(COMMENTS, max_size=2))) + f"id: t1{nl}status: open{nl}"
    after = "".join(c + nl for c in draw(st.lists(COMMENTS, max_size=2))) + f"weight: 2{nl}"
    if draw(st.booleans()):
        after = after[: -len(nl)]
    return ListFile(before, region, after, form, nl, comment), current


def _flow_item(item: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{k}: {yamlio.scalar_text(v, flow=True)}" for k, v in item.items()) + "}"


@settings(max_examples=300, deadline=None)
@given(generated=list_files(), item=items())
def test_append_item_changes_only_the_list_and_adds_exactly_the_item(
    generated: tuple[ListFile, list[dict[str, Any]]], item: dict[str, Any]
) -> None:
    file, current = generated
    assert yamlio.parse(file.raw).data.get("extensions", []) in (current, None)
    out = _s(append_item(file.raw, "extensions", item, "x", ("status",)))
    data = yamlio.parse(out.encode()).data
    assert data == {**yamlio.parse(file.raw).data, "extensions": [*current, item]}
    assert list(data) == ["id", "status", "extensions", "weight"]
    assert out.startswith(file.before) and out.endswith(file.after)
    middle = out[len(file.before) : len(out) - len(file.after)]
    nl = file.newline
    if file.form == "absent":
        assert middle == f"extensions:{nl}  - {_flow_item(item)}{nl}"
    elif file.form.startswith("block"):  # the old text, then the new item's lines
        assert middle.startswith(file.region) and middle.count("\n") == file.region.count("\n") + (
            1 if file.form == "block-flow" else len(item)
        )
    else:  # one line, edited inside the brackets; the comment stays at its end
        assert (
            middle.count("\n") == 1 and middle.startswith("extensions: [") and middle.endswith(f"]{file.comment}{nl}")
        )


@settings(max_examples=300, deadline=None)
@given(generated=list_files(), data=st.data())
def test_set_item_changes_only_the_items_text(
    generated: tuple[ListFile, list[dict[str, Any]]], data: st.DataObject
) -> None:
    file, current = generated
    assume(current)
    index = data.draw(st.integers(0, len(current) - 1))
    old = current[index]
    first = next(iter(old))
    changes = data.draw(
        st.dictionaries(st.sampled_from(ITEM_KEYS), st.one_of(st.none(), VALUES, st.dates()), max_size=3)
    )
    block = file.form == "block-block"
    assume(not (block and first in changes and changes[first] is None))  # refused: that line holds the dash
    wanted = {k: v for k, v in {**old, **changes}.items() if k not in changes or v is not None}
    assume(wanted)  # an item keeps a key
    # a known defect of the flow-mapping deletion (test_delete_the_last_two_pairs_of_a_flow_mapping)
    keys = list(old)
    assume(block or not (len(keys) > 1 and all(changes.get(k, 0) is None for k in keys[-2:])))
    out = _s(set_item(file.raw, "extensions", index, changes, "x"))
    got = yamlio.parse(out.encode()).data
    assert got["extensions"] == [*current[:index], wanted, *current[index + 1 :]]
    assert out.startswith(file.before) and out.endswith(file.after)
    # the lines before and after the edited item's are unchanged
    if file.form == "flow":
        return  # one line: checked by the data and the unchanged text around it
    old_lines = _lines(file.region)
    new_lines = _lines(out[len(file.before) : len(out) - len(file.after)])
    size = [1 if file.form == "block-flow" else len(i) for i in current]
    head, tail = 1 + sum(size[:index]), sum(size[index + 1 :])
    assert new_lines[:head] == old_lines[:head]
    assert new_lines[len(new_lines) - tail :] == old_lines[len(old_lines) - tail :]
    if file.form == "block-flow":
        assert len(new_lines) == len(old_lines)


def test_set_values_keeps_other_keys_that_hold_null() -> None:
    """A planned meeting's `on_behalf_of: null` stays while `status` and `chair` are set."""
    raw = b"id: 2022-q4\nstatus: planned\nchair: null\non_behalf_of: null\n"
    out = set_values(raw, {"status": "held", "chair": "曾"}, "m.yaml")
    assert out == "id: 2022-q4\nstatus: held\nchair: 曾\non_behalf_of: null\n".encode()


def _pure_parser_reads(raw: bytes) -> bool:
    try:
        yaml.compose(raw.decode("utf-8-sig"), Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return False
    return True


@pytest.mark.parametrize(
    "edit",
    [
        lambda raw, rel: set_mapping(raw, "member", {"name": "王五"}, rel),
        lambda raw, rel: set_values(raw, {"name": "乙局"}, rel),
        lambda raw, rel: add_value(raw, "note", "备注", rel),
        lambda raw, rel: append_item(raw, "duties", {"id": "alpha.3", "text": "负责丙事。"}, rel),
        lambda raw, rel: set_item(raw, "duties", 0, {"text": "负责丁事。"}, rel),
        lambda raw, rel: replace_scalars(raw, [("member", "name")], {"0?": "王五"}, rel),
        lambda raw, rel: yamlappend.set_list(raw, "aliases", ["甲局全称"], rel),
    ],
)
def test_valid_data_the_exact_parser_cannot_read_is_refused_at_its_place(edit: Any) -> None:
    """libyaml reads `0?` in a flow mapping as text; PyYAML's own parser, whose marks the edits use, ends
    the scalar at "?" and refuses the mapping: an edit of such a file is a located message, not a crash."""
    raw = "id: alpha\nmember: {name: 0?}\nname: 甲局\nduties:\n  - id: alpha.1\n    text: 负责甲事。\n".encode()
    assert yamlio.parse(raw).data["member"] == {"name": "0?"}  # valid data
    assert not _pure_parser_reads(raw)
    with pytest.raises(LxError, match=r"^data/units/alpha\.yaml:2:\d+: 此处的写法 lx 无法逐字修改"):
        edit(raw, "data/units/alpha.yaml")

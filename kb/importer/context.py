"""What a copy says about itself, for `kb import` without --meeting/--year/--author-kind: the meeting
and year (from the title, the preface and the date under the title or at the signature) and its
author (a 班子 as a whole or one member, with the member's role). Each proposal says what it rests
on; one that rests on little is marked for review."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import allowed_list
from ..vocab import Meeting, Vocabulary
from .censor import uncensored
from .errors import fail
from .markers import squash
from .propose import LOW, dice


@dataclass
class Found:
    value: str
    confidence: float
    why: str

    @property
    def low(self) -> bool:
        return self.confidence < LOW


# Campaign words that name a 专题 meeting rather than a year's ordinary one.
CAMPAIGNS = ("不忘初心", "党史学习教育", "主题教育", "党纪学习教育")


def propose_year(head: str, date: str) -> Found | None:
    """The year a report is about: "2023年度" in its title or preface, else "2023年…生活会", else
    its date (a year's meetings are held from December to March: a date in January–April is about
    the year before)."""
    text = squash(head)
    match = re.search(r"(20\d\d)年度", text) or re.search(r"(20\d\d)年[^。，；]{0,30}(民主生活会|组织生活会|主题教育|专题)", text)
    if match:
        return Found(match.group(1), 0.9, f"“{match.group(0)[:30]}”")
    if date:
        year, _, rest = date.partition("-")
        month = int(rest[:2]) if rest[:2].isdigit() else 12
        about = int(year) - 1 if month <= 4 else int(year)
        return Found(str(about), 0.6, f"日期 {date} / date {date}")
    return None


def propose_meeting(head: str, year: int, vocab: Vocabulary, file: str) -> Found:
    """The meeting of that year whose kind and name the title and preface speak of."""
    text = uncensored(squash(head))
    candidates = [m for m in vocab.meetings.values() if m.year == year]
    if not candidates:
        raise fail(file, None, "unknown-meeting",
                   f"data/meetings.yml 中没有 {year} 年的会议：请用 --meeting 指定，或先按 CONTRIBUTING.md 添加该会议",
                   f"data/meetings.yml has no meeting of {year}: name one with --meeting, or add the meeting first (CONTRIBUTING.md)",
                   allowed_list(vocab.meetings))
    kinds = [kind for kind in ("组织生活会", "民主生活会") if kind in text]
    campaign = [word for word in CAMPAIGNS if word in text]

    def score(meeting: Meeting) -> float:
        value = dice(meeting.name, text[:300])
        if kinds and meeting.kind == kinds[0]:
            value += 1.0
        if campaign and any(word in squash(meeting.name) for word in campaign):
            value += 0.3
        return value

    ranked = sorted(candidates, key=lambda m: (-score(m), m.id))
    best = ranked[0]
    sure = bool(kinds) and (len(ranked) == 1 or score(ranked[1]) < score(best) - 0.2)
    why = f"{year} 年，文中提到“{kinds[0]}”" if kinds else f"{year} 年，文中没有写明会议类型 / kind of meeting not stated"
    return Found(best.id, 0.9 if sure else 0.4, why)


# An individual author speaks of 本人 and calls the report 个人对照检查 (or is named 同志 in its title);
# a 班子 speaks as 我们/班子 and its title names the 领导班子.
INDIVIDUAL = re.compile(r"个人对照检查|个人发言|个人检视剖析|个人剖析|对照检查人|个人有关事项|同志(在|的)|本人")
GROUP = re.compile(r"领导班子|党委班子|党组班子|支部委员会|班子(对照|检视|集体)")
ROLES = [  # most specific first: a 支部书记 is not a 党委书记
    ("branch-secretary", re.compile(r"作为(党)?支部书记|担任(党)?支部书记")),
    ("branch-committee-member", re.compile(r"作为(党)?支部委员|作为支委|担任(党)?支部(组织|宣传|纪检)委员")),
    ("party-secretary", re.compile(r"作为(党委|党组|党工委|县委|市委|镇党委|乡党委)?书记|作为主要负责(人|同志)|作为“一把手”|作为一把手|第一责任人")),
    ("leading-member", re.compile(r"作为(领导)?班子成员|作为分管|作为副职|分管领导")),
    ("party-member", re.compile(r"作为一名(普通)?(共产)?党员|作为(普通)?党员")),
]


def propose_author(head: str, text: str) -> Found:
    """A 班子 as a whole (group) or one member (individual)."""
    body = uncensored(squash(text))
    head = squash(head)
    individual = 4 * bool(INDIVIDUAL.search(head)) + body.count("本人") + bool(INDIVIDUAL.search(body))
    group = 3 * bool(GROUP.search(head)) + body.count("我们") + body.count("班子") // 3
    if individual <= group:
        sure = group >= 3 and individual == 0
        return Found("group", 0.9 if sure else 0.5, f"“我们/班子” {group} : “本人/个人” {individual}")
    return Found("individual", 0.9 if individual >= 3 else 0.5, f"“本人/个人” {individual} : “我们/班子” {group}")


def propose_role(text: str, meeting: Meeting | None, roles: dict) -> Found:
    """An individual author's role, from how the text names it ("作为一名党员", "作为支部书记"…)."""
    body = uncensored(squash(text))
    for role_id, pattern in ROLES:
        match = pattern.search(body)
        if match and role_id in roles:
            return Found(role_id, 0.8, f"“{match.group(0)}”")
    fallback = "party-member" if meeting is not None and meeting.kind == "组织生活会" else "leading-member"
    return Found(fallback if fallback in roles else next(iter(roles), ""), 0.3, "文中没有写明身份 / role not stated")

"""Demo residents: realistic names (rare characters and minority names too), ages, tags and
households — for `frontdesk demo` and for the benchmark's synthetic centre."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.core.actor import Actor
from frontdesk.core.errors import RuleError
from frontdesk.core.i18n import tr
from frontdesk.residents.models import HUKOU_LOCAL, HUKOU_NON_LOCAL, Resident

# Common surnames of Jinjiang / southern Fujian first, then others (多音字 surnames included).
SURNAMES = (*"陈林黄吴许王蔡李张施洪郑杨庄苏刘曾丁柯颜蒋周谢叶卢龚骆单解区仇朴查翟", "欧阳", "司马")
GIVEN = (
    "伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
    "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "志强", "建国", "淑珍", "玉兰", "金花",
    "阿妹", "碧霞", "宝珠", "清水", "文雄", "国栋", "思琪", "子涵", "梓萱", "浩然", "一诺", "雨桐",
    "堃", "喆", "昇", "玥", "䶮", "𠮷", "婷婷", "家豪", "俊杰", "丽华", "秀珠", "美玲", "荣华",
)
MINORITY_NAMES = ("阿依古丽·买买提", "古丽娜尔·艾力", "买买提·吐尔逊", "扎西·次仁", "热依拉·阿不都")
GRIDS = ("第一网格", "第二网格", "第三网格", "第四网格", "第五网格")
STREETS = ("桂山路", "梅岭路", "青阳街", "世纪大道", "竹树下巷", "安平路")
AREA_CODES = ("350582", "350582", "350582", "350521", "350583", "350181", "511002", "810000")


@dataclass(frozen=True)
class FakePerson:
    """One made-up resident (all fields as the service expects them)."""

    name: str
    sex: str
    birth_date: dt.date
    id_number: str
    phone: str
    address: str
    grid: str
    hukou: str
    household: str
    tags: tuple[str, ...]


def fake_id_number(rng: random.Random, birth: dt.date, sex: str) -> str:
    """A well-formed ID number for ``birth`` and ``sex`` (address codes vary)."""
    from frontdesk.residents.identity import _ric_check

    area = rng.choice(AREA_CODES)
    seq = rng.randrange(0, 500) * 2 + (1 if sex == "M" else 0)
    body = f"{area}{birth:%Y%m%d}{seq:03d}"
    return body + _ric_check(body)


def fake_name(rng: random.Random, surname: str | None = None) -> str:
    """A plausible name (with ``surname`` if given); about 1 in 60 is a minority name."""
    if surname is None and rng.random() < 1 / 60:
        return rng.choice(MINORITY_NAMES)
    given = rng.choice(GIVEN)
    if len(given) == 1 and rng.random() < 0.5:
        given += rng.choice(GIVEN)[0]
    return (surname or rng.choice(SURNAMES)) + given


def fake_person(rng: random.Random, today: dt.date, household: str, *, age: int | None = None,
                surname: str | None = None) -> FakePerson:
    """A resident of ``household`` (an elder, an adult or a child by ``age``)."""
    if age is None:
        age = rng.choice((rng.randint(60, 95), rng.randint(60, 95), rng.randint(18, 59),
                          rng.randint(3, 13)))
    birth = today - dt.timedelta(days=age * 365 + rng.randrange(365))
    sex = rng.choice("MF")
    name = fake_name(rng, surname)
    tags: list[str] = []
    if age >= 80:
        tags.append("高龄")
    if age >= 60 and rng.random() < 0.2:
        tags.append(rng.choice(("独居", "空巢")))
    if rng.random() < 0.06:
        tags.append(rng.choice(("低保", "特困", "低收入", "优抚", "失能", "残疾")))
    if age >= 18 and rng.random() < 0.1:
        tags.append("党员")
    if 16 <= age < 75 and rng.random() < 0.08:
        tags.append("志愿者")
    if age < 14:
        tags.append("儿童")
    phone = "" if age < 14 else f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"
    return FakePerson(
        name=name, sex=sex, birth_date=birth, id_number=fake_id_number(rng, birth, sex),
        phone=phone, address=f"{rng.choice(STREETS)}{rng.randint(1, 300)}号",
        grid=rng.choice(GRIDS), hukou=HUKOU_LOCAL if rng.random() < 0.7 else HUKOU_NON_LOCAL,
        household=household, tags=tuple(tags),
    )


def demo_residents(session: Session, actor: Actor, rng: random.Random) -> str:
    """`frontdesk demo`: about 400 residents in households, through the desk's own service."""
    from frontdesk.residents.service import ResidentForm, create_resident

    have = session.scalar(select(func.count()).select_from(Resident)) or 0
    if have >= 300:
        return tr("居民档案：已有 {n} 位居民，未再添加。", n=have)
    today = actor.today()
    created = 0
    household_no = 0
    while created < 400:
        household_no += 1
        household = f"GS{household_no:04d}"
        size = rng.choice((1, 1, 2, 2, 3, 4))
        surname = rng.choice(SURNAMES)
        for member in range(size):
            age = None if member == 0 else rng.choice((rng.randint(30, 60), rng.randint(3, 13)))
            p = fake_person(rng, today, household, age=age, surname=surname)
            form = ResidentForm(
                name=p.name, sex=p.sex, birth_date=p.birth_date, id_number=p.id_number,
                phone=p.phone, address=p.address, grid=p.grid, hukou=p.hukou,
                household=p.household, tags=p.tags, consent_general=True,
                consent_sensitive=bool(set(p.tags) & {"低保", "特困", "失能", "残疾", "低收入"}),
                consent_guardian="儿童" in p.tags,
                guardian_name=(surname + "妈妈") if "儿童" in p.tags else "",
            )
            try:
                create_resident(session, actor, form, confirm_duplicates=True, card_rng=rng)
            except RuleError:  # an unlucky repeat of a random ID number: skip that person
                continue
            created += 1
    # The rare characters the issue names, always present so screens and cards show them.
    for name in ("林堃", "王喆", "陈昇", "李玥", "刘䶮", "𠮷田花子", "阿依古丽·买买提"):
        if session.scalar(select(Resident.id).where(Resident.name == name)) is None:
            p = fake_person(rng, today, f"GS{household_no + 1:04d}", age=rng.randint(62, 90))
            create_resident(session, actor, ResidentForm(
                name=name, sex=p.sex, birth_date=p.birth_date, id_number=p.id_number,
                phone=p.phone, address=p.address, grid=p.grid, hukou=p.hukou,
                tags=p.tags, consent_general=True), confirm_duplicates=True, card_rng=rng)
            created += 1
    return tr("居民档案：已添加 {n} 位居民（{h} 户）。", n=created, h=household_no)

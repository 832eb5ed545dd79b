"""Setting up volunteering from an empty centre: what the opening checklist (开业准备) asks of
it, and the centre's details printed on every 志愿服务证明 (负责人, 联系电话, 印章文字).

Teams, categories, activities and shop items are created and edited in ``service`` and
``shop``; this module reads what is there and keeps the certificate's details.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.core import settings
from frontdesk.core.actor import Actor
from frontdesk.core.i18n import tr
from frontdesk.core.readiness import ReadinessItem
from frontdesk.core.textfields import clean_line
from frontdesk.volunteers.models import Activity, Goods, VolunteerTeam

PAGE = "volunteers"
TAB_SETUP = "teams"  # the 队伍与服务项目 tab: teams, activities, certificate details
TAB_STOCK = "stock"  # the 积分超市库存 tab: goods and their stock
HEAD_KEY = "volunteers.certificate_head"
CONTACT_KEY = "volunteers.certificate_contact"
SEAL_KEY = "volunteers.certificate_seal"
HEAD_LIMIT, CONTACT_LIMIT, SEAL_LIMIT = 50, 30, 100
LOCAL_NUMBER = re.compile(r"^\d{7,8}$")  # 88881234: a landline without its area code


@dataclass(frozen=True)
class CertificateDetails:
    """What the centre prints on its certificates besides the volunteer's own data."""

    head: str  # 负责人
    contact: str  # 联系电话
    seal: str  # 印章文字: the unit's name as it stands on the official seal

    def missing(self) -> list[str]:
        """The names of the fields a certificate should have but that are blank."""
        return [label for label, value in ((tr("负责人"), self.head),
                                           (tr("联系电话"), self.contact)) if not value]


def certificate_details(session: Session) -> CertificateDetails:
    """The certificate's details as they are now (blank when never set)."""
    return CertificateDetails(str(settings.get(session, HEAD_KEY)),
                              str(settings.get(session, CONTACT_KEY)),
                              str(settings.get(session, SEAL_KEY)))


def _check_contact(text: str) -> str:
    from frontdesk.residents.identity import MOBILE, check_phone, normalise_phone

    value = clean_line(tr("联系电话"), text, limit=CONTACT_LIMIT)
    if not value:
        return ""
    phone = normalise_phone(value)
    if MOBILE.match(phone.replace("-", "")):  # 139-0595-1234 as people write it
        return phone.replace("-", "")
    if LOCAL_NUMBER.match(phone):
        return phone
    return check_phone(value) or ""


def set_certificate_details(session: Session, actor: Actor, *, head: str | None = None,
                            contact: str | None = None,
                            seal: str | None = None) -> CertificateDetails:
    """Change the details given (None leaves a field as it is); admins only, audited.

    Every field is checked before any is stored, so a refusal changes nothing.
    """
    actor.require_admin()
    wanted: dict[str, str] = {}
    if head is not None:
        wanted[HEAD_KEY] = clean_line(tr("负责人"), head, limit=HEAD_LIMIT)
    if contact is not None:
        wanted[CONTACT_KEY] = _check_contact(contact)
    if seal is not None:
        wanted[SEAL_KEY] = clean_line(tr("印章文字"), seal, limit=SEAL_LIMIT)
    for key, value in wanted.items():
        settings.set_value(session, actor, key, value)
    return certificate_details(session)


def certificate_warning(session: Session) -> str:
    """A plain warning when a certificate would print a blank 负责人 or 联系电话 ("" if not)."""
    missing = certificate_details(session).missing()
    if not missing:
        return ""
    return tr("证明上的“{fields}”还没有填写，开出的证明这一栏会是空白的。",
              fields="”“".join(missing))


def _count(session: Session, model: type, *conditions: object) -> int:
    stmt = select(func.count()).select_from(model)
    for condition in conditions:
        stmt = stmt.where(condition)  # type: ignore[arg-type]
    return session.scalar(stmt) or 0


def readiness(session: Session) -> list[ReadinessItem]:
    """The volunteers' lines of the opening checklist.

    Service activities are what the desk needs to record hours (needed); teams, the points
    shop and the certificate's details are useful but a centre can open without them.
    """
    activities = _count(session, Activity, Activity.active.is_(True))
    teams = _count(session, VolunteerTeam, VolunteerTeam.active.is_(True))
    goods = _count(session, Goods, Goods.active.is_(True))
    stocked = _count(session, Goods, Goods.active.is_(True), Goods.stock > 0)
    missing_cert = certificate_details(session).missing()
    cert_missing = (tr("还没有填写：{what}", what=tr("、").join(missing_cert)) if missing_cert
                    else "")
    no_activity = tr("还没有服务项目和积分规则，志愿者签到、补录时长都无法记分。")
    if goods == 0:
        shop_missing = tr("积分超市还没有可兑换的物品，志愿者暂时不能用积分兑换。")
    elif stocked == 0:
        shop_missing = tr("积分超市的物品都没有库存，请先入库。")
    else:
        shop_missing = ""
    return [
        ReadinessItem("volunteers.activities", tr("志愿服务项目与积分规则"), activities > 0,
                      "" if activities else no_activity,
                      PAGE, TAB_SETUP),
        ReadinessItem("volunteers.teams", tr("志愿服务队"), teams > 0,
                      "" if teams else tr("还没有志愿服务队（志愿者也可以先不分队）。"),
                      PAGE, TAB_SETUP, needed=False),
        ReadinessItem("volunteers.shop", tr("积分超市的物品"), not shop_missing, shop_missing, PAGE,
                      TAB_STOCK, needed=False),
        ReadinessItem("volunteers.certificate", tr("志愿服务证明信息"), not missing_cert,
                      cert_missing,
                      PAGE, TAB_SETUP, needed=False),
    ]


def has_activities(session: Session) -> bool:
    """Whether any service activity can be chosen (the desk cannot record hours without)."""
    return _count(session, Activity, Activity.active.is_(True)) > 0


def has_goods(session: Session) -> bool:
    """Whether the points shop has any item on its shelf."""
    return _count(session, Goods, Goods.active.is_(True)) > 0

"""The town's services: set-up, centres, town admins, working inside a centre, export.

A town database is a PostgreSQL database with the registry in schema ``town`` and one
schema ``centre_<code>`` per centre. Every centre's own data is reached only through a
:class:`~frontdesk.core.db.Database` opened with ``centre=CODE`` (search_path); the
registry's tables are schema-qualified, so a centre's session reaches them too and the
centre's writes and the registry's can share one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from frontdesk.core import audit, operators, settings
from frontdesk.core.actor import ROLE_TOWN, Actor
from frontdesk.core.clock import Clock
from frontdesk.core.db import (
    CENTRE_CODE_PATTERN,
    Database,
    centre_schema,
    quote_ident,
)
from frontdesk.core.errors import DatabaseError, NotFoundError, RuleError
from frontdesk.core.i18n import tr
from frontdesk.town import TOWN_SCHEMA
from frontdesk.town.models import Centre, TownAdmin, TownAuditEntry, TownInfo

# A mirror operator's password hash: not an Argon2 hash, so no password ever matches it.
# Town admins log in to a centre through the registry, never through this row.
MIRROR_PASSWORD_HASH = "!town-admin: logs in through the town registry"


@dataclass(frozen=True)
class TownAdminInfo:
    """A town admin as screens and commands show it (never the hash)."""

    id: int
    username: str
    display_name: str
    active: bool


@dataclass(frozen=True)
class CentreSummary:
    """A centre of the town, with its last closed day (日结)."""

    code: str
    name: str
    schema: str
    created_at: dt.datetime
    active: bool
    last_closed_day: dt.date | None


@dataclass(frozen=True)
class TownLogin:
    """A town admin's login: the admin, or the message to show."""

    admin: TownAdminInfo | None
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.admin is not None


# ---- is this a town database? --------------------------------------------------------------

def registry_present(session: Session) -> bool:
    """Whether the session's database holds a town registry (never on SQLite)."""
    if session.get_bind().dialect.name == "sqlite":
        return False
    found = session.execute(text("SELECT to_regclass(:t)"),
                            {"t": f"{TOWN_SCHEMA}.town_info"}).scalar()
    return found is not None


def _require_postgres(db: Database) -> None:
    if db.is_sqlite:
        raise RuleError(tr(
            "多个中心共用一个数据库需要 PostgreSQL；SQLite 数据库文件只属于一个中心。"))


def _town_level(db: Database) -> None:
    if db.centre is not None:
        raise RuleError(tr("镇街管理命令不用 --centre：它们作用于整个镇街数据库。"))


def town_name(session: Session) -> str:
    """The town's name (镇/街道)."""
    info = session.get(TownInfo, 1)
    if info is None:
        raise RuleError(tr("这个数据库还没有设为镇街共用数据库（先运行 frontdesk town init）。"))
    return info.name


def check_centre_choice(db: Database) -> None:
    """Refuse a centre this database does not have, or no centre on a town database.

    Called when a database is opened (before migrations), so a wrong code never creates
    anything: an unknown centre, an inactive one, or a town database opened without a
    centre (its public schema holds no centre) are each refused with a message.
    """
    if db.is_sqlite:
        return
    with db.engine.connect() as conn:
        has_registry = conn.execute(text("SELECT to_regclass(:t)"),
                                    {"t": f"{TOWN_SCHEMA}.town_info"}).scalar() is not None
        if db.centre is None:
            if not has_registry:
                return  # a single-centre PostgreSQL database (public schema)
            codes = [row[0] for row in conn.execute(text(
                f"SELECT code FROM {TOWN_SCHEMA}.centre WHERE active ORDER BY code"))]
            raise RuleError(tr("这是镇街共用数据库，请用 --centre 或 FRONTDESK_CENTRE "
                               "选择中心：{codes}", codes="、".join(codes) or tr("（还没有中心）")))
        if not has_registry:
            raise RuleError(tr("这个数据库不是镇街共用数据库，没有中心“{code}”。"
                               "请去掉 --centre / FRONTDESK_CENTRE。", code=db.centre))
        row = conn.execute(text(f"SELECT active, schema_name FROM {TOWN_SCHEMA}.centre "
                                "WHERE code = :c"), {"c": db.centre}).first()
        if row is None:
            codes = [r[0] for r in conn.execute(text(
                f"SELECT code FROM {TOWN_SCHEMA}.centre WHERE active ORDER BY code"))]
            raise RuleError(tr("没有编码为“{code}”的中心。这个数据库里的中心：{codes}",
                               code=db.centre, codes="、".join(codes) or tr("（还没有中心）")))
        if not row[0]:
            raise RuleError(tr("中心“{code}”已停用。", code=db.centre))
        if conn.execute(text("SELECT to_regnamespace(:s)"), {"s": quote_ident(row[1])}
                        ).scalar() is None:
            raise DatabaseError(tr("中心“{code}”的数据（schema {schema}）不在数据库里。"
                                   "请从备份恢复。", code=db.centre, schema=row[1]))


# ---- audit ---------------------------------------------------------------------------------

def record(session: Session, username: str, action: str, target: str = "", summary: str = "",
           clock: Clock | None = None) -> None:
    """A town-level audit row, in the caller's transaction."""
    session.add(TownAuditEntry(at=(clock or Clock()).now(), username=username[:64],
                               action=action, target=target[:64], summary=summary[:2000]))


# ---- set-up --------------------------------------------------------------------------------

def _public_has_centre(db: Database) -> bool:
    with db.engine.connect() as conn:
        return conn.execute(text("SELECT to_regclass('public.operator')")).scalar() is not None


def init_town(db: Database, *, town: str, admin_username: str, admin_password: str,
              admin_display_name: str = "", clock: Clock | None = None) -> TownAdminInfo:
    """Make ``db`` a town database: the registry (schema ``town``) and its first town admin."""
    from frontdesk.town.migrate import upgrade_town

    _require_postgres(db)
    _town_level(db)
    town = town.strip()
    if not town:
        raise RuleError(tr("请填写所属镇/街道。"))
    if _public_has_centre(db):
        raise RuleError(tr(
            "这个数据库里已经有一个单中心的数据（public schema），不能再设为镇街共用数据库。"
            "请换一个空数据库，或按 docs/reliability.md 先把这个中心迁移到自己的 schema。"))
    _check_new_admin(admin_username, admin_password, admin_display_name)
    upgrade_town(db)
    clock = clock or Clock()
    with db.session() as session:
        if session.get(TownInfo, 1) is not None:
            raise RuleError(tr("这个数据库已经设为镇街共用数据库。"))
        session.add(TownInfo(id=1, name=town, created_at=clock.now()))
        admin = _new_admin(session, admin_username, admin_password, admin_display_name, clock)
        record(session, "system", "town.init", town, f"first town admin {admin.username}", clock)
        return _admin_info(admin)


def _check_new_admin(username: str, password: str, display_name: str) -> None:
    if not operators.USERNAME_PATTERN.match(username.strip()):
        raise RuleError(tr("用户名只能用 2-32 位字母、数字、点、下划线或连字符。"))
    if len(display_name.strip()) > 50:
        raise RuleError(tr("姓名太长（最多 50 字）。"))
    operators.check_password_rules(password)


def _new_admin(session: Session, username: str, password: str, display_name: str,
               clock: Clock) -> TownAdmin:
    _check_new_admin(username, password, display_name)
    username = username.strip()
    if session.scalar(select(TownAdmin).where(TownAdmin.username == username)) is not None:
        raise RuleError(tr("用户名“{name}”已被使用。", name=username))
    admin = TownAdmin(username=username, display_name=display_name.strip() or username,
                      password_hash=operators.hash_password(password), active=True,
                      failed_logins=0, created_at=clock.now())
    session.add(admin)
    session.flush()
    return admin


def add_town_admin(db: Database, by: str, username: str, password: str,
                   display_name: str = "", clock: Clock | None = None) -> TownAdminInfo:
    """Another town admin, added by town admin ``by``."""
    clock = clock or Clock()
    with db.session() as session:
        town_name(session)
        actor = active_admin(session, by)
        admin = _new_admin(session, username, password, display_name, clock)
        record(session, actor.username, "town.admin.create", admin.username,
               admin.display_name, clock)
        return _admin_info(admin)


def _admin_info(admin: TownAdmin) -> TownAdminInfo:
    return TownAdminInfo(admin.id, admin.username, admin.display_name, admin.active)


def active_admin(session: Session, username: str | None) -> TownAdminInfo:
    """The active town admin called ``username`` (for --operator), or an error."""
    if not username:
        raise RuleError(tr("请用 --operator 或 FRONTDESK_OPERATOR 指定镇街管理员。"))
    admin = session.scalar(select(TownAdmin).where(TownAdmin.username == username.strip()))
    if admin is None:
        raise NotFoundError(tr("没有这个镇街管理员：{name}", name=username))
    if not admin.active:
        raise RuleError(tr("账号已停用，请联系管理员。"))
    return _admin_info(admin)


def authenticate_admin(session: Session, username: str, password: str,
                       clock: Clock | None = None) -> TownLogin:
    """Check a town admin's password, with the same lockout rule as the desk's operators.

    Returns a result (not an exception) so the caller commits the failure count.
    """
    clock = clock or Clock()
    now = clock.now()
    admin = session.scalar(select(TownAdmin).where(TownAdmin.username == username.strip()))
    if admin is None:
        record(session, "system", "town.login.fail", username[:32], "unknown username", clock)
        return TownLogin(None, tr("用户名或密码错误。"))
    if not admin.active:
        record(session, admin.username, "town.login.fail", admin.username, "inactive", clock)
        return TownLogin(None, tr("账号已停用，请联系管理员。"))
    if admin.locked_until is not None and admin.locked_until > now:
        minutes = max(1, int((admin.locked_until - now).total_seconds() // 60) + 1)
        record(session, admin.username, "town.login.fail", admin.username, "locked", clock)
        return TownLogin(None, tr("密码错误次数过多，账号已锁定，请 {m} 分钟后再试。", m=minutes))
    if not operators.verify_password(admin.password_hash, password):
        limit = int(settings.SPECS["security.max_failed_logins"].default)
        admin.failed_logins += 1
        if admin.failed_logins >= limit:
            lock_minutes = int(settings.SPECS["security.lockout_minutes"].default)
            admin.locked_until = now + dt.timedelta(minutes=lock_minutes)
            admin.failed_logins = 0
            record(session, admin.username, "town.login.lock", admin.username,
                   f"locked for {lock_minutes} min", clock)
            return TownLogin(None, tr("密码错误次数过多，账号已锁定，请 {m} 分钟后再试。",
                                      m=lock_minutes))
        record(session, admin.username, "town.login.fail", admin.username, "wrong password",
               clock)
        return TownLogin(None, tr("用户名或密码错误。还可以再试 {n} 次。",
                                  n=limit - admin.failed_logins))
    admin.failed_logins = 0
    admin.locked_until = None
    admin.last_login_at = now
    record(session, admin.username, "town.login", admin.username, "", clock)
    return TownLogin(_admin_info(admin))


def town_login(db: Database, username: str, password: str,
               clock: Clock | None = None) -> TownLogin:
    """A town admin logging in to the town database (before choosing a centre)."""
    with db.session() as session:
        town_name(session)
        return authenticate_admin(session, username, password, clock)


# ---- centres -------------------------------------------------------------------------------

def add_centre(db: Database, by: str, *, code: str, name: str, admin_username: str,
               admin_password: str, admin_display_name: str = "",
               clock: Clock | None = None) -> CentreSummary:
    """A new centre: its schema, migrated; first-run set-up there; its registry entry.

    ``by`` is the town admin doing it. A failure after the schema was made drops it again.
    """
    from frontdesk.core.centre import initialise
    from frontdesk.core.migrate import upgrade

    _require_postgres(db)
    _town_level(db)
    clock = clock or Clock()
    code, name = code.strip(), name.strip()
    if not CENTRE_CODE_PATTERN.match(code):
        raise RuleError(tr("中心编码只能用 2-32 位字母、数字、下划线或连字符（用于导出文件名）。"))
    if not name:
        raise RuleError(tr("请填写中心名称。"))
    schema = centre_schema(code)
    with db.session() as session:
        town = town_name(session)
        actor = active_admin(session, by)
        if session.scalar(select(Centre).where(Centre.code == code.lower())) is not None:
            raise RuleError(tr("中心编码“{code}”已被使用。", code=code))
        if session.scalar(select(Centre).where(Centre.name == name)) is not None:
            raise RuleError(tr("中心名称“{name}”已被使用。", name=name))
        if session.execute(text("SELECT to_regnamespace(:s)"),
                           {"s": quote_ident(schema)}).scalar() is not None:
            raise RuleError(tr("数据库里已经有 schema {schema}，请换一个中心编码。", schema=schema))
        session.execute(text(f"CREATE SCHEMA {quote_ident(schema)}"))
    centre_db = Database(db.url, centre=code)
    try:
        upgrade(centre_db, backup=False)
        with centre_db.session() as session:
            initialise(session, centre_name=name, centre_code=code, town=town,
                       admin_username=admin_username, admin_password=admin_password,
                       admin_display_name=admin_display_name, clock=clock)
            row = Centre(code=code.lower(), name=name, schema_name=schema,
                         created_at=clock.now(), active=True)
            session.add(row)
            record(session, actor.username, "town.centre.create", code.lower(),
                   f"{name}; schema={schema}; admin={admin_username}", clock)
            session.flush()
            return CentreSummary(row.code, row.name, row.schema_name, row.created_at, True, None)
    except BaseException:
        centre_db.dispose()
        with db.session() as session:
            session.execute(text(f"DROP SCHEMA IF EXISTS {quote_ident(schema)} CASCADE"))
        raise
    finally:
        centre_db.dispose()


def list_centres(session: Session, *, include_inactive: bool = True) -> list[CentreSummary]:
    """The town's centres by code, each with its last closed day."""
    query = select(Centre).order_by(Centre.code)
    if not include_inactive:
        query = query.where(Centre.active.is_(True))
    result = []
    for c in session.scalars(query):
        last = session.execute(text(
            f"SELECT max(business_date) FROM {quote_ident(c.schema_name)}.closed_day "
            "WHERE closed")).scalar()
        result.append(CentreSummary(c.code, c.name, c.schema_name, c.created_at, c.active, last))
    return result


# ---- a town admin inside a centre ----------------------------------------------------------

def enter_centre(session: Session, admin: TownAdminInfo, clock: Clock | None = None,
                 *, how: str = "") -> Actor:
    """The town admin as an actor of the centre ``session`` works in.

    The first time, a mirror operator row (role town, a hash no password matches) is
    made in the centre's operator table, so the centre's audit rows keep their operator
    and the centre's log shows who it was. A centre operator already using the name
    is never taken over.
    """
    clock = clock or Clock()
    op = session.scalar(select(operators.Operator)
                        .where(operators.Operator.username == admin.username))
    if op is not None and op.role != ROLE_TOWN:
        raise RuleError(tr("这个中心已有同名的操作员“{name}”，镇街管理员无法以此用户名进入。",
                           name=admin.username))
    if op is None:
        op = operators.Operator(username=admin.username, display_name=admin.display_name,
                                role=ROLE_TOWN, password_hash=MIRROR_PASSWORD_HASH,
                                active=True, failed_logins=0, created_at=clock.now())
        session.add(op)
        session.flush()
        actor = operators.actor_for(op, clock)
        audit.record(session, actor, "operator.create", "operator", op.id,
                     f"{op.username} ({op.display_name}), role={ROLE_TOWN} (town admin)")
    else:
        op.display_name = admin.display_name
        op.active = True
    op.last_login_at = clock.now()
    actor = operators.actor_for(op, clock)
    audit.record(session, actor, "town.enter", "operator", op.id,
                 f"town admin {admin.username} ({admin.display_name}){' ' + how if how else ''}")
    return actor


def login_in_centre(session: Session, username: str, password: str,
                    clock: Clock | None = None) -> operators.LoginResult | None:
    """A town admin's login at a centre's login dialog; None if not a town admin here."""
    if not registry_present(session):
        return None
    exists = session.scalar(select(TownAdmin.id).where(TownAdmin.username == username.strip()))
    if exists is None:
        return None
    result = authenticate_admin(session, username, password, clock)
    if result.admin is None:
        return operators.LoginResult(None, result.message)
    return operators.LoginResult(enter_centre(session, result.admin, clock, how="login"))


def cli_actor(session: Session, username: str, clock: Clock | None = None) -> Actor | None:
    """A town admin named by --operator inside a centre; None if not a town admin here."""
    if not registry_present(session):
        return None
    if session.scalar(select(TownAdmin.id).where(TownAdmin.username == username.strip())) \
            is None:
        return None
    return enter_centre(session, active_admin(session, username), clock, how="cli")


# ---- export --------------------------------------------------------------------------------

@dataclass(frozen=True)
class TownExport:
    """A town export: one package per centre, the merged workbook, the centres left out."""

    packages: tuple[Path, ...]
    workbook: Path
    skipped: tuple[tuple[str, str], ...]  # (centre code, reason)
    merged: int  # packages in the workbook


def export_town_day(db: Database, by: str, day: dt.date, out_dir: Path, *,
                    draft_ok: bool = False, clock: Clock | None = None,
                    progress: Callable[[str], None] | None = None) -> TownExport:
    """Export ``day`` from every active centre (the centres' own exporter) and merge them.

    A centre that cannot export (the day not closed, no draft allowed) is left out and
    named; the rest are exported and merged into ``town-YYYYMMDD.xlsx`` in ``out_dir``.
    """
    from frontdesk.core.migrate import open_database
    from frontdesk.dayclose.service import export_days
    from frontdesk.dayclose.town import merge_packages, write_town_workbook

    _require_postgres(db)
    _town_level(db)
    if not out_dir.is_dir():
        raise RuleError(tr("找不到导出文件夹：{folder}（U 盘是否已插好？）", folder=str(out_dir)))
    clock = clock or Clock()
    with db.session() as session:
        town_name(session)
        admin = active_admin(session, by)
        centres = list_centres(session, include_inactive=False)
    packages: list[Path] = []
    skipped: list[tuple[str, str]] = []
    for centre in centres:
        if progress is not None:
            progress(centre.code)
        centre_db = open_database(db.url, centre=centre.code)
        try:
            with centre_db.session() as session:
                actor = enter_centre(session, admin, clock, how="export")
            try:
                written = export_days(centre_db, actor, day, day, out_dir, draft_ok=draft_ok)
            except RuleError as exc:
                skipped.append((centre.code, exc.message))
                continue
            packages.extend(r.path for r in written)
        finally:
            centre_db.dispose()
    merge = merge_packages(packages)
    workbook = write_town_workbook(merge, out_dir / f"town-{day:%Y%m%d}.xlsx")
    with db.session() as session:
        record(session, admin.username, "town.export", day.isoformat(),
               f"{len(packages)} packages, skipped {[c for c, _ in skipped]}, {workbook.name}",
               clock)
    return TownExport(tuple(packages), workbook, tuple(skipped), len(merge.packages))

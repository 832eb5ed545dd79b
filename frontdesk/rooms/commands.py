"""`frontdesk rooms ...`: book, list the rooms, list bookings, export the month's report."""

from __future__ import annotations

import datetime as dt
from typing import Any

from frontdesk.cli import (
    EXIT_REFUSED,
    CliContext,
    active_message,
    add_command,
    add_group,
    add_switch_pair,
    finite_number,
    output_file,
)
from frontdesk.core.errors import RuleError
from frontdesk.core.i18n import tr


def register(subparsers: Any) -> None:
    """Add `frontdesk rooms` and its subcommands."""
    sub = add_group(subparsers, "rooms", tr("场地预约"))

    p = add_command(sub, "book", cmd_book, tr("预约场地（冲突时拒绝，退出码 1）"))
    p.add_argument("room", metavar="ROOM", help=tr("场地名称"))
    p.add_argument("start", metavar="START", help=tr("开始时间，例如 2026-12-01T16:00"))
    p.add_argument("end", metavar="END", help=tr("结束时间，例如 2026-12-01T18:00"))
    p.add_argument("--booker", required=True, metavar="NAME_OR_ID",
                   help=tr("单位全称、居民卡号/证件号/姓名，或“中心:活动名称”"))
    p.add_argument("--purpose", default="", metavar="TEXT", help=tr("用途"))
    p.add_argument("--headcount", type=int, default=0, help=tr("预计人数"))
    p.add_argument("--phone", default="", help=tr("联系电话"))
    p.add_argument("--rrule", metavar="RULE",
                   help=tr("重复规则（RFC 5545），例如 FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10"))
    p.add_argument("--skip-holidays", action="store_true", help=tr("跳过法定节假日"))
    p.add_argument("--skip-conflicts", action="store_true", help=tr("跳过有冲突的日期"))
    p.add_argument("--json", action="store_true", dest="as_json")

    p = add_command(sub, "rooms", cmd_rooms, tr("列出场地"))
    p.add_argument("--all", action="store_true", help=tr("包括已停用的"))
    p.add_argument("--json", action="store_true", dest="as_json")

    p = add_command(sub, "list", cmd_list, tr("列出预约（每次一行）"))
    p.add_argument("--from", dest="day_from", required=True, metavar="D")
    p.add_argument("--to", dest="day_to", required=True, metavar="D")
    p.add_argument("--room", metavar="ROOM")
    p.add_argument("--json", action="store_true", dest="as_json")
    p.add_argument("--csv", type=output_file, metavar="OUT",
                   help=tr("另存为 CSV（UTF-8 带 BOM，Excel 可直接打开）"))

    p = add_command(sub, "add-room", cmd_add_room, tr("添加场地（管理员）"))
    p.add_argument("name", metavar="NAME")
    p.add_argument("--capacity", type=int, default=0)
    p.add_argument("--facilities", default="")
    p.add_argument("--part-of", metavar="ROOM", help=tr("所属的整个场地（分区时填写）"))
    p.add_argument("--hours", default="08:00-22:00",
                   help=tr("开放时间，例如 1-5=08:30-21:00,6=09:00-17:00（1 是周一）"))
    p.add_argument("--max-hours", default=4, help=tr("每次最长小时数"),
                   type=finite_number(0, 24, tr("每次最长小时数应大于 0、不超过 24：{text}")))
    p.add_argument("--advance-days", type=int, default=30, help=tr("最多提前几天预约"))
    p.add_argument("--max-per-month", type=int, default=0, help=tr("每人每月最多次数（0 为不限）"))
    p.add_argument("--bookers", default="resident,organisation,internal",
                   help=tr("可以预约的人：resident,organisation,internal"))
    p.add_argument("--approval", action="store_true", help=tr("预约需要管理员审核"))

    p = add_command(sub, "edit-room", cmd_edit_room,
                    tr("修改场地的名称和规则（管理员；没写的保持不变）"))
    p.add_argument("room", metavar="ROOM")
    p.add_argument("--name", dest="new_name", metavar="NEW", help=tr("新名称"))
    p.add_argument("--capacity", type=int)
    p.add_argument("--facilities")
    p.add_argument("--hours", help=tr("开放时间，例如 1-5=08:30-21:00,6=09:00-17:00（1 是周一）"))
    p.add_argument("--max-hours", type=float, help=tr("每次最长小时数"))
    p.add_argument("--advance-days", type=int, help=tr("最多提前几天预约"))
    p.add_argument("--max-per-month", type=int, help=tr("每人每月最多次数（0 为不限）"))
    p.add_argument("--bookers", help=tr("可以预约的人：resident,organisation,internal"))
    p.add_argument("--approval", choices=("yes", "no"), help=tr("预约是否需要管理员审核"))

    add_switch_pair(sub, cmd_room_active, "room",
                    ("retire-room", tr("停用场地（管理员；它的分区一起停用，历史预约保留）")),
                    ("restore-room", tr("重新启用已停用的场地（管理员）")))

    p = add_command(sub, "close-day", cmd_close_day, tr("设置闭馆日（管理员）"))
    p.add_argument("room", metavar="ROOM")
    p.add_argument("day", metavar="DATE")
    p.add_argument("--to", metavar="DATE", help=tr("连续闭馆到这一天（含）"))
    p.add_argument("--reason", default="")

    p = add_command(sub, "open-day", cmd_open_day, tr("取消闭馆日，恢复开放（管理员）"))
    p.add_argument("room", metavar="ROOM")
    p.add_argument("day", metavar="DATE")

    p = add_command(sub, "closures", cmd_closures, tr("列出闭馆日（默认从今天起）"))
    p.add_argument("--from", dest="day_from", metavar="D")
    p.add_argument("--json", action="store_true", dest="as_json")

    kinds = ("firm", "school", "party_unit", "other")
    p = add_command(sub, "add-org", cmd_add_org, tr("添加合作单位（共建单位；管理员）"))
    p.add_argument("name", metavar="NAME")
    p.add_argument("--kind", choices=kinds, default="other",
                   help=tr("firm 企业、school 学校、party_unit 党建共建单位、other 其他"))
    p.add_argument("--contact", default="")
    p.add_argument("--phone", default="")

    p = add_command(sub, "edit-org", cmd_edit_org, tr("修改合作单位（管理员；没写的保持不变）"))
    p.add_argument("name", metavar="NAME")
    p.add_argument("--name", dest="new_name", metavar="NEW", help=tr("新名称"))
    p.add_argument("--kind", choices=kinds)
    p.add_argument("--contact")
    p.add_argument("--phone")
    add_switch_pair(sub, cmd_org_active, "name",
                    ("retire-org", tr("停用合作单位（管理员；历史预约保留）")),
                    ("restore-org", tr("重新启用已停用的合作单位（管理员）")))
    p = add_command(sub, "orgs", cmd_orgs, tr("列出合作单位"))
    p.add_argument("--all", action="store_true", help=tr("包括已停用的"))
    p.add_argument("--json", action="store_true", dest="as_json")

    p = add_command(sub, "report", cmd_report, tr("导出某月的场地使用报表（XLSX）"))
    p.add_argument("--month", required=True, metavar="YYYY-MM")
    p.add_argument("--xlsx", required=True, type=output_file, metavar="OUT")


def _parse_time(text: str) -> dt.datetime:
    from frontdesk.core.clock import CENTRE_TZ

    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise RuleError(tr("时间“{text}”看不懂，请写成 2026-12-01T16:00。", text=text)) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=CENTRE_TZ)


def _parse_day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise RuleError(tr("日期“{text}”看不懂，请写成 2026-12-01。", text=text)) from None


def _as_dict(b: Any) -> dict[str, Any]:
    return {"id": b.id, "room": b.room_name, "start": b.start.isoformat(timespec="minutes"),
            "end": b.end.isoformat(timespec="minutes"), "status": b.status,
            "booker": b.booker_name, "booker_kind": b.booker_kind, "purpose": b.purpose,
            "headcount": b.headcount, "series_id": b.series_id}


def cmd_book(ctx: CliContext) -> int:
    from frontdesk.rooms import service

    args = ctx.args
    start, end = _parse_time(args.start), _parse_time(args.end)
    with ctx.write() as (session, actor):
        room = service.find_room(session, args.room)
        booker = service.resolve_booker(session, args.booker)
        req = service.BookingRequest(room.id, start, end, booker, args.purpose, args.headcount,
                                     args.phone)
        if not args.rrule:
            made = [service.book(session, actor, req)]
            skipped: tuple[service.Clash, ...] = ()
            notice = ""
        else:
            if not args.skip_conflicts:
                plan = service.plan_series(session, actor, req, args.rrule,
                                           skip_holidays=args.skip_holidays)
                if plan.clashes:
                    raise RuleError(service.clash_message(plan.clashes) + "\n"
                                    + tr("可以跳过这些日期（加 --skip-conflicts），或取消。"))
            result = service.create_series(session, actor, req, args.rrule,
                                           skip_holidays=args.skip_holidays,
                                           skip_conflicts=args.skip_conflicts)
            made, skipped, notice = list(result.bookings), result.skipped, result.plan.notice
    if args.as_json:
        ctx.print_json({"bookings": [_as_dict(b) for b in made],
                        "skipped": [{"start": c.start.isoformat(timespec="minutes"),
                                     "reason": c.reason} for c in skipped],
                        "notice": notice})
        return 0
    print(tr("已预约 {n} 次：{room} {booker}", n=len(made), room=room.name, booker=booker.name))
    for b in made[:20]:
        print(f"  #{b.id} {b.start:%Y-%m-%d %H:%M}-{b.end:%H:%M} {b.status_label}")
    for c in skipped:
        print(tr("  跳过 {day}：{reason}", day=f"{c.start:%Y-%m-%d}", reason=c.reason))
    if notice:
        print(notice)
    return 0


def cmd_rooms(ctx: CliContext) -> int:
    from frontdesk.rooms import service

    with ctx.db.read() as session:
        rooms = service.list_rooms(session, include_inactive=ctx.args.all)
        names = {r.id: r.name for r in rooms}
    if ctx.args.as_json:
        ctx.print_json([{"id": r.id, "name": r.name, "active": r.active,
                         "capacity": r.capacity,
                         "facilities": r.facilities, "part_of": names.get(r.parent_id or 0),
                         "hours": [list(h) if h else None for h in r.hours],
                         "max_minutes": r.max_minutes, "advance_days": r.advance_days,
                         "max_per_month": r.max_per_month,
                         "allowed_bookers": list(r.allowed_bookers),
                         "needs_approval": r.needs_approval} for r in rooms])
        return 0
    for r in rooms:
        part = tr("（{whole}的一部分）", whole=names[r.parent_id]) if r.parent_id else ""
        print(tr("{name}{part}：{cap} 人，{facilities}", name=r.name, part=part, cap=r.capacity,
                 facilities=r.facilities or "-") + ("" if r.active else tr("（已停用）")))
        print("    " + service.describe_hours(r.hours))
    return 0


def cmd_list(ctx: CliContext) -> int:
    from frontdesk.rooms import service

    day_from, day_to = _parse_day(ctx.args.day_from), _parse_day(ctx.args.day_to)
    if day_to < day_from:
        raise RuleError(tr("结束日期早于开始日期。"))
    with ctx.db.read() as session:
        room_id = service.find_room(session, ctx.args.room).id if ctx.args.room else None
        bookings = service.list_bookings(session, day_from, day_to, room_id=room_id)
        if ctx.args.csv:
            from frontdesk.rooms.reports import export_bookings_csv

            print(export_bookings_csv(session, day_from, day_to, ctx.args.csv, room_id=room_id))
            return 0
    if ctx.args.as_json:
        ctx.print_json([_as_dict(b) for b in bookings])
        return 0
    for b in bookings:
        print(f"#{b.id}\t{b.start:%Y-%m-%d %H:%M}-{b.end:%H:%M}\t{b.room_name}\t"
              f"{b.booker_name}\t{b.status_label}\t{b.purpose}")
    return 0


def cmd_report(ctx: CliContext) -> int:
    from frontdesk.rooms.reports import export_xlsx

    try:
        year, month = (int(x) for x in ctx.args.month.split("-"))
        dt.date(year, month, 1)
    except ValueError:
        print(tr("月份请写成 2026-11。"))
        return EXIT_REFUSED
    with ctx.db.read() as session:
        path = export_xlsx(session, year, month, ctx.args.xlsx)
    print(path)
    return 0


def cmd_add_room(ctx: CliContext) -> int:
    from frontdesk.rooms import service

    args = ctx.args
    with ctx.write() as (session, actor):
        parent = service.find_room(session, args.part_of).id if args.part_of else None
        room = service.create_room(
            session, actor, args.name, capacity=args.capacity, facilities=args.facilities,
            hours=service.parse_hours_spec(args.hours), parent_id=parent,
            max_minutes=round(args.max_hours * 60), advance_days=args.advance_days,
            max_per_month=args.max_per_month,
            allowed_bookers=[k.strip() for k in args.bookers.split(",") if k.strip()],
            needs_approval=args.approval)
    print(tr("已添加场地：{name}", name=room.name))
    return 0


def cmd_close_day(ctx: CliContext) -> int:
    from frontdesk.rooms import service

    day = _parse_day(ctx.args.day)
    last = _parse_day(ctx.args.to) if ctx.args.to else day
    if last < day:
        raise RuleError(tr("结束日期早于开始日期。"))
    if (last - day).days > 366:
        raise RuleError(tr("一次最多设置一年的闭馆日。"))
    with ctx.write() as (session, actor):
        room = service.find_room(session, ctx.args.room)
        for i in range((last - day).days + 1):
            service.add_closure(session, actor, room.id, day + dt.timedelta(days=i),
                                ctx.args.reason)
        booked = service.list_bookings(session, day, last, room_id=room.id,
                                       statuses=service.HOLDING)
    span = day.isoformat() if last == day else f"{day.isoformat()} - {last.isoformat()}"
    print(tr("{room} {day} 闭馆。", room=room.name, day=span))
    for b in booked:
        print(tr("  请通知：{who} {when} {phone}", who=b.booker_name,
                 when=f"{b.start:%m-%d %H:%M}-{b.end:%H:%M}", phone=b.phone))
    return 0


def cmd_open_day(ctx: CliContext) -> int:
    from frontdesk.rooms import service

    day = _parse_day(ctx.args.day)
    with ctx.write() as (session, actor):
        room = service.find_room(session, ctx.args.room)
        service.remove_closure(session, actor, room.id, day)
    print(tr("{room} {day} 恢复开放。", room=room.name, day=day.isoformat()))
    return 0


def cmd_closures(ctx: CliContext) -> int:
    from frontdesk.core.clock import Clock
    from frontdesk.rooms import service

    day_from = _parse_day(ctx.args.day_from) if ctx.args.day_from else Clock().today()
    with ctx.db.read() as session:
        closures = service.list_closures(session, day_from)
    if ctx.args.as_json:
        ctx.print_json([{"room": c.room_name, "day": c.day.isoformat(), "reason": c.reason}
                        for c in closures])
        return 0
    for c in closures:
        print(f"{c.day.isoformat()}\t{c.room_name}\t{c.reason}")
    return 0


def cmd_edit_room(ctx: CliContext) -> int:
    from frontdesk.rooms import service

    args = ctx.args
    with ctx.write() as (session, actor):
        room = service.find_room(session, args.room)
        hours = (service.parse_hours_spec(args.hours) if args.hours
                 else dict(enumerate(room.hours)))
        bookers = ([k.strip() for k in args.bookers.split(",") if k.strip()]
                   if args.bookers is not None else list(room.allowed_bookers))
        saved = service.update_room(
            session, actor, room.id, name=args.new_name or room.name,
            capacity=room.capacity if args.capacity is None else args.capacity,
            facilities=room.facilities if args.facilities is None else args.facilities,
            hours=hours,
            max_minutes=(room.max_minutes if args.max_hours is None
                         else round(args.max_hours * 60)),
            advance_days=room.advance_days if args.advance_days is None else args.advance_days,
            max_per_month=(room.max_per_month if args.max_per_month is None
                           else args.max_per_month),
            allowed_bookers=bookers,
            needs_approval=(room.needs_approval if args.approval is None
                            else args.approval == "yes"),
            active=room.active)
    print(tr("已保存场地：{name}", name=saved.name))
    return 0


def cmd_room_active(ctx: CliContext) -> int:
    """`rooms retire-room ROOM` and `rooms restore-room ROOM`."""
    from frontdesk.rooms import service

    with ctx.write() as (session, actor):
        room = service.find_room(session, ctx.args.room)
        saved = service.set_room_active(session, actor, room.id, ctx.args.active)
    print(active_message(ctx.args.active, saved.name))
    return 0


def cmd_edit_org(ctx: CliContext) -> int:
    from frontdesk.rooms import service

    args = ctx.args
    with ctx.write() as (session, actor):
        org = service.find_organisation(session, args.name)
        saved = service.update_organisation(
            session, actor, org.id, name=args.new_name or org.name, kind=args.kind or org.kind,
            contact=org.contact if args.contact is None else args.contact,
            phone=org.phone if args.phone is None else args.phone, active=org.active)
    print(tr("已保存合作单位：{name}", name=saved.name))
    return 0


def cmd_org_active(ctx: CliContext) -> int:
    """`rooms retire-org NAME` and `rooms restore-org NAME`."""
    from frontdesk.rooms import service

    with ctx.write() as (session, actor):
        org = service.find_organisation(session, ctx.args.name)
        saved = service.set_organisation_active(session, actor, org.id, ctx.args.active)
    print(active_message(ctx.args.active, saved.name))
    return 0


def cmd_orgs(ctx: CliContext) -> int:
    from frontdesk.rooms import service
    from frontdesk.rooms.models import ORG_KINDS

    with ctx.db.read() as session:
        orgs = service.list_organisations(session, include_inactive=ctx.args.all)
    if ctx.args.as_json:
        ctx.print_json([{"id": o.id, "name": o.name, "kind": o.kind, "contact": o.contact,
                         "phone": o.phone, "active": o.active} for o in orgs])
        return 0
    for o in orgs:
        print(f"{o.name}\t{tr(ORG_KINDS.get(o.kind, o.kind))}\t{o.contact}\t{o.phone}"
              + ("" if o.active else tr("（已停用）")))
    return 0


def cmd_add_org(ctx: CliContext) -> int:
    from frontdesk.rooms import service

    args = ctx.args
    with ctx.write() as (session, actor):
        org = service.create_organisation(session, actor, args.name, kind=args.kind,
                                          contact=args.contact, phone=args.phone)
    print(tr("已添加合作单位：{name}", name=org.name))
    return 0
